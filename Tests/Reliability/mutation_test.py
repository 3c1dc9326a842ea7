#!/usr/bin/env python3
"""No single statement takes moviecol down: statements of the analyst corpus, mutated at random
(tokens dropped, repeated, swapped or replaced; huge numbers and strings; 10,000-deep nesting;
out-of-range conversions; cross joins of the largest tables; NUL bytes and invalid UTF-8), are
run one process each through `moviecol query -f --time-limit 2 --memory-limit 2GB` (status 0
or 1 within 30 s, never a signal or a hang) and
sent by a signed-in user to `moviecol serve` (an answer or an error response, never a dead or
stuck server; another user's dashboard request is answered after every 100). The statements
read the raw tables, so they run with the transform role (a reporter would be refused before
the engine reads anything); the web app refuses anything but queries whatever the role.

Usage: mutation_test.py --binary PATH [--statements 2000] [--seed 1] [--ratings 20000] [--work DIR]
Prints the counts and `N passed, N failed`; exits 1 on any crash or hang.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "Differential", "analyst.sql")

HUGE = ["1e308", "1e309", "-1e400", "99999999999999999999999999999", "-9223372036854775809", "9223372036854775807",
        "'" + "x" * 100_000 + "'", "'9999-12-31 23:59:59.999999'", "'-infinity'", "0.0000000000000000000000001",
        "CAST(1e300 AS BIGINT)", "CAST('99999999999' AS INT)", "TO_TIMESTAMP(1e18)", "DATEADD(year, 1000000, CURRENT_DATE)",
        "REPEAT('ab', 100000000)", "LPAD('x', 2000000000, 'y')", "-2147483648::INT * -1", "CAST(-1e20 AS INT)"]
WORDS = ["SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "(", ")", ",", "NULL", "*", "OVER ()", "::DATE", "::INT",
         "UNION ALL SELECT 1", "AS x", "JOIN raw_ratings r2 ON true", "QUALIFY", "LIMIT -1", "DISTINCT", "CASE", "END",
         "WITH RECURSIVE", "LATERAL FLATTEN(input => 1)", "/ 0", "% 0", "IN (SELECT", "EXISTS (", "'", '"', "$$", "\\"]


def tokens(sql):
    return re.findall(r"'(?:[^']|'')*'|\"[^\"]*\"|\w+|\S", sql)


def mutate(sql, rng):
    t = tokens(sql)
    kind = rng.randrange(12)
    if kind == 7 and rng.random() < 0.7:
        kind = 3  # cross joins run to their time limit: fewer of them keep the test short
    if kind == 0 and len(t) > 2:  # drop a span
        i = rng.randrange(len(t))
        del t[i:i + rng.randint(1, 4)]
    elif kind == 1 and t:  # repeat a span
        i = rng.randrange(len(t))
        t[i:i] = t[i:i + rng.randint(1, 6)] * rng.randint(1, 3)
    elif kind == 2 and len(t) > 1:  # swap two tokens
        i, j = rng.randrange(len(t)), rng.randrange(len(t))
        t[i], t[j] = t[j], t[i]
    elif kind == 3:  # a keyword or symbol where it does not belong
        t.insert(rng.randrange(len(t) + 1), rng.choice(WORDS))
    elif kind == 4:  # a huge or out-of-range literal in place of a number
        idx = [i for i, x in enumerate(t) if re.fullmatch(r"\d+(\.\d+)?", x)] or [rng.randrange(len(t) + 1)]
        i = rng.choice(idx)
        t[i:i + 1] = [rng.choice(HUGE)]
    elif kind == 5:  # deep nesting
        depth = rng.choice([100, 1000, 10_000, 100_000])
        return "SELECT " + "(" * depth + "1" + ")" * depth
    elif kind == 6:  # deep nesting inside the statement
        idx = [i for i, x in enumerate(t) if re.fullmatch(r"\w+", x)] or [0]
        i = rng.choice(idx)
        depth = rng.choice([50, 500, 5000])
        t[i:i + 1] = ["(" * depth + (t[i] if i < len(t) else "1") + ")" * depth]
    elif kind == 7:  # cross joins of the largest tables
        return rng.choice([
            "SELECT count(*) FROM raw_ratings a, raw_ratings b",
            "SELECT count(*) FROM raw_ratings a, raw_ratings b, raw_ratings c",
            "SELECT a.userId FROM raw_ratings a CROSS JOIN raw_genome_scores b ORDER BY 1",
            "SELECT * FROM raw_ratings a, raw_tags b, raw_movies c LIMIT 5",
        ])
    elif kind == 8:  # conversions out of range
        return rng.choice(["SELECT CAST(rating * 1e300 AS INT) FROM raw_ratings",
                           "SELECT TO_TIMESTAMP(timestamp * 1e12) FROM raw_ratings",
                           "SELECT DATEADD(day, userId * 100000000, CURRENT_DATE) FROM raw_ratings",
                           "SELECT CAST(title AS DOUBLE) FROM raw_movies",
                           "SELECT sum(userId * 9223372036854775807) FROM raw_ratings",
                           "SELECT TO_CHAR(TO_TIMESTAMP(-1e17), 'YYYY')",
                           "SELECT CAST('1e400' AS DOUBLE)::INT"])
    elif kind == 9:  # a NUL byte or invalid UTF-8
        b = sql.encode()
        i = rng.randrange(len(b) + 1)
        return b[:i] + rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"]) + b[i:]
    elif kind == 10:  # truncation
        return sql[:rng.randrange(len(sql) + 1)]
    else:  # two mutations
        once = mutate(sql, rng)
        return mutate(once.decode("utf-8", "replace") if isinstance(once, bytes) else once, rng)
    return " ".join(t)


def corpus():
    text = open(CORPUS, encoding="utf-8").read()
    out = []
    for block in text.split("\n\n"):
        lines = [l for l in block.splitlines() if l.strip() and not l.startswith("--")]
        if lines:
            out.append(" ".join(lines))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--statements", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ratings", type=int, default=20_000)
    ap.add_argument("--work", default=".build/mutation-test")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    data, db = os.path.join(a.work, "csv"), os.path.join(a.work, "db")
    for cmd in (["generate", "--out", data, "--ratings", str(a.ratings), "--seed", "2"],
                ["ingest", data, "--db", db, "--progress", "off"], ["build", "--db", db]):
        p = subprocess.run([binary, *cmd], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"setup failed: {' '.join(cmd)}\n{p.stdout[-1000:]}{p.stderr[-1000:]}")
    rng = random.Random(a.seed)
    seeds = corpus()
    statements = [mutate(rng.choice(seeds), rng) for _ in range(a.statements)]
    failures = []
    outcomes = {"answered": 0, "error": 0}
    script = os.path.join(a.work, "statement.sql")
    start = time.time()
    for i, sql in enumerate(statements):
        with open(script, "wb") as f:
            f.write(sql if isinstance(sql, bytes) else sql.encode())
        try:
            p = subprocess.run([binary, "query", "--db", db, "--role", "transform", "-f", script, "--format", "csv",
                                "--time-limit", "2", "--memory-limit", "2GB"],
                               capture_output=True, timeout=30)
            if p.returncode in (0, 1):
                outcomes["answered" if p.returncode == 0 else "error"] += 1
            else:
                failures.append((i, f"exit {p.returncode}", sql, p.stderr[-500:]))
        except subprocess.TimeoutExpired:
            failures.append((i, "hang (30 s)", sql, b""))
    cli_seconds = time.time() - start

    # The same statements through serve, as a signed-in reporter; a second user's dashboard
    # request after every 100 must be answered.
    for name, password, role in (("mallory", "mallory-password", "transform"), ("viewer", "viewer-password", "reporter")):
        subprocess.run([binary, "user", "add", name, "--role", role, "--db", db, "--replace"], input=password + "\n",
                       text=True, capture_output=True, check=True)
    proc = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--query-time-limit", "5"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    port = int(re.search(r":(\d+)/", proc.stdout.readline()).group(1))

    def request(method, path, body=None, cookie=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = f"moviecol_session={cookie}"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, r.getheader("Set-Cookie") or "", data

    def login(name, password):
        _, cookie, _ = request("POST", "/api/login", json.dumps({"user": name, "password": password}))
        return re.match(r"moviecol_session=([0-9a-f]+)", cookie).group(1)

    serve_outcomes = {"200": 0, "4xx": 0, "5xx": 0}
    dashboards = 0
    try:
        mallory, viewer = login("mallory", "mallory-password"), login("viewer", "viewer-password")
        start = time.time()
        for i, sql in enumerate(statements):
            text = sql.decode("utf-8", "replace") if isinstance(sql, bytes) else sql
            try:
                status, _, _ = request("POST", "/api/query", json.dumps({"sql": text}), mallory, timeout=30)
                serve_outcomes["200" if status == 200 else "4xx" if status < 500 else "5xx"] += 1
            except Exception as e:  # noqa: BLE001
                failures.append((i, f"serve: {type(e).__name__} {e}", sql, b""))
                if proc.poll() is not None:
                    failures.append((i, f"serve died (exit {proc.returncode})", sql, proc.stderr.read()[-500:].encode()))
                    break
            if i % 100 == 99:
                status, _, _ = request("GET", "/api/dashboards/top_movies", cookie=viewer, timeout=30)
                if status != 200:
                    failures.append((i, f"another user's dashboard request got {status}", sql, b""))
                else:
                    dashboards += 1
        serve_seconds = time.time() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    for i, what, sql, err in failures[:20]:
        shown = sql[:300] if isinstance(sql, str) else sql[:300].decode("utf-8", "replace")
        print(f"FAIL statement {i}: {what}\n  {shown!r}\n  {err.decode('utf-8', 'replace') if isinstance(err, bytes) else err}")
    print(f"moviecol query: {len(statements)} mutated statements in {cli_seconds:.0f} s: {outcomes['answered']} answered, "
          f"{outcomes['error']} errors; serve: {serve_outcomes['200']} answered, {serve_outcomes['4xx']} refused (4xx), "
          f"{serve_outcomes['5xx']} stopped or failed (5xx) in {serve_seconds:.0f} s, another user's dashboard answered "
          f"{dashboards} times; {len(failures)} crashes or hangs")
    passed = 1 if not failures else 0
    print(f"{passed} passed, {1 - passed} failed")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
