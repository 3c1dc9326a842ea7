#!/usr/bin/env python3
"""Determinism: the same query on the same data prints the same bytes at any --threads and on
every run. Runs aggregate, window, subtotal and subquery queries (ordered and unordered, with
floating-point sums, variances, percentiles and sketches) at --threads 1, 2 and 7, two to eight runs each,
over generated data of several row groups, and compares the outputs byte for byte.

Usage: python3 Tests/Determinism/determinism_test.py --binary .build/release/moviecol
"""
import argparse
import hashlib
import os
import subprocess
import sys

QUERIES = [
    # Unordered groupings: rows in the order one thread gives.
    "SELECT movieId, count(*), avg(rating), sum(rating * 1.1) FROM raw_ratings GROUP BY movieId",
    "SELECT userId, min(timestamp), max(timestamp), avg(rating) FROM raw_ratings GROUP BY userId",
    "SELECT DISTINCT rating FROM raw_ratings",
    "SELECT tagId, avg(relevance), sum(relevance), stddev(relevance), var_pop(relevance) FROM raw_genome_scores GROUP BY tagId",
    "SELECT avg(relevance), sum(relevance), stddev_samp(relevance), corr(relevance, tagId) FROM raw_genome_scores",
    "SELECT movieId, median(rating), percentile_cont(0.9) WITHIN GROUP (ORDER BY rating), percentile_disc(0.25) WITHIN GROUP (ORDER BY rating) FROM raw_ratings GROUP BY movieId",
    "SELECT movieId, mode(rating), approx_count_distinct(userId), count(DISTINCT userId) FROM raw_ratings GROUP BY movieId",
    "SELECT userId, listagg(movieId, ',') WITHIN GROUP (ORDER BY movieId) FROM raw_ratings WHERE userId <= 300 GROUP BY userId",
    "SELECT userId, max_by(movieId, rating), min_by(movieId, timestamp), any_value(userId % 7) FROM raw_ratings GROUP BY userId",
    "SELECT userId % 10 AS b, rating >= 4 AS good, count(*), avg(rating), median(timestamp) FROM raw_ratings GROUP BY ROLLUP(b, good)",
    "SELECT userId % 10 AS b, count(*), sum(rating) FROM raw_ratings GROUP BY CUBE(b)",
    # Windows: doubles summed over frames, rankings with ties broken by input order.
    "SELECT userId, movieId, sum(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), "
    "avg(rating) OVER (PARTITION BY movieId) FROM raw_ratings WHERE userId <= 500",
    "SELECT userId, movieId, rank() OVER (PARTITION BY userId ORDER BY rating DESC), row_number() OVER (PARTITION BY userId ORDER BY rating DESC) FROM raw_ratings WHERE userId <= 500",
    "SELECT userId, movieId, timestamp - lag(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) FROM raw_ratings WHERE userId <= 500",
    "SELECT userId, movieId FROM raw_ratings QUALIFY row_number() OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId) <= 2",
    # Sliding frames of the other aggregates: double-double sums that slide, and frames read per row.
    "SELECT movieId, avg(sd), sum(c) FROM (SELECT movieId, stddev_samp(rating) OVER w AS sd, corr(rating, timestamp) OVER w AS c "
    "FROM raw_ratings WINDOW w AS (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 29 PRECEDING AND CURRENT ROW)) GROUP BY movieId",
    "SELECT userId, movieId, median(rating) OVER w, count(DISTINCT movieId % 7) OVER w FROM raw_ratings "
    "WHERE userId <= 400 WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)",
    "SELECT movieId, avg(ma) FROM (SELECT movieId, avg(rating) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS ma FROM raw_ratings) GROUP BY movieId",
    # Joins and subqueries.
    "SELECT m.title, count(*), avg(r.rating) FROM raw_ratings r JOIN raw_movies m ON m.movieId = r.movieId GROUP BY m.title",
    "SELECT r.userId, r.movieId, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) FROM raw_ratings r WHERE r.userId <= 100",
    "SELECT m.movieId, (SELECT avg(r.rating) FROM raw_ratings r WHERE r.movieId = m.movieId) FROM raw_movies m",
    # Groupings over groupings and joins over groupings: the upper operator's order is the
    # order its input arrives in, so the lower grouping must keep one order too.
    "SELECT n % 10, count(*), sum(s) FROM (SELECT userId, count(*) AS n, sum(rating) AS s FROM raw_ratings GROUP BY userId) GROUP BY n % 10",
    "SELECT u.userId, u.n, m.title FROM (SELECT userId, count(*) AS n, max(movieId) AS mx FROM raw_ratings GROUP BY userId) u JOIN raw_movies m ON m.movieId = u.mx",
    "SELECT m.movieId, s.n FROM raw_movies m JOIN (SELECT movieId, count(*) AS n FROM raw_ratings GROUP BY movieId) s ON s.movieId = m.movieId",
    "WITH s AS (SELECT userId, avg(rating) AS a FROM raw_ratings GROUP BY userId) SELECT round(a, 1), count(*) FROM s GROUP BY 1 UNION ALL SELECT userId, a FROM s WHERE userId < 50",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--ratings", type=int, default=1_000_000)
    ap.add_argument("--work", default=".build/determinism")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    data = os.path.join(args.work, f"data-{args.ratings}")
    db = os.path.join(args.work, f"db-{args.ratings}")
    os.makedirs(args.work, exist_ok=True)
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(args.ratings), "--seed", "3"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(db, "CURRENT")):
        subprocess.run([binary, "ingest", data, "--db", db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
    failed = 0
    for sql in QUERIES:
        digests = {}
        # Nondeterminism from thread timing shows up in a fraction of runs: more runs with more
        # threads than cores.
        for threads, runs in ((1, 2), (2, 3), (7, 8)):
            for run in range(1, runs + 1):
                proc = subprocess.run([binary, "query", "--db", db, "--threads", str(threads), "--format", "csv", "-c", sql],
                                      capture_output=True)
                if proc.returncode != 0:
                    sys.exit(f"FAIL (error at --threads {threads}): {sql}\n{proc.stderr.decode()}")
                digests[(threads, run)] = hashlib.sha256(proc.stdout).hexdigest()
        if len(set(digests.values())) != 1:
            failed += 1
            print(f"FAIL outputs differ: {sql}\n  " + ", ".join(f"threads {t} run {r}: {d[:12]}" for (t, r), d in digests.items()))
    print(f"determinism: {len(QUERIES) - failed} of {len(QUERIES)} queries byte-identical at --threads 1 (two runs), 2 (three) and 7 (eight)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
