#!/usr/bin/env python3
"""Crash safety of every kind of write: each operation below is killed (SIGKILL, through the
`MOVIECOL_FAULT=kill:N` hook, just before its N-th durable file operation) at every point, or
at 30 spread evenly over its operations, starting from the same warehouse each time; an
operation of fewer points is also killed in the middle of each of its writes (`tear:N`: half
the bytes written) and then run with two threads, until it has 30. Then a full disk: each
operation is run with every create and write from its k-th on failing with ENOSPC
(`enospc:k`, for up to 10 k spread over its writes): it must stop with an error saying the
disk is full, the warehouse must pass its check and be as before (or, for a build, with the
models before the failure done), and a rerun must give the uninterrupted result. Last, a
read-only warehouse (`readonly:1`: the first create fails with EROFS): an error saying the
warehouse is read-only, and the tables as before.
After each kill the warehouse must open and pass `moviecol check` (every block of every
retained version valid), every table must be as it was before the operation or as an
uninterrupted run leaves it (no partial version), and running the operation again (when it
did not commit) must give the same tables as the uninterrupted run.

Operation kinds: a first ingest, `ingest --append`, and `build` of each materialization (seed,
view, table, incremental, snapshot), `test --store-failures`, CREATE TABLE AS + INSERT in one
transaction, and UPDATE / DELETE / MERGE.

Usage: crash_test.py --binary PATH [--ratings 5000] [--points 30] [--work DIR]
Prints per kind: file operations, kill points, outcomes; then `N passed, N failed`.
"""
import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys

DML = ("UPDATE serving.mart_top_movies SET avg_rating = avg_rating + 1 WHERE movie_id % 3 = 0; "
       "DELETE FROM serving.dim_users WHERE user_id % 5 = 0; "
       "MERGE INTO serving.dim_movies d USING (SELECT movie_id, 'x' AS t FROM serving.dim_movies WHERE movie_id % 4 = 0) s "
       "ON d.movie_id = s.movie_id WHEN MATCHED THEN UPDATE SET movie_title = s.t")
CTAS = ("BEGIN; CREATE TABLE main.user_counts AS SELECT user_id, count(*) AS n FROM serving.fct_ratings GROUP BY user_id; "
        "INSERT INTO main.user_counts SELECT user_id + 1000000, n FROM main.user_counts; COMMIT")


def run(binary, args, env=None, timeout=300):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=timeout,
                       env=dict(os.environ, **(env or {})))
    return p.returncode, p.stdout + p.stderr


def must(binary, args):
    rc, out = run(binary, args)
    if rc != 0:
        sys.exit(f"setup failed: {' '.join(args)}\n{out[-2000:]}")
    return out


def fingerprint(binary, db):
    """Each table's rows (sorted), hashed: {schema.table: digest}."""
    rc, out = run(binary, ["query", "--db", db, "--format", "csv", "-c",
                           "SELECT table_schema, table_name FROM information_schema.tables "
                           "ORDER BY 1, 2"])
    if rc != 0:
        return None, out
    names = [line.replace(",", ".") for line in out.splitlines()[1:] if line]
    if not names:
        return {}, ""
    script = ";\n".join(f"SELECT '{n}' AS table_name, * FROM {n}" for n in names)
    rc, out = run(binary, ["query", "--db", db, "--format", "csv", "-c", script])
    if rc != 0:
        return None, out
    rows = {}
    for line in out.splitlines():
        name = line.split(",", 1)[0]
        if name in names:
            rows.setdefault(name, []).append(line)
    return {n: hashlib.sha256("\n".join(sorted(rows.get(n, []))).encode()).hexdigest() for n in names}, ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--ratings", type=int, default=5000)
    ap.add_argument("--points", type=int, default=30)
    ap.add_argument("--work", default=".build/crash-test")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    w = lambda name: os.path.join(a.work, name)  # noqa: E731
    data = w("csv")
    must(binary, ["generate", "--out", data, "--ratings", str(a.ratings), "--seed", "4"])
    # An append: ratings later than any before, of known users and movies.
    os.makedirs(w("append"))
    with open(os.path.join(data, "ratings.csv")) as f:
        rows = f.read().splitlines()[1:200]
    with open(os.path.join(w("append"), "ratings.csv"), "w") as f:
        f.write("userId,movieId,rating,timestamp\n")
        for i, r in enumerate(rows):
            u, m, _, _ = r.split(",")
            f.write(f"{u},{m},{(i % 10 + 1) / 2},{1_800_000_000 + i}\n")
    # New tags too, so that the snapshot has rows to record.
    with open(os.path.join(w("append"), "tags.csv"), "w") as f:
        f.write("userId,movieId,tag,timestamp\n")
        for i, r in enumerate(rows[:50]):
            u, m, _, _ = r.split(",")
            f.write(f"{u},{m},crash test tag {i},{1_800_000_000 + i}\n")
    os.makedirs(w("empty"))
    must(binary, ["ingest", data, "--db", w("raw"), "--progress", "off"])
    shutil.copytree(w("raw"), w("built"))
    must(binary, ["build", "--db", w("built"), "--threads", "1"])
    shutil.copytree(w("built"), w("appended"))
    must(binary, ["ingest", w("append"), "--db", w("appended"), "--append", "--progress", "off"])
    shutil.copytree(w("raw"), w("seeded"))
    must(binary, ["seed", "--db", w("seeded")])
    shutil.copytree(w("seeded"), w("viewed"))
    must(binary, ["build", "--db", w("viewed"), "--select", "config.materialized:view"])
    shutil.copytree(w("viewed"), w("untabled"))
    must(binary, ["run", "--db", w("untabled"), "--select", "config.materialized:incremental"])

    one = ["--threads", "1"]
    kinds = [
        # (kind, start state, command, commits once: rerun only when nothing committed)
        ("ingest", "empty", ["ingest", data, "--progress", "off"] + one, True),
        ("ingest --append", "built", ["ingest", w("append"), "--append", "--progress", "off"] + one, True),
        ("seed", "raw", ["build", "--select", "resource_type:seed"] + one, False),
        ("view", "seeded", ["build", "--select", "config.materialized:view"] + one, False),
        ("table", "untabled", ["run", "--select", "config.materialized:table"] + one, False),
        ("incremental", "appended", ["build", "--select", "config.materialized:incremental"] + one, False),
        ("snapshot", "appended", ["build", "--select", "resource_type:snapshot"] + one, False),
        ("store-failures", "built", ["test", "--store-failures"] + one, False),
        ("CTAS + INSERT", "built", ["query", "-c", CTAS] + one, True),
        ("UPDATE / DELETE / MERGE", "built", ["query", "-c", DML] + one, False),
    ]
    passed = failed = 0
    total_points = 0
    full_disk_points = 0

    def fail(label, detail):
        nonlocal failed
        failed += 1
        print(f"FAIL {label}\n  {detail[-1500:]}")

    for kind, start, command, once in kinds:
        base = w(start)
        before, err = fingerprint(binary, base) if start != "empty" else ({}, "")
        if before is None:
            fail(f"{kind}: reading the starting state", err)
            continue
        if DML in command:
            # Statements that each commit: the later ones may be undone by a kill, not the earlier.
            once = False
        outcomes = {"before": 0, "after": 0, "between": 0}
        counts = []
        kind_points = 0
        # With one thread every kill point is a fixed state; operations of fewer file operations
        # than --points are also torn mid-write, then run with two threads (other states).
        for fault, threads in (("kill", "1"), ("tear", "1"), ("kill", "2")):
            if fault != "kill" or threads != "1":
                if kind_points >= a.points:
                    break
            cmd = command[:-1] + [threads]
            clean = w("clean")
            shutil.rmtree(clean, ignore_errors=True)
            shutil.copytree(base, clean, ignore=shutil.ignore_patterns("pins"))
            rc, out = run(binary, cmd + ["--db", clean], env={"MOVIECOL_FAULT": "count"})
            found = re.findall(r"moviecol: (\d+) file operations, writes at ([\d,]*)", out)
            if rc != 0 or not found or int(found[-1][0]) == 0:
                fail(f"{kind}: uninterrupted run (threads {threads})", out)
                break
            count = int(found[-1][0])
            counts.append(f"{count}{' (torn writes)' if fault == 'tear' else ''}{' (2 threads)' if threads == '2' else ''}")
            after, err = fingerprint(binary, clean)
            if after is None or after == before:
                fail(f"{kind}: the uninterrupted run changes the tables", err)
                break
            if fault == "tear":
                points = [int(x) for x in found[-1][1].split(",") if x]
            else:
                points = list(range(1, count + 1)) if count <= a.points else \
                    sorted({1 + round(i * (count - 1) / (a.points - 1)) for i in range(a.points)})
            for k in points:
                total_points += 1
                kind_points += 1
                label = f"{kind}: threads {threads}, {'torn at' if fault == 'tear' else 'killed before'} file operation {k} of {count}"
                db = w("victim")
                shutil.rmtree(db, ignore_errors=True)
                shutil.copytree(base, db, ignore=shutil.ignore_patterns("pins"))
                rc, out = run(binary, cmd + ["--db", db], env={"MOVIECOL_FAULT": f"{fault}:{k}"})
                if rc not in (-9, 0):
                    fail(label, f"status {rc}: {out}")
                    continue
                rc, out = run(binary, ["check", "--db", db])
                if rc != 0:
                    fail(label + ": check", out)
                    continue
                state, err = fingerprint(binary, db)
                if state is None:
                    fail(label + ": reading the tables", err)
                    continue
                mixed = [t for t in set(state) | set(after) | set(before)
                         if state.get(t) != after.get(t) and state.get(t) != before.get(t)]
                if mixed:
                    fail(label, f"tables neither as before nor as after: {mixed[:5]}")
                    continue
                if state == after:
                    outcomes["after"] += 1
                else:
                    outcomes["before" if state == before else "between"] += 1
                    if once and state != before:
                        fail(label, "a single-commit operation left a state between before and after")
                        continue
                    rc, out = run(binary, cmd + ["--db", db])
                    if rc != 0:
                        fail(label + ": rerun", out)
                        continue
                    again, err = fingerprint(binary, db)
                    if again != after:
                        diff = [t for t in set(again or {}) | set(after) if (again or {}).get(t) != after.get(t)]
                        fail(label + ": rerun", f"differs from the uninterrupted run in {diff[:5]} {err}")
                        continue
                passed += 1
        # A full disk from the k-th create or write on.
        writes = [int(x) for x in found[-1][1].split(",") if x] if counts and found else []
        enospc = sorted({writes[round(i * (len(writes) - 1) / 9)] for i in range(10)}) if len(writes) > 10 else writes
        for k in enospc:
            full_disk_points += 1
            label = f"{kind}: disk full from file operation {k}"
            db = w("victim")
            shutil.rmtree(db, ignore_errors=True)
            shutil.copytree(base, db, ignore=shutil.ignore_patterns("pins"))
            cmd = command
            rc, out = run(binary, cmd + ["--db", db], env={"MOVIECOL_FAULT": f"enospc:{k}"})
            if rc != 1 or "disk is full" not in out:
                fail(label, f"status {rc}, expected 1 and an error saying the disk is full: {out}")
                continue
            rc, out = run(binary, ["check", "--db", db])
            state, err = fingerprint(binary, db)
            if rc != 0 or state is None:
                fail(label + ": check", out + err)
                continue
            if once and state != before:
                fail(label, "a full disk left a single-commit operation's changes")
                continue
            if [t for t in set(state) | set(after) | set(before) if state.get(t) not in (after.get(t), before.get(t))]:
                fail(label, "tables neither as before nor as after")
                continue
            if state != after:
                rc, out = run(binary, cmd + ["--db", db])
                again, err = fingerprint(binary, db)
                if rc != 0 or again != after:
                    fail(label + ": rerun", out + err)
                    continue
            passed += 1
        # A read-only warehouse: the first file the operation would create fails with EROFS.
        db = w("victim")
        shutil.rmtree(db, ignore_errors=True)
        shutil.copytree(base, db, ignore=shutil.ignore_patterns("pins"))
        rc, out = run(binary, command + ["--db", db], env={"MOVIECOL_FAULT": "readonly:1"})
        state, err = fingerprint(binary, db)
        if rc != 1 or "read-only" not in out or state != (before if start != "empty" else state):
            fail(f"{kind}: read-only warehouse", f"status {rc}: {out[-800:]} {err}")
        else:
            passed += 1
        print(f"{kind}: {' / '.join(counts)} file operations, {len(enospc)} full-disk points, "
              f"{kind_points} kill points: left as before {outcomes['before']}, as after {outcomes['after']}, "
              f"between (a multi-commit run part done) {outcomes['between']}")
    print(f"{total_points} kill points and {full_disk_points} full-disk points over {len(kinds)} operation kinds")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
