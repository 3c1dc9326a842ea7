// The query plan: a tree of relational operators over bound expressions. The binder builds
// it, the optimizer passes prune columns and push filters down, and the executor turns each
// node into a physical operator. EXPLAIN prints it.

import Columnar

/// One output column of a query or plan node.
public struct PlanColumn: Sendable {
    public var name: String
    public var type: LogicalType
    /// The table alias that qualifies it in SQL, if any.
    public var qualifier: String?
}

/// An aggregate function call inside an aggregate node.
package struct AggregateCall: Sendable, CustomStringConvertible {
    package enum Function: String, Sendable {
        case countStar = "count_star", count, sum, avg, min, max
        case minBy = "min_by", maxBy = "max_by"
        case varSamp = "var_samp", varPop = "var_pop", stddevSamp = "stddev_samp", stddevPop = "stddev_pop"
        case covarSamp = "covar_samp", covarPop = "covar_pop", corr
        case skewness = "skew", kurtosis
        case bitAnd = "bitand_agg", bitOr = "bitor_agg", bitXor = "bitxor_agg"
        case product, geometricMean = "geomean"
        case regrSlope = "regr_slope", regrIntercept = "regr_intercept", regrR2 = "regr_r2", regrCount = "regr_count"
        case regrAvgX = "regr_avgx", regrAvgY = "regr_avgy", regrSxx = "regr_sxx", regrSyy = "regr_syy", regrSxy = "regr_sxy"
        case percentileCont = "percentile_cont", percentileDisc = "percentile_disc", mode, entropy, mad
        case listagg, arrayAgg = "array_agg"
        /// DuckDB's FIRST / LAST: the value of the first or last row in the call's order.
        case first, last
        case approxCountDistinct = "approx_count_distinct"
        /// The one value of a group (a correlated subquery that computes no aggregate).
        case singleValue = "single_value"

        /// COUNT, SUM, AVG, MIN and MAX keep their states in `HashAggregate` itself; the
        /// others in a `GroupAccumulator` of their family.
        package var isBasic: Bool {
            switch self {
            case .countStar, .count, .sum, .avg, .min, .max: true
            default: false
            }
        }
    }
    package var function: Function
    /// What the function reads; for PERCENTILE_CONT/DISC and MODE, the WITHIN GROUP key.
    package var arguments: [BoundExpr]
    package var distinct: Bool
    package var type: LogicalType
    /// The order the values are read in (LISTAGG and ARRAY_AGG ... WITHIN GROUP).
    package var orderBy: [SortKey] = []
    /// `FILTER (WHERE ...)`: only rows where it is true are read.
    package var filter: BoundExpr?
    /// A constant the function takes: PERCENTILE's fraction, LISTAGG's separator.
    package var parameter: Value?

    package init(function: Function, argument: BoundExpr?, distinct: Bool, type: LogicalType) {
        self.function = function
        self.arguments = argument.map { [$0] } ?? []
        self.distinct = distinct
        self.type = type
    }

    package init(function: Function, arguments: [BoundExpr], distinct: Bool, type: LogicalType, orderBy: [SortKey] = [],
                 filter: BoundExpr? = nil, parameter: Value? = nil) {
        self.function = function
        self.arguments = arguments
        self.distinct = distinct
        self.type = type
        self.orderBy = orderBy
        self.filter = filter
        self.parameter = parameter
    }

    /// The first argument (the only one of most functions).
    package var argument: BoundExpr? {
        get { arguments.first }
        set { arguments = newValue.map { [$0] } ?? [] }
    }

    /// Every expression the call reads from its input rows.
    package var expressions: [BoundExpr] { arguments + orderBy.map(\.expr) + (filter.map { [$0] } ?? []) }

    /// The call with `f` applied to each of its expressions.
    package func mapExpressions(_ f: (BoundExpr) -> BoundExpr) -> AggregateCall {
        var mapped = self
        mapped.arguments = arguments.map(f)
        mapped.orderBy = orderBy.map { SortKey(expr: f($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        mapped.filter = filter.map(f)
        return mapped
    }

    package var description: String {
        var text = function == .countStar ? "count_star()"
            : "\(function.rawValue)(\(distinct ? "DISTINCT " : "")\(arguments.map(\.description).joined(separator: ", ")))"
        if let parameter { text += "[\(parameter)]" }
        if !orderBy.isEmpty {
            text += " ORDER BY " + orderBy.map { "\($0.expr)\($0.descending ? " DESC" : "")" }.joined(separator: ", ")
        }
        if let filter { text += " FILTER (WHERE \(filter))" }
        return text
    }
}

/// A window function bound to its inputs: what it computes, over which partition, in which
/// order, and which frame of rows it sees.
package struct WindowExpression: Sendable, CustomStringConvertible {
    package enum Function: Sendable {
        case window(WindowFunction.Kind)
        case aggregate(AggregateCall.Function)
    }

    package var function: Function
    package var arguments: [BoundExpr]
    package var ignoreNulls: Bool
    package var partitionBy: [BoundExpr]
    package var orderBy: [SortKey]
    package var frame: WindowFrameBounds
    package var type: LogicalType
    /// Set by the optimizer on a lone ROW_NUMBER whose rows a filter keeps only up to this
    /// number: the rows past it per partition need not come out at all (top N per group).
    package var keepsTop: Int? = nil
    /// An aggregate beyond the basic five (MEDIAN, STDDEV, ...), over the whole partition:
    /// the call, whose accumulator runs with partitions as its groups.
    package var aggregate: AggregateCall? = nil

    package var name: String {
        switch function {
        case .window(let k): k.rawValue
        case .aggregate(let f): f == .countStar ? "count_star" : f.rawValue
        }
    }

    /// Every expression the window reads.
    package var expressions: [BoundExpr] { arguments + partitionBy + orderBy.map(\.expr) + (aggregate?.expressions ?? []) }

    package func mapExpressions(_ f: (BoundExpr) -> BoundExpr) -> WindowExpression {
        var w = self
        w.arguments = arguments.map(f)
        w.partitionBy = partitionBy.map(f)
        w.orderBy = orderBy.map { SortKey(expr: f($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        w.aggregate = aggregate?.mapExpressions(f)
        return w
    }

    package var description: String {
        var over: [String] = []
        if !partitionBy.isEmpty { over.append("PARTITION BY " + partitionBy.map(\.description).joined(separator: ", ")) }
        if !orderBy.isEmpty { over.append("ORDER BY " + orderBy.map { "\($0.expr)\($0.descending ? " DESC" : "")" }.joined(separator: ", ")) }
        over.append(frame.description)
        let top = keepsTop.map { ", keeping rows 1 to \($0)" } ?? ""
        return "\(name)(\(arguments.map(\.description).joined(separator: ", ")))\(ignoreNulls ? " IGNORE NULLS" : "") OVER (\(over.joined(separator: " ")))\(top)"
    }
}

/// A frame with constant offsets: ROWS counts rows, RANGE compares the (one) order key.
package struct WindowFrameBounds: Sendable, CustomStringConvertible {
    package enum Bound: Sendable, Equatable {
        case unboundedPreceding, preceding(Double), currentRow, following(Double), unboundedFollowing
    }
    package var unit: WindowFrame.Unit
    package var start: Bound
    package var end: Bound

    /// The whole partition.
    package static let partition = WindowFrameBounds(unit: .rows, start: .unboundedPreceding, end: .unboundedFollowing)
    /// SQL's default with ORDER BY: from the start to the current row and its peers.
    package static let toCurrentPeers = WindowFrameBounds(unit: .range, start: .unboundedPreceding, end: .currentRow)

    package var description: String {
        func text(_ b: Bound) -> String {
            switch b {
            case .unboundedPreceding: "UNBOUNDED PRECEDING"
            case .preceding(let n): "\(Value.format(n)) PRECEDING"
            case .currentRow: "CURRENT ROW"
            case .following(let n): "\(Value.format(n)) FOLLOWING"
            case .unboundedFollowing: "UNBOUNDED FOLLOWING"
            }
        }
        return "\(unit.rawValue) BETWEEN \(text(start)) AND \(text(end))"
    }
}

/// A sort key.
package struct SortKey: Sendable {
    package var expr: BoundExpr
    package var descending: Bool
    package var nullsFirst: Bool
}

/// A test a scan can make against a segment's statistics to skip it (see `TableScan.mayMatch`).
package struct ScanPredicate: Sendable, CustomStringConvertible {
    package enum Test: Sendable {
        /// `column op value`, tested against the segment's min and max.
        case compare(ComparisonOperator, Value)
        /// `column IS NULL`, tested against its NULL count.
        case isNull
    }

    package var column: Int
    package var test: Test

    package var description: String {
        switch test {
        case .compare(let op, let value): "#\(column) \(op.rawValue) \(value)"
        case .isNull: "#\(column) IS NULL"
        }
    }
}

/// A subquery an expression reads as a value (`x > (SELECT max(...) ...)`), as a truth
/// (`EXISTS (...)`) or as a set (`x IN (SELECT ...)` inside an expression): run once, before
/// the plan that reads it, whose placeholders (`BoundExpr.subqueryValue`, `.inSubquery`) then
/// become constants.
package struct Subquery: Sendable {
    package enum Result: Sendable {
        /// One value: NULL for no rows, an error for more than one.
        case value
        /// Whether there is a row.
        case exists
        /// Every value of its one column, hashed for `IN`.
        case values
    }

    package var id: Int
    package var plan: Plan
    package var result: Result
    /// Where the subquery is in the statement, for its errors.
    package var position: Int
}

/// How an ASOF join pairs rows: a probe row's match is the build row with equal keys whose
/// time is nearest on the allowed side (`probeTime >= buildTime`: the latest not after it);
/// among build rows of equal keys and time, the last one read. A NULL key or time matches
/// nothing. `keepsUnmatched`: probe rows without a match come out with NULLs (ASOF LEFT
/// JOIN, and Snowflake's form).
package struct AsofMatch: Sendable, CustomStringConvertible {
    package var keepsUnmatched: Bool
    package var probeKeys: [BoundExpr]
    package var buildKeys: [BoundExpr]
    package var probeTime: BoundExpr
    /// `probeTime op buildTime`: >=, >, <= or <.
    package var op: ComparisonOperator
    package var buildTime: BoundExpr

    package func mapExpressions(_ f: (BoundExpr) -> BoundExpr) -> AsofMatch {
        AsofMatch(keepsUnmatched: keepsUnmatched, probeKeys: probeKeys.map(f), buildKeys: buildKeys.map(f), probeTime: f(probeTime),
                  op: op, buildTime: f(buildTime))
    }

    package var description: String {
        let keys = zip(probeKeys, buildKeys).map { "\($0) = \($1) AND " }.joined()
        return (keepsUnmatched ? "LEFT ON " : "INNER ON ") + keys + "\(probeTime) \(op.rawValue) \(buildTime)"
    }
}

/// A relational plan.
package indirect enum Plan: Sendable {
    case scan(table: TableMetadata, columns: [Int], predicates: [ScanPredicate])
    case values(rows: [[Value]], columns: [PlanColumn])
    case filter(Plan, BoundExpr)
    case project(Plan, [BoundExpr], names: [String])
    case aggregate(Plan, groups: [BoundExpr], aggregates: [AggregateCall])
    /// The input's rows with one more column per window expression.
    case window(Plan, [WindowExpression])
    /// A hash join: `build` is read whole into a hash table on `buildKeys`, `probe` streams
    /// past it. Output: the probe's columns, then the build's (the probe's alone for semi and
    /// anti joins); the residual reads both in that order.
    case join(probe: Plan, build: Plan, kind: JoinKind, probeKeys: [BoundExpr], buildKeys: [BoundExpr], residual: BoundExpr?)
    /// ASOF JOIN: each probe row with the one build row nearest in time among those with
    /// equal keys (see `AsofMatch`). Output: the probe's columns, then the build's.
    case asofJoin(probe: Plan, build: Plan, match: AsofMatch)
    case flatten(Plan, input: BoundExpr)
    case sort(Plan, keys: [SortKey], limit: Int?)
    case limit(Plan, limit: Int?, offset: Int)
    /// DuckDB's `LIMIT p%`: the first p percent of the rows (rounded down), after `offset`.
    case limitPercent(Plan, percent: Double, offset: Int)
    /// Duplicate rows removed; the optimizer turns it into a grouping without aggregates.
    case distinct(Plan)
    case union(Plan, Plan)
    /// A CTE used more than once: computed once, its rows buffered and read by each user.
    /// Rewrites do not cross it (every use must see the same rows).
    case shared(Plan, id: Int)
    /// A plan whose expressions read subqueries, which run first (see `Subquery`).
    case subqueries(Plan, [Subquery])
    /// WITH RECURSIVE: the anchor's rows, then rounds of the step, each over the rows the
    /// round before added (its `.workTable(id)`), until a round adds none. `distinct` (UNION
    /// rather than UNION ALL) drops rows already produced. Rewrites optimize the two sides
    /// apart and move nothing across.
    case recursive(anchor: Plan, step: Plan, id: Int, distinct: Bool)
    /// Inside a recursive step: the rows the previous round added.
    case workTable(id: Int, columns: [PlanColumn])
    /// The rows of a CSV file (`read_csv`, `FROM 'file.csv'`), read when the plan runs.
    case csvFile(path: String, layout: CSVLayout, columns: [PlanColumn])
    /// `generate_series` / `range`: `count` values `first + i * step` in `column`'s type
    /// (BIGINT, or DATE in days, or TIMESTAMP in microseconds).
    case series(first: Int64, step: Int64, count: Int, column: PlanColumn)

    /// Output column types.
    package var types: [LogicalType] {
        switch self {
        case .scan(let t, let columns, _): return columns.map { $0 == TableScan.rowIdColumn ? .int64 : t.columns[$0].type }
        case .values(_, let columns), .workTable(_, let columns), .csvFile(_, _, let columns): return columns.map(\.type)
        case .series(_, _, _, let column): return [column.type]
        case .recursive(let anchor, _, _, _): return anchor.types
        case .filter(let c, _), .sort(let c, _, _), .limit(let c, _, _), .limitPercent(let c, _, _), .distinct(let c), .shared(let c, _),
             .subqueries(let c, _):
            return c.types
        case .project(_, let exprs, _): return exprs.map(\.type)
        case .aggregate(_, let groups, let aggs): return groups.map(\.type) + aggs.map(\.type)
        case .window(let c, let windows): return c.types + windows.map(\.type)
        case .join(let probe, let build, let kind, _, _, _): return kind.keepsProbeOnly ? probe.types : probe.types + build.types
        case .asofJoin(let probe, let build, _): return probe.types + build.types
        case .flatten(let c, _): return c.types + [.varchar, .int64]
        case .union(let l, _): return l.types
        }
    }

    /// A readable operator tree.
    package func explain(indent: String = "") -> String {
        func line(_ s: String) -> String { indent + s + "\n" }
        let next = indent + "  "
        switch self {
        case .scan(let t, let columns, let predicates):
            var s = "SCAN \(t.qualifiedName) [\(columns.map { $0 == TableScan.rowIdColumn ? "rowid" : t.columns[$0].name }.joined(separator: ", "))]"
            if !predicates.isEmpty { s += " skip segments unless \(predicates.map(\.description).joined(separator: " AND "))" }
            return line(s)
        case .values(let rows, _): return line("VALUES (\(rows.count) rows)")
        case .csvFile(let path, let layout, _): return line("READ_CSV '\(path)' header=\(layout.header)")
        case .series(_, _, let count, let column): return line("SERIES \(column.name) (\(count) rows)")
        case .filter(let c, let e): return line("FILTER \(e)") + c.explain(indent: next)
        case .project(let c, let exprs, _): return line("PROJECT \(exprs.map(\.description).joined(separator: ", "))") + c.explain(indent: next)
        case .aggregate(let c, let g, let a):
            return line("HASH_AGGREGATE groups [\(g.map(\.description).joined(separator: ", "))] aggregates [\(a.map(\.description).joined(separator: ", "))]") + c.explain(indent: next)
        case .window(let c, let windows):
            return line("WINDOW [\(windows.map(\.description).joined(separator: ", "))]") + c.explain(indent: next)
        case .join(let probe, let build, let kind, let pk, let bk, let residual):
            var s = "HASH_JOIN \(kind.rawValue.uppercased())"
            if !pk.isEmpty { s += " ON " + zip(pk, bk).map { "\($0) = \($1)" }.joined(separator: " AND ") }
            if let residual { s += " AND \(residual)" }
            return line(s) + line("  probe:") + probe.explain(indent: next + "  ") + line("  build:") + build.explain(indent: next + "  ")
        case .asofJoin(let probe, let build, let match):
            return line("ASOF_JOIN \(match)") + line("  probe:") + probe.explain(indent: next + "  ")
                + line("  build:") + build.explain(indent: next + "  ")
        case .flatten(let c, let input): return line("FLATTEN \(input)") + c.explain(indent: next)
        case .sort(let c, let keys, let limit):
            let k = keys.map { "\($0.expr)\($0.descending ? " DESC" : "")" }.joined(separator: ", ")
            return line(limit.map { "TOP_N \($0) BY \(k)" } ?? "ORDER BY \(k)") + c.explain(indent: next)
        case .limit(let c, let limit, let offset): return line("LIMIT \(limit.map(String.init) ?? "ALL") OFFSET \(offset)") + c.explain(indent: next)
        case .limitPercent(let c, let percent, let offset): return line("LIMIT \(percent)% OFFSET \(offset)") + c.explain(indent: next)
        case .distinct(let c): return line("DISTINCT") + c.explain(indent: next)
        case .union(let l, let r): return line("UNION ALL") + l.explain(indent: next) + r.explain(indent: next)
        case .shared(let c, let id): return line("SHARED CTE #\(id)") + c.explain(indent: next)
        case .recursive(let anchor, let step, let id, let distinct):
            return line("RECURSIVE CTE #\(id)\(distinct ? " (UNION)" : " (UNION ALL)")") + line("  anchor:") + anchor.explain(indent: next + "  ")
                + line("  step:") + step.explain(indent: next + "  ")
        case .workTable(let id, _): return line("RECURSIVE CTE #\(id) PREVIOUS ROUND")
        case .subqueries(let c, let subqueries):
            var s = c.explain(indent: indent)
            for q in subqueries {
                let what = switch q.result { case .value: "value"; case .exists: "exists"; case .values: "values" }
                s += line("SUBQUERY $\(q.id) (\(what), run once first)") + q.plan.explain(indent: next)
            }
            return s
        }
    }
}
