#!/usr/bin/env python3
"""Build benchmark: a full `moviecol build` of the built-in MovieLens project vs DuckDB
running the same models as one SQL script (Benchmarks/build_duckdb.sql) on the same data.

Both start each run from the freshly loaded raw tables: moviecol from a copy of the
ingested warehouse, DuckDB from a copy of a database file holding the raw tables natively
(loading is not timed on either side). moviecol runs as `moviecol build` (models, seed,
snapshot and the 18 data tests); DuckDB as a Python process executing the script statement
by statement. Prints per-model times (moviecol's from target/run_results.json, DuckDB's per
statement), the total wall times, their ratio and peak RSS.

Usage: python3 Benchmarks/build_benchmark.py --binary .build/release/moviecol [--ratings 25000000] [--runs 3]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_timing import benchmark_arguments, timed_rss  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = os.path.join(HERE, "..", "Sources", "Pipeline", "Embedded", "DefaultProject", "seeds", "seed_movie_release_dates.csv")

DUCK_LOAD = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1]); d = sys.argv[2]
con.execute("SET enable_progress_bar=false")
for s in ("raw", "staging", "serving", "snapshots"): con.execute(f"CREATE SCHEMA {s}")
T = {"raw_movies": ("movies.csv", "'movieId':'INTEGER','title':'VARCHAR','genres':'VARCHAR'"),
     "raw_ratings": ("ratings.csv", "'userId':'INTEGER','movieId':'INTEGER','rating':'DOUBLE','timestamp':'BIGINT'"),
     "raw_tags": ("tags.csv", "'userId':'INTEGER','movieId':'INTEGER','tag':'VARCHAR','timestamp':'BIGINT'"),
     "raw_genome_scores": ("genome-scores.csv", "'movieId':'INTEGER','tagId':'INTEGER','relevance':'DOUBLE'"),
     "raw_genome_tags": ("genome-tags.csv", "'tagId':'INTEGER','tag':'VARCHAR'"),
     "raw_links": ("links.csv", "'movieId':'INTEGER','imdbId':'INTEGER','tmdbId':'INTEGER'")}
for t, (f, c) in T.items():
    con.execute(f"CREATE TABLE raw.{t} AS SELECT * FROM read_csv('{d}/{f}', header=true, quote='\"', escape='\"', "
                f"allow_quoted_nulls=false, columns={{{c}}})")
"""

DUCK_BUILD = r"""
import duckdb, sys, time, re, json
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar=false")
con.execute("SET TimeZone='UTC'")
script = open(sys.argv[2]).read().replace("{seed}", sys.argv[3])
times = {}
for part in re.split(r"^-- @model ", script, flags=re.M)[1:]:
    name, sql = part.split("\n", 1)
    t = time.perf_counter()
    con.execute(sql).fetchall()
    times[name] = time.perf_counter() - t
print(json.dumps(times))
"""


def main():
    ap = benchmark_arguments(".build/release/moviecol")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.workdir)
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, f"data-{args.ratings}")
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(args.ratings)], check=True, stdout=subprocess.DEVNULL)
    raw_db = os.path.join(work, f"build-raw-{args.ratings}")
    if not os.path.exists(os.path.join(raw_db, "CURRENT")):
        subprocess.run([binary, "ingest", data, "--db", raw_db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
    raw_duck = os.path.join(work, f"build-raw-{args.ratings}.duckdb")
    if not os.path.exists(raw_duck):
        subprocess.run([sys.executable, "-c", DUCK_LOAD, raw_duck, data], check=True)
    script = os.path.join(HERE, "build_duckdb.sql")
    run_db, run_duck = os.path.join(work, "build-run"), os.path.join(work, "build-run.duckdb")

    ours, theirs, ours_rss, theirs_rss = [], [], [], []
    ours_models, theirs_models = [], []
    for i in range(args.runs):
        shutil.rmtree(run_db, ignore_errors=True)
        shutil.copytree(raw_db, run_db)
        seconds, rss, _ = timed_rss([binary, "build", "--db", run_db])
        results = json.load(open(os.path.join(run_db, "target", "run_results.json")))
        if any(r["status"] not in ("success", "pass") for r in results["results"]):
            sys.exit("moviecol build did not succeed")
        per = {}
        for r in results["results"]:
            name = r["unique_id"].split(".")[-1]
            key = "tests" if r["unique_id"].startswith("test.") else name
            per[key] = per.get(key, 0) + r["execution_time"]
        ours.append(seconds); ours_rss.append(rss); ours_models.append(per)
        shutil.copyfile(raw_duck, run_duck)
        seconds, rss, out = timed_rss([sys.executable, "-c", DUCK_BUILD, run_duck, script, os.path.abspath(SEED)])
        theirs.append(seconds); theirs_rss.append(rss); theirs_models.append(json.loads(out))
        print(f"run {i + 1}: moviecol {ours[-1]:.2f} s, DuckDB {theirs[-1]:.2f} s", flush=True)

    print(f"\nfull build, {args.ratings:,} ratings, median of {args.runs} runs")
    print(f"{'model':<28} {'moviecol s':>10} {'DuckDB s':>9} {'ratio':>6}")
    names = list(theirs_models[0].keys())
    for name in names:
        a = statistics.median(m.get(name, 0) for m in ours_models)
        b = statistics.median(m.get(name, 0) for m in theirs_models)
        ratio = f"{a / b:.2f}" if b >= 0.05 else "-"
        print(f"{name:<28} {a:>10.2f} {b:>9.2f} {ratio:>6}")
    a, b = statistics.median(ours), statistics.median(theirs)
    print(f"{'total (whole process)':<28} {a:>10.2f} {b:>9.2f} {a / b:>6.2f}")
    print(f"peak RSS: moviecol {max(ours_rss) / 2**20:.0f} MiB, DuckDB {max(theirs_rss) / 2**20:.0f} MiB")
    print(f"ratio moviecol/DuckDB (total wall): {a / b:.3f}  goal <= 1.0")


if __name__ == "__main__":
    main()
