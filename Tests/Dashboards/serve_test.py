#!/usr/bin/env python3
"""`moviecol serve` end to end: users added with `moviecol user add`, the server started on a
free loopback port, then
- security over plain HTTP: no session -> 401/redirect; a wrong password and an unknown user
  get the same refusal in about the same time; a reporter's /api/query on raw, staging or
  snapshots -> 403 naming the object; stacked statements, DROP/CREATE/INSERT and file-reading
  functions refused; cross-site form posts refused; cookie flags; 200 concurrent dashboard
  requests all answered, each equal to a single request;
- the app in headless Chromium (driven over the DevTools protocol): sign in through the form,
  change the filters, and check from the DOM that the bars shown equal `moviecol query` for the
  same filter; the tables page's SQL box; a phone-width layout; sign out;
- hardening, on a server of its own: sign-in throttling per address and per user (figures:
  guesses per second before and after), 413 for an oversized body, a client sending its
  headers slowly is disconnected within the request timeout, 1,000 idle connections do not
  stop a new client being served, and a server whose connections are all busy refuses the
  next with 503;
- SIGTERM while a request is in flight: the request completes, the server exits 0.
Screenshots (the whole app, each dashboard card, the phone layout, and each card of the
offline report) go to --artifacts (default .build/artifacts/dashboards).

Usage: python3 Tests/Dashboards/serve_test.py --binary .build/release/moviecol [--ratings 200000]
"""
import concurrent.futures
import http.client
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cdp import Browser  # noqa: E402
from support import Checks, arguments, no_genome_warehouse, query  # noqa: E402

IDS = ["top_movies", "genre_ratings", "user_activity", "release_trends", "tag_relevance"]
YEAR = "cast(substr(regexp_substr(m.movie_title, '[(][0-9]{4}[)]$'), 2, 4) as int)"


class Client:
    """One HTTP/1.1 connection to the server; keeps the session cookie it is given."""

    def __init__(self, port, cookie=None):
        self.port, self.cookie = port, cookie

    def request(self, method, path, body=None, content_type=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type
        if self.cookie:
            headers["Cookie"] = f"moviecol_session={self.cookie}"
        conn.request(method, path, body=body.encode() if isinstance(body, str) else body, headers=headers)
        r = conn.getresponse()
        data = r.read().decode()
        conn.close()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def login(self, user, password):
        status, headers, body = self.request("POST", "/api/login", json.dumps({"user": user, "password": password}), "application/json")
        m = re.match(r"moviecol_session=([0-9a-f]{64})", headers.get("set-cookie", ""))
        if status == 200 and m:
            self.cookie = m.group(1)
        return status, headers, body

    def sql(self, text):
        status, _, body = self.request("POST", "/api/query", json.dumps({"sql": text}), "application/json")
        return status, json.loads(body)


def build_warehouse(binary, work, ratings):
    data, db = os.path.join(work, "csv"), os.path.join(work, "warehouse")
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(ratings)], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(db, "CURRENT")):
        subprocess.run([binary, "ingest", data, "--db", db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([binary, "build", "--db", db, "--vars", "{top_movies_min_ratings: 20}"], check=True, stdout=subprocess.DEVNULL)
    return db


def add_user(binary, db, name, role, password):
    return subprocess.run([binary, "user", "add", name, "--role", role, "--db", db, "--replace"],
                          input=password + "\n", capture_output=True, text=True)


def start_server(binary, db, *options):
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"https?://127\.0\.0\.1:(\d+)/", line)
    if not m:
        proc.kill()
        raise SystemExit(f"serve did not start: {line}{proc.stderr.read()}")
    return proc, int(m.group(1))


def bars_js():
    return ("[...document.querySelectorAll('section.card')].flatMap(c => [...c.querySelectorAll('rect.bar')]"
            ".map(r => [c.id.slice(5), r.dataset.label ?? null, Number(r.dataset.value)]))")


def expected_bars(binary, db, f):
    """What the top-movies and most-active-users charts must show for filter f, from `moviecol query`."""
    where = [f"t.rating_count >= {f.get('min', 0)}"]
    if f.get("genre"):
        where.append(f"array_contains('{f['genre']}', m.genre_array)")
    if f.get("from"):
        where.append(f"{YEAR} >= {f['from']}")
    if f.get("to"):
        where.append(f"{YEAR} <= {f['to']}")
    top = f.get("top", 10)
    movies = [(r[0], float(r[1])) for r in query(binary, db, (
        f"SELECT t.movie_title, t.avg_rating FROM serving.mart_top_movies t JOIN serving.dim_movies m ON t.movie_id = m.movie_id "
        f"WHERE {' AND '.join(where)} ORDER BY t.avg_rating DESC, t.rating_count DESC, t.movie_id LIMIT {top}"))]
    users = [(f"user {r[0]}", float(r[1])) for r in query(binary, db, (
        f"SELECT user_id, rating_count FROM serving.mart_user_activity WHERE rating_count >= {f.get('min', 0)} "
        f"ORDER BY rating_count DESC, user_id LIMIT {top}"))]
    years = [float(r[0]) for r in query(binary, db, (
        "SELECT movie_count FROM serving.mart_release_trends WHERE TRUE"
        + (f" AND release_year >= {f['from']}" if f.get("from") else "") + (f" AND release_year <= {f['to']}" if f.get("to") else "")
        + " ORDER BY release_year"))]
    return movies, users, years


def same_bars(shown, expected):
    return len(shown) == len(expected) and all(a[0] == b[0] and abs(a[1] - b[1]) < 1e-9 for a, b in zip(shown, expected))


def security(check, binary, db, port):
    anon = Client(port)
    status, _, body = anon.request("GET", "/api/dashboards/top_movies")
    check(status == 401, "no session: /api/dashboards -> 401", body)
    status, headers, _ = anon.request("GET", "/")
    check(status == 303 and headers.get("location") == "/login", "no session: / redirects to /login")
    status, _, _ = anon.request("POST", "/api/query", json.dumps({"sql": "SELECT 1"}), "application/json")
    check(status == 401, "no session: /api/query -> 401")

    def timed_login(user, password):
        start = time.perf_counter()
        status, headers, body = Client(port).login(user, password)
        return time.perf_counter() - start, status, headers, body

    wrong = [timed_login("ana", "not-her-password") for _ in range(3)]
    unknown = [timed_login("nobody", "not-her-password") for _ in range(3)]
    check(all(w[1] == 401 for w in wrong + unknown) and len({w[3] for w in wrong + unknown}) == 1
          and not any("set-cookie" in w[2] for w in wrong + unknown),
          "wrong password and unknown user: the same 401 and message, no cookie", wrong[0][3])
    tw, tu = sorted(w[0] for w in wrong)[1], sorted(u[0] for u in unknown)[1]
    check(tw > 0.05 and 0.5 < tw / tu < 2.0, f"both cost one slow hash (median {tw * 1000:.0f} ms vs {tu * 1000:.0f} ms)")

    ana = Client(port)
    status, headers, body = ana.login("ana", "ana-password-1")
    cookie = headers.get("set-cookie", "")
    check(status == 200 and "HttpOnly" in cookie and "SameSite=Strict" in cookie, "sign-in sets an HttpOnly, SameSite=Strict cookie", cookie)

    for obj in ["raw.raw_ratings", "staging.src_ratings", "snapshots.snap_tags"]:
        status, res = ana.sql(f"SELECT * FROM {obj} LIMIT 5")
        check(status == 403 and obj in res.get("error", ""), f"reporter /api/query on {obj} -> 403 naming it", res)
    status, res = ana.sql("SELECT count(*) FROM raw_ratings")
    check(status == 403 and "raw.raw_ratings" in res.get("error", ""), "unqualified raw name -> 403 naming raw.raw_ratings", res)
    for sql, what in [("SELECT 1; DROP TABLE serving.dim_movies", "stacked statements"),
                      ("DROP TABLE serving.dim_movies", "DROP"),
                      ("CREATE TABLE serving.evil AS SELECT 1 AS a", "CREATE TABLE"),
                      ("INSERT INTO serving.dim_users SELECT 1", "INSERT"),
                      ("SELECT * FROM read_csv('/etc/passwd')", "a file-reading function"),
                      ("COPY serving.dim_users TO 'exported.csv'", "COPY")]:
        status, res = ana.sql(sql)
        check(status in (400, 403) and "error" in res, f"{what} refused ({status})", res)
    status, res = ana.sql("SELECT count(*) AS n FROM serving.dim_movies")
    check(status == 200 and res["rows"][0][0] > 0, "dim_movies intact after the attempts; a reporter SELECT on serving works", res)
    status, _, _ = ana.request("POST", "/api/query", "sql=SELECT+1", "application/x-www-form-urlencoded")
    check(status == 415, "a form post to /api/query (what a cross-site page could send) -> 415")
    status, _, body = ana.request("GET", "/api/dashboards/top_movies?genre=" + urllib.parse.quote("Drama' OR 1=1 --"))
    check(status == 200 and json.loads(body)["rows"] == [], "a quote in the genre filter is data, not SQL")
    status, _, body = ana.request("GET", "/api/tables")
    names = {f"{t['schema']}.{t['name']}" for t in json.loads(body)}
    check(status == 200 and names and all(n.startswith("serving.") for n in names), f"/api/tables lists serving objects only ({len(names)})")

    # A bounded burst: 200 concurrent dashboard requests, each on its own connection.
    urls = [f"/api/dashboards/{IDS[i % 5]}?min={i % 3 * 10}&top={5 + i % 4}" for i in range(200)]
    reference = {u: json.loads(ana.request("GET", u)[2]) for u in set(urls)}
    for r in reference.values():
        r.pop("elapsed_ms", None)
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
        results = list(pool.map(lambda u: (u, ana.request("GET", u, timeout=120)), urls))
    elapsed = time.perf_counter() - start
    bad = [(u, s) for u, (s, _, _) in results if s != 200]
    differ = [u for u, (s, _, b) in results if s == 200 and {k: v for k, v in json.loads(b).items() if k != "elapsed_ms"} != reference[u]]
    check(not bad and not differ, f"200 concurrent dashboard requests: all 200 OK and equal to a single request ({elapsed:.2f} s)",
          f"errors {bad[:5]} differ {differ[:5]}")
    return ana.cookie


def hostile_statements(check, binary, db, port):
    """The statements that crashed, hung or lied (the defects issue, items 1-3, 8, 11-14) sent
    by a signed-in reporter: each gets an answer or an error response, never a dead server,
    and another user's dashboard request is answered after each one."""
    add_user(binary, db, "bob", "reporter", "bob-password-1")
    bob, mal = Client(port), Client(port)
    bob.login("bob", "bob-password-1")
    mal.login("ana", "ana-password-1")
    errors = [
        "SELECT movieId FROM raw.raw_ratings GROUP BY movieId ORDER BY COUNT(*) DESC, movieId LIMIT 3",
        "SELECT TO_TIMESTAMP(1e15)",
        "SELECT YEAR(TO_TIMESTAMP(1e15))",
        "SELECT DATE_TRUNC('year', TO_TIMESTAMP(1e18))",
        "SELECT TO_TIMESTAMP(-9223372036854775808)",
        "SELECT TO_TIMESTAMP(10000000000000)",
        "SELECT " + "(" * 5000 + "1" + ")" * 5000,
        "SELECT " + "+".join(["1"] * 6300),
        "SELECT " + "".join(f"CASE WHEN rating > {i} THEN " for i in range(1800)) + "1" + " END" * 1800 + " FROM serving.fct_ratings",
        "SELECT " + "(SELECT " * 2000 + "1" + ")" * 2000,
        "SELECT COUNT(*) FROM serving.fct_ratings a, serving.fct_ratings b",
        "CREATE TABLE main.neg AS SELECT -movieId AS x FROM raw.raw_movies",
        "SELECT DISTINCT -movieId FROM raw.raw_movies",
        "SELECT count(*) FROM (SELECT DISTINCT (CAST(NULL AS VARCHAR) || title) AS c0, 1 AS c1 FROM raw.raw_movies) q",
        "SELECT -CAST(-2147483648 AS INT)",
        "SELECT -CAST('-9223372036854775808' AS BIGINT)",
        "SELECT ABS(CAST('-9223372036854775808' AS BIGINT))",
    ]
    answers = [
        ("SELECT movie_id FROM serving.fct_ratings GROUP BY movie_id ORDER BY COUNT(*) DESC, movie_id LIMIT 3", None),
        ("SELECT count(*) FROM serving.fct_ratings WHERE " + " AND ".join(f"rating > {-i}" for i in range(1800)), None),
        ("SELECT DISTINCT -movie_id AS m FROM serving.dim_movies ORDER BY m LIMIT 3", None),
        ("SELECT count(*) FROM (SELECT DISTINCT (CAST(NULL AS VARCHAR) || movie_title) AS c0, 1 AS c1 FROM serving.dim_movies) q", [["1"]]),
        ("SELECT 5.0 AS x UNION SELECT -1.0 AS x ORDER BY x", [["-1.0"], ["5.0"]]),
    ]
    dashboards_ok = True
    for sql in errors:
        start = time.perf_counter()
        status, body = mal.sql(sql)
        took = time.perf_counter() - start
        check(400 <= status < 600 and "error" in body, f"reporter: {sql[:70]}{'...' if len(sql) > 70 else ''} -> error {status} in {took:.1f} s",
              f"{status} {str(body)[:300]}")
        dashboards_ok &= bob.request("GET", "/api/dashboards/top_movies")[0] == 200
    for sql, expected in answers:
        status, body = mal.sql(sql)
        got = [[str(v) if v is not None else "" for v in row] for row in body.get("rows", [])] if status == 200 else None
        want = expected if expected is not None else query(binary, db, sql)
        check(status == 200 and got == want, f"reporter: {sql[:70]}{'...' if len(sql) > 70 else ''} -> the right answer",
              f"{status} {got} vs {want}")
        dashboards_ok &= bob.request("GET", "/api/dashboards/top_movies")[0] == 200
    check(dashboards_ok, "another user's dashboard request is answered after each statement")


def login_from(port, address, user, password):
    """A sign-in from loopback address `address` (127.0.0.2, ...: other clients to the server)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=(address, 0))
    start = time.perf_counter()
    conn.request("POST", "/api/login", body=json.dumps({"user": user, "password": password}).encode(),
                 headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status, r.getheader("Retry-After"), time.perf_counter() - start


def hardening(check, binary, db):
    import resource
    import socket
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    proc, port = start_server(binary, db, "--request-timeout", "2", "--max-connections", "500")
    try:
        # Guessing from one address: the first 10 failures are answered (each costs the slow
        # hash), then the waits double from 1 s; an early attempt is refused at once with 429.
        start = time.perf_counter()
        free = [login_from(port, "127.0.0.2", f"user{i}", "guess") for i in range(10)]
        before = len(free) / (time.perf_counter() - start)
        statuses, answered, start = [], 0, time.perf_counter()
        while time.perf_counter() - start < 8:
            status, retry, took = login_from(port, "127.0.0.2", f"user{len(statuses) + 10}", "guess")
            statuses.append((status, retry, took))
            answered += status == 401
            time.sleep(0.05)
        after = answered / 8
        throttled = [x for x in statuses if x[0] == 429]
        check(all(f[0] == 401 for f in free) and throttled and all(r is not None and t < 0.1 for _, r, t in throttled) and answered <= 4,
              f"sign-in throttling: {before:.1f} guesses/s answered before, {after:.2f}/s after 10 failures "
              f"({len(throttled)} early attempts refused with 429 and Retry-After in under 0.1 s)", statuses[:6])
        # Guesses at one user from many addresses are slowed by the user's record.
        spread = [login_from(port, f"127.0.1.{i}", "ana", "guess-y") for i in range(1, 9)]
        check([s[0] for s in spread[:5]] == [401] * 5 and all(s[0] == 429 for s in spread[6:]),
              "guesses at one user from 8 addresses: 5 answered, then throttled per user", [s[0] for s in spread])
        # Another user from another address is not held up.
        status, _, _ = login_from(port, "127.0.2.1", "nobody", "guess-z")
        check(status == 401, "another user from another address is answered (401), not throttled", status)

        # An oversized body: 413, the connection closed.
        status, _, _ = Client(port).request("POST", "/api/query", "x" * (2 << 20), "application/json")
        check(status == 413, "a 2 MiB body -> 413", status)

        # Slow headers: one header byte a second; the server closes the connection at its
        # 2-second request timeout.
        slow = socket.create_connection(("127.0.0.1", port))
        slow.sendall(b"GET /login HTTP/1.1\r\nHost: x\r\n")
        start, closed = time.perf_counter(), False
        slow.settimeout(0.5)
        while time.perf_counter() - start < 8:
            try:
                slow.sendall(b"X")
                if slow.recv(1024) == b"":
                    closed = True
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
        took = time.perf_counter() - start
        slow.close()
        check(closed and took < 4, f"slow headers: the connection is closed after {took:.1f} s (request timeout 2 s)")

        # 1,000 idle connections (past the server's limit of 500: the longest-idle give way),
        # then a new client is served at once.
        idle = []
        for _ in range(1000):
            idle.append(socket.create_connection(("127.0.0.1", port)))
        start = time.perf_counter()
        status, _, _ = Client(port).request("GET", "/login", timeout=10)
        took = time.perf_counter() - start
        for c in idle:
            c.close()
        check(status == 200 and took < 1, f"1,000 idle connections open: a new client is served in {took * 1000:.0f} ms", status)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    # TLS with a self-signed certificate: a round trip over HTTPS, and the cookie is Secure.
    import ssl
    tls_dir = os.path.join(os.path.dirname(db), "tls")
    os.makedirs(tls_dir, exist_ok=True)
    cert, key = os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                           "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], capture_output=True, text=True)
    check(made.returncode == 0, "a self-signed certificate for 127.0.0.1 (openssl req)", made.stderr)
    bad = subprocess.run([binary, "serve", "--db", db, "--port", "0", "--tls-cert", key, "--tls-key", key], capture_output=True, text=True, timeout=30)
    check(bad.returncode != 0 and "certificate" in bad.stdout + bad.stderr, "serve refuses a key given as the certificate, naming it",
          bad.stdout + bad.stderr)
    proc, port = start_server(binary, db, "--tls-cert", cert, "--tls-key", key)
    try:
        context = ssl.create_default_context(cafile=cert)
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        conn.request("POST", "/api/login", body=json.dumps({"user": "ana", "password": "ana-password-1"}).encode(),
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie") or ""
        session = re.match(r"moviecol_session=([0-9a-f]{64})", cookie)
        conn.request("GET", "/api/me", headers={"Cookie": f"moviecol_session={session.group(1) if session else ''}"})
        me = conn.getresponse()
        body = me.read().decode()
        conn.close()
        check(r.status == 200 and "; Secure" in cookie and me.status == 200 and '"ana"' in body,
              f"TLS round trip with a self-signed certificate ({conn.sock is None and 'closed' or 'open'}): sign-in sets a Secure cookie, /api/me answers",
              f"{r.status} {cookie} {me.status} {body}")
        try:
            Client(port).request("GET", "/login", timeout=5)
            plain = "answered"
        except Exception:  # noqa: BLE001 - the TLS server drops a plain-HTTP client
            plain = "refused"
        check(plain == "refused", "plain HTTP to the TLS port gets no page", plain)
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    # Every connection busy: the next one is refused with 503 (one worker, two connections,
    # both running a self-join of a second or more).
    proc, port = start_server(binary, db, "--max-connections", "2", "--workers", "1")
    try:
        ana = Client(port)
        ana.login("ana", "ana-password-1")
        slow_sql = "SELECT count(*) FROM serving.fct_ratings a JOIN serving.fct_ratings b ON a.user_id = b.user_id"
        refused = None
        for _ in range(3):
            threads = [threading.Thread(target=lambda: ana.sql(slow_sql)) for _ in range(2)]
            for t in threads:
                t.start()
            time.sleep(0.3)
            status, headers, body = Client(port).request("GET", "/login", timeout=10)
            for t in threads:
                t.join()
            if status == 503:
                refused = (status, body)
                break
        check(refused is not None and "connection limit" in refused[1], "every connection busy: the next is refused with 503 naming the limit",
              refused)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def browser_checks(check, binary, db, port, artifacts, report):
    base = f"http://127.0.0.1:{port}"
    b = Browser()
    try:
        b.navigate(base + "/")
        b.wait_for("location.pathname === '/login' && document.getElementById('user')")
        check(True, "the browser without a session lands on the sign-in form")

        def sign_in(user, password):
            b.evaluate(f"document.getElementById('user').value = {json.dumps(user)};"
                       f"document.getElementById('password').value = {json.dumps(password)};"
                       "document.getElementById('sign-in').click(); true")

        sign_in("ana", "wrong-password")
        b.wait_for("document.getElementById('login-error')")
        msg = b.evaluate("document.getElementById('login-error').textContent")
        check(msg == "Invalid user name or password.", "a wrong password in the form: one message that does not say which part was wrong", msg)
        b.screenshot(os.path.join(artifacts, "serve-login-refused.png"))

        sign_in("ana", "ana-password-1")
        b.wait_for("location.pathname === '/' && document.body.dataset.state === 'ready'", timeout=60)
        check(True, "signed in through the form; the dashboards loaded")
        check(b.evaluate("document.cookie.includes('moviecol_session')") is False, "the session cookie is invisible to scripts (HttpOnly)")

        shown = b.evaluate(bars_js())
        movies, users, years = expected_bars(binary, db, {})
        check(same_bars([(l, v) for c, l, v in shown if c == "top_movies"], movies) and movies,
              f"unfiltered: {len(movies)} top-movie bars equal moviecol query")
        check(same_bars([(l, v) for c, l, v in shown if c == "user_activity"], users), "unfiltered: most active users equal moviecol query")
        check([v for c, l, v in shown if c == "release_trends"] == years, f"unfiltered: {len(years)} release-year bars equal moviecol query")
        genres = sorted((l, v) for c, l, v in shown if c == "genre_ratings")
        expected_genres = sorted((r[0], float(r[1]) if r[1] else 0.0) for r in query(binary, db, "SELECT genre, avg_rating FROM serving.mart_genre_ratings"))
        check(genres == expected_genres, f"genre ratings: {len(genres)} bars equal moviecol query")
        tags = b.evaluate("[...document.querySelectorAll('#card-tag_relevance .taglist li b')].map(e => e.textContent)")
        expected_tags = [r[0] for r in query(binary, db, "SELECT tag_name FROM serving.mart_tag_relevance ORDER BY avg_relevance DESC, tag_id LIMIT 10")]
        check(tags == expected_tags, f"top tags: {len(tags)} names equal moviecol query")
        facts = b.evaluate("document.getElementById('facts').textContent")
        check("fct_ratings rows" in facts, "the header shows the data set facts", facts)

        for f in [{"genre": "Drama", "from": "1990", "to": "2005", "min": 30, "top": 7}, {"genre": "Comedy", "min": 0, "top": 3}]:
            before = b.evaluate("Number(document.body.dataset.generation)")
            fields = {"f-genre": f.get("genre", ""), "f-from": f.get("from", ""), "f-to": f.get("to", ""), "f-min": f.get("min", 0), "f-top": f.get("top", 10)}
            b.evaluate("(() => {" + "".join(
                f"{{ const e = document.getElementById({json.dumps(k)}); e.value = {json.dumps(str(v))}; e.dispatchEvent(new Event('input')); }}"
                for k, v in fields.items()) + "})()")
            b.wait_for(f"document.body.dataset.state === 'ready' && Number(document.body.dataset.generation) > {before}", timeout=60)
            shown = b.evaluate(bars_js())
            movies, users, years = expected_bars(binary, db, f)
            label = ", ".join(f"{k}={v}" for k, v in f.items())
            check(same_bars([(l, v) for c, l, v in shown if c == "top_movies"], movies) and movies,
                  f"filter {label}: {len(movies)} top-movie bars equal moviecol query",
                  f"{[(l, v) for c, l, v in shown if c == 'top_movies'][:3]} vs {movies[:3]}")
            check(same_bars([(l, v) for c, l, v in shown if c == "user_activity"], users), f"filter {label}: most active users equal moviecol query")
            check([v for c, l, v in shown if c == "release_trends"] == years, f"filter {label}: release-year bars equal moviecol query")
            check(f["genre"] in b.evaluate("location.hash"), "the filters are kept in the URL fragment")

        b.screenshot(os.path.join(artifacts, "serve-dashboards.png"))
        for i in IDS:
            b.screenshot(os.path.join(artifacts, f"serve-card-{i}.png"), selector=f"#card-{i}")
        check(all(os.path.getsize(os.path.join(artifacts, f"serve-card-{i}.png")) > 2000 for i in IDS),
              f"a screenshot of each dashboard in {artifacts}/serve-card-*.png")

        # Phone width: one column, nothing wider than the screen.
        b.viewport(390, 844, mobile=True, scale=2)
        b.navigate(base + "/")
        b.wait_for("document.body.dataset.state === 'ready'")
        layout = b.evaluate("({doc: document.documentElement.scrollWidth, win: innerWidth,"
                            " cards: [...document.querySelectorAll('section.card')].map(c => Math.round(c.getBoundingClientRect().width))})")
        check(layout["doc"] <= layout["win"] and all(w <= layout["win"] for w in layout["cards"]),
              f"phone width {layout['win']} px: no horizontal overflow, cards {sorted(set(layout['cards']))} px wide", layout)
        b.screenshot(os.path.join(artifacts, "serve-phone.png"))
        b.viewport(1400, 1000)

        # The tables page and its SQL box.
        b.navigate(base + "/tables")
        b.wait_for("document.querySelectorAll('#table-list details').length > 0")
        listed = b.evaluate("[...document.querySelectorAll('#table-list summary b')].map(e => e.textContent)")
        check(listed and all(n.startswith("serving.") for n in listed), f"tables page lists {len(listed)} serving objects only")
        sql = "SELECT genre, rating_count FROM serving.mart_genre_ratings ORDER BY rating_count DESC, genre LIMIT 5"
        b.evaluate(f"document.getElementById('sql').value = {json.dumps(sql)}; document.getElementById('run').click(); true")
        b.wait_for("document.body.dataset.state === 'ready' && document.getElementById('result-table')")
        cells = b.evaluate("[...document.querySelectorAll('#result-table tbody tr')].map(r => [...r.children].map(td => td.textContent))")
        expected = query(binary, db, sql)
        check(cells == expected, f"SQL box: {len(cells)} rows equal moviecol query", f"{cells} vs {expected}")
        b.screenshot(os.path.join(artifacts, "serve-tables.png"))
        b.evaluate("document.getElementById('sql').value = 'SELECT * FROM staging.src_ratings'; document.getElementById('run').click(); true")
        b.wait_for("document.body.dataset.state === 'error'")
        err = b.evaluate("document.getElementById('query-error').textContent + ' ' + document.getElementById('status').textContent")
        check("staging.src_ratings" in err and "403" in err, "SQL box: a staging query is refused on the page, naming the object", err)

        # Sign out: the cookie is gone and the app asks for a sign-in again.
        b.evaluate("document.querySelector('form.who button').click(); true")
        b.wait_for("location.pathname === '/login'")
        b.navigate(base + "/")
        b.wait_for("location.pathname === '/login'")
        check(True, "signed out: the app asks for a sign-in again")

        # Each card of the offline report, and the report at phone width.
        b.navigate("file://" + os.path.abspath(report))
        b.wait_for("document.querySelectorAll('section.card').length === 5")
        for i in IDS:
            b.screenshot(os.path.join(artifacts, f"report-card-{i}.png"), selector=f"#card-{i}")
        b.viewport(390, 844, mobile=True, scale=2)
        b.navigate("file://" + os.path.abspath(report) + "#top=5")
        b.wait_for("document.querySelectorAll('section.card').length === 5")
        layout = b.evaluate("({doc: document.documentElement.scrollWidth, win: innerWidth})")
        check(layout["doc"] <= layout["win"], f"report at phone width {layout['win']} px: no horizontal overflow", layout)
        b.screenshot(os.path.join(artifacts, "report-phone.png"))
    finally:
        b.close()


def main():
    binary, work, artifacts, ratings = arguments()
    check = Checks()
    db = build_warehouse(binary, work, ratings)
    report = os.path.join(work, "serve-report.html")
    subprocess.run([binary, "dashboard", "--db", db, "--out", report], check=True, stdout=subprocess.DEVNULL)

    users_file = os.path.join(db, "users.json")
    if os.path.exists(users_file):
        os.remove(users_file)
    short = add_user(binary, db, "ana", "reporter", "short")
    check(short.returncode != 0 and "at least 8" in short.stderr, "user add refuses a short password", short.stderr)
    check(add_user(binary, db, "ana", "reporter", "ana-password-1").returncode == 0, "moviecol user add ana --role reporter")
    check(add_user(binary, db, "leo", "loader", "leo-password-1").returncode != 0, "a loader cannot be a web user")
    stored = open(users_file).read()
    mode = stat.S_IMODE(os.stat(users_file).st_mode)
    check("ana-password-1" not in stored and re.search(r'"pbkdf2-sha256\$600000\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}"', stored)
          and mode == 0o600, f"users.json holds a salted PBKDF2-SHA-256 hash (600000 iterations), mode {oct(mode)}", stored)

    hardening(check, binary, db)
    proc, port = start_server(binary, db)
    try:
        ana_cookie = security(check, binary, db, port)
        hostile_statements(check, binary, db, port)
        browser_checks(check, binary, db, port, artifacts, report)

        # A filter that matches nothing is an empty chart, not "not available".
        status, _, body = Client(port, ana_cookie).request("GET", "/api/dashboards/top_movies?from=1800&to=1801")
        res = json.loads(body)
        check(status == 200 and res["rows"] == [] and res["mart_empty"] is False, "a filter matching nothing: no rows, the mart is not empty")

        # Graceful shutdown: a sign-in (one slow hash) in flight when SIGTERM arrives completes.
        result = {}
        t = threading.Thread(target=lambda: result.update(r=Client(port).login("ana", "ana-password-1")))
        t.start()
        time.sleep(0.15)
        proc.send_signal(signal.SIGTERM)
        t.join(30)
        code = proc.wait(timeout=30)
        out = proc.stdout.read()
        check(result.get("r", (None,))[0] == 200 and code == 0 and "stopped after" in out,
              f"SIGTERM with a request in flight: it completes (status {result.get('r', (None,))[0]}), exit {code}", out)
        try:
            Client(port).request("GET", "/login", timeout=2)
            check(False, "the port is closed after shutdown")
        except OSError:
            check(True, "the port is closed after shutdown")
    finally:
        if proc.poll() is None:
            proc.kill()

    # A data set without a tag genome: the app says the tag dashboard is not available, and why.
    bare = no_genome_warehouse(binary, work)
    add_user(binary, bare, "ana", "reporter", "ana-password-1")
    proc, port = start_server(binary, bare)
    try:
        b = Browser()
        try:
            b.navigate(f"http://127.0.0.1:{port}/login")
            b.evaluate("document.getElementById('user').value = 'ana'; document.getElementById('password').value = 'ana-password-1';"
                       "document.getElementById('sign-in').click(); true")
            b.wait_for("location.pathname === '/' && document.body.dataset.state === 'ready'", timeout=60)
            note = b.evaluate("(document.querySelector('#card-tag_relevance .na') || {}).textContent || ''")
            check("not available for this data set" in note.lower() and "genome" in note,
                  "without genome files the app says the tag dashboard is not available, with the reason", note)
            b.screenshot(os.path.join(artifacts, "serve-no-genome.png"))
        finally:
            b.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    print(f"serve: {check.passed} passed, {check.failed} failed (screenshots in {artifacts})")
    sys.exit(1 if check.failed else 0)


if __name__ == "__main__":
    main()
