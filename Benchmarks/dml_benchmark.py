#!/usr/bin/env python3
"""Row-level change benchmark: moviecol vs DuckDB on the same generated MovieLens ratings.

Each case starts from a fresh copy of the ratings (`r`, made untimed on both sides), then
times one whole process that runs the change and a full scan of the result:

  UPDATE 1% of the ratings (every row group touched), DELETE the ratings of 1,000 users,
  MERGE about 250,000 changed and new ratings;

then COPY of the ratings to a CSV file and count(*) over read_csv of the ratings file.

Both scans must give the same count and sums. For moviecol it also reports the bytes the
change wrote (the new files of the version it committed) against the table's size: deletion
vectors and appended rows, not a rewritten table. Prints medians, ratios and peak RSS.

Usage: python3 Benchmarks/dml_benchmark.py --binary .build/release/moviecol [--ratings 25000000] [--workdir DIR]
(uses the data and DuckDB file of Benchmarks/query_benchmark.py in the same work dir, making
them if missing)
"""
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_timing import benchmark_arguments, timed_rss  # noqa: E402
from query_benchmark import prepare  # noqa: E402

SCAN = "SELECT count(*), sum(rating), sum(userId), sum(movieId), max(timestamp) FROM r"

# (name, setup run untimed after r is made, the timed change)
CASES = [
    ("UPDATE 1% of ratings",
     None,
     "UPDATE r SET rating = rating + 0.5 WHERE userId % 100 = 7"),
    ("DELETE ratings of 1,000 users",
     None,
     "DELETE FROM r WHERE userId BETWEEN 5000 AND 5999"),
    ("MERGE ~250K changed + new ratings",
     "CREATE OR REPLACE TABLE src AS SELECT userId, movieId, 5.5 - rating AS rating, timestamp FROM r WHERE userId % 200 = 1 "
     "UNION ALL SELECT userId, movieId + 1000000 AS movieId, rating, timestamp FROM r WHERE userId % 200 = 2",
     "MERGE INTO r USING src ON r.userId = src.userId AND r.movieId = src.movieId "
     "WHEN MATCHED THEN UPDATE SET rating = src.rating "
     "WHEN NOT MATCHED THEN INSERT VALUES (src.userId, src.movieId, src.rating, src.timestamp)"),
]

DUCK_EXEC = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
con.execute("SET search_path = 'raw'")
for sql in sys.argv[2:-1]:
    con.execute(sql)
print("|".join(str(v) for v in con.execute(sys.argv[-1]).fetchone()))
"""


def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            out[p] = os.path.getsize(p)
    return out


def canon(text):
    vals = []
    for v in text.strip().split("|"):
        try:
            vals.append(round(float(v), 3))
        except ValueError:
            vals.append(v)
    return vals


def main():
    ap = benchmark_arguments()
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.workdir)
    data, source_db, source_duck = prepare(binary, args.ratings, work)
    # Copies the changes go to, so that the query benchmark's data stays as it was.
    db = os.path.join(work, f"dml-warehouse-{args.ratings}")
    duck = os.path.join(work, f"dml-duck-{args.ratings}.duckdb")
    shutil.rmtree(db, ignore_errors=True)
    shutil.copytree(source_db, db)
    shutil.copyfile(source_duck, duck)

    def moviecol(*sql):
        return subprocess.run([binary, "query", "--db", db, "--format", "csv", "-c", ";\n".join(sql)],
                              check=True, capture_output=True, text=True).stdout

    print(f"row-level changes on {args.ratings:,} ratings, {args.runs} run(s) each, {os.cpu_count()} cores")
    print(f"{'change, then a full scan':36}{'moviecol s':>12}{'DuckDB s':>10}{'ratio':>8}{'RSS MiB':>9}{'written':>12}{'of table':>10}")
    worst = 0
    for name, setup, change in CASES:
        mt, dt, rss, written, table = [], [], 0, 0, 0
        for _ in range(args.runs):
            fresh = files(db)
            moviecol("CREATE OR REPLACE TABLE r AS SELECT * FROM raw.raw_ratings", *([setup] if setup else []))
            before = files(db)
            table = sum(size for p, size in before.items() if p not in fresh and p.endswith("-r.col"))
            t, m, out = timed_rss([binary, "query", "--db", db, "--format", "csv", "-c", change + ";\n" + SCAN])
            after = files(db)
            written = sum(size for p, size in after.items() if p not in before)
            ours = canon(out.strip().split("\n")[-1].replace(",", "|"))
            mt.append(t)
            rss = max(rss, m)
            subprocess.run([sys.executable, "-c", DUCK_EXEC, duck, "CREATE OR REPLACE TABLE r AS SELECT * FROM raw.raw_ratings",
                            *([setup] if setup else []), "SELECT 1"], check=True, capture_output=True)
            t, _, out = timed_rss([sys.executable, "-c", DUCK_EXEC, duck, change, SCAN])
            theirs = canon(out)
            dt.append(t)
            if ours != theirs:
                sys.exit(f"{name}: moviecol's scan gives {ours}, DuckDB's {theirs}")
        ratio = statistics.median(mt) / statistics.median(dt)
        worst = max(worst, ratio)
        share = f"{100 * written / table:.1f}%" if table else "?"
        print(f"{name:36}{statistics.median(mt):>12.2f}{statistics.median(dt):>10.2f}{ratio:>8.2f}{rss / 2**20:>9.0f}"
              f"{written / 2**20:>10.1f}MB{share:>10}")
    # Files: a whole table written as CSV, a CSV file counted through read_csv.
    out = os.path.join(work, "copy-out.csv")
    file_cases = [
        ("COPY ratings TO csv", f"COPY (SELECT * FROM raw.raw_ratings) TO '{out}'", None),
        ("count(*) FROM read_csv(ratings.csv)", f"SELECT count(*) FROM read_csv('{data}/ratings.csv')", None),
    ]
    print(f"{'files':36}{'moviecol s':>12}{'DuckDB s':>10}{'ratio':>8}{'RSS MiB':>9}")
    for name, sql, _ in file_cases:
        mt, dt, rss = [], [], 0
        for _ in range(args.runs):
            t, m, _ = timed_rss([binary, "query", "--db", db, "--format", "csv", "-c", sql])
            mt.append(t)
            rss = max(rss, m)
            t, _, _ = timed_rss([sys.executable, "-c", DUCK_EXEC, duck, sql, "SELECT 1"])
            dt.append(t)
        ratio = statistics.median(mt) / statistics.median(dt)
        worst = max(worst, ratio)
        print(f"{name:36}{statistics.median(mt):>12.2f}{statistics.median(dt):>10.2f}{ratio:>8.2f}{rss / 2**20:>9.0f}")
    if os.path.exists(out):
        os.remove(out)
    print(f"worst ratio {worst:.2f} (goal: every ratio <= 1.0)")


if __name__ == "__main__":
    main()
