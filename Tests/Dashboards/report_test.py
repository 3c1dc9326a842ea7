#!/usr/bin/env python3
"""The dashboard report in a real browser: builds a warehouse from generated data, writes
`moviecol dashboard`, opens it in headless Chromium with filters in the URL fragment, and
checks from the rendered DOM that the values shown equal `moviecol query` for the same
filter. Screenshots of the report go to --artifacts (default .build/artifacts/dashboards).

Usage: python3 Tests/Dashboards/report_test.py --binary .build/release/moviecol [--ratings 200000]
"""
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from support import arguments, no_genome_warehouse, query  # noqa: E402


class Bars(HTMLParser):
    """Collects (card id, label, value) of every `rect.bar` and the cards' 'not available' notes."""

    def __init__(self):
        super().__init__()
        self.card = None
        self.bars = []
        self.na = []
        self._in_na = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and a.get("id", "").startswith("card-"):
            self.card = a["id"][5:]
        if tag == "rect" and "bar" in a.get("class", "").split():
            self.bars.append((self.card, a.get("data-label"), float(a["data-value"])))
        if tag == "div" and a.get("class") == "na":
            self._in_na = True

    def handle_data(self, data):
        if self._in_na:
            self.na.append((self.card, data))
            self._in_na = False


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("no chromium found (Debian: apt-get install chromium)")


def render(browser, path, fragment, screenshot=None):
    url = "file://" + os.path.abspath(path) + ("#" + fragment if fragment else "")
    base = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,2200"]
    dom = subprocess.run(base + ["--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    if screenshot:
        subprocess.run(base + [f"--screenshot={screenshot}", url], capture_output=True, timeout=120)
    p = Bars()
    p.feed(dom)
    return p


def main():
    binary, work, artifacts, ratings = arguments()
    browser = chromium()
    data, db = os.path.join(work, "csv"), os.path.join(work, "warehouse")
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(ratings)], check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(db, ignore_errors=True)
    subprocess.run([binary, "ingest", data, "--db", db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([binary, "build", "--db", db, "--vars", "{top_movies_min_ratings: 20}"], check=True, stdout=subprocess.DEVNULL)
    report = os.path.join(work, "report.html")
    subprocess.run([binary, "dashboard", "--db", db, "--out", report], check=True, stdout=subprocess.DEVNULL)
    size = os.path.getsize(report)

    passed = failed = 0

    def check(ok, what, detail=""):
        nonlocal passed, failed
        passed, failed = passed + bool(ok), failed + (not ok)
        print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else "\n     " + detail))

    check(size < 5 * 2**20, f"report is small ({size // 1024} KiB)")
    html = open(report, encoding="utf-8").read()
    check(not re.search(r"(src|href)=\"https?:", html), "report loads nothing from the network")

    cases = [
        ("", "unfiltered"),
        ("genre=Drama&from=1990&to=2005&min=30&top=7", "Drama, 1990-2005, >= 30 ratings, top 7"),
        ("genre=Comedy&top=3", "Comedy, top 3"),
    ]
    for fragment, label in cases:
        shot = os.path.join(artifacts, "report-" + (re.sub(r"[^a-z0-9]+", "-", fragment.lower()).strip("-") or "all") + ".png")
        dom = render(browser, report, fragment, screenshot=shot)
        f = dict(p.split("=") for p in fragment.split("&") if p)
        top, minimum = int(f.get("top", 10)), int(f.get("min", 0))
        where = [f"t.rating_count >= {minimum}"]
        if "genre" in f:
            where.append(f"array_contains('{f['genre']}', m.genre_array)")
        year = "cast(substr(regexp_substr(m.movie_title, '[(][0-9]{4}[)]$'), 2, 4) as int)"
        if "from" in f:
            where.append(f"{year} >= {f['from']}")
        if "to" in f:
            where.append(f"{year} <= {f['to']}")
        sql = (f"SELECT t.movie_title, t.avg_rating FROM serving.mart_top_movies t JOIN serving.dim_movies m ON t.movie_id = m.movie_id "
               f"WHERE {' AND '.join(where)} ORDER BY t.avg_rating DESC, t.rating_count DESC, t.movie_id LIMIT {top}")
        expected = [(r[0], float(r[1])) for r in query(binary, db, sql)]
        shown = [(l, v) for c, l, v in dom.bars if c == "top_movies"]
        ok = len(shown) == len(expected) and all(a[0] == b[0] and abs(a[1] - b[1]) < 1e-9 for a, b in zip(shown, expected))
        check(ok and len(expected) > 0, f"top movies ({label}): {len(shown)} bars equal moviecol query", f"shown {shown[:3]} expected {expected[:3]}")
        users = [(l, v) for c, l, v in dom.bars if c == "user_activity"]
        expected_users = [(f"user {r[0]}", float(r[1])) for r in query(binary, db,
                          f"SELECT user_id, rating_count FROM serving.mart_user_activity WHERE rating_count >= {minimum} "
                          f"ORDER BY rating_count DESC, user_id LIMIT {top}")]
        check(users == expected_users, f"most active users ({label}) equal moviecol query", f"shown {users[:3]} expected {expected_users[:3]}")
        if not fragment:
            genres = sorted((l, v) for c, l, v in dom.bars if c == "genre_ratings")
            expected_genres = sorted((r[0], float(r[1]) if r[1] else 0.0) for r in query(binary, db, "SELECT genre, avg_rating FROM serving.mart_genre_ratings"))
            check(genres == expected_genres, f"genre ratings: {len(genres)} bars equal moviecol query")
            years = [v for c, l, v in dom.bars if c == "release_trends"]
            expected_years = [float(r[0]) for r in query(binary, db, "SELECT movie_count FROM serving.mart_release_trends ORDER BY release_year")]
            check(years == expected_years, f"release trends: {len(years)} bars equal moviecol query")

    # A data set without a tag genome: the tag dashboard says so instead of drawing nothing.
    bare_db = no_genome_warehouse(binary, work)
    bare_report = os.path.join(work, "no-genome.html")
    subprocess.run([binary, "dashboard", "--db", bare_db, "--out", bare_report], check=True, stdout=subprocess.DEVNULL)
    dom = render(browser, bare_report, "", screenshot=os.path.join(artifacts, "report-no-genome.png"))
    notes = [t for c, t in dom.na if c == "tag_relevance"]
    check(notes and "not available for this data set" in notes[0].lower() and "genome" in notes[0],
          "without genome files the tag dashboard says it is not available, with the reason", str(dom.na))

    print(f"dashboards: {passed} passed, {failed} failed (screenshots in {artifacts})")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
