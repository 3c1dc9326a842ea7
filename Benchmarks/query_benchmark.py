#!/usr/bin/env python3
"""Query benchmark: moviecol vs DuckDB on the same generated MovieLens data.

DuckDB queries its own native tables (loaded once into a database file, with the raw
tables' types); moviecol queries its warehouse. Each query runs as a whole process on both
sides (`moviecol query -c`, and a Python process opening the DuckDB file), alternating, and
both answers are checked to have the same row count. Prints each median time, the
moviecol/DuckDB ratio and peak RSS.

Usage: python3 Benchmarks/query_benchmark.py --binary .build/release/moviecol [--ratings 25000000] [--only NAME]
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_timing import benchmark_arguments, timed_rss  # noqa: E402

QUERIES = [
    ("ratings per movie (scan + aggregate)",
     "SELECT movieId, count(*), avg(rating) FROM raw_ratings GROUP BY movieId", None),
    ("ratings per user (162K groups)",
     "SELECT userId, count(*), avg(rating), min(timestamp), max(timestamp) FROM raw_ratings GROUP BY userId", None),
    ("join movies + group by genre via flatten",
     "SELECT value AS genre, count(*), avg(r.rating) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) GROUP BY value",
     "SELECT genre, count(*), avg(rating) FROM (SELECT r.rating, unnest(string_split(m.genres, '|')) AS genre FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId) GROUP BY genre"),
    ("top-20 by average with HAVING",
     "SELECT movieId, avg(rating) AS a, count(*) AS n FROM raw_ratings GROUP BY movieId HAVING count(*) >= 100 ORDER BY a DESC, movieId LIMIT 20", None),
    ("COUNT(DISTINCT user) per year",
     "SELECT year(to_timestamp(timestamp)) AS y, count(DISTINCT userId) FROM raw_ratings GROUP BY y", None),
    ("selective timestamp range (segment skipping)",
     "SELECT count(*), avg(rating) FROM raw_ratings WHERE timestamp BETWEEN 1400000000 AND 1400100000", None),
    # Beyond the six: a top-N over raw rows (parallel, no full sort) and a correlated anti join.
    ("newest 5 ratings (top-N over 25M rows)",
     "SELECT userId, movieId, timestamp FROM raw_ratings ORDER BY timestamp DESC, userId, movieId LIMIT 5", None),
    ("movies never rated 5 (correlated NOT EXISTS)",
     "SELECT count(*) FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating = 5)", None),
    # The analyst's SQL (window functions, analytic aggregates, subtotals, general subqueries).
    # Orders are total (ties broken by a key) so that both engines mean the same rows.
    ("latest 3 ratings per user (QUALIFY ROW_NUMBER)",
     "SELECT userId, movieId, rating, timestamp FROM raw_ratings QUALIFY ROW_NUMBER() OVER (PARTITION BY userId ORDER BY timestamp DESC, movieId) <= 3",
     None),
    ("30-rating moving average per movie",
     "SELECT movieId, avg(ma) FROM (SELECT movieId, AVG(rating) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS ma FROM raw_ratings) GROUP BY movieId",
     None),
    ("30-rating moving STDDEV per movie (sliding sums)",
     "SELECT movieId, avg(sd) FROM (SELECT movieId, STDDEV_SAMP(rating) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 29 PRECEDING AND CURRENT ROW) AS sd FROM raw_ratings) GROUP BY movieId",
     None),
    ("5-rating moving MEDIAN per user",
     "SELECT userId, avg(md) FROM (SELECT userId, MEDIAN(rating) OVER (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS md FROM raw_ratings) GROUP BY userId",
     None),
    ("100-rating moving MEDIAN, PERCENTILE_DISC(0.9)",
     "SELECT userId, avg(md), avg(p9) FROM (SELECT userId, MEDIAN(rating) OVER w AS md, PERCENTILE_DISC(0.9) WITHIN GROUP (ORDER BY rating) OVER w AS p9 FROM raw_ratings WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 99 PRECEDING AND CURRENT ROW)) GROUP BY userId",
     "SELECT userId, avg(md), avg(p9) FROM (SELECT userId, MEDIAN(rating) OVER w AS md, quantile_disc(rating, 0.9) OVER w AS p9 FROM raw_ratings WINDOW w AS (PARTITION BY userId ORDER BY timestamp, movieId ROWS BETWEEN 99 PRECEDING AND CURRENT ROW)) GROUP BY userId"),
    ("100-rating rolling COUNT(DISTINCT) per movie",
     "SELECT movieId, max(c) FROM (SELECT movieId, COUNT(DISTINCT userId % 100) OVER (PARTITION BY movieId ORDER BY timestamp, userId ROWS BETWEEN 99 PRECEDING AND CURRENT ROW) AS c FROM raw_ratings) GROUP BY movieId",
     None),
    ("LAG gap between a user's ratings, per user",
     "SELECT userId, avg(gap) FROM (SELECT userId, timestamp - LAG(timestamp) OVER (PARTITION BY userId ORDER BY timestamp, movieId) AS gap FROM raw_ratings) GROUP BY userId",
     None),
    ("RANK of movies by average within genre",
     "WITH a AS (SELECT movieId, avg(rating) AS r FROM raw_ratings GROUP BY movieId) SELECT value AS genre, a.movieId, RANK() OVER (PARTITION BY value ORDER BY a.r DESC) FROM a JOIN raw_movies m ON m.movieId = a.movieId, LATERAL FLATTEN(input => split(m.genres, '|'))",
     "WITH a AS (SELECT movieId, avg(rating) AS r FROM raw_ratings GROUP BY movieId), g AS (SELECT unnest(string_split(m.genres, '|')) AS genre, a.movieId, a.r FROM a JOIN raw_movies m ON m.movieId = a.movieId) SELECT genre, movieId, RANK() OVER (PARTITION BY genre ORDER BY r DESC) FROM g"),
    ("MEDIAN and PERCENTILE_CONT(0.9) per movie",
     "SELECT movieId, MEDIAN(rating), PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY rating) FROM raw_ratings GROUP BY movieId",
     "SELECT movieId, median(rating), quantile_cont(rating, 0.9) FROM raw_ratings GROUP BY movieId"),
    ("APPROX_COUNT_DISTINCT(userId) per movie",
     "SELECT movieId, APPROX_COUNT_DISTINCT(userId) FROM raw_ratings GROUP BY movieId", None),
    ("GROUP BY ROLLUP(year, genre)",
     "SELECT year(to_timestamp(r.timestamp)) AS y, value AS genre, count(*), avg(r.rating) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) GROUP BY ROLLUP(y, genre)",
     "SELECT y, genre, count(*), avg(rating) FROM (SELECT year(to_timestamp(r.timestamp)) AS y, unnest(string_split(m.genres, '|')) AS genre, r.rating FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId) GROUP BY ROLLUP(y, genre)"),
    ("earlier ratings of the same user (correlated <)",
     "SELECT r.userId, r.timestamp, (SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND r2.timestamp < r.timestamp) FROM raw_ratings r WHERE r.userId <= 2000",
     None),
    ("ASOF: each rating's latest earlier tag of its user",
     "SELECT r.movieId, count(*), avg(r.timestamp - t.timestamp) FROM raw_ratings r ASOF JOIN raw_tags t ON r.userId = t.userId AND r.timestamp >= t.timestamp GROUP BY r.movieId",
     None),
    ("20-table comma join of small tables",
     "SELECT count(*) FROM " + ", ".join(f"(SELECT movieId FROM raw_movies WHERE movieId <= 500) t{i}" for i in range(20))
     + " WHERE " + " AND ".join(f"t{i}.movieId = t{i + 1}.movieId" for i in range(19)),
     None),
]

DUCK_RUN = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
con.execute("SET TimeZone = 'UTC'")
con.execute("SET enable_progress_bar = false")
con.execute("SET search_path = 'raw'")
print(len(con.execute(sys.argv[2]).fetchall()))
"""

DUCK_LOAD = r"""
import duckdb, sys, os
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
con.execute("CREATE SCHEMA raw")
d = sys.argv[2]
con.execute(f"CREATE TABLE raw.raw_ratings AS SELECT * FROM read_csv('{d}/ratings.csv', header=true, columns={{'userId':'INTEGER','movieId':'INTEGER','rating':'DOUBLE','timestamp':'BIGINT'}})")
con.execute(f"CREATE TABLE raw.raw_movies AS SELECT * FROM read_csv('{d}/movies.csv', header=true, quote='\"', escape='\"', columns={{'movieId':'INTEGER','title':'VARCHAR','genres':'VARCHAR'}})")
con.close()
"""

# Added after the first two tables: a DuckDB file made before it gets the table on the next run.
DUCK_TAGS = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
d = sys.argv[2]
con.execute(f"CREATE TABLE IF NOT EXISTS raw.raw_tags AS SELECT * FROM read_csv('{d}/tags.csv', header=true, quote='\"', escape='\"', columns={{'userId':'INTEGER','movieId':'INTEGER','tag':'VARCHAR','timestamp':'BIGINT'}})")
con.close()
"""


def prepare(binary, ratings, work):
    """The generated data, moviecol's warehouse and DuckDB's file for `ratings` ratings in
    `work`, made when missing; returns their paths."""
    data = os.path.join(work, f"ml-{ratings}")
    db = os.path.join(work, f"warehouse-{ratings}")
    duck = os.path.join(work, f"duck-{ratings}.duckdb")
    os.makedirs(work, exist_ok=True)
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(ratings)], check=True)
    if not os.path.exists(os.path.join(db, "CURRENT")):
        subprocess.run([binary, "ingest", data, "--db", db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(duck):
        subprocess.run([sys.executable, "-c", DUCK_LOAD, duck, data], check=True)
    subprocess.run([sys.executable, "-c", DUCK_TAGS, duck, data], check=True)
    return data, db, duck


def main():
    ap = benchmark_arguments()
    ap.add_argument("--only", help="run only the queries whose name contains this text")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    _, db, duck = prepare(binary, args.ratings, os.path.abspath(args.workdir))
    print(f"queries on {args.ratings:,} ratings, {args.runs} run(s) each, {os.cpu_count()} cores")
    print(f"{'query':48}{'moviecol s':>12}{'DuckDB s':>10}{'ratio':>8}{'RSS MiB':>9}")
    worst = 0
    for name, sql, duck_sql in QUERIES:
        if args.only and args.only.lower() not in name.lower():
            continue
        mt, dt, rss = [], [], 0
        for _ in range(args.runs):
            t, m, out = timed_rss([binary, "query", "--db", db, "--format", "csv", "-c", sql])
            ours = len(out.strip().split("\n")) - 1
            mt.append(t)
            rss = max(rss, m)
            t, _, out = timed_rss([sys.executable, "-c", DUCK_RUN, duck, duck_sql or sql])
            theirs = int(out.strip())
            dt.append(t)
            if ours != theirs:
                sys.exit(f"{name}: moviecol returned {ours} rows, DuckDB {theirs}")
        ratio = statistics.median(mt) / statistics.median(dt)
        worst = max(worst, ratio)
        print(f"{name:48}{statistics.median(mt):>12.2f}{statistics.median(dt):>10.2f}{ratio:>8.2f}{rss / 2**20:>9.0f}")
    print(f"worst ratio {worst:.2f} (goal: every ratio <= 1.0, none above 2.0)")


if __name__ == "__main__":
    main()
