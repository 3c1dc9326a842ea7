#!/usr/bin/env python3
"""Readers under a live writer: one writer loops `ingest --append` + `build` while 8 reader
processes loop scans and joins over the largest tables, and a signed-in client of `moviecol
serve` loops dashboard requests. Every reader query must succeed, and every count a reader
sees must be one the writer committed (no partial or mixed version). Retention is set to
nothing (the newest version only), so the readers' pins alone keep their versions' files;
afterwards no pin is left and a vacuum leaves one version. Before that, 10
concurrent `moviecol user add` processes must leave 10 users.

Usage: readers_writer_test.py --binary PATH [--seconds 60] [--ratings 100000] [--work DIR]
Prints one line per failure and a closing `N passed, N failed` line; exits 1 on any failure.
"""
import argparse
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request

READER_QUERIES = [
    "SELECT count(*) FROM raw.raw_ratings",
    "SELECT count(*), sum(rating) FROM serving.fct_ratings",
    "SELECT m.genres, count(*), avg(r.rating) FROM serving.fct_ratings r JOIN serving.dim_movies m "
    "ON r.movie_id = m.movie_id GROUP BY m.genres ORDER BY 2 DESC LIMIT 5",
    "SELECT user_id, count(*) FROM serving.fct_ratings GROUP BY user_id ORDER BY 2 DESC, 1 LIMIT 3",
    "SELECT count(*) FROM serving.mart_top_movies",
    "SELECT count(*) FROM snapshots.snap_tags",
]


def run(binary, *args, check=True):
    proc = subprocess.run([binary, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr[-2000:]}")
    return proc


def append_file(folder, round_no, users, movies):
    """A ratings.csv of new ratings of known movies, later than anything before (so the
    incremental model appends them)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "ratings.csv")
    base = 1_700_000_000 + round_no * 10_000
    with open(path, "w") as f:
        f.write("userId,movieId,rating,timestamp\n")
        for i in range(500):
            f.write(f"{1 + (i * 7 + round_no) % users},{movies[(i * 13) % len(movies)]},{(i % 10 + 1) / 2},{base + i}\n")
    return path


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.queries = 0
        self.errors = []
        self.counts = []

    def ok(self):
        with self.lock:
            self.queries += 1

    def error(self, what):
        with self.lock:
            self.queries += 1
            self.errors.append(what)


def reader(binary, db, stop, results, index):
    i = index
    while not stop.is_set():
        sql = READER_QUERIES[i % len(READER_QUERIES)]
        i += 1
        proc = subprocess.run([binary, "query", "--db", db, "--format", "csv", "-c", sql], capture_output=True, text=True)
        if proc.returncode != 0:
            results.error(f"reader {index}: {sql}: exit {proc.returncode}: {proc.stderr.strip()[:300]}")
            continue
        results.ok()
        if sql == READER_QUERIES[0]:
            with results.lock:
                results.counts.append(int(proc.stdout.strip().split("\n")[-1]))


def serve_reader(base, stop, results):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    body = json.dumps({"user": "watcher", "password": "watcher-password"}).encode()
    opener.open(urllib.request.Request(base + "/api/login", data=body, headers={"Content-Type": "application/json"}), timeout=30)
    ids = ["top_movies", "genre_ratings", "user_activity", "release_trends", "tag_relevance"]
    i = 0
    while not stop.is_set():
        url = f"{base}/api/dashboards/{ids[i % len(ids)]}"
        i += 1
        try:
            with opener.open(url, timeout=60) as r:
                json.load(r)
            results.ok()
        except Exception as e:  # noqa: BLE001 - every failure is a finding
            detail = e.read().decode()[:300] if hasattr(e, "read") else ""
            results.error(f"serve: {url}: {e} {detail}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--ratings", type=int, default=100_000)
    ap.add_argument("--readers", type=int, default=8)
    ap.add_argument("--work", default=".build/readers-writer")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    data, db = os.path.join(args.work, "csv"), os.path.join(args.work, "db")
    run(binary, "generate", "--out", data, "--ratings", str(args.ratings), "--seed", "5")
    run(binary, "ingest", data, "--db", db, "--progress", "off")
    run(binary, "build", "--db", db)
    run(binary, "vacuum", "--db", db, "--retention", "0", "--keep-versions", "1", "--save")
    users = int(run(binary, "query", "--db", db, "--format", "csv", "-c", "SELECT max(userId) FROM raw.raw_ratings").stdout.split()[-1])
    movies = [int(x) for x in run(binary, "query", "--db", db, "--format", "csv", "-c",
                                  "SELECT movieId FROM raw.raw_movies ORDER BY movieId LIMIT 50").stdout.split()[1:]]
    adds = [subprocess.Popen([binary, "user", "add", f"user{i}", "--role", "reporter", "--db", db], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(10)]
    add_failures = []
    for i, p in enumerate(adds):
        _, err = p.communicate(f"password-{i}\n")
        if p.returncode != 0:
            add_failures.append(err.strip())
    listed = run(binary, "user", "list", "--db", db).stdout
    added = sorted(n for n in (f"user{i}" for i in range(10)) if n in listed.split())
    subprocess.run([binary, "user", "add", "watcher", "--role", "reporter", "--db", db],
                   input="watcher-password\n", text=True, check=True, capture_output=True)
    committed = {int(run(binary, "query", "--db", db, "--format", "csv", "-c", READER_QUERIES[0]).stdout.split()[-1])}

    server = subprocess.Popen([binary, "serve", "--db", db, "--port", "0", "--workers", "2"], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    base = line.split()[2].rstrip("/")

    results = Results()
    stop = threading.Event()
    threads = [threading.Thread(target=reader, args=(binary, db, stop, results, i)) for i in range(args.readers)]
    threads.append(threading.Thread(target=serve_reader, args=(base, stop, results)))
    for t in threads:
        t.start()
    rounds = 0
    writer_errors = []
    deadline = time.time() + args.seconds
    while time.time() < deadline:
        rounds += 1
        path = append_file(os.path.join(args.work, f"append-{rounds}"), rounds, users, movies)
        proc = run(binary, "ingest", path, "--db", db, "--append", "--progress", "off", check=False)
        if proc.returncode != 0:
            writer_errors.append(proc.stderr[-500:])
            continue
        committed.add(int(run(binary, "query", "--db", db, "--format", "csv", "-c", READER_QUERIES[0]).stdout.split()[-1]))
        proc = run(binary, "build", "--db", db, check=False)
        if proc.returncode != 0:
            writer_errors.append(proc.stdout[-1500:] + proc.stderr[-500:])
    stop.set()
    for t in threads:
        t.join()
    server.terminate()
    server.wait(timeout=30)

    passed = failed = 0

    def check(ok, label, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {label}" + (f"\n  {detail}" if detail else ""))

    print(f"writer: {rounds} rounds of ingest --append + build in {args.seconds:.0f} s; "
          f"readers: {results.queries} queries ({len(results.errors)} errors)")
    check(not add_failures and len(added) == 10, f"10 concurrent `user add` processes keep 10 users ({len(added)})",
          "\n".join(add_failures[:3]) + "\n" + listed)
    check(not writer_errors, "the writer's ingests and builds succeed", "\n".join(writer_errors[:3]))
    check(rounds >= 2, f"the writer committed while the readers ran ({rounds} rounds)")
    check(results.queries > 0 and not results.errors, f"0 reader errors in {results.queries} queries",
          "\n  ".join(results.errors[:10]))
    unknown = sorted(set(results.counts) - committed)
    check(not unknown, f"every count a reader saw is a committed version's ({len(set(results.counts))} distinct)",
          f"not committed: {unknown[:5]}")
    pins = [n for n in os.listdir(os.path.join(db, "pins")) if n.endswith(".pin")]
    check(not pins, f"no reader's pin outlives it ({len(pins)} left)", " ".join(pins[:5]))
    vacuum = run(binary, "vacuum", "--db", db, check=False)
    versions = [m for m in os.listdir(db) if m.startswith("manifest-")]
    check(vacuum.returncode == 0 and len(versions) == 1, f"vacuum leaves the current version only ({len(versions)})",
          vacuum.stdout + vacuum.stderr)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
