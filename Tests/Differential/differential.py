#!/usr/bin/env python3
"""Differential tests: moviecol against DuckDB on the same data.

1. --golden: every `query` record of the golden files under Tests/SQL (except those marked
   `# duckdb: skip`) runs on DuckDB over the fixture CSVs; its rows must equal the expected
   rows in the file, so the golden files are checked against a peer, not just against us.
2. --corpus FILE --ratings N: generates MovieLens data, ingests it with moviecol, loads the
   same CSVs into DuckDB with the raw tables' types, runs each query on both and compares
   (order-insensitive unless ORDER BY, doubles within 1e-9 relative).

Prints one line per mismatch and a closing `N passed, N failed` line; exits 1 on any failure.
"""
import argparse
import csv
import datetime
import io
import math
import os
import re
import subprocess
import sys

import duckdb

TABLES = {
    "raw_movies": ("movies.csv", {"movieId": "INTEGER", "title": "VARCHAR", "genres": "VARCHAR"}),
    "raw_ratings": ("ratings.csv", {"userId": "INTEGER", "movieId": "INTEGER", "rating": "DOUBLE", "timestamp": "BIGINT"}),
    "raw_tags": ("tags.csv", {"userId": "INTEGER", "movieId": "INTEGER", "tag": "VARCHAR", "timestamp": "BIGINT"}),
    "raw_genome_scores": ("genome-scores.csv", {"movieId": "INTEGER", "tagId": "INTEGER", "relevance": "DOUBLE"}),
    "raw_genome_tags": ("genome-tags.csv", {"tagId": "INTEGER", "tag": "VARCHAR"}),
    "raw_links": ("links.csv", {"movieId": "INTEGER", "imdbId": "INTEGER", "tmdbId": "INTEGER"}),
}


def duck_connect(data_dir):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    for schema in ("raw", "staging", "serving", "snapshots"):
        con.execute(f"CREATE SCHEMA {schema}")
    for table, (file, columns) in TABLES.items():
        cols = ", ".join(f"'{k}': '{v}'" for k, v in columns.items())
        path = os.path.join(data_dir, file)
        # An empty unquoted field is NULL, a quoted empty field is ''; the same as moviecol.
        con.execute(f"CREATE TABLE raw.{table} AS SELECT * FROM read_csv('{path}', header=true, columns={{{cols}}}, "
                    f"quote='\"', escape='\"', allow_quoted_nulls=false)")
    con.execute("SET search_path = 'raw'")
    return con


def canon(v):
    """A value as text, the way moviecol prints it."""
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        # Years below 1000 keep four digits, as moviecol prints them (strftime drops the zeros).
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d} {v.hour:02d}:{v.minute:02d}:{v.second:02d}" \
            + (f".{v.microsecond:06d}" if v.microsecond else "")
    if isinstance(v, datetime.date):
        return f"{v.year:04d}-{v.month:02d}-{v.day:02d}"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ",".join('"' + str(x).replace('\\', '\\\\').replace('"', '\\"') + '"' for x in v) + "]"
    return str(v)


def same(a, b):
    if a is None or b is None:
        return (a is None or a == "") and (b is None or b == "")
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) and math.isnan(y):
        return True
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y), 1e-300)


def rows_equal(ours, theirs, ordered):
    if len(ours) != len(theirs):
        return False
    if not ordered:
        key = lambda r: tuple("" if v is None else str(v) for v in r)
        ours, theirs = sorted(ours, key=key), sorted(theirs, key=key)
    return all(len(a) == len(b) and all(same(x, y) for x, y in zip(a, b)) for a, b in zip(ours, theirs))


def golden_format(v):
    if v is None:
        return "NULL"
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return {"nan": "nan", "inf": "inf", "-inf": "-inf"}[repr(v)]
        # Nine decimals, as the Swift harness rounds them (past 1e15 there are none to round).
        r = round(v * 1e9) / 1e9 if abs(v) < 1e15 else v
        return repr(0.0 if r == 0 else r)
    s = canon(v)
    return "(empty)" if s == "" else s


def check_golden(root):
    con = duck_connect(os.path.join(root, "data"))
    passed = failed = 0
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if not f.endswith(".test"):
                continue
            path = os.path.join(dirpath, f)
            for rec in parse_test(open(path, encoding="utf-8").read()):
                if rec["kind"] == "statement" and "# duckdb: skip" not in rec["comments"]:
                    # Statements that change the fixture (CREATE, INSERT, DROP) run on DuckDB too.
                    try:
                        con.execute(rec.get("duckdb") or rec["sql"])
                    except Exception:  # noqa: BLE001 - expected for `statement error`
                        pass
                    continue
                if rec["kind"] != "query" or "# duckdb: skip" in rec["comments"]:
                    continue
                sql = rec.get("duckdb") or rec["sql"]
                try:
                    got = con.execute(sql).fetchall()
                except Exception as e:  # noqa: BLE001
                    print(f"FAIL {path}:{rec['line']}: DuckDB error {e}")
                    failed += 1
                    continue
                lines = ["\t".join(golden_format(v) for v in row) for row in got]
                if rec["rowsort"]:
                    lines.sort()
                if [normalize_golden(x) for x in lines] == [normalize_golden(x) for x in rec["expected"]]:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL {path}:{rec['line']}: {sql}\n  golden: {rec['expected']}\n  duckdb: {lines}")
    return passed, failed


def normalize_golden(line):
    """Integers DuckDB returns as doubles (and the like) compare by value."""
    out = []
    for cell in line.split("\t"):
        try:
            out.append(repr(float(cell)) if re.fullmatch(r"-?[0-9.]+(e-?[0-9]+)?", cell) else cell)
        except ValueError:
            out.append(cell)
    return "\t".join(out)


def parse_test(text):
    lines = text.split("\n")
    records, comments, i = [], [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#") or not line.strip():
            if line.startswith("#"):
                comments.append(line)
            i += 1
            continue
        header, start = line.split(), i + 1
        i += 1
        sql = []
        while i < len(lines) and lines[i] != "----" and lines[i].strip():
            sql.append(lines[i])
            i += 1
        expected = []
        if i < len(lines) and lines[i] == "----":
            i += 1
            while i < len(lines) and lines[i]:
                expected.append(lines[i])
                i += 1
        duck = [c[len("# duckdb:"):].strip() for c in comments if c.startswith("# duckdb:") and not c.startswith("# duckdb: skip")]
        records.append({"kind": header[0], "rowsort": "rowsort" in header, "sql": "\n".join(sql), "expected": expected,
                        "line": start, "comments": "\n".join(comments), "duckdb": duck[0] if duck else None})
        comments = []
    return records


def parse_corpus(text):
    queries = []
    for block in re.split(r"\n\s*\n", text):
        sql, duck = [], None
        for line in block.strip().split("\n"):
            if line.startswith("-- duckdb:"):
                duck = line[len("-- duckdb:"):].strip()
            elif line.startswith("--") or not line.strip():
                continue
            else:
                sql.append(line)
        if sql:
            queries.append(("\n".join(sql), duck))
    return queries


def run_corpus(binary, corpus, ratings, work):
    data = os.path.join(work, f"data-{ratings}")
    db = os.path.join(work, f"db-{ratings}")
    if not os.path.exists(os.path.join(data, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", data, "--ratings", str(ratings), "--seed", "11"], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(db, "CURRENT")):
        subprocess.run([binary, "ingest", data, "--db", db, "--progress", "off"], check=True, stdout=subprocess.DEVNULL)
    con = duck_connect(data)
    passed = failed = 0
    for sql, duck_sql in parse_corpus(open(corpus, encoding="utf-8").read()):
        ordered = re.search(r"\bORDER\s+BY\b", sql, re.I) is not None
        proc = subprocess.run([binary, "query", "--db", db, "--format", "csv", "-c", sql], capture_output=True, text=True)
        if proc.returncode != 0:
            failed += 1
            print(f"FAIL moviecol error: {sql}\n  {proc.stderr.strip()}")
            continue
        reader = csv.reader(io.StringIO(proc.stdout))
        next(reader, None)
        ours = [[None if c == "" else c for c in row] for row in reader]
        try:
            theirs = [[canon(v) for v in row] for row in con.execute(duck_sql or sql).fetchall()]
        except Exception as e:  # noqa: BLE001
            failed += 1
            print(f"FAIL DuckDB error: {duck_sql or sql}\n  {e}")
            continue
        if rows_equal(ours, theirs, ordered):
            passed += 1
        else:
            failed += 1
            print(f"FAIL mismatch: {sql}\n  moviecol ({len(ours)} rows): {ours[:5]}\n  duckdb   ({len(theirs)} rows): {theirs[:5]}")
    return passed, failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--golden", action="store_true")
    ap.add_argument("--corpus")
    ap.add_argument("--ratings", type=int, default=200_000)
    ap.add_argument("--work", default=".build/differential")
    args = ap.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "SQL")
    passed = failed = 0
    if args.golden:
        p, f = check_golden(root)
        print(f"golden files vs DuckDB: {p} passed, {f} failed")
        passed, failed = passed + p, failed + f
    if args.corpus:
        os.makedirs(args.work, exist_ok=True)
        p, f = run_corpus(os.path.abspath(args.binary), args.corpus, args.ratings, os.path.abspath(args.work))
        print(f"corpus vs DuckDB: {p} passed, {f} failed")
        passed, failed = passed + p, failed + f
    print(f"differential: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
