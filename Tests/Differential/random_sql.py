#!/usr/bin/env python3
"""Random differential SQL test: generated queries on moviecol and on DuckDB, results compared.

    python3 Tests/Differential/random_sql.py --binary .build/release/moviecol --work .build/rsql \
        [--queries 5000] [--seed 1] [--time-limit 300] [--only N]

1. Builds a warehouse in WORK (`moviecol generate` + `ingest` of a tiny MovieLens set, then CTAS)
   with four small tables t1..t4 full of edge values (WORK/tables.sql), the same tables in DuckDB.
2. Generates queries from a seeded generator (query i depends only on seed and i: `--only i`
   reruns one), each rendered twice, for moviecol and for DuckDB, differing only where the
   dialects deliberately differ (DIALECT below).
3. Runs moviecol on batches of queries in one process (JSON output, a marker SELECT after each
   query; an error or crash ends the process and the batch goes on in a new one; the first crash
   at each site is rerun alone with a symbolized backtrace to name it), DuckDB in-process, and
   compares: same rows, order-insensitive unless the query orders all its output, doubles within
   1e-9 relative, integers exactly, NULL only equal to NULL.

Passed = equal results or both engines erroring. Failed = a moviecol crash, a mismatch, or one
engine erroring while the other answers, unless explained (counted apart, see `classify`).
Failures go to WORK/failures.txt; stdout groups them by signature with the shortest examples.
The last line is `N passed, N failed`; the exit status is 1 on any failure.

DIALECT: differences normalized in DuckDB's rendering, so no query class is skipped:
- integers: moviecol computes integer + - * % and ABS in 64 bits (INT+INT is BIGINT) and errors
  on 64-bit overflow; DuckDB 2.0 keeps INT+INT in 32 bits. DuckDB gets CAST(x AS BIGINT) on
  integer operands of + - * % and ABS. Unary minus keeps INT in both. SUM of integers is BIGINT in
  moviecol (summed exactly, an error past BIGINT), HUGEINT in DuckDB: CAST(SUM(x) AS BIGINT).
- division and modulo by zero are NULL in moviecol, inf/NaN/NULL in DuckDB: `a / NULLIF(b, 0)`.
- CONCAT with a NULL argument is NULL in moviecol (Snowflake); DuckDB's concat skips NULLs:
  DuckDB gets `CAST(a AS VARCHAR) || CAST(b AS VARCHAR)` (`||` propagates NULL in both).
- SUBSTR with start <= 0 and LEFT/RIGHT with negative lengths differ: not generated.
- NULL order: NULLS LAST ascending, FIRST descending in moviecol (Snowflake), LAST always in
  DuckDB: DuckDB's ORDER BY spells out moviecol's default.
- DOUBLE -> INT/BIGINT casts round half away from zero in moviecol, to even in DuckDB: DuckDB
  gets CAST(ROUND(x) AS INT) (ROUND of a double is half away from zero in both).
- ROUND(integer, d) is a DOUBLE in moviecol, an integer (overflow-checked) in DuckDB: DuckDB
  rounds CAST(x AS DOUBLE). FLOOR/CEIL of a BIGINT go through DOUBLE in DuckDB: not applied there.
- decimal literals are DECIMAL in DuckDB, DOUBLE in moviecol: CAST(lit AS DOUBLE) in DuckDB.
- SUM and AVG of doubles: moviecol keeps each sum as a double-double (exact in practice),
  DuckDB's SUM/AVG add naively: DuckDB gets fsum (compensated).
- IFF is IF in DuckDB.
- DATE_TRUNC of a DATE is a DATE in moviecol, a TIMESTAMP in DuckDB: cast back to DATE.
- moviecol's JSON prints NaN and infinities as the strings "NaN", "Infinity", "-Infinity" (JSON
  has no such numbers); they compare equal to DuckDB's float NaN and infinities.
"""
import argparse
import collections
import datetime
import decimal
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

import duckdb

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from differential import canon  # noqa: E402  a DuckDB date/timestamp as moviecol prints it

# ---------------------------------------------------------------- tables and their values

INT_MIN, INT_MAX, BIG_MIN, BIG_MAX = -2**31, 2**31 - 1, -2**63, 2**63 - 1
POOLS = {  # edge values, some repeated on purpose (duplicates for GROUP BY, DISTINCT and joins)
    "INT": [0, 0, 1, 1, -1, 2, 3, 3, 7, -7, 42, 100, -100, INT_MAX, INT_MIN, INT_MAX - 1, INT_MIN + 1],
    "BIGINT": [0, 1, -1, 5, 5, -5, 1000000, 3000000000, -3000000000, BIG_MAX, BIG_MIN, BIG_MAX - 1,
               BIG_MIN + 1, 4611686018427387904, -4611686018427387904, 9200000000000000000],
    "DOUBLE": [0.0, -0.0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 1.0, -1.0, 1e300, -1e300, 1e-300, 3.14159,
               -2.71828, 100.25, 0.1, 1e15, 123456.789, 0.5, -0.5],
    "BOOLEAN": [True, False, True],
    "VARCHAR": ["", "a", "A", "abc", "ABC", " a ", "hello world", "héllo", "Ünïcode", "日本語", "😀",
                "a%b", "a_b", "x y z", "  ", "NULL", "-1", "42", "it's", "abc", "a"],
    "DATE": ["1970-01-01", "2000-02-29", "1999-12-31", "2024-06-15", "1900-01-01", "2038-01-19", "2024-06-15"],
    "TIMESTAMP": ["1970-01-01 00:00:00", "2000-02-29 12:34:56", "1999-12-31 23:59:59", "2024-06-15 00:00:00",
                  "1960-05-05 05:05:05", "2024-06-15 00:00:00", "2038-01-19 03:14:07"],
}
T3_COLS = [("id", "INT"), ("k", "INT"), ("s", "VARCHAR"), ("c", "DOUBLE"), ("f", "BOOLEAN")]
TABLES = {  # name -> (rows, columns); id is unique; t1.a and t2/t3.k share values (join keys)
    "t1": (150, [("id", "INT"), ("a", "INT"), ("b", "BIGINT"), ("c", "DOUBLE"), ("f", "BOOLEAN"),
                 ("s", "VARCHAR"), ("d", "DATE"), ("ts", "TIMESTAMP")]),
    "t2": (60, [("id", "INT"), ("k", "INT"), ("b", "BIGINT"), ("c", "DOUBLE"), ("s", "VARCHAR"), ("d", "DATE")]),
    "t3": (12, T3_COLS),
    "t4": (0, T3_COLS),  # empty
}
DUCK_TYPES = {"INT": "INTEGER"}
KIND = {"INT": "num", "BIGINT": "num", "DOUBLE": "num", "BOOLEAN": "bool", "VARCHAR": "str", "DATE": "date",
        "TIMESTAMP": "ts"}
KIND_TYPES = {"num": ["INT", "BIGINT", "DOUBLE"], "bool": ["BOOLEAN"], "str": ["VARCHAR"], "date": ["DATE"],
              "ts": ["TIMESTAMP"]}


def value_sql(t, v):
    """A typed constant that both engines read the same way."""
    if v is None:
        return f"CAST(NULL AS {t})"
    if t == "BOOLEAN":
        return "TRUE" if v else "FALSE"
    text = repr(v) if t in ("INT", "BIGINT", "DOUBLE") else v.replace("'", "''")
    return f"CAST('{text}' AS {t})"


def table_statements():
    """CTAS statements for t1..t4, from a fixed data seed: repros always name the same rows."""
    rng, stmts = random.Random(20240601), []
    for name, (nrows, cols) in TABLES.items():
        if nrows == 0:
            stmts.append(f"CREATE TABLE main.{name} AS SELECT * FROM main.t3 WHERE 1 = 0")
            continue
        rows = [[f"CAST({i} AS INT)"] + [value_sql(t, None if rng.random() < 0.12 else rng.choice(POOLS[t]))
                                         for _, t in cols[1:]] for i in range(1, nrows + 1)]
        first = ", ".join(f"{v} AS {c}" for v, (c, _) in zip(rows[0], cols))
        rest = " ".join("UNION ALL SELECT " + ", ".join(r) for r in rows[1:])
        stmts.append(f"CREATE TABLE main.{name} AS SELECT {first} {rest}")
    return stmts


def build(binary, work):
    """A fresh warehouse with t1..t4 (types checked with `describe`) and a DuckDB with the same."""
    db, csv_dir = os.path.join(work, "warehouse"), os.path.join(work, "csv")
    shutil.rmtree(db, ignore_errors=True)  # `query --db NEW` cannot create a warehouse: ingest one
    quiet = dict(check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(os.path.join(csv_dir, "ratings.csv")):
        subprocess.run([binary, "generate", "--out", csv_dir, "--ratings", "1000", "--seed", "1"], **quiet)
    subprocess.run([binary, "ingest", csv_dir, "--db", db, "--progress", "off"], **quiet)
    con = duckdb.connect()
    for s in ("SET TimeZone = 'UTC'", "SET threads = 1", "SET error_on_division_by_zero = false"):
        con.execute(s)
    stmts = table_statements()
    with open(os.path.join(work, "tables.sql"), "w", encoding="utf-8") as f:
        f.write(";\n".join(stmts) + ";\n")
    for s in stmts:
        subprocess.run([binary, "query", "--db", db, "-c", s], **quiet)
        con.execute(s)
    for name, (nrows, cols) in TABLES.items():
        out = subprocess.run([binary, "describe", f"main.{name}", "--db", db], check=True, capture_output=True,
                             text=True).stdout
        ours, duck = dict(re.findall(r"^(\w+)\s+([A-Z]+)\s", out, re.M)), dict(
            (r[0], r[1]) for r in con.execute(f"DESCRIBE {name}").fetchall())
        for c, t in cols:
            if ours.get(c) != t or duck.get(c) != DUCK_TYPES.get(t, t):
                sys.exit(f"table {name}.{c}: wanted {t}, moviecol has {ours.get(c)}, DuckDB has {duck.get(c)}")
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] == nrows
    return db, con

# ---------------------------------------------------------------- expressions, rendered twice


class E:
    """An expression as moviecol SQL (mc) and DuckDB SQL (dk), with its moviecol type."""
    __slots__ = ("mc", "dk", "t")

    def __init__(self, mc, dk=None, t="VARCHAR"):
        self.mc, self.dk, self.t = mc, mc if dk is None else dk, t

    @property
    def kind(self):
        return KIND[self.t]


def F(tmpl, t, *args, dk=None):
    """Fill a template ({0}, {1}...) for both dialects; `dk` is DuckDB's template where it differs."""
    return E(tmpl.format(*[a.mc for a in args]), (dk or tmpl).format(*[a.dk for a in args]), t)


def big(e):
    """An arithmetic operand: integers in 64 bits in DuckDB too, as moviecol computes them."""
    return E(e.mc, f"CAST({e.dk} AS BIGINT)" if e.t in ("INT", "BIGINT") else e.dk, e.t)


def num_type(*es):
    ts = {e.t for e in es}
    return "DOUBLE" if "DOUBLE" in ts else "INT" if ts == {"INT"} else "BIGINT"


def common_type(es):
    return num_type(*es) if es[0].kind == "num" else es[0].t


def null(t):
    return E(f"CAST(NULL AS {t})", t=t)


def literal(rng, t):
    """A constant of type t from the pools, sometimes a typed NULL. Integer literals are BIGINT
    in moviecol; decimal ones are DECIMAL in DuckDB, so DuckDB gets them cast to DOUBLE."""
    v = None if rng.random() < 0.08 else rng.choice(POOLS[t])
    if v is None or v == BIG_MIN or t in ("DATE", "TIMESTAMP") or (t == "DOUBLE" and str(v) == "-0.0"):
        return E(value_sql(t, v), t=t)
    if t == "BOOLEAN":
        return E("TRUE" if v else "FALSE", t=t)
    if t == "VARCHAR":
        return E("'" + v.replace("'", "''") + "'", t=t)
    s = repr(v) if v >= 0 else f"({v!r})"
    return E(s, f"CAST({s} AS DOUBLE)", t) if t == "DOUBLE" else E(s, t="BIGINT")


def pick(rng, weighted):
    """One value of a list of (weight, value)."""
    r = rng.random() * sum(w for w, _ in weighted)
    for w, v in weighted:
        r -= w
        if r <= 0:
            return v
    return weighted[-1][1]


class Ctx:
    """What an expression may name: row columns, or (aggregate mode) group keys and aggregates;
    `sub`: whether it may hold subqueries."""

    def __init__(self, cols, agg=False, keys=(), sub=True):
        self.cols, self.agg, self.keys, self.sub = cols, agg, list(keys), sub

    def row(self):
        return Ctx(self.cols, sub=self.sub)


class Gen:
    """The query generator; each method returns an E (or a Q) of the requested kind."""

    def __init__(self, rng):
        self.rng, self.aliases = rng, 0

    def alias(self):
        self.aliases += 1
        return f"z{self.aliases}"

    def kind(self):
        return pick(self.rng, [(5, "num"), (3, "str"), (1, "bool"), (1, "date"), (0.7, "ts")])

    def leaf(self, ctx, kind):
        rng = self.rng
        if ctx.agg:
            keys = [k for k in ctx.keys if k.kind == kind]
            what = pick(rng, [(3 if keys else 0, "key"), (4, "agg"), (1, "lit")])
            if what != "lit":
                return rng.choice(keys) if what == "key" else self.aggregate(ctx, kind)
        else:
            cols = [c for c in ctx.cols if c.kind == kind]
            if cols and rng.random() < 0.75:
                return rng.choice(cols)
        return literal(rng, rng.choice(KIND_TYPES[kind]))

    def aggregate(self, ctx, kind, exact=False):
        """An aggregate of result kind `kind` over row expressions; exact: no SUM/AVG of doubles."""
        rng, row = self.rng, ctx.row()
        what = pick(rng, [(2, "count*"), (2, "count"), (2, "countd"), (3, "sum"), (2, "avg"), (3, "minmax")])
        if kind != "num" or what == "minmax":
            x = self.expr(row, kind, rng.randint(0, 1))
            return F(rng.choice(["MIN({0})", "MAX({0})"]), x.t, x)
        if what == "count*":
            return E("COUNT(*)", t="BIGINT")
        if what in ("count", "countd"):
            x = self.expr(row, rng.choice(["num", "num", "str", "bool", "date"]), rng.randint(0, 1))
            return F("COUNT(DISTINCT {0})" if what == "countd" else "COUNT({0})", "BIGINT", x)
        x = self.expr(row, "num", rng.randint(0, 2))
        if exact and x.t == "DOUBLE":
            return F("MIN({0})", x.t, x)
        if x.t == "DOUBLE":
            # moviecol adds doubles as double-doubles (exact in practice); DuckDB's SUM and AVG
            # add naively, its fsum compensates: the two agree where naive sums would not
            # (1e300 + 100.25 - 1e300, a thousand copies of 1e-300).
            if what == "avg":
                return F("AVG({0})", "DOUBLE", x, dk="(fsum({0}) / NULLIF(COUNT({0}), 0))")
            return F("SUM({0})", "DOUBLE", x, dk="fsum({0})")
        if what == "avg":
            return F("AVG({0})", "DOUBLE", x)
        return F("SUM({0})", "BIGINT", x, dk="CAST(SUM({0}) AS BIGINT)")  # HUGEINT in DuckDB

    def expr(self, ctx, kind, depth):
        if depth <= 0 or self.rng.random() < 0.25:
            return self.leaf(ctx, kind)
        return getattr(self, "expr_" + kind)(ctx, depth - 1)

    def conditional(self, ctx, kind, depth):
        """CASE, COALESCE, NULLIF, IFF, GREATEST, LEAST; often with a typed NULL branch."""
        rng = self.rng
        a, b = self.expr(ctx, kind, depth), self.expr(ctx, kind, depth)
        t = common_type([a, b])
        b = null(t) if rng.random() < 0.25 else b
        what = rng.choice(["case", "case", "simplecase", "coalesce", "nullif", "iff", "greatest"])
        if what == "case":
            c = self.expr_bool(ctx, depth)
            if rng.random() < 0.5:
                return F("(CASE WHEN {0} THEN {1} ELSE {2} END)", t, c, a, b)
            return F("(CASE WHEN {0} THEN {1} END)", t, c, a)
        if what == "simplecase":
            x, y = self.leaf(ctx, kind), self.leaf(ctx, kind)
            return F("(CASE {0} WHEN {1} THEN {2} ELSE {3} END)", t, x, y, a, b)
        if what == "iff":
            return F("IFF({0}, {1}, {2})", t, self.expr_bool(ctx, depth), a, b, dk="IF({0}, {1}, {2})")
        f = {"coalesce": "COALESCE", "nullif": "NULLIF", "greatest": rng.choice(["GREATEST", "LEAST"])}[what]
        return F(f + "({0}, {1})", a.t if f == "NULLIF" else t, a, b)

    def expr_num(self, ctx, depth):
        rng = self.rng
        what = pick(rng, [(4, "arith"), (1.5, "div"), (1.5, "mod"), (2, "neg"), (3, "func"), (2, "cast"),
                          (1, "length"), (3, "cond"), (0.5, "datepart"), (0.6 if ctx.sub else 0, "scalar")])
        a, b = self.expr(ctx, "num", depth), self.expr(ctx, "num", depth)
        if what == "arith":
            t = "DOUBLE" if "DOUBLE" in (a.t, b.t) else "BIGINT"
            return F("({0} " + rng.choice("+-*") + " {1})", t, big(a), big(b))
        if what == "div":
            return F("({0} / {1})", "DOUBLE", a, b, dk="({0} / NULLIF({1}, 0))")
        if what == "mod":
            return F("({0} % {1})", num_type(a, b), big(a), big(b), dk="({0} % NULLIF({1}, 0))")
        if what == "neg":  # -x keeps x's type in both engines (INT overflows at -2^31)
            return F("(-{0})", a.t, a)
        if what == "func":
            f = rng.choice(["ABS", "SIGN", "FLOOR", "CEIL", "ROUND", "ROUND2"])
            if f == "ROUND2":  # ROUND(integer, d) is a DOUBLE in moviecol, an integer in DuckDB
                n = str(rng.choice([-2, -1, 0, 1, 2, 3]))
                return F("ROUND({0}, " + n + ")", "DOUBLE", a, dk="ROUND(CAST({0} AS DOUBLE), " + n + ")")
            if f in ("FLOOR", "CEIL") and a.t != "DOUBLE":  # DuckDB's go through DOUBLE for integers
                return F(f + "({0})", a.t, a, dk="CAST({0} AS BIGINT)")
            if f == "SIGN" and a.t == "DOUBLE":  # DuckDB's SIGN is a TINYINT; moviecol keeps DOUBLE
                return F("SIGN({0})", "DOUBLE", a, dk="CAST(SIGN({0}) AS DOUBLE)")
            return F(f + "({0})", a.t, big(a) if f == "ABS" else a)
        if what == "cast":
            t, src = rng.choice(["INT", "BIGINT", "DOUBLE"]), pick(rng, [(6, "num"), (1, "str"), (1, "bool")])
            x = a if src == "num" else literal(rng, "VARCHAR") if src == "str" else self.expr(ctx, "bool", depth)
            if x.t == "DOUBLE" and t != "DOUBLE":  # DuckDB rounds ties to even: ROUND first
                return F("CAST({0} AS " + t + ")", t, x, dk="CAST(ROUND({0}) AS " + t + ")")
            return F("CAST({0} AS " + t + ")", t, x)
        if what == "length":
            return F("LENGTH({0})", "BIGINT", self.expr(ctx, "str", depth))
        if what == "datepart":
            x = self.expr(ctx, rng.choice(["date", "ts"]), depth)
            return F(rng.choice(["YEAR", "MONTH", "DAY"]) + "({0})", "BIGINT", x)
        if what == "scalar":
            return self.scalar_subquery(ctx)
        return self.conditional(ctx, "num", depth)

    def expr_bool(self, ctx, depth):
        rng = self.rng
        what = pick(rng, [(5, "cmp"), (2, "andor"), (1, "not"), (1.5, "isnull"), (1.5, "in"), (1, "between"),
                          (1.5, "like"), (0.7, "cond"), (0.8 if ctx.sub else 0, "sub")])
        neg = rng.choice(["", "NOT "])
        if what == "cmp":
            k = pick(rng, [(5, "num"), (2, "str"), (1, "date"), (1, "ts"), (0.5, "bool")])
            op = rng.choice(["=", "<>", "<", "<=", ">", ">="])
            return F("({0} " + op + " {1})", "BOOLEAN", self.expr(ctx, k, depth), self.expr(ctx, k, depth))
        if what == "andor":
            op = rng.choice(["AND", "OR"])
            return F("({0} " + op + " {1})", "BOOLEAN", self.expr_bool(ctx, depth), self.expr_bool(ctx, depth))
        if what == "not":
            return F("(NOT {0})", "BOOLEAN", self.expr(ctx, "bool", depth))
        if what == "isnull":
            return F("({0} IS " + neg + "NULL)", "BOOLEAN", self.expr(ctx, self.kind(), depth))
        if what == "in":  # numeric lists mix INT, BIGINT and DOUBLE constants (and NULLs)
            k = rng.choice(["num", "num", "str", "date"])
            x = self.expr(ctx, k, depth)
            items = [literal(rng, rng.choice(KIND_TYPES[k])) for _ in range(rng.randint(1, 4))]
            holes = ", ".join("{%d}" % (i + 1) for i in range(len(items)))
            # Each item compares in its own common type with x in moviecol (x = a OR x = b, as
            # SQL defines IN); DuckDB unifies the list first (BIGINTs then compare as DOUBLEs):
            # DuckDB gets the OR of equalities.
            ors = " OR ".join("{0} = {%d}" % (i + 1) for i in range(len(items)))
            return F("({0} " + neg + "IN (" + holes + "))", "BOOLEAN", x, *items, dk="(" + neg + "(" + ors + "))")
        if what == "between":
            k = rng.choice(["num", "num", "str", "date", "ts"])
            # x BETWEEN a AND b is x >= a AND x <= b, each in its own common type (DuckDB
            # unifies all three): DuckDB gets the two comparisons.
            return F("({0} " + neg + "BETWEEN {1} AND {2})", "BOOLEAN", *[self.expr(ctx, k, depth) for _ in range(3)],
                     dk="(" + neg + "({0} >= {1} AND {0} <= {2}))")
        if what == "like":
            pat = rng.choice(["%", "a%", "%a", "_", "%é%", "a_b", "%o w%", "", "A%", "_b%", "%\\%%", "__", "%1"])
            op = rng.choice(["LIKE", "LIKE", "NOT LIKE", "ILIKE"])
            # moviecol reads backslash escapes in strings (Snowflake); DuckDB keeps backslashes.
            return F("({0} " + op + " '" + pat.replace("\\", "\\\\") + "')", "BOOLEAN", self.expr(ctx, "str", depth),
                     dk="({0} " + op + " '" + pat + "')")
        if what == "sub":
            return self.sub_predicate(ctx, correlated=False)
        return self.conditional(ctx, "bool", depth)

    def expr_str(self, ctx, depth):
        rng = self.rng
        what = pick(rng, [(2, "func"), (1.5, "substr"), (1, "leftright"), (1, "replace"), (1.5, "concat"),
                          (1.5, "pipes"), (1, "cast"), (2, "cond"), (0.5, "pad")])
        s, n = self.expr(ctx, "str", depth), str(rng.randint(0, 4))
        if what == "func":
            return F(rng.choice(["LOWER", "UPPER", "TRIM", "LTRIM", "RTRIM", "REVERSE"]) + "({0})", "VARCHAR", s)
        if what == "substr":  # start >= 1 only: start 0 or negative differ between Snowflake and DuckDB
            return F("SUBSTR({0}, " + str(rng.randint(1, 5)) + rng.choice(["", ", " + n]) + ")", "VARCHAR", s)
        if what == "leftright":  # lengths >= 0 only (negative ones differ)
            if rng.random() < 0.5:
                return F("LEFT({0}, " + n + ")", "VARCHAR", s)
            return F("RIGHT({0}, " + n + ")", "VARCHAR", s, dk="right({0}, " + n + ")")
        if what == "replace":
            pat, to = rng.choice(["a", "l", "é", " ", "ab", "%"]), rng.choice(["", "X", "éé"])
            return F("REPLACE({0}, '" + pat + "', '" + to + "')", "VARCHAR", s)
        if what in ("concat", "pipes"):  # strings and integers (a double's text form may differ)
            args = [s] + [self.expr(ctx, "str", depth) if rng.random() < 0.7 else self.int_expr(ctx, depth)
                          for _ in range(rng.randint(1, 2))]
            duck = "(" + " || ".join("CAST({%d} AS VARCHAR)" % i for i in range(len(args))) + ")"
            if what == "concat":  # NULL-propagating in moviecol, NULL-skipping in DuckDB's concat
                return F("CONCAT(" + ", ".join("{%d}" % i for i in range(len(args))) + ")", "VARCHAR", *args, dk=duck)
            return F("(" + " || ".join("{%d}" % i for i in range(len(args))) + ")", "VARCHAR", *args, dk=duck)
        if what == "cast":
            k = pick(rng, [(3, "int"), (1, "bool"), (1, "date"), (1, "ts"), (0.5, "num")])
            x = self.int_expr(ctx, depth) if k == "int" else self.expr(ctx, k, depth)
            return F("CAST({0} AS VARCHAR)", "VARCHAR", x)
        if what == "pad":
            pad = rng.choice(["LPAD", "RPAD"]) + "({0}, " + str(rng.randint(0, 6)) + ", '" + rng.choice("xé") + "')"
            return F(pad, "VARCHAR", s)
        return self.conditional(ctx, "str", depth)

    def int_expr(self, ctx, depth):
        x = self.expr(ctx, "num", depth)
        return x if x.t != "DOUBLE" else F("LENGTH({0})", "BIGINT", self.expr(ctx, "str", 0))

    def expr_date(self, ctx, depth, kind="date"):
        """DATE or TIMESTAMP: a cast from the other one, DATE_TRUNC, TO_TIMESTAMP, a conditional."""
        rng, t, other = self.rng, KIND_TYPES[kind][0], "ts" if kind == "date" else "date"
        what = pick(rng, [(1, "cast"), (1, "trunc"), (1, "cond"), (0.3 if kind == "ts" else 0, "epoch")])
        if what == "cast":
            return F("CAST({0} AS " + t + ")", t, self.expr(ctx, other, depth))
        if what == "epoch":  # Unix seconds; TIMESTAMP WITH TIME ZONE (UTC here) in DuckDB
            return F("TO_TIMESTAMP({0})", t, self.int_expr(ctx, depth), dk="CAST(TO_TIMESTAMP({0}) AS TIMESTAMP)")
        if what == "trunc":  # DATE_TRUNC of a DATE is a DATE in moviecol, a TIMESTAMP in DuckDB
            part = rng.choice(["month", "year"] if kind == "date" else ["day", "hour", "month"])
            return F("DATE_TRUNC('" + part + "', {0})", t, self.expr(ctx, kind, depth),
                     dk="CAST(DATE_TRUNC('" + part + "', {0}) AS " + t + ")")
        return self.conditional(ctx, kind, depth)

    def expr_ts(self, ctx, depth):
        return self.expr_date(ctx, depth, "ts")

    # -- subqueries --
    def table(self, weights=((5, "t1"), (3, "t2"), (2, "t3"), (1, "t4"))):
        name, alias = pick(self.rng, list(weights)), self.alias()
        return name, alias, [E(f"{alias}.{c}", t=t) for c, t in TABLES[name][1]]

    def correlation(self, inner, outer):
        """inner = outer on two columns of one kind (plus a condition), or None."""
        pairs = [(i, o) for i in inner for o in outer if i.kind == o.kind and i.kind in ("num", "str")]
        if not pairs:
            return None
        eq = F("{0} = {1}", "BOOLEAN", *self.rng.choice(pairs))
        if self.rng.random() < 0.3:
            eq = F("{0} AND {1}", "BOOLEAN", eq, self.expr_bool(Ctx(inner, sub=False), 1))
        return eq

    def scalar_subquery(self, ctx, outer=None):
        """(SELECT <aggregate> FROM t z [WHERE ...]), correlated to `outer` columns when given."""
        name, z, cols = self.table()
        agg = self.aggregate(Ctx(cols, agg=True, sub=False), "num")
        where = self.correlation(cols, outer) if outer else None
        if where is None and self.rng.random() < 0.5:
            where = self.expr_bool(Ctx(cols, sub=False), 1)
        return F("(SELECT {0} FROM " + name + " " + z + "{1})", agg.t, agg,
                 E("") if where is None else F(" WHERE {0}", "BOOLEAN", where))

    def sub_predicate(self, ctx, correlated):
        """x [NOT] IN (SELECT ...), [NOT] EXISTS (...) or x <op> (SELECT <aggregate> ...)."""
        rng = self.rng
        what = rng.choice(["in", "exists", "scalar"])
        if what == "scalar":
            sub = self.scalar_subquery(ctx, ctx.cols if correlated else None)
            return F("({0} " + rng.choice(["=", "<", ">=", "<>"]) + " {1})", "BOOLEAN", self.expr(ctx, "num", 1), sub)
        name, z, cols = self.table()
        inner = Ctx(cols, sub=False)
        if what == "in":  # uncorrelated: moviecol refuses correlated NOT IN
            y = rng.choice(cols)
            args = [self.expr(ctx, y.kind, 1), y] + ([self.expr_bool(inner, 1)] if rng.random() < 0.6 else [])
            return F("({0} " + rng.choice(["", "NOT "]) + "IN (SELECT {1} FROM " + name + " " + z +
                     (" WHERE {2}" if len(args) > 2 else "") + "))", "BOOLEAN", *args)
        cond = (self.correlation(cols, ctx.cols) if correlated else None) or self.expr_bool(inner, 1)
        return F("(" + rng.choice(["", "NOT "]) + "EXISTS (SELECT 1 FROM " + name + " " + z + " WHERE {0}))",
                 "BOOLEAN", cond)

    # -- queries --
    def from_clause(self, nest):
        """FROM text (an E) and the columns it makes visible."""
        rng = self.rng
        what = pick(rng, [(5, "table"), (2, "join"), (1.5, "left"), (1, "using"), (1, "cross"),
                          (1.5 if nest < 2 else 0, "derived")])
        if what == "derived":
            inner, q = self.query(nest + 1, top=False), self.alias()
            return F("({0}) " + q, "VARCHAR", inner.e), [E(f"{q}.{inner.prefix}{i}", t=t)
                                                        for i, t in enumerate(inner.types)]
        small = ((3, "t3"), (1, "t4"), (1, "t2"))  # cross joins stay small
        n1, x, c1 = self.table(rng.choice([small, ((1, "t1"),)])) if what == "cross" else self.table()
        if what == "table":
            return E(f"{n1} {x}"), c1
        n2, y, c2 = self.table(small) if what == "cross" else self.table()
        if what == "cross":
            return E(n1 + " " + x + rng.choice([" CROSS JOIN ", ", "]) + n2 + " " + y), c1 + c2
        kw = {"join": "JOIN", "left": "LEFT JOIN", "using": rng.choice(["JOIN", "LEFT JOIN"])}[what]
        if what == "using":  # the USING column is named unqualified; the others keep their alias
            col, t = rng.choice([(c, t) for c, t in TABLES[n1][1] if c in dict(TABLES[n2][1])])
            cols = [E(col, t=t)] + [c for c in c1 + c2 if c.mc.split(".")[1] != col]
            return E(f"{n1} {x} {kw} {n2} {y} USING ({col})"), cols
        name = lambda e: e.mc.split(".")[-1]  # noqa: E731
        pairs = [(l, r) for l in c1 for r in c2 if l.kind == r.kind and l.kind != "bool" and
                 (name(l) == name(r) or {name(l), name(r)} == {"a", "k"})]  # mostly natural keys
        if not pairs or rng.random() < 0.2:
            pairs = [(l, r) for l in c1 for r in c2 if l.kind == r.kind]
        on = F("{0} = {1}", "BOOLEAN", *rng.choice(pairs))
        if rng.random() < 0.2:
            on = F("{0} AND {1}", "BOOLEAN", on, self.expr_bool(Ctx(c1 + c2, sub=False), 1))
        return F(f"{n1} {x} {kw} {n2} {y} ON {{0}}", "VARCHAR", on), c1 + c2

    def group_key(self, ctx):
        """A GROUP BY key: mostly a column, else -col, col || col, col % 3 or a small expression."""
        rng = self.rng
        what = pick(rng, [(5, "col"), (1.5, "neg"), (1, "pipes"), (1, "mod"), (2, "expr")])
        nums = [x for x in ctx.cols if x.kind == "num"]
        if what in ("neg", "mod") and nums:
            c = rng.choice(nums)
            return F("(-{0})", c.t, c) if what == "neg" else F("({0} % 3)", num_type(c), big(c))
        if what == "pipes":
            return F("({0} || {1})", "VARCHAR", rng.choice(ctx.cols), rng.choice(ctx.cols),
                     dk="(CAST({0} AS VARCHAR) || CAST({1} AS VARCHAR))")
        key = self.expr(Ctx(ctx.cols, sub=False), self.kind(), 1) if what == "expr" else None
        # A constant key such as (-7) is a GROUP BY position in both engines: keep a column in it.
        return key if key is not None and any(c.mc in key.mc for c in ctx.cols) else rng.choice(ctx.cols)

    def order_by(self, names, hidden=None):
        """ORDER BY every output column (a total order), maybe after a hidden key, maybe LIMIT;
        DuckDB gets moviecol's default NULLS FIRST/LAST spelled out."""
        rng = self.rng
        refs = [E(str(i + 1) if rng.random() < 0.5 else n) for i, n in enumerate(names)]
        rng.shuffle(refs)
        terms = []
        for ref in ([hidden] if hidden is not None else []) + refs:
            direction, nulls = rng.choice(["", " ASC", " DESC"]), rng.choice(["", "", " NULLS FIRST", " NULLS LAST"])
            default = " NULLS FIRST" if direction == " DESC" else " NULLS LAST"
            terms.append(F("{0}" + direction + nulls, "VARCHAR", ref, dk="{0}" + direction + (nulls or default)))
        tail = ""
        if rng.random() < 0.4:
            tail = f" LIMIT {rng.randint(0, 12)}" + (f" OFFSET {rng.randint(0, 5)}" if rng.random() < 0.4 else "")
        return F(" ORDER BY " + ", ".join("{%d}" % i for i in range(len(terms))) + tail, "VARCHAR", *terms)

    def select(self, nest, top, frm=None):
        rng = self.rng
        prefix = "c" if top else f"v{nest}"  # output names never equal a column of a derived table
        frm, cols = frm or self.from_clause(nest)
        ctx = Ctx(cols, sub=nest < 2)
        shape = pick(rng, [(4, "plain"), (4, "group"), (1.2, "global")])
        where = self.expr_bool(ctx, 2) if rng.random() < 0.55 else None
        if ctx.sub and rng.random() < 0.15:  # IN / EXISTS / scalar subquery, correlated or not
            sp = self.sub_predicate(ctx, correlated=rng.random() < 0.6)
            where = sp if where is None else F("{0} AND {1}", "BOOLEAN", where, sp)
        group = having = hidden = None
        if shape == "plain":
            items = [self.expr(ctx, self.kind(), rng.randint(0, 3)) for _ in range(rng.randint(1, 4))]
            if ctx.sub and rng.random() < 0.05:  # a correlated scalar subquery in the SELECT list
                items.append(self.scalar_subquery(ctx, cols))
            distinct = rng.random() < 0.25
            hidden = rng.choice(cols) if not distinct and rng.random() < 0.15 else None
        else:
            keys = [self.group_key(ctx) for _ in range(rng.randint(1, 3))] if shape == "group" else []
            actx = Ctx(cols, agg=True, keys=keys, sub=ctx.sub)
            shown = keys if rng.random() < 0.85 else keys[:-1]  # keys lead the SELECT list
            items = shown + [self.expr(actx, self.kind(), rng.randint(0, 2))
                             for _ in range(rng.randint(0 if shown else 1, 3))]
            if keys:  # GROUP BY expressions, positions or aliases
                style = rng.choice(["expr", "pos", "alias"])
                refs = [k if style == "expr" or k not in shown else E(str(i + 1) if style == "pos" else f"{prefix}{i}")
                        for i, k in enumerate(keys)]
                group = F(" GROUP BY " + ", ".join("{%d}" % i for i in range(len(refs))), "VARCHAR", *refs)
            having = self.expr_bool(actx, 1) if rng.random() < (0.35 if keys else 0.1) else None
            distinct = rng.random() < 0.1
            if not distinct and rng.random() < 0.12:  # an aggregate only in ORDER BY
                hidden = self.aggregate(actx, "num", exact=True)
        args = [frm] + items
        sql = "SELECT " + ("DISTINCT " if distinct else "") + ", ".join(
            "{%d} AS %s%d" % (i + 1, prefix, i) for i in range(len(items))) + " FROM {0}"
        ob, ordered = None, False
        if rng.random() < (0.5 if top else 0.15):
            ob = self.order_by([f"{prefix}{i}" for i in range(len(items))], hidden)
            ordered = top or "LIMIT" in ob.mc
            ob = ob if ordered else None  # an inner query is ordered only for a LIMIT
        elif top and rng.random() < 0.1:  # a partial order: compared as a set
            ob = E(" ORDER BY 1", " ORDER BY 1 NULLS LAST")
        for part, text in ((where, " WHERE "), (group, ""), (having, " HAVING "), (ob, "")):
            if part is not None:
                args.append(part)
                sql += text + "{%d}" % (len(args) - 1)
        return Q(F(sql, "VARCHAR", *args), [e.t for e in items], ordered, prefix)

    def union(self, nest, top):
        """2-3 SELECTs (over a table, or of constants) joined by UNION / UNION ALL."""
        rng = self.rng
        prefix, kinds, sides = "c" if top else f"v{nest}", [self.kind() for _ in range(rng.randint(1, 3))], []
        for _ in range(rng.randint(2, 3)):
            if rng.random() < 0.3:  # a row of constants
                items, frm = [literal(rng, rng.choice(KIND_TYPES[k])) for k in kinds], ""
            else:
                name, x, cols = self.table()
                items, frm = [self.expr(Ctx(cols, sub=False), k, rng.randint(0, 2)) for k in kinds], f" FROM {name} {x}"
                if rng.random() < 0.4:
                    items.append(self.expr_bool(Ctx(cols, sub=False), 1))
                    frm += " WHERE {%d}" % len(kinds)
            sql = "SELECT " + rng.choice(["", "", "", "DISTINCT "]) + ", ".join(
                "{%d} AS %s%d" % (i, prefix, i) for i in range(len(kinds))) + frm
            sides.append((F(sql, "VARCHAR", *items), items[:len(kinds)]))
        e = sides[0][0]
        for side, _ in sides[1:]:
            e = F("{0} " + rng.choice(["UNION", "UNION ALL"]) + " {1}", "VARCHAR", e, side)
        types = [common_type([s[1][i] for s in sides]) for i in range(len(kinds))]
        ordered = top and rng.random() < 0.5
        if ordered:
            e = F("{0}{1}", "VARCHAR", e, self.order_by([f"{prefix}{i}" for i in range(len(kinds))]))
        return Q(e, types, ordered, prefix)

    def query(self, nest=0, top=True):
        rng = self.rng
        what = pick(rng, [(10, "select"), (1.5, "union"), (1.2 if nest == 0 else 0, "cte"), (0.8, "nofrom")])
        if what == "union":
            return self.union(nest, top)
        if what == "nofrom":  # constants only: scalar functions on extreme values
            prefix = "c" if top else f"v{nest}"
            items = [self.expr(Ctx([], sub=False), self.kind(), rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]
            sql = "SELECT " + ", ".join("{%d} AS %s%d" % (i, prefix, i) for i in range(len(items)))
            return Q(F(sql, "VARCHAR", *items), [e.t for e in items], False, prefix)
        if what == "cte":  # read once, or twice in a self-join
            inner = self.query(1, top=False)
            cols = lambda q: [E(f"{q}.{inner.prefix}{i}", t=t) for i, t in enumerate(inner.types)]  # noqa: E731
            if rng.random() < 0.35 and inner.types[0] in ("INT", "BIGINT", "VARCHAR", "DOUBLE"):
                frm = (E(f"q q1 JOIN q q2 ON q1.{inner.prefix}0 = q2.{inner.prefix}0"), cols("q1") + cols("q2"))
            else:
                frm = (E("q"), cols("q"))
            outer = self.select(1, top, frm)
            return Q(F("WITH q AS ({0}) {1}", "VARCHAR", inner.e, outer.e), outer.types, outer.ordered, outer.prefix)
        return self.select(nest, top)


# A query: its SQL (an E), output types, whether it orders all its output, its output name prefix.
Q = collections.namedtuple("Q", "e types ordered prefix")


def generate(seed, i):
    """Query i of a seed: (moviecol SQL, DuckDB SQL, whether it orders all its output)."""
    q = Gen(random.Random(f"{seed}/{i}")).query()
    return q.e.mc, q.e.dk, q.ordered

# ---------------------------------------------------------------- running both engines


CRASH_RE = re.compile(r"Fatal error|Program crashed|\*\*\* Signal|Illegal instruction|Segmentation fault")
BACKTRACE = "enable=yes,symbolicate={},threads=crashed,registers=none,images=none,limit={},top=0"
CRASH_NAMES = {}  # crash site (fatal error text or frame addresses) -> name from a backtrace
FRAME_RE = re.compile(r"^\s*\d+ .*?0x[0-9a-f]+ (?:\[\w+\] )*(.+?) \+ \d+ in moviecol(?: at (\S+))?", re.M)
DECODER = json.JSONDecoder(object_pairs_hook=lambda pairs: [v for _, v in pairs])  # keeps duplicate names


def crash_text(err, symbols):
    """A crash's fatal error text, else (a trap prints none): with symbols, its first moviecol
    frame; without, the addresses of its top frames, its site (one trap instruction serves a
    whole function, so the callers tell sites apart)."""
    fatal = re.search(r"Fatal error: [^\n]*", err)
    if fatal:
        return fatal.group(0) if symbols else re.sub(r"\d+", "N", fatal.group(0))
    for func, where in FRAME_RE.findall(err) if symbols else []:
        if "compiler-generated" not in (where or "") and "protocol witness" not in func:
            return f"trap in {func} ({os.path.basename(where or '?')})"
    frames = re.findall(r"^\s*\d+ .*?(0x[0-9a-f]+)", err.split("crashed:")[-1], re.M)
    return " ".join(frames) if frames else " | ".join(l.strip() for l in err.splitlines() if l.strip())[-200:]


def wrapper():
    """stdbuf -oL: a crash must not lose the buffered output of the statements before it.
    setarch -R (no address randomization): a crash site keeps its addresses from run to run."""
    ok = lambda cmd: shutil.which(cmd[0]) and subprocess.run(cmd + ["true"], capture_output=True).returncode == 0
    return [w for cmd in (["setarch", "-R"], ["stdbuf", "-oL"]) if ok(cmd) for w in cmd]


WRAPPER = wrapper()


def run_moviecol_process(binary, db, sqls, path, timeout, symbols=False):
    """One process over `sqls`, a marker SELECT after each: (rows of the statements that finished,
    in order; the outcome of the next one if the process stopped early, else None)."""
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{q};\nSELECT 'MARK{j}' AS mcmark;\n" for j, q in enumerate(sqls))
    cmd = WRAPPER + [binary, "query", "--db", db, "--format", "json", "-f", path]
    env = dict(os.environ, SWIFT_BACKTRACE=BACKTRACE.format("fast", 12) if symbols else BACKTRACE.format("off", 6))
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        out, err, rc = proc.stdout.decode(errors="replace"), proc.stderr.decode(errors="replace"), proc.returncode
    except subprocess.TimeoutExpired as e:
        out, err, rc = (e.stdout or b"").decode(errors="replace"), f"timeout after {timeout} s", None
    done, pending, pos = [], None, 0
    while True:  # a sequence of JSON arrays: each statement's, then its marker's
        while pos < len(out) and out[pos].isspace():
            pos += 1
        try:
            val, pos = DECODER.raw_decode(out, pos)
        except ValueError:
            break  # the end, or output cut off by an error or a crash
        if val == [[f"MARK{len(done)}"]]:
            done.append(pending or [])
            pending = None
        else:
            pending = val
    if len(done) == len(sqls):
        return done, None
    if rc is None or rc < 0 or rc >= 128 or CRASH_RE.search(err):
        return done, ("crash", crash_text(err, symbols), rc)
    return done, ("error", " ".join(err.strip().splitlines()[:1])[:300] or f"exit {rc}, no message")


def run_moviecol(binary, db, sqls, path, timeout=60):
    """Outcomes of all statements: ('ok', rows) | ('error', msg) | ('crash', msg). After an error
    the batch goes on in a new process; the first crash at a site is rerun alone, with symbols."""
    results = []
    while len(results) < len(sqls):
        done, stop = run_moviecol_process(binary, db, sqls[len(results):], path, timeout)
        results += [("ok", rows) for rows in done]
        if stop and stop[0] == "crash":
            site = stop[1]
            if site not in CRASH_NAMES:
                alone, again = run_moviecol_process(binary, db, [sqls[len(results)]], path, timeout, symbols=True)
                if alone or again[0] != "crash":  # no crash alone: keep that outcome
                    results.append(("ok", alone[0]) if alone else again)
                    continue
                CRASH_NAMES[site] = again[1]
            stop = ("crash", f"exit {stop[2]}: {CRASH_NAMES[site]}")
        if stop:
            results.append(stop)
    return results


def run_duckdb(con, sql):
    try:
        return ("ok", con.execute(sql).fetchall())
    except Exception as e:  # noqa: BLE001 - any DuckDB error is an outcome
        return ("error", str(e).splitlines()[0][:300])

# ---------------------------------------------------------------- comparing


def norm(v):
    """A value as (kind, value): NULL, number, boolean or text (dates as moviecol prints them)."""
    if v is None:
        return None
    if isinstance(v, float) and (v != v or abs(v) == float("inf")):
        return ("x", "NaN" if v != v else "Infinity" if v > 0 else "-Infinity")
    if isinstance(v, str) and v in ("NaN", "Infinity", "-Infinity"):
        return ("x", v)  # moviecol's JSON form of a non-finite double
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, decimal.Decimal):
        return ("n", int(v) if v == v.to_integral_value() else float(v))
    if isinstance(v, (int, float)):
        return ("n", v)
    if isinstance(v, str) and " (BC)" in v:
        # DuckDB writes years before 1 as `17698-04-02 (BC) ...`; moviecol as ISO 8601's
        # astronomical year (-17697: year 0 is 1 BC).
        m = re.match(r"(\d+)(-.*?) \(BC\)(.*)", v)
        if m:
            return ("s", f"-{int(m.group(1)) - 1:04d}{m.group(2)}{m.group(3)}" if int(m.group(1)) > 1
                    else f"0000{m.group(2)}{m.group(3)}")
    return ("s", canon(v) if isinstance(v, (datetime.date, datetime.datetime)) else str(v))


def same(a, b):
    if a is None or b is None or a[0] != b[0]:
        return a == b
    x, y = a[1], b[1]
    if a[0] != "n" or (isinstance(x, int) and isinstance(y, int)):
        return x == y  # integers exactly: 2^63-1 and 2^63-2 are the same double
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def row_key(row, digits=None):
    """A row's sort key; with `digits`, numbers rounded (2^63-1 as an int and as a double agree)."""
    num = (lambda x: float(f"{float(x):.{digits}g}")) if digits else float
    return tuple((0,) if v is None else (1, v[1]) if v[0] == "b" else (2, num(v[1])) if v[0] == "n"
                 else (3, v[1]) for v in row)


def zero_signs_only(ours, theirs):
    """Whether the results agree once -0.0 and 0.0 (also inside text) are one value."""
    def fold(rows):
        out = set()
        for r in rows:
            row = []
            for v in r:
                if v is not None and v[0] == "n" and v[1] == 0:
                    v = ("n", 0)
                elif v is not None and v[0] == "s":
                    v = ("s", re.sub(r"(?<![\d.])-0\.0(?![\d])", "0.0", v[1]))
                row.append(v)
            out.add(tuple(row))
        return out
    # A group of 0.0 and -0.0 shows whichever sign (DuckDB: the first row's), and text made
    # from it differs, so groups built on that text can split differently too.
    return any("-0.0" in str(r) for r in ours + theirs)


def without_floats(rows):
    """The rows with every non-integer number (and text holding one) blanked, to compare what
    floating sums leave."""
    def blank(v):
        if v is not None and v[0] == "n" and isinstance(v[1], float):
            return ("f", None)
        if v is not None and v[0] == "s" and re.fullmatch(r"-?\d+\.\d*(e[-+]?\d+)?|-?\d+e[-+]?\d+", v[1]):
            return ("f", None)
        return v
    return [[blank(v) for v in r] for r in rows]


def rows_same(a, b):
    return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))


def rows_equal(ours, theirs, ordered):
    if len(ours) != len(theirs):
        return False
    if ordered:
        return all(rows_same(a, b) for a, b in zip(ours, theirs))
    if all(rows_same(a, b) for a, b in zip(sorted(ours, key=row_key), sorted(theirs, key=row_key))):
        return True
    buckets = {}  # sorting can pair rows wrongly (tolerance, int vs double): match within buckets
    for row in theirs:
        buckets.setdefault(row_key(row, 6), []).append(row)
    for row in ours:
        candidates = buckets.get(row_key(row, 6), [])
        match = next((i for i, other in enumerate(candidates) if rows_same(row, other)), None)
        if match is None:
            return False
        candidates.pop(match)
    return True


def signature(kind, msg):
    """Failures grouped by what went wrong, without the values and names that vary."""
    if kind != "crash":
        msg = re.sub(r"'[^']*'|\"[^\"]*\"|\(.*?\)", "_", msg)
    return f"{kind}: " + re.sub(r"0x[0-9a-f]+|-?\d+(\.\d+)?(e[+-]?\d+)?", "N", msg)[:120]


def duck_errors(con, sql):
    return run_duckdb(con, sql)[0] == "error"


def classify(con, moviecol_errors, mc_sql, mc, dk):
    """(verdict, signature, detail) where the outcomes alone decide: verdict 'pass', 'fail',
    'explained' (a documented difference), or None when both answered (compare the rows).
    moviecol_errors(sql) runs a probe statement on moviecol."""
    if mc[0] == "crash":
        return "fail", signature("crash", mc[1]), mc[1]
    if mc[0] == "error" and dk[0] == "error":
        return "pass", None, None
    if dk[0] == "error":
        # The mirror case of evaluation order (below): DuckDB overflowed where moviecol did not
        # evaluate; excused when moviecol errors on the same operands (else it wraps silently).
        ovf = re.search(r"Overflow in \w+ of INT64 \((-?\d+) ([-+*]) (-?\d+)\)", dk[1])
        cast = re.search(r"Type (DOUBLE|INT64) with value (\S+) can't be cast .* type INT(32|64)", dk[1])
        absval = re.search(r"Overflow on abs\((-?\d+)\)", dk[1])
        probe = "SELECT CAST('{}' AS BIGINT) {} CAST('{}' AS BIGINT)".format(*ovf.groups()) if ovf else \
            f"SELECT CAST(CAST('{cast.group(2)}' AS {'DOUBLE' if cast.group(1) == 'DOUBLE' else 'BIGINT'}) " \
            f"AS {'INT' if cast.group(3) == '32' else 'BIGINT'})" if cast else \
            "SELECT -CAST('-9223372036854775808' AS BIGINT)" if "Overflow in negation" in dk[1] else \
            f"SELECT ABS(CAST('{absval.group(1)}' AS BIGINT))" if absval else None
        if "Epoch seconds out of range" in dk[1]:
            probe = "SELECT TO_TIMESTAMP(9223372036854775807)"
        if "Type INT128 with value" in dk[1]:  # DuckDB widened -(smallest BIGINT) and cast it back
            probe = "SELECT -x FROM (SELECT CAST('-9223372036854775808' AS BIGINT) AS x) q"
        if probe and moviecol_errors(probe):
            return "explained", "evaluation order: DuckDB hit a genuine overflow moviecol did not evaluate", dk[1]
        # DuckDB folds a failing constant cast when it binds the query, even where no row reaches it.
        bad = re.search(r"Could not convert string '(.*?)' to", dk[1])
        if bad and "CAST('" + bad.group(1).replace("'", "''") + "' AS" in mc_sql:
            return "explained", "DuckDB folds a failing constant cast that no row reaches", dk[1]
        return "fail", signature("moviecol answers, DuckDB errors", dk[1]), f"duckdb: {dk[1]}\n  moviecol: {mc[1][:3]}"
    if mc[0] == "ok":
        return None, None, None
    msg, lit = mc[1], lambda v: v if not v.startswith("-") else f"({v})"
    ovf = re.search(r"integer overflow in (-?\d+) ([-+*%]) (-?\d+)", msg)
    bad = re.search(r"could not convert string '(.*)' to", msg)
    rng = re.search(r"Conversion Error: (\S+) is out of range for (INT|BIGINT)", msg)
    if "overflow in SUM" in msg:
        return "explained", "a SUM past BIGINT is an error in moviecol; DuckDB returns a HUGEINT", msg
    # moviecol folds constant subexpressions up front: a failing constant errors even where
    # DuckDB never evaluates it (no row reaches it, a CASE branch not taken).
    if (bad and "CAST('" + bad.group(1).replace("'", "''") + "' AS" in mc_sql) or \
            (ovf and f"({lit(ovf.group(1))} {ovf.group(2)} {lit(ovf.group(3))})" in mc_sql):
        return "explained", "moviecol evaluates a failing constant expression DuckDB never reaches", msg
    # A genuine overflow (DuckDB errors on the same operands) in rows or branches that DuckDB did
    # not evaluate (filter order, pruning): SQL leaves evaluation order open. An out-of-range
    # value that is a literal of the query is not excused (IN lists cast their constants).
    absolute = re.search(r"integer overflow in ABS\((-?\d+)\)", msg)
    negation = re.search(r"integer overflow in -\((-?\d+)\) \(out of range for (INT|BIGINT)\)", msg)
    epoch = re.search(r"epoch seconds (\S+) are out of range", msg)
    if (ovf and ovf.group(2) != "%" and duck_errors(con, "SELECT CAST('{}' AS BIGINT) {} CAST('{}' AS BIGINT)"
                                                     .format(*ovf.groups()))) or \
            (rng and duck_errors(con, f"SELECT CAST(ROUND(CAST('{rng.group(1)}' AS DOUBLE)) AS {rng.group(2)})")) or \
            (absolute and duck_errors(con, f"SELECT ABS(x) FROM (SELECT CAST('{absolute.group(1)}' AS BIGINT) AS x)")) or \
            (negation and duck_errors(con, f"SELECT -x FROM (SELECT CAST('{negation.group(1)}' AS {negation.group(2)}) AS x)")) or \
            (epoch and duck_errors(con, f"SELECT TO_TIMESTAMP({epoch.group(1)})")):
        return "explained", "evaluation order: moviecol hit a genuine overflow DuckDB did not evaluate", msg
    return "fail", signature("moviecol error, DuckDB answers", msg), f"moviecol: {msg}\n  duckdb: {dk[1][:3]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=".build/release/moviecol")
    ap.add_argument("--work", default=".build/random-sql", help="scratch folder (warehouse, failures.txt)")
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--time-limit", type=float, default=300, help="stop generating after this many seconds")
    ap.add_argument("--batch", type=int, default=200, help="queries per moviecol process")
    ap.add_argument("--only", type=int, help="run query N of the seed alone and print both SQLs and results")
    ap.add_argument("--show", type=int, default=2, help="examples printed per failure signature")
    args = ap.parse_args()
    binary, work = os.path.abspath(args.binary), os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    t0 = time.time()
    db, con = build(binary, work)
    moviecol_errors = lambda sql: subprocess.run(  # noqa: E731
        [binary, "query", "--db", db, "-c", sql], capture_output=True).returncode != 0
    indexes = [args.only] if args.only is not None else range(args.queries)
    counts, groups = collections.Counter(), collections.defaultdict(list)
    with open(os.path.join(work, "failures.txt"), "w", encoding="utf-8") as log:
        for b in range(0, len(indexes), args.batch):
            if time.time() - t0 > args.time_limit:
                print(f"time limit of {args.time_limit:.0f} s reached: stopped generating")
                break
            batch = [(i,) + generate(args.seed, i) for i in indexes[b:b + args.batch]]
            for (i, mc_sql, dk_sql, ordered), mc in zip(batch, run_moviecol(binary, db, [q[1] for q in batch],
                                                                             os.path.join(work, "batch.sql"))):
                dk = run_duckdb(con, dk_sql)
                verdict, sig, detail = classify(con, moviecol_errors, mc_sql, mc, dk)
                if verdict is None:
                    ours, theirs = [[norm(v) for v in r] for r in mc[1]], [[norm(v) for v in r] for r in dk[1]]
                    verdict = "pass" if rows_equal(ours, theirs, ordered) else "fail"
                    sig = "mismatch: " + ("row count" if len(ours) != len(theirs) else "values")
                    if verdict == "fail" and re.search(r"\b(AVG|SUM)\(", mc_sql) and len(ours) == len(theirs):
                        # Floating sums in another row order differ in the last digits (or far
                        # more when values near 1e300 cancel), and so does the order of rows
                        # sorted by them; the rest of each row must still agree.
                        if (ordered and rows_equal(ours, theirs, False)) or \
                                rows_equal(without_floats(ours), without_floats(theirs), False):
                            verdict, sig = "explained", "floating-point sums that differ by summation order"
                    if verdict == "fail" and zero_signs_only(ours, theirs):
                        verdict, sig = "explained", "-0.0 and 0.0 group as one value; which sign a group shows differs"
                    detail = (f"moviecol ({len(ours)} rows): {mc[1][:6]}\n  duckdb   ({len(theirs)} rows): "
                              f"{[list(r) for r in dk[1][:6]]}")
                if args.only is not None:
                    print(f"moviecol: {mc_sql}\nduckdb:   {dk_sql}\nmoviecol -> {mc}\nduckdb   -> {dk}")
                counts[verdict] += 1
                if verdict != "pass":
                    groups[sig].append((i, mc_sql, dk_sql, detail, verdict))
                    log.write(f"[{verdict}] #{i} {sig}\n  moviecol SQL: {mc_sql}\n  duckdb SQL:   {dk_sql}\n"
                              f"  {detail}\n\n")
    for sig, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {len(items)} x [{items[0][4]}] {sig}")
        for i, mc_sql, dk_sql, detail, _ in sorted(items, key=lambda it: len(it[1]))[:args.show]:
            print(f"  #{i}: {mc_sql}" + (f"\n    duckdb SQL: {dk_sql}" if dk_sql != mc_sql else ""))
            print("    " + detail.replace("\n", "\n    "))
    print(f"\nseed {args.seed}: ran {sum(counts.values())} queries in {time.time() - t0:.1f} s: {counts['pass']} "
          f"passed, {counts['explained']} explained (dialect), {counts['fail']} failed; see {work}/failures.txt")
    print(f"{counts['pass']} passed, {counts['fail']} failed")
    sys.exit(1 if counts["fail"] else 0)


if __name__ == "__main__":
    main()
