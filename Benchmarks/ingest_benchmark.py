#!/usr/bin/env python3
"""Ingest benchmark: moviecol vs DuckDB loading the same generated ratings.csv.

Both run as separate processes in the same run, in turn (moviecol, DuckDB, moviecol, ...),
so machine drift hits both. Each is timed as a whole process (wall clock) with its peak RSS
from wait4. moviecol's figure is the whole ingest: parse, encode, compress, write, fsync,
commit. DuckDB loads with explicit column types into a database file. The script checks
both answers (row counts) and prints MB/s, rows/s, the moviecol/DuckDB ratio, stored bytes
(moviecol warehouse, DuckDB file, zstd Parquet written by DuckDB, the CSV) and peak RSS.

Usage: python3 Benchmarks/ingest_benchmark.py --binary .build/release/moviecol [--ratings 25000000]
"""
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from process_timing import benchmark_arguments, timed_rss  # noqa: E402

DUCKDB_LOAD = r"""
import duckdb, sys
con = duckdb.connect(sys.argv[1])
con.execute("SET enable_progress_bar = false")
con.execute("CREATE TABLE ratings(userId INTEGER, movieId INTEGER, rating DOUBLE, timestamp BIGINT)")
con.execute("COPY ratings FROM '" + sys.argv[2] + "' (HEADER, DELIMITER ',')")
print(con.execute("SELECT count(*) FROM ratings").fetchone()[0])
con.close()
"""

DUCKDB_PARQUET = r"""
import duckdb, sys
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("COPY (SELECT * FROM read_csv('" + sys.argv[1] + "', header=true, columns={'userId':'INTEGER','movieId':'INTEGER','rating':'DOUBLE','timestamp':'BIGINT'})) TO '" + sys.argv[2] + "' (FORMAT PARQUET, COMPRESSION ZSTD)")
"""


def dir_size(path):
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            if f != "LOCK":
                total += os.path.getsize(os.path.join(root, f))
    return total


def warehouse_rows(binary, db, table):
    """The table's row count, as moviecol reports it (the manifest is a binary file)."""
    out = subprocess.run([binary, "query", "--db", db, "--format", "csv", "-c",
                          f"SELECT row_count FROM information_schema.tables WHERE table_name = '{table}'"],
                         check=True, capture_output=True, text=True).stdout.split()
    return int(out[1]) if len(out) > 1 else None


def main():
    ap = benchmark_arguments()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.workdir)
    data = os.path.join(work, f"ml-{args.ratings}")
    ratings_dir = os.path.join(work, f"ratings-only-{args.ratings}")
    csv = os.path.join(ratings_dir, "ratings.csv")
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        os.makedirs(work, exist_ok=True)
        print(f"generating {args.ratings} ratings ...", flush=True)
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(args.ratings)], check=True)
    os.makedirs(ratings_dir, exist_ok=True)
    if not os.path.exists(csv):
        os.symlink(os.path.join(data, "ratings.csv"), csv)
    csv_bytes = os.path.getsize(csv)
    expected_rows = args.ratings

    db = os.path.join(work, "moviecol-db")
    duck = os.path.join(work, "ratings.duckdb")
    mc_times, mc_rss, dk_times, dk_rss = [], [], [], []
    for run in range(args.runs):
        shutil.rmtree(db, ignore_errors=True)
        t, rss, _ = timed_rss([binary, "ingest", ratings_dir, "--db", db, "--progress", "off", "--threads", str(args.threads)])
        rows = warehouse_rows(binary, db, "raw_ratings")
        if rows != expected_rows:
            sys.exit(f"moviecol loaded {rows} rows, expected {expected_rows}")
        mc_times.append(t)
        mc_rss.append(rss)
        for f in (duck, duck + ".wal"):
            if os.path.exists(f):
                os.remove(f)
        t, rss, out = timed_rss([sys.executable, "-c", DUCKDB_LOAD, duck, csv])
        if int(out.strip()) != expected_rows:
            sys.exit(f"DuckDB loaded {out.strip()} rows, expected {expected_rows}")
        dk_times.append(t)
        dk_rss.append(rss)

    parquet = os.path.join(work, "ratings.parquet")
    if not os.path.exists(parquet):
        subprocess.run([sys.executable, "-c", DUCKDB_PARQUET, csv, parquet], check=True)

    mc = statistics.median(mc_times)
    dk = statistics.median(dk_times)
    ratios = [a / b for a, b in zip(mc_times, dk_times)]
    mb = csv_bytes / 1e6
    print()
    print(f"ingest of ratings.csv: {expected_rows:,} rows, {mb:.0f} MB, {args.runs} run(s), {os.cpu_count()} cores")
    print(f"{'':24}{'seconds':>10}{'MB/s':>10}{'Mrows/s':>10}{'peak RSS':>12}")
    print(f"{'moviecol ingest':24}{mc:>10.2f}{mb / mc:>10.0f}{expected_rows / mc / 1e6:>10.1f}{max(mc_rss) / 2**20:>10.0f}MiB")
    print(f"{'DuckDB COPY':24}{dk:>10.2f}{mb / dk:>10.0f}{expected_rows / dk / 1e6:>10.1f}{max(dk_rss) / 2**20:>10.0f}MiB")
    print(f"ratio moviecol/DuckDB (median of pairs): {statistics.median(ratios):.2f}  (goal <= 0.30)")
    print("stored bytes:")
    print(f"  moviecol warehouse  {dir_size(db) / 1e6:>9.1f} MB")
    print(f"  DuckDB file         {os.path.getsize(duck) / 1e6:>9.1f} MB")
    print(f"  Parquet (zstd)      {os.path.getsize(parquet) / 1e6:>9.1f} MB")
    print(f"  ratings.csv         {csv_bytes / 1e6:>9.1f} MB")


if __name__ == "__main__":
    main()
