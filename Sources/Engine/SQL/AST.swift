// The syntax tree of the SQL moviecol understands, as the parser builds it: names are
// still names, types are still unknown. The binder turns it into a typed plan.

import Columnar

/// An expression with its position in the statement.
public struct Expr: Sendable {
    public indirect enum Kind: Sendable {
        case column([String])
        case literal(Value)
        case star(qualifier: String?)
        case unary(op: UnaryOperator, Expr)
        case binary(op: BinaryOperator, Expr, Expr)
        /// `name([DISTINCT] args [ORDER BY ...]) [WITHIN GROUP (ORDER BY ...)] [FILTER (WHERE ...)]`
        case function(name: String, args: [Expr], distinct: Bool, star: Bool, clauses: CallClauses)
        /// `name(args) [IGNORE NULLS] OVER (...)`: a window function, or an aggregate over a window.
        case window(WindowCall)
        case cast(Expr, LogicalType)
        case isNull(Expr, negated: Bool)
        case inList(Expr, [Expr], negated: Bool)
        case inSubquery(Expr, SelectStatement, negated: Bool)
        case exists(SelectStatement, negated: Bool)
        /// `(SELECT ...)` used as a value: one column, at most one row.
        case scalarSubquery(SelectStatement)
        case between(Expr, Expr, Expr, negated: Bool)
        case like(Expr, Expr, caseInsensitive: Bool, negated: Bool)
        case caseWhen(operand: Expr?, whens: [(Expr, Expr)], otherwise: Expr?)
        case subscript_(Expr, Expr)
    }

    public var kind: Kind
    public var position: Int
    /// Levels of expression nodes from here to the deepest leaf (a leaf is 1). Later stages
    /// recurse over the tree, so the parser bounds it (see `Parser.maxDepth`).
    public private(set) var height: Int

    public init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
        var below = 0
        func see(_ e: Expr?) { if let e, e.height > below { below = e.height } }
        switch kind {
        case .column, .literal, .star, .exists, .scalarSubquery: break
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _), .inSubquery(let x, _, _): see(x)
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): see(a); see(b)
        case .between(let a, let b, let c, _): see(a); see(b); see(c)
        case .inList(let x, let items, _): see(x); items.forEach(see)
        case .function(_, let args, _, _, let clauses): args.forEach(see); clauses.expressions.forEach(see)
        case .window(let w): w.expressions.forEach(see)
        case .caseWhen(let o, let whens, let otherwise):
            see(o)
            for (w, t) in whens { see(w); see(t) }
            see(otherwise)
        }
        height = below + 1
    }

    /// The expressions directly inside this one (not inside its subqueries).
    public var children: [Expr] {
        switch kind {
        case .column, .literal, .star, .exists, .scalarSubquery: return []
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _), .inSubquery(let x, _, _): return [x]
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): return [a, b]
        case .between(let a, let b, let c, _): return [a, b, c]
        case .inList(let x, let items, _): return [x] + items
        case .function(_, let args, _, _, let clauses): return args + clauses.expressions
        case .window(let w): return w.expressions
        case .caseWhen(let o, let whens, let otherwise):
            return (o.map { [$0] } ?? []) + whens.flatMap { [$0.0, $0.1] } + (otherwise.map { [$0] } ?? [])
        }
    }

    /// Whether `test` holds for this expression or one inside it (not inside subqueries).
    public func contains(where test: (Expr) -> Bool) -> Bool {
        test(self) || children.contains { $0.contains(where: test) }
    }

    /// `replace` applied from the root down: where it returns an expression, that takes the
    /// node's place; elsewhere the children are rewritten (subqueries are left as they are).
    public func rewritten(_ replace: (Expr) -> Expr?) -> Expr {
        if let r = replace(self) { return r }
        func sub(_ e: Expr) -> Expr { e.rewritten(replace) }
        let kind: Kind
        switch self.kind {
        case .column, .literal, .star, .exists, .scalarSubquery: return self
        case .unary(let op, let x): kind = .unary(op: op, sub(x))
        case .cast(let x, let t): kind = .cast(sub(x), t)
        case .isNull(let x, let n): kind = .isNull(sub(x), negated: n)
        case .inSubquery(let x, let q, let n): kind = .inSubquery(sub(x), q, negated: n)
        case .binary(let op, let a, let b): kind = .binary(op: op, sub(a), sub(b))
        case .like(let a, let b, let ci, let n): kind = .like(sub(a), sub(b), caseInsensitive: ci, negated: n)
        case .subscript_(let a, let b): kind = .subscript_(sub(a), sub(b))
        case .between(let a, let b, let c, let n): kind = .between(sub(a), sub(b), sub(c), negated: n)
        case .inList(let x, let items, let n): kind = .inList(sub(x), items.map(sub), negated: n)
        case .function(let name, let args, let d, let s, let clauses):
            let rewrittenClauses = CallClauses(orderBy: clauses.orderBy.map { OrderItem(expr: sub($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) },
                                               filter: clauses.filter.map(sub))
            kind = .function(name: name, args: args.map(sub), distinct: d, star: s, clauses: rewrittenClauses)
        case .window(var w):
            w.args = w.args.map(sub)
            w.clauses = CallClauses(orderBy: w.clauses.orderBy.map { OrderItem(expr: sub($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) },
                                    filter: w.clauses.filter.map(sub))
            w.over.partitionBy = w.over.partitionBy.map(sub)
            w.over.orderBy = w.over.orderBy.map { OrderItem(expr: sub($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
            kind = .window(w)
        case .caseWhen(let o, let whens, let otherwise):
            kind = .caseWhen(operand: o.map(sub), whens: whens.map { (sub($0.0), sub($0.1)) }, otherwise: otherwise.map(sub))
        }
        return Expr(kind, at: position)
    }
}

/// What may follow an aggregate's arguments: the order it reads its values in (`ORDER BY`
/// inside the parentheses as DuckDB writes it, or `WITHIN GROUP (ORDER BY ...)`), and the
/// rows it reads (`FILTER (WHERE ...)`).
public struct CallClauses: Sendable {
    public var orderBy: [OrderItem] = []
    public var filter: Expr?

    public init(orderBy: [OrderItem] = [], filter: Expr? = nil) {
        self.orderBy = orderBy
        self.filter = filter
    }

    public static let none = CallClauses()
    public var isEmpty: Bool { orderBy.isEmpty && filter == nil }
    public var expressions: [Expr] { orderBy.map(\.expr) + (filter.map { [$0] } ?? []) }
}

/// A FROM-clause item.
public indirect enum TableRef: Sendable {
    case table(name: [String], alias: String?, position: Int)
    /// A table as it was at an earlier version: `t AT(VERSION => 12)`, `t BEFORE(TIMESTAMP => ...)`.
    case history(name: [String], point: TimeTravel, alias: String?, position: Int)
    case subquery(SelectStatement, alias: String?)
    case join(left: TableRef, right: TableRef, kind: JoinKind, on: Expr?, using: [String])
    /// `LATERAL FLATTEN(input => expr) [alias]` or `UNNEST(expr) [alias]`, joined to what precedes it.
    case flatten(input: Expr, alias: String?, unnest: Bool)
    /// A table function: `read_csv('f.csv', header = true)`; `FROM 'f.csv'` is `read_csv_auto`.
    case function(name: String, args: [Expr], named: [(name: String, value: Expr)], alias: String?, position: Int)
    /// `input PIVOT (SUM(x) FOR c IN (...)) [alias]`: one row per group, one column per value.
    case pivot(input: TableRef, PivotClause, alias: String?, position: Int)
    /// `input UNPIVOT [INCLUDE NULLS] (v FOR n IN (a, b)) [alias]`: one row per listed column.
    case unpivot(input: TableRef, UnpivotClause, alias: String?, position: Int)
    /// `input SAMPLE (10)`, `TABLESAMPLE BERNOULLI (10) SEED (7)`, `SAMPLE (100 ROWS)`,
    /// DuckDB's `USING SAMPLE 10%`: some of the input's rows.
    case sample(input: TableRef, SampleClause, position: Int)
}

/// How much of its input a SAMPLE keeps: a percentage of rows, each kept alone with that
/// probability, or a number of rows; a seed makes it repeatable.
public struct SampleClause: Sendable {
    public var amount: Expr
    public var rows: Bool
    public var seed: Expr?
}

/// `PIVOT (agg(x) [AS a], ... FOR column IN (value [AS a], ... | ANY [ORDER BY ...] | query)
/// [DEFAULT ON NULL (expr)])`, as Snowflake and DuckDB write it.
public struct PivotClause: Sendable {
    public enum Values: Sendable {
        case list([(value: Expr, alias: String?)])
        /// `ANY [ORDER BY ...]`: every distinct value of the column, found when the query runs.
        case any(orderBy: [OrderItem])
        /// `IN (SELECT ...)`: the query's values.
        case query(SelectStatement)
    }
    public var aggregates: [(call: Expr, alias: String?)]
    public var column: Expr
    public var values: Values
    public var defaultOnNull: Expr?
    /// DuckDB's `PIVOT t ON c USING ... GROUP BY g`: the group columns, when named (otherwise
    /// every column neither pivoted nor aggregated).
    public var groupBy: [Expr]? = nil
}

/// `UNPIVOT [INCLUDE | EXCLUDE NULLS] (value FOR name IN (column [AS label], ...))`.
public struct UnpivotClause: Sendable {
    public var valueColumn: String
    public var nameColumn: String
    public var columns: [(name: String, label: String?, position: Int)]
    public var includeNulls: Bool
}

/// Snowflake's time travel clause: `AT | BEFORE (VERSION | TIMESTAMP | OFFSET => expr)`.
public struct TimeTravel: Sendable {
    public enum Kind: String, Sendable {
        /// A version number (`moviecol versions` lists them).
        case version
        /// A point in time: the version current then.
        case timestamp
        /// Seconds relative to now (negative: in the past).
        case offset
    }
    public var kind: Kind
    public var value: Expr
    /// BEFORE: the version just before that point, not at it.
    public var before: Bool

    public init(kind: Kind, value: Expr, before: Bool) {
        self.kind = kind
        self.value = value
        self.before = before
    }
}

/// How a join combines its inputs. In a plan the first input is the probe side and the
/// second the build side (see `Plan.join`); in SQL, the left and the right. `left` keeps the
/// first input's rows without a partner, `right` the second's. `semi` and `anti` keep rows of
/// the first that have (or lack) a partner, as EXISTS / NOT EXISTS and IN do;
/// `nullAwareAnti` is NOT IN, where a NULL on either side makes the answer unknown (a NULL in
/// the subquery keeps no row at all).
public enum JoinKind: String, Sendable {
    /// `right` keeps the build input's rows without a partner; `full` keeps both inputs'.
    case inner, left, right, full, cross, semi, anti
    case nullAwareAnti = "anti (not in)"
    /// ASOF JOIN in SQL only (the binder makes it a `Plan.asofJoin`): each left row joins the
    /// right row nearest in time among those with equal keys; `asofLeft` keeps the left rows
    /// without one.
    case asof, asofLeft = "asof left"

    /// Whether only the first input's columns come out (semi and anti joins).
    public var keepsProbeOnly: Bool { self == .semi || self == .anti || self == .nullAwareAnti }
}

/// `SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... WINDOW ... QUALIFY ...`
public struct SelectCore: Sendable {
    public var distinct = false
    /// `SELECT DISTINCT ON (a, b)`: the first row of each (a, b), in the statement's order.
    /// The parser turns it into a QUALIFY once the ORDER BY is known (see `Parser.distinctOn`).
    public var distinctOn: [Expr]?
    public var items: [(expr: Expr, alias: String?)] = []
    public var from: TableRef?
    public var whereClause: Expr?
    public var groupBy: [Expr] = []
    /// `GROUP BY ROLLUP / CUBE / GROUPING SETS`: the sets, as positions in `groupBy` (nil:
    /// one set of every `groupBy` expression).
    public var groupingSets: [[Int]]?
    /// `GROUP BY ALL`: every SELECT item without an aggregate.
    public var groupByAll = false
    public var having: Expr?
    /// `WINDOW name AS (...)`, in order.
    public var windows: [(name: String, spec: WindowSpec)] = []
    /// Snowflake's `QUALIFY`: a filter on the rows after window functions.
    public var qualify: Expr?
    /// `* EXCLUDE / RENAME / REPLACE (...)`, by the position of the `*` item.
    public var starModifiers: [Int: StarModifiers] = [:]
    /// Snowflake's `SELECT TOP n`: the statement's LIMIT (the parser moves it there; left
    /// here only in a branch of a set operation, where it is refused).
    public var top: Expr?
}

/// What follows a `*` in a SELECT list: columns left out (`EXCLUDE`, Snowflake and DuckDB),
/// renamed (`RENAME a AS b`, Snowflake) or computed anew in their place (`REPLACE (expr AS
/// a)`, DuckDB and Snowflake).
public struct StarModifiers: Sendable {
    /// `* ILIKE 'pattern'` (Snowflake) / `* LIKE 'pattern'`: only the columns whose names match.
    public var like: (pattern: String, caseInsensitive: Bool)?
    public var exclude: [String] = []
    public var rename: [(from: String, to: String)] = []
    public var replace: [(expr: Expr, column: String)] = []
    public init() {}
}

/// A window function call as written.
public struct WindowCall: Sendable {
    public var name: String
    public var args: [Expr]
    public var distinct: Bool
    public var star: Bool
    /// `IGNORE NULLS` (LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE).
    public var ignoreNulls: Bool
    public var over: WindowSpec
    /// An aggregate's `FILTER (WHERE ...)` and `WITHIN GROUP (ORDER BY ...)`.
    public var clauses: CallClauses = .none

    /// Every expression inside: arguments, partition keys, order keys, frame offsets.
    public var expressions: [Expr] {
        var out = args + over.partitionBy + over.orderBy.map(\.expr) + clauses.expressions
        for bound in [over.frame?.start, over.frame?.end] {
            switch bound {
            case .preceding(let e)?, .following(let e)?: out.append(e)
            default: break
            }
        }
        return out
    }
}

/// `OVER (...)`: which rows a window function sees, in what order.
public struct WindowSpec: Sendable {
    /// A named window this one starts from (`OVER w`, `OVER (w ORDER BY x)`).
    public var base: String?
    public var partitionBy: [Expr] = []
    public var orderBy: [OrderItem] = []
    public var frame: WindowFrame?

    public init(base: String? = nil, partitionBy: [Expr] = [], orderBy: [OrderItem] = [], frame: WindowFrame? = nil) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `ROWS | RANGE BETWEEN start AND end`.
public struct WindowFrame: Sendable {
    /// ROWS counts rows, RANGE compares the order key's value, GROUPS counts peer groups.
    public enum Unit: String, Sendable { case rows = "ROWS", range = "RANGE", groups = "GROUPS" }
    public enum Bound: Sendable {
        case unboundedPreceding, preceding(Expr), currentRow, following(Expr), unboundedFollowing
    }
    public var unit: Unit
    public var start: Bound
    public var end: Bound
}

/// A query body: one SELECT, or a UNION of bodies.
public indirect enum QueryBody: Sendable {
    case select(SelectCore)
    case union(QueryBody, QueryBody, all: Bool)
    /// `UNION [ALL] BY NAME` (DuckDB, Snowflake): columns matched by name, not position; a
    /// name only one side has is NULL on the other.
    case unionByName(QueryBody, QueryBody, all: Bool)
    /// `EXCEPT` (Snowflake also writes `MINUS`) and `INTERSECT`: distinct rows, or with ALL
    /// as many copies as the multiset difference or intersection keeps.
    case setOperation(QueryBody, QueryBody, SetOperator, all: Bool)
    /// `VALUES (a, b), (c, d)`: rows of constants (columns `column1`, `column2`, ... as in
    /// Snowflake, or named by an alias list: `(VALUES ...) AS t(x, y)`).
    case values([[Expr]])
}

public enum SetOperator: String, Sendable {
    case except = "EXCEPT", intersect = "INTERSECT"
}

/// An ORDER BY item.
public struct OrderItem: Sendable {
    public var expr: Expr
    public var descending: Bool
    /// nil: the default (NULLS LAST for ASC, NULLS FIRST for DESC, as Snowflake does).
    public var nullsFirst: Bool?
}

/// A whole query.
public struct SelectStatement: Sendable {
    public var ctes: [(name: String, query: SelectStatement)] = []
    public var body: QueryBody
    public var orderBy: [OrderItem] = []
    public var limit: Expr?
    /// DuckDB's `LIMIT 10%` / `LIMIT 10 PERCENT`: `limit` is a percentage of the rows.
    public var limitPercent = false
    public var offset: Expr?
    /// `WITH t(a, b) AS (...)`: names for the CTE's columns, in order.
    public var columnAliases: [String]?
}

/// A statement.
public enum Statement: Sendable {
    case select(SelectStatement)
    case explain(SelectStatement, analyze: Bool)
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name AS query`
    case createTable(name: [String], orReplace: Bool, ifNotExists: Bool, query: SelectStatement)
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (column type, ...)`: an empty table.
    case createEmptyTable(name: [String], orReplace: Bool, ifNotExists: Bool, columns: [ColumnSpec], keys: [TableKey])
    /// `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name CLONE source [AT | BEFORE (...)]`: a copy
    /// that shares the source's files (only the catalog entry is new).
    case cloneTable(name: [String], orReplace: Bool, ifNotExists: Bool, source: [String], point: TimeTravel?)
    /// `UNDROP TABLE name`: the dropped table back, as the newest retained version had it.
    case undrop(name: [String])
    /// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON t (columns)`
    case createIndex(name: String, table: [String], columns: [String], unique: Bool, ifNotExists: Bool)
    /// `DROP INDEX [IF EXISTS] name`
    case dropIndex(name: String, ifExists: Bool)
    /// `CREATE [OR REPLACE] VIEW name AS query`; the query's text is stored and bound on use.
    case createView(name: [String], orReplace: Bool, query: SelectStatement, text: String)
    /// `INSERT INTO name query`
    /// `INSERT INTO name [(columns)] query`; columns left out get NULL.
    case insert(name: [String], columns: [String]?, query: SelectStatement)
    /// `DROP TABLE|VIEW [IF EXISTS] name`
    case drop(name: [String], view: Bool, ifExists: Bool)
    /// The DuckDB CLI's and Snowflake's look at the catalog: `SHOW TABLES`, `SHOW SCHEMAS`,
    /// `DESCRIBE [TABLE] t` / `SHOW COLUMNS FROM t`, `DESCRIBE SELECT ...`.
    case describe(DescribeTarget)
    /// `DELETE FROM t [alias] [USING ...] [WHERE ...]`
    case delete(DeleteStatement)
    /// `UPDATE t [alias] SET col = expr, ... [FROM ...] [WHERE ...]`
    case update(UpdateStatement)
    /// `MERGE INTO t [alias] USING source ON cond WHEN [NOT] MATCHED [AND cond] THEN ...`
    case merge(MergeStatement)
    /// `TRUNCATE [TABLE] [IF EXISTS] t`
    case truncate(name: [String], ifExists: Bool)
    /// `BEGIN` / `START TRANSACTION`, `COMMIT`, `ROLLBACK`: statements between BEGIN and
    /// COMMIT are one commit; ROLLBACK leaves nothing.
    case transaction(TransactionControl)
    /// `CREATE SCHEMA [IF NOT EXISTS] s`
    case createSchema(name: String, ifNotExists: Bool)
    /// `DROP SCHEMA [IF EXISTS] s [CASCADE | RESTRICT]`
    case dropSchema(name: String, ifExists: Bool, cascade: Bool)
    /// `USE [DATABASE | SCHEMA | WAREHOUSE | ROLE] name`, as Snowflake scripts begin.
    case use(UseTarget, name: [String])
    /// `ALTER TABLE [IF EXISTS] t ...`
    case alterTable(name: [String], ifExists: Bool, action: AlterTableAction)
    /// `COPY (query) | t TO 'file' [(options)]`: the rows written as CSV.
    case copyTo(SelectStatement, path: String, options: CopyOptions)
    /// `COPY t FROM 'file' [(options)]`: the file's rows appended to the table.
    case copyFrom(table: [String], path: String, options: CopyOptions)
}

/// `(HEADER [bool], DELIMITER 'c', FORMAT csv)` of a COPY.
public struct CopyOptions: Sendable {
    /// nil: written (TO) / detected (FROM).
    public var header: Bool?
    /// nil: `,` (TO) / detected (FROM).
    public var delimiter: String?
}

public enum UseTarget: String, Sendable {
    /// `USE SCHEMA s` sets where unqualified names go.
    case schema
    /// `USE name` (DuckDB; a schema if one has the name, else the database) or `USE db.s`.
    case unspecified
    /// One warehouse directory is one database: the name is accepted and nothing changes.
    case database
    /// Snowflake's compute warehouse: nothing to choose here.
    case warehouse
    /// Switches the session's role, to one it may take.
    case role
}

public enum AlterTableAction: Sendable {
    case renameTo([String])
    case addColumn(ColumnSpec, ifNotExists: Bool)
    case renameColumn(from: String, to: String)
    case dropColumn(String, ifExists: Bool)
}

public enum TransactionControl: String, Sendable {
    case begin = "BEGIN", commit = "COMMIT", rollback = "ROLLBACK"
}

extension Expr {
    /// `DEFAULT` as a value of INSERT ... VALUES or UPDATE ... SET.
    static let defaultName = "\u{1}default"
    static func defaultMarker(at position: Int) -> Expr { Expr(.column([defaultName]), at: position) }
    var isDefaultMarker: Bool { if case .column(let n) = kind { n == [Self.defaultName] } else { false } }
}

/// A type as SQL writes it: the logical type, and for `NUMBER(p, s)` / `DECIMAL(p, s)` the
/// precision and scale its values are rounded to and checked against.
public struct TypeName: Sendable {
    public var type: LogicalType
    public var numeric: NumericPrecision?
}

/// A column of `CREATE TABLE t (...)`: `name type [NOT NULL | NULL] [DEFAULT expr]`.
public struct ColumnSpec: Sendable {
    public var name: String
    public var type: LogicalType
    public var numeric: NumericPrecision?
    public var notNull = false
    /// The default as written, and parsed.
    public var defaultSQL: String?
    public var defaultValue: Expr?
    /// `PRIMARY KEY` / `UNIQUE` on the column.
    public var primaryKey = false
    public var unique = false
}

/// A table constraint of CREATE TABLE: `PRIMARY KEY (a, b)` or `UNIQUE (a, b)`.
public struct TableKey: Sendable {
    public var columns: [String]
    public var primary: Bool
    public var name: String?
}

/// The table a DELETE, UPDATE or MERGE changes, and the name its columns go by.
public struct DMLTarget: Sendable {
    public var name: [String]
    public var alias: String?
    public var position: Int
}

public struct DeleteStatement: Sendable {
    public var ctes: [(name: String, query: SelectStatement)] = []
    public var target: DMLTarget
    /// `USING a, b`: tables the condition may read (DuckDB, Snowflake, PostgreSQL).
    public var using: TableRef?
    public var condition: Expr?
}

public struct UpdateStatement: Sendable {
    public var ctes: [(name: String, query: SelectStatement)] = []
    public var target: DMLTarget
    public var assignments: [(column: String, value: Expr)]
    /// `FROM ...`: tables joined to the target by the WHERE condition.
    public var from: TableRef?
    public var condition: Expr?
}

public struct MergeStatement: Sendable {
    public var ctes: [(name: String, query: SelectStatement)] = []
    public var target: DMLTarget
    public var source: TableRef
    public var on: Expr
    public var clauses: [MergeClause]
}

/// One `WHEN [NOT] MATCHED [AND condition] THEN action` of a MERGE; a row takes the first
/// clause of its kind whose condition holds.
public struct MergeClause: Sendable {
    public enum Action: Sendable {
        case update([(column: String, value: Expr)])
        case delete
        /// Columns left out get NULL (or their default).
        case insert(columns: [String]?, values: [Expr])
    }
    public var matched: Bool
    public var condition: Expr?
    public var action: Action
}

public enum DescribeTarget: Sendable {
    case tables, schemas
    case table([String])
    case query(SelectStatement)
    /// `SUMMARIZE t` / `SUMMARIZE SELECT ...` (DuckDB): per column min, max, approximate
    /// distinct count, mean, standard deviation, quartiles, count and NULL percentage.
    case summarize(SelectStatement)
}
