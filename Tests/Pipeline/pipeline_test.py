#!/usr/bin/env python3
"""End-to-end pipeline tests against the release binary, with DuckDB as the peer.

1. Differential: on generated data (--ratings N) and on a hand-made quirky data set, every
   table of the spec built by `moviecol build` equals DuckDB's independent computation of
   the spec's rules (spec_duckdb.sql) on the same CSVs, table by table, all columns.
2. Incremental: newer ratings arrive with `ingest --append`; `build` appends exactly them
   and fct_ratings equals a `--full-refresh` build.
3. Snapshot: a changed tag_timestamp, a deleted key and an unchanged rerun, every SCD2 column.
4. Data tests catch injected faults: a rating for an unknown movie fails `relationships`
   with 1 failing row and skips what is downstream; a duplicate movie id fails `unique`.
5. Roles: the reporter is refused on raw, staging and snapshots, allowed on serving.

Prints one line per check and `pipeline: N passed, N failed`; exits 1 on any failure.
"""
import argparse
import csv
import datetime
import decimal
import io
import json
import os
import shutil
import subprocess
import sys

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Differential"))
from differential import duck_connect, canon, rows_equal  # noqa: E402

SEED = os.path.join(HERE, "..", "..", "Sources", "Pipeline", "Embedded", "DefaultProject", "seeds", "seed_movie_release_dates.csv")

SPEC_TABLES = [
    "staging.src_movies", "staging.src_ratings", "staging.src_tags", "staging.src_genome_score",
    "staging.src_genome_tags", "staging.src_links",
    "serving.dim_movies", "serving.dim_users", "serving.dim_genome_tags", "serving.fct_ratings",
    "serving.fct_genome_scores", "serving.dim_movies_with_tags", "serving.seed_movie_release_dates",
    "serving.mart_movie_releases", "serving.mart_top_movies", "serving.mart_genre_ratings",
    "serving.mart_user_activity", "serving.mart_release_trends", "serving.mart_tag_relevance",
]

# Snowflake INITCAP: separators are Unicode White_Space and this punctuation.
WHITE_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}
SEPARATORS = WHITE_SPACE | set('!?@"^#$&~_,.:;+-*%/|\\[](){}<>')


def simple(c, f):
    m = f(c)
    return m if len(m) == 1 else c  # one-to-one mappings only (ß stays ß)


def sf_initcap(s):
    if s is None:
        return None
    out, start = [], True
    for c in s:
        out.append(simple(c, str.upper) if start else simple(c, str.lower))
        start = c in SEPARATORS
    return "".join(out)


def round_half_away(x, d):
    if x is None:
        return None
    q = decimal.Decimal(1).scaleb(-d)
    return float(decimal.Decimal(x).quantize(q, rounding=decimal.ROUND_HALF_UP))


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f"\n     {detail}" if detail else ""))
        return ok


def run(binary, *args, ok=True):
    proc = subprocess.run([binary, *args], capture_output=True, text=True)
    if ok and proc.returncode != 0:
        raise RuntimeError(f"moviecol {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def ours(binary, db, sql, role="transform"):
    proc = run(binary, "query", "--db", db, "--role", role, "--format", "csv", "-c", sql)
    reader = csv.reader(io.StringIO(proc.stdout))
    header = next(reader, [])
    return header, [[None if c == "" else c for c in row] for row in reader]


def duck_for(data_dir):
    con = duck_connect(data_dir)
    con.execute("SET search_path = 'main'")
    types = getattr(duckdb, "sqltypes", None) or getattr(duckdb, "typing")
    con.create_function("sf_initcap", sf_initcap, [types.VARCHAR], types.VARCHAR)
    con.create_function("round_half_away", round_half_away, [types.DOUBLE, types.INTEGER], types.DOUBLE)
    con.execute(f"CREATE TABLE serving.seed_movie_release_dates AS SELECT * FROM read_csv('{SEED}', header=true, "
                "columns={'movie_id': 'INTEGER', 'release_date': 'DATE'})")
    con.execute(open(os.path.join(HERE, "spec_duckdb.sql"), encoding="utf-8").read())
    return con


def compare_tables(checks, binary, db, con, label, tables=SPEC_TABLES):
    for table in tables:
        header, mine = ours(binary, db, f"SELECT * FROM {table}")
        cols = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
        theirs = [[canon(v) for v in row] for row in con.execute(f"SELECT * FROM {table}").fetchall()]
        same_cols = [h.lower() for h in header] == [c.lower() for c in cols]
        ok = same_cols and rows_equal(mine, theirs, ordered=False)
        detail = ""
        if not same_cols:
            detail = f"columns: moviecol {header} vs duckdb {cols}"
        elif not ok:
            key = lambda r: tuple("" if v is None else str(v) for v in r)
            a, b = sorted(mine, key=key), sorted(theirs, key=key)
            diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            detail = f"{len(mine)} vs {len(theirs)} rows; first difference:\n     moviecol {a[diff:diff + 2]}\n     duckdb   {b[diff:diff + 2]}"
        checks.check(ok, f"{label}: {table} ({len(mine)} rows) equals DuckDB", detail)


# ---------------------------------------------------------------------------------------
# The quirky data set


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(r + "\n")


def quirky_dataset(folder):
    os.makedirs(folder, exist_ok=True)
    write_csv(os.path.join(folder, "movies.csv"), "movieId,title,genres", [
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
        '2,"  jumanji (1995)  ",Adventure||Children',
        '3,"American President, The (1995)",Comedy|Drama|Romance',
        '4,"""Great"" Escape, the (1963)",(no genres listed)',
        "5,it's a wonderful life (1946),Drama|Fantasy",
        "6,world war ii: the movie (2001),War",
        "7,Straße der Sehnsucht (1958),Drama",
        "8,X (1995) (V),Documentary",
        "9,Y (2007-2013),Drama",
        "10,ünïcödé-TITLE.with/separators_x [2010] (2010),Comedy|Comedy",
        "11,Heat (1995) ,Action|Crime|Thriller",
        "12,,Drama",
        '13,"multi\nline (1999)",Drama',
        "14,No Year,",
        "15,ǆungla (٢٠٠٠),Drama",
        '16,"",Drama',
        "17,\tTabbed (2003),Drama",
    ])
    ratings = []
    t = 1_100_000_000
    for u in range(1, 151):  # movie 1 gets 150 ratings: it is in mart_top_movies
        ratings.append(f"{u},1,{(u % 10 + 1) / 2},{t + u * 37}")
    for m, r in [(2, "4.5"), (3, "0.5"), (5, "5.0"), (6, "3.0"), (8, "2.5"), (9, "1.0"), (10, ""), (11, "4.0"), (13, "3.5"), (15, "2.0")]:
        for u in (1, 2, 3):
            ratings.append(f"{u},{m},{r},{t + m * 1000 + u}")
    write_csv(os.path.join(folder, "ratings.csv"), "userId,movieId,rating,timestamp", ratings)
    write_csv(os.path.join(folder, "tags.csv"), "userId,movieId,tag,timestamp", [
        "1,1,pixar,1139045764",
        "1,1,  spaced tag  ,1139045765",
        '2,3,"comma, tag",1139045766',
        '2,4,"""quoted""",1139045767',
        "3,5,ümlaut,1139045768",
        "99,6,only-a-tagger,1139045769",
        "3,7,,1139045770",
        "4,8,dup,1139045771",
        "4,9,dup,1139045772",
    ])
    write_csv(os.path.join(folder, "genome-tags.csv"), "tagId,tag", [
        "1,it's", "2,world war ii", "3,  spaced  ", "4,ß-tag", "5,a_b c-d", "6,unused",
    ])
    write_csv(os.path.join(folder, "genome-scores.csv"), "movieId,tagId,relevance", [
        "1,1,0.84375", "2,1,0.84375", "3,1,0.5",      # tie for tag 1: movie 1 wins
        "1,2,0.01465", "4,2,0.01465", "5,2,0.2",
        "1,3,0", "2,3,0.00004", "6,3,1.0",
        "7,4,0.99995", "8,4,0.5", "999,4,1.0",        # movie 999 is not in movies
        "9,5,0.3333333333333333", "10,5,0.6666666666666666",
    ])
    write_csv(os.path.join(folder, "links.csv"), "movieId,imdbId,tmdbId", [
        "1,0114709,862", "2,0113497,", "3,0112346,31357",
    ])


# ---------------------------------------------------------------------------------------
# Scenarios


def test_dataset(checks, binary, data, db, label):
    shutil.rmtree(db, ignore_errors=True)
    run(binary, "ingest", data, "--db", db, "--progress", "off")
    proc = run(binary, "build", "--db", db, ok=False)
    checks.check(proc.returncode == 0, f"{label}: moviecol build succeeds", proc.stdout[-2000:] + proc.stderr[-2000:])
    con = duck_for(data)
    compare_tables(checks, binary, db, con, label)
    # The snapshot's first run: the source rows plus SCD2 columns.
    header, mine = ours(binary, db, "SELECT row_key, user_id, movie_id, tag, tag_timestamp, dbt_updated_at, dbt_valid_from, dbt_valid_to FROM snapshots.snap_tags")
    theirs = [[canon(v) for v in row] for row in con.execute("SELECT * FROM snapshots.snap_tags_first").fetchall()]
    checks.check(rows_equal(mine, theirs, ordered=False), f"{label}: snapshots.snap_tags first run equals DuckDB ({len(mine)} rows)")
    _, ids = ours(binary, db, "SELECT count(DISTINCT dbt_scd_id), count(*), min(length(dbt_scd_id)), max(length(dbt_scd_id)) FROM snapshots.snap_tags")
    checks.check(ids[0][0] == ids[0][1] and ids[0][2] == ids[0][3] == "32", f"{label}: dbt_scd_id is a unique MD5 hex per row", str(ids))
    return con


def test_incremental(checks, binary, data, db, work):
    _, before = ours(binary, db, "SELECT count(*), max(rating_timestamp) FROM serving.fct_ratings")
    count_before = int(before[0][0])
    _, mx = ours(binary, db, "SELECT max(timestamp) FROM raw.raw_ratings")
    newest = int(mx[0][0])
    extra = os.path.join(work, "newer")
    os.makedirs(extra, exist_ok=True)
    rows = [f"{u},{m},{r},{newest + i + 1}" for i, (u, m, r) in enumerate([(1, 2, "3.5"), (2, 3, "4.0"), (7, 1, "5.0"), (8, 1, ""), (9, 5, "0.5")])]
    write_csv(os.path.join(extra, "ratings.csv"), "userId,movieId,rating,timestamp", rows)
    run(binary, "ingest", os.path.join(extra, "ratings.csv"), "--db", db, "--append", "--progress", "off")
    proc = run(binary, "build", "--db", db, ok=False)
    checks.check(proc.returncode == 0, "incremental: build after ingest --append succeeds", proc.stdout[-1500:])
    _, after = ours(binary, db, "SELECT count(*) FROM serving.fct_ratings")
    checks.check(int(after[0][0]) == count_before + 4, f"incremental: fct_ratings gained exactly the 4 new non-NULL ratings ({count_before} -> {after[0][0]})")
    results = json.load(open(os.path.join(db, "target", "run_results.json")))
    fct = [r for r in results["results"] if r["unique_id"].endswith(".fct_ratings")]
    checks.check(fct and fct[0]["adapter_response"].get("rows_affected") == 4, "incremental: run_results.json reports 4 rows affected",
                 str(fct[0] if fct else results)[:300])
    _, incremental_rows = ours(binary, db, "SELECT * FROM serving.fct_ratings")
    proc = run(binary, "build", "--db", db, "--full-refresh", "--select", "fct_ratings", ok=False)
    checks.check(proc.returncode == 0, "incremental: --full-refresh build succeeds", proc.stdout[-1500:])
    _, full_rows = ours(binary, db, "SELECT * FROM serving.fct_ratings")
    checks.check(rows_equal(incremental_rows, full_rows, ordered=False), f"incremental: equals the --full-refresh build ({len(full_rows)} rows)")
    # And both equal DuckDB on the combined data.
    combined = os.path.join(work, "combined")
    shutil.copytree(data, combined, dirs_exist_ok=True)
    with open(os.path.join(combined, "ratings.csv"), "a", encoding="utf-8") as f:
        for r in rows:
            f.write(r + "\n")
    con = duck_for(combined)
    compare_tables(checks, binary, db, con, "incremental", ["serving.fct_ratings", "serving.mart_user_activity", "serving.mart_top_movies"])


def test_snapshot(checks, binary, data, work):
    folder = os.path.join(work, "snapshot-data")
    shutil.copytree(data, folder, dirs_exist_ok=True)
    db = os.path.join(work, "snapshot-db")
    shutil.rmtree(db, ignore_errors=True)
    run(binary, "ingest", folder, "--db", db, "--progress", "off")
    run(binary, "build", "--db", db, "--select", "+snap_tags")
    _, first = ours(binary, db, "SELECT * FROM snapshots.snap_tags")
    # Unchanged rerun: nothing added, nothing closed.
    run(binary, "snapshot", "--db", db)
    _, again = ours(binary, db, "SELECT * FROM snapshots.snap_tags")
    checks.check(rows_equal(first, again, ordered=False), f"snapshot: an unchanged rerun adds nothing ({len(again)} rows)")
    # Change one tag's timestamp, delete another key.
    tags = open(os.path.join(folder, "tags.csv"), encoding="utf-8").read().splitlines()
    header, body = tags[0], tags[1:]
    changed = body[0].split(",")  # 1,1,pixar,1139045764
    new_ts = int(changed[3]) + 86400
    body[0] = ",".join(changed[:3] + [str(new_ts)])
    deleted = body.pop(2)  # 2,3,"comma, tag",...
    write_csv(os.path.join(folder, "tags.csv"), header, body)
    run(binary, "ingest", folder, "--db", db, "--progress", "off")
    t0 = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    run(binary, "snapshot", "--db", db)
    t1 = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    _, rows = ours(binary, db, "SELECT user_id, movie_id, tag, tag_timestamp, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id, row_key "
                               "FROM snapshots.snap_tags ORDER BY user_id, movie_id, tag, dbt_valid_from")
    checks.check(len(rows) == len(first) + 1, f"snapshot: one new version after one change ({len(first)} -> {len(rows)} rows)")
    pixar = [r for r in rows if r[0] == "1" and r[1] == "1" and r[2] == "pixar"]
    old_ts = datetime.datetime.fromtimestamp(int(changed[3]), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    new_text = datetime.datetime.fromtimestamp(new_ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    ok = (len(pixar) == 2
          and pixar[0][3:7] == [old_ts, old_ts, old_ts, new_text]      # old version closed at the new timestamp
          and pixar[1][3:7] == [new_text, new_text, new_text, None]    # new version current
          and pixar[0][7] != pixar[1][7] and pixar[0][8] == pixar[1][8])
    checks.check(ok, "snapshot: a changed tag_timestamp closes the old version and opens a new one (every SCD2 column)", str(pixar))
    gone = [r for r in rows if r[0] == "2" and r[1] == "3"]
    valid_to = datetime.datetime.strptime(gone[0][6][:19], "%Y-%m-%d %H:%M:%S") if gone and gone[0][6] else None
    ok = (len(gone) == 1 and valid_to is not None
          and t0.replace(microsecond=0) <= valid_to <= t1 and gone[0][4] == gone[0][5] == gone[0][3])
    checks.check(ok, f"snapshot: a deleted key gets dbt_valid_to = the snapshot time ({deleted.split(',')[2]!r})", f"{gone} within {t0}..{t1}")
    untouched = [r for r in rows if not (r[0] == "1" and r[1] == "1" and r[2] == "pixar") and not (r[0] == "2" and r[1] == "3")]
    checks.check(all(r[6] is None for r in untouched), "snapshot: untouched keys stay current")
    run(binary, "snapshot", "--db", db)
    _, rerun = ours(binary, db, "SELECT user_id, movie_id, tag, tag_timestamp, dbt_updated_at, dbt_valid_from, dbt_valid_to, dbt_scd_id, row_key "
                                "FROM snapshots.snap_tags ORDER BY user_id, movie_id, tag, dbt_valid_from")
    checks.check(rerun == rows, "snapshot: rerun after the change adds nothing")


def test_faults(checks, binary, data, work):
    folder = os.path.join(work, "faulty-data")
    shutil.copytree(data, folder, dirs_exist_ok=True)
    with open(os.path.join(folder, "ratings.csv"), "a", encoding="utf-8") as f:
        f.write("5,424242,4.0,1300000000\n")  # a movie that does not exist
    with open(os.path.join(folder, "movies.csv"), "a", encoding="utf-8") as f:
        f.write("3,Duplicate Of Three (2000),Drama\n")
    db = os.path.join(work, "faulty-db")
    shutil.rmtree(db, ignore_errors=True)
    run(binary, "ingest", folder, "--db", db, "--progress", "off")
    proc = run(binary, "build", "--db", db, ok=False)
    checks.check(proc.returncode != 0, "faults: build exits non-zero when a test fails")
    results = {r["unique_id"].split(".")[-1]: r for r in json.load(open(os.path.join(db, "target", "run_results.json")))["results"]}
    rel = results.get("relationships_fct_ratings_movie_id__movie_id__ref_dim_movies_", {})
    checks.check(rel.get("status") == "fail" and rel.get("failures") == 1, "faults: relationships fct_ratings.movie_id -> dim_movies fails with 1 row", str(rel)[:300])
    uniq = results.get("unique_dim_movies_movie_id", {})
    checks.check(uniq.get("status") == "fail" and uniq.get("failures") == 1, "faults: unique dim_movies.movie_id fails with 1 duplicated value", str(uniq)[:300])
    checks.check("relationships fct_ratings.movie_id -> dim_movies.movie_id" in proc.stdout and "FAIL 1" in proc.stdout,
                 "faults: the failure names model, column, test and row count", proc.stdout[-800:])
    checks.check(results.get("mart_top_movies", {}).get("status") == "skipped", "faults: models downstream of a failing test are skipped")
    proc = run(binary, "test", "--db", db, "--store-failures", "--select", "fct_ratings", ok=False)
    _, stored = ours(binary, db, "SELECT * FROM dbt_test__audit.relationships_fct_ratings_movie_id__movie_id__ref_dim_movies_")
    checks.check(stored == [["424242"]], "faults: --store-failures keeps the failing row", str(stored))


def test_roles(checks, binary, db):
    for table in ("raw.raw_ratings", "staging.src_ratings", "snapshots.snap_tags", "raw_movies"):
        proc = run(binary, "query", "--db", db, "--role", "reporter", "-c", f"SELECT count(*) FROM {table}", ok=False)
        checks.check(proc.returncode != 0 and "permission denied" in proc.stderr and table.split(".")[-1] in proc.stderr,
                     f"roles: reporter refused on {table}", proc.stderr.strip()[:200])
    proc = run(binary, "query", "--db", db, "--role", "reporter", "--format", "csv", "-c",
               "SELECT count(*) FROM serving.mart_top_movies", ok=False)
    checks.check(proc.returncode == 0, "roles: reporter reads serving.mart_top_movies", proc.stderr[:200])
    _, listed = ours(binary, db, "SELECT DISTINCT table_schema FROM information_schema.tables", role="reporter")
    checks.check(listed == [["serving"]], "roles: information_schema shows the reporter serving only", str(listed))
    proc = run(binary, "query", "--db", db, "--role", "reporter", "-c", "CREATE TABLE serving.x AS SELECT 1 AS one", ok=False)
    checks.check(proc.returncode != 0 and "permission denied" in proc.stderr, "roles: reporter cannot write")
    proc = run(binary, "build", "--db", db, "--role", "reporter", "--select", "dim_users", ok=False)
    checks.check(proc.returncode != 0 and "permission denied" in proc.stdout + proc.stderr, "roles: reporter cannot build")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--ratings", type=int, default=200_000)
    ap.add_argument("--work", default=".build/pipeline-test")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    checks = Checks()

    generated = os.path.join(work, f"generated-{args.ratings}")
    if not os.path.exists(os.path.join(generated, "ratings.csv")):
        run(binary, "generate", "--out", generated, "--ratings", str(args.ratings), "--seed", "7")
    test_dataset(checks, binary, generated, os.path.join(work, "generated-db"), "generated")

    quirky = os.path.join(work, "quirky")
    shutil.rmtree(quirky, ignore_errors=True)
    quirky_dataset(quirky)
    quirky_db = os.path.join(work, "quirky-db")
    test_dataset(checks, binary, quirky, quirky_db, "quirky")
    test_roles(checks, binary, quirky_db)
    test_incremental(checks, binary, quirky, quirky_db, work)
    test_snapshot(checks, binary, quirky, work)
    test_faults(checks, binary, quirky, work)

    print(f"pipeline: {checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
