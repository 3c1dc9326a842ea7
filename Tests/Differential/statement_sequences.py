#!/usr/bin/env python3
"""Differential statement sequences: moviecol against DuckDB, writes included.

The corpus (dml_sequences.sql by default) is a list of sequences, each headed by a line
`-- sequence: <name>`. A sequence is statements ended by `;` (they may span lines). Each
sequence runs on a fresh moviecol warehouse (`--db DIR` with DIR not there yet creates one)
and on a fresh in-memory DuckDB connection, statement by statement in order:

- a query (SELECT, WITH, VALUES, or one in parentheses) must give the same rows on both,
  compared by position (so a query returning several rows needs an ORDER BY that makes the
  order total); numbers compare by value (doubles within 1e-9 relative), NULL only equals
  NULL (moviecol's JSON output tells NULL from ''), booleans, dates and timestamps as text;
- any other statement must succeed on both;
- a statement right after a line `-- error` must fail on both (moviecol: non-zero exit).

moviecol runs the statements between two `-- error` statements as one `query -f` script with
`--format json`, which prints one JSON array per statement, so every output is attributable;
a script stops at its first error, and the run then resumes after the failing statement (so
one failure does not hide the rest of the sequence). An `-- error` statement runs alone with
`-c`.

Prints one block per failing sequence (the statement and both outputs), then
`statement sequences: N passed, M failed`; exits 1 on any failure.

    python3 Tests/Differential/statement_sequences.py --binary .build/release/moviecol \
        [--work .build/statement-sequences] [--corpus FILE] [--only NAME_SUBSTRING] [-v]
"""
import argparse
import datetime
import decimal
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

import duckdb

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from differential import canon  # noqa: E402  (the repository's value-to-text rules)

QUERY_START = re.compile(r"^\s*(\(\s*)*(SELECT|WITH|VALUES|FROM)\b", re.I)


# ---------------------------------------------------------------------------------------------
# Corpus


class Statement:
    def __init__(self, sql, line, expect_error):
        self.sql = sql
        self.line = line
        self.expect_error = expect_error
        self.is_query = QUERY_START.match(sql) is not None


def split_statements(body, first_line):
    """Statements of one sequence's text: ended by ';' outside quotes and comments. A comment
    line `-- error` before a statement marks it as one that must fail."""
    out, buf, i, n = [], [], 0, len(body)
    line, start_line, expect_error = first_line, None, False
    while i < n:
        c = body[i]
        if c in "'\"":
            j = i + 1
            while j < n:
                if body[j] == c:
                    if j + 1 < n and body[j + 1] == c:  # doubled quote inside the text
                        j += 2
                        continue
                    break
                j += 1
            chunk = body[i:j + 1]
            buf.append(chunk)
            line += chunk.count("\n")
            i = j + 1
            continue
        if c == "-" and body.startswith("--", i):
            j = body.find("\n", i)
            j = n if j < 0 else j
            comment = body[i + 2:j].strip()
            if comment.lower() == "error":
                if "".join(buf).strip():
                    raise ValueError(f"line {line}: `-- error` inside a statement")
                expect_error = True
            i = j
            continue
        if c == ";":
            sql = "".join(buf).strip()
            if sql:
                out.append(Statement(sql, start_line, expect_error))
            elif expect_error:
                raise ValueError(f"line {line}: `-- error` before an empty statement")
            buf, start_line, expect_error = [], None, False
            i += 1
            continue
        if c == "\n":
            line += 1
        elif not c.isspace() and start_line is None:
            start_line = line
        buf.append(c)
        i += 1
    if "".join(buf).strip():
        raise ValueError(f"line {start_line}: statement without a closing ';'")
    return out


def parse_corpus(text):
    sequences, names = [], set()
    current, body, body_line = None, [], 0
    lines = text.split("\n")

    def flush():
        if current is not None:
            stmts = split_statements("\n".join(body), body_line)
            if not stmts:
                raise ValueError(f"sequence {current!r} has no statements")
            sequences.append((current, stmts))

    for number, raw in enumerate(lines, 1):
        m = re.match(r"^--\s*sequence:\s*(.+?)\s*$", raw)
        if m:
            flush()
            current, body, body_line = m.group(1), [], number + 1
            if current in names:
                raise ValueError(f"line {number}: sequence name {current!r} used twice")
            names.add(current)
        elif current is not None:
            body.append(raw)
        elif raw.strip() and not raw.strip().startswith("--"):
            raise ValueError(f"line {number}: a statement before the first `-- sequence:` line")
    flush()
    return sequences


# ---------------------------------------------------------------------------------------------
# Values


def cell(v):
    """A value as (kind, value): kind null, bool, num or text. Both engines' values go through
    this, so an INT that one engine returns as DOUBLE (or DuckDB as DECIMAL/HUGEINT) compares by
    value, but a number never equals text."""
    if v is None:
        return ("null", None)
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, (int, float)):
        return ("num", v)
    if isinstance(v, decimal.Decimal):
        return ("num", int(v) if v == v.to_integral_value() else float(v))
    if isinstance(v, (datetime.date, datetime.datetime)):
        return ("text", canon(v))
    if isinstance(v, (list, tuple)):
        return ("text", json.dumps([None if x is None else str(x) for x in v], ensure_ascii=False, separators=(",", ":")))
    return ("text", str(v))


def cells_equal(a, b):
    if a[0] != b[0]:
        return False
    if a[0] != "num":
        return a[1] == b[1]
    x, y = a[1], b[1]
    if isinstance(x, int) and isinstance(y, int):
        return x == y
    x, y = float(x), float(y)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if x == y:
        return True
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def rows_equal(ours, theirs):
    return len(ours) == len(theirs) and all(
        len(r) == len(s) and all(cells_equal(x, y) for x, y in zip(r, s)) for r, s in zip(ours, theirs))


def show(rows, limit=12):
    def one(c):
        k, v = c
        if k == "null":
            return "NULL"
        if k == "bool":
            return "true" if v else "false"
        if k == "text":
            return repr(v)
        return repr(v)
    lines = ["(" + ", ".join(one(c) for c in r) + ")" for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"... {len(rows) - limit} more rows")
    return f"{len(rows)} rows" + "".join("\n      " + x for x in lines)


def sort_key(row):
    return tuple((k, "" if v is None else (f"{float(v):.9e}" if k == "num" else str(v))) for k, v in row)


# ---------------------------------------------------------------------------------------------
# Engines


def decode_json_stream(text):
    """The JSON arrays moviecol printed one after another, each a list of rows (lists of
    values, in column order: duplicate column names are kept)."""
    dec = json.JSONDecoder(object_pairs_hook=lambda pairs: [v for _, v in pairs])
    out, i, n = [], 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return out
        value, i = dec.raw_decode(text, i)
        out.append(value)


def run_moviecol(binary, db, stmts, script_path):
    """Runs the statements on moviecol. Returns one (ok, rows-or-error-text) per statement."""
    results = [None] * len(stmts)
    i = 0
    while i < len(stmts):
        if stmts[i].expect_error:
            results[i] = run_one(binary, db, stmts[i].sql)
            i += 1
            continue
        j = i
        while j < len(stmts) and not stmts[j].expect_error:
            j += 1
        with open(script_path, "w", encoding="utf-8") as f:
            for s in stmts[i:j]:
                f.write(s.sql + ";\n")
        proc = subprocess.run([binary, "query", "--db", db, "--format", "json", "-f", script_path],
                              capture_output=True, text=True)
        try:
            outputs = decode_json_stream(proc.stdout)
        except ValueError as e:
            outputs = None
            problem = f"moviecol output is not a stream of JSON arrays ({e}): {proc.stdout[-2000:]!r}"
        if outputs is None or len(outputs) > j - i or (proc.returncode == 0 and len(outputs) != j - i):
            if outputs is not None:
                problem = (f"moviecol printed {len(outputs)} results for {j - i} statements "
                           f"(exit {proc.returncode}): {proc.stderr.strip()}")
            for k in range(i, j):
                results[k] = (False, problem)
            i = j
            continue
        for k, out in enumerate(outputs):
            results[i + k] = (True, out)
        if proc.returncode == 0:
            i = j
            continue
        # The script stopped at statement `failed`. moviecol reads a whole script before it
        # runs any of it, so a parse error further on stops it too: run that statement alone
        # to learn whether the error is its own (a failed statement writes nothing).
        failed = i + len(outputs)
        results[failed] = run_one(binary, db, stmts[failed].sql)
        i = failed + 1  # carry on after it
    return results


def run_one(binary, db, sql):
    proc = subprocess.run([binary, "query", "--db", db, "--format", "json", "-c", sql], capture_output=True, text=True)
    if proc.returncode == 0:
        try:
            outputs = decode_json_stream(proc.stdout)
        except ValueError:
            return (True, proc.stdout)
        return (True, outputs[0] if len(outputs) == 1 else outputs)
    err = (proc.stderr or proc.stdout).strip()
    if proc.returncode < 0:
        err = f"moviecol killed by signal {-proc.returncode}: {err}"
    return (False, err)


def run_duckdb(stmts):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    results = []
    for s in stmts:
        try:
            cur = con.execute(s.sql)
            rows = cur.fetchall() if s.is_query else None
            results.append((True, rows))
        except Exception as e:  # noqa: BLE001
            results.append((False, str(e).split("\n")[0]))
    con.close()
    return results


# ---------------------------------------------------------------------------------------------
# Comparison


def compare(stmt, ours, theirs):
    """None when the statement agrees on both engines, else a description."""
    ok_m, out_m = ours
    ok_d, out_d = theirs
    if stmt.expect_error:
        if ok_m or ok_d:
            who = " and ".join(n for n, ok in (("moviecol", ok_m), ("DuckDB", ok_d)) if ok)
            return (f"expected an error, but {who} ran it"
                    + ("" if ok_m else f"\n    moviecol error: {out_m}")
                    + ("" if ok_d else f"\n    DuckDB error: {out_d}"))
        return None
    if not ok_m or not ok_d:
        return ("error" + ("" if ok_m else f"\n    moviecol: {out_m}") + ("" if ok_d else f"\n    DuckDB: {out_d}"))
    if not stmt.is_query:
        return None
    if not isinstance(out_m, list) or not all(isinstance(r, list) for r in out_m):
        return f"unexpected moviecol output: {out_m!r}"
    mine = [[cell(v) for v in row] for row in out_m]
    duck = [[cell(v) for v in row] for row in out_d]
    if rows_equal(mine, duck):
        if len(mine) > 1 and not re.search(r"\bORDER\s+BY\b", stmt.sql, re.I):
            return "corpus: a query returning several rows has no ORDER BY"
        return None
    hint = ""
    if len(mine) == len(duck) and rows_equal(sorted(mine, key=sort_key), sorted(duck, key=sort_key)):
        hint = " (same rows in another order: is the ORDER BY total?)"
    return f"different results{hint}\n    moviecol: {show(mine)}\n    DuckDB:   {show(duck)}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--corpus", default=os.path.join(HERE, "dml_sequences.sql"))
    ap.add_argument("--work", default=".build/statement-sequences")
    ap.add_argument("--only", help="run the sequences whose name contains this text")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each sequence's time")
    ap.add_argument("--show-errors", action="store_true", help="print both engines' messages for `-- error` statements")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    sequences = parse_corpus(open(args.corpus, encoding="utf-8").read())
    if args.only:
        sequences = [s for s in sequences if args.only in s[0]]

    started = time.time()
    passed = failed = statements = queries = 0
    for number, (name, stmts) in enumerate(sequences, 1):
        t0 = time.time()
        db = os.path.join(work, f"seq-{number:03d}")
        shutil.rmtree(db, ignore_errors=True)
        ours = run_moviecol(binary, db, stmts, os.path.join(work, f"seq-{number:03d}.sql"))
        theirs = run_duckdb(stmts)
        problems = []
        for k, (s, a, b) in enumerate(zip(stmts, ours, theirs), 1):
            p = compare(s, a, b)
            if args.show_errors and s.expect_error:
                print(f"  [{name}] {s.sql}\n      moviecol: {str(a[1]).splitlines()[0] if a[1] else a[1]}\n      DuckDB:   {b[1]}")
            if p:
                problems.append(f"  statement {k} (corpus line {s.line}): {s.sql}\n    {p}")
        statements += len(stmts)
        queries += sum(1 for s in stmts if s.is_query)
        if problems:
            failed += 1
            print(f"FAIL sequence {number} `{name}`:\n" + "\n".join(problems), flush=True)
        else:
            passed += 1
            shutil.rmtree(db, ignore_errors=True)
            script = os.path.join(work, f"seq-{number:03d}.sql")
            if os.path.exists(script):
                os.remove(script)
        if args.verbose:
            print(f"  {time.time() - t0:6.2f}s  {name}", flush=True)
    print(f"({statements} statements, {queries} queries, {time.time() - started:.1f} s)")
    print(f"statement sequences: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
