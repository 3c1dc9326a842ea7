#!/usr/bin/env python3
"""Corruption is always detected: flip one bit at a random place of a built warehouse (CURRENT,
a retained manifest or a data file), then run `moviecol check` and a set of queries, and put
the byte back. Each flip must be detected (check exits 1 naming the damaged file, and every
query either answers as before or fails with an error) or provably unread (check, which reads
every block a retained version references, finds nothing, and every query answers as before).
Never a crash, a hang or a different answer.

Usage: bitflip_test.py --binary PATH [--flips 100] [--ratings 50000] [--seed 1] [--work DIR]
Prints a summary and `N passed, N failed`; exits 1 on any failure.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

QUERIES = [
    "SELECT count(*), sum(rating) FROM serving.fct_ratings",
    "SELECT count(*), min(movie_title), max(genres) FROM serving.dim_movies",
    "SELECT genre, movie_count, rating_count, avg_rating FROM serving.mart_genre_ratings ORDER BY genre",
    "SELECT count(*), sum(avg_rating) FROM serving.mart_top_movies",
    "SELECT count(*), sum(relevance) FROM raw.raw_genome_scores",
    "SELECT count(*) FROM snapshots.snap_tags",
    "SELECT count(*), sum(rating) FROM raw.raw_ratings AT(VERSION => 1)",
]


def run(args, timeout=60):
    try:
        p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return "timeout", ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--flips", type=int, default=100)
    ap.add_argument("--ratings", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--work", default=".build/bitflip")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    data, db = os.path.join(a.work, "csv"), os.path.join(a.work, "db")
    for cmd in (["generate", "--out", data, "--ratings", str(a.ratings), "--seed", "3"],
                ["ingest", data, "--db", db, "--progress", "off"], ["build", "--db", db]):
        rc, out = run([binary, *cmd], timeout=600)
        if rc != 0:
            sys.exit(f"setup failed: {' '.join(cmd)}\n{out[-2000:]}")
    rc, out = run([binary, "check", "--db", db])
    if rc != 0:
        sys.exit(f"the undamaged warehouse fails its check:\n{out}")

    def answers():
        return [run([binary, "query", "--db", db, "--format", "csv", "-c", q]) for q in QUERIES]

    reference = answers()
    for (rc, out), q in zip(reference, QUERIES):
        if rc != 0:
            sys.exit(f"reference query failed: {q}\n{out}")

    def candidates():
        manifests = sorted(f for f in os.listdir(db) if f.startswith("manifest-"))
        blocks = sorted("data/" + f for f in os.listdir(os.path.join(db, "data")))
        return manifests, blocks

    rng = random.Random(a.seed)
    passed = failed = 0
    detected = unread = 0
    kinds = {"CURRENT": 0, "manifest": 0, "data": 0}

    def fail(label, detail):
        nonlocal failed
        failed += 1
        print(f"FAIL {label}\n  {detail[:1500]}")

    for i in range(a.flips):
        manifests, blocks = candidates()
        roll = rng.random()
        if roll < 0.1:
            name, kind = "CURRENT", "CURRENT"
        elif roll < 0.3:
            name, kind = rng.choice(manifests), "manifest"
        else:
            name, kind = rng.choice(blocks), "data"
        path = os.path.join(db, name)
        size = os.path.getsize(path)
        if size == 0:
            continue
        offset, bit = rng.randrange(size), rng.randrange(8)
        with open(path, "r+b") as f:
            f.seek(offset)
            original = f.read(1)
            f.seek(offset)
            f.write(bytes([original[0] ^ (1 << bit)]))
        label = f"flip {i + 1}: bit {bit} of byte {offset} of {name}"
        try:
            rc, out = run([binary, "check", "--db", db])
            got = answers()
            if rc not in (0, 1):
                fail(label, f"check crashed or hung ({rc}): {out}")
                continue
            bad = [(q, r, o) for q, (r, o), (_, want) in zip(QUERIES, got, reference)
                   if r not in (0, 1) or (r == 0 and o != want)]
            if bad:
                q, r, o = bad[0]
                fail(label, f"query {q}: status {r}, output {o!r} (before: {reference[QUERIES.index(q)][1]!r})")
                continue
            if rc == 1:
                if name not in out:
                    fail(label, f"check failed without naming {name}: {out}")
                    continue
                detected += 1
            else:
                unread += 1
                if any(r != 0 for r, _ in got):
                    fail(label, f"check found nothing but a query failed: {[o for r, o in got if r != 0][0]}")
                    continue
            kinds[kind] += 1
            passed += 1
        finally:
            with open(path, "r+b") as f:
                f.seek(offset)
                f.write(original)

    rc, out = run([binary, "check", "--db", db])
    if rc != 0:
        fail("the restored warehouse checks OK", out)
    else:
        passed += 1
    print(f"{a.flips} flips (CURRENT {kinds['CURRENT']}, manifests {kinds['manifest']}, data files {kinds['data']}): "
          f"{detected} detected, {unread} provably unread, {failed} failures (crashes, hangs, wrong answers)")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
