"""What the dashboard tests share: their command line, `moviecol query` as the reporter, and
the pass/fail tally."""
import argparse
import csv
import io
import os
import shutil
import subprocess


def arguments():
    """(binary, work, artifacts, ratings) from the command line, folders created."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--ratings", type=int, default=200_000)
    ap.add_argument("--work", default=".build/dashboard-test")
    ap.add_argument("--artifacts", default=".build/artifacts/dashboards")
    args = ap.parse_args()
    binary, work = os.path.abspath(args.binary), os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    os.makedirs(args.artifacts, exist_ok=True)
    return binary, work, args.artifacts, args.ratings


def query(binary, db, sql):
    """Rows (as text, header dropped) of `sql` run by `moviecol query` as the reporter."""
    out = subprocess.run([binary, "query", "--db", db, "--role", "reporter", "--format", "csv", "-c", sql],
                         capture_output=True, text=True, check=True).stdout
    return list(csv.reader(io.StringIO(out)))[1:]


def no_genome_warehouse(binary, work):
    """A warehouse built from work/csv without the genome files (as ml-32m ships): the tag mart is empty."""
    data, bare, db = os.path.join(work, "csv"), os.path.join(work, "no-genome"), os.path.join(work, "no-genome-db")
    shutil.rmtree(bare, ignore_errors=True)
    os.makedirs(bare)
    for name in ("movies.csv", "ratings.csv", "tags.csv", "links.csv"):
        shutil.copy(os.path.join(data, name), bare)
    shutil.rmtree(db, ignore_errors=True)
    subprocess.run([binary, "ingest", bare, "--db", db, "--progress", "off"], check=True, capture_output=True)
    subprocess.run([binary, "build", "--db", db], check=True, stdout=subprocess.DEVNULL)
    return db


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what, detail=""):
        self.passed, self.failed = self.passed + bool(ok), self.failed + (not ok)
        print(("ok   " if ok else "FAIL ") + what + ("" if ok or not detail else "\n     " + str(detail)[:600]))
        return ok
