// A correlated subquery that aggregates the inner rows on one side of a range: equalities
// plus one inequality between an inner and an outer value, and COUNT / SUM / AVG / MIN / MAX
// of inner columns (`(SELECT count(*) FROM raw_ratings r2 WHERE r2.userId = r.userId AND
// r2.timestamp < r.timestamp)`, a user's earlier ratings). Joining each outer row to every
// inner row before it is quadratic per key; instead the outer values and the inner rows go
// into one list, sorted by the range value within each key, and a running window aggregate
// over the inner rows gives every outer value its answer in one pass (a sort-based range
// join, as DuckDB's IEJoin and piecewise merge join are):
//
//   D = SELECT DISTINCT <outer keys>, <outer value> FROM outer WHERE <outer-only conditions>
//   U = SELECT d.*, 0 AS tag, NULL AS v FROM D
//       UNION ALL SELECT <inner keys>, <inner value>, 1, <argument> FROM <inner>
//                 WHERE <inner-only conditions> AND <inner value> IS NOT NULL AND (keys) IN D
//   W = SELECT keys, value, AGG(v) OVER (PARTITION BY keys ORDER BY value, tag
//                                       ROWS UNBOUNDED PRECEDING) FROM U  -- tag = 0 rows only
//   outer LEFT JOIN W ON keys and value
//
// The order makes ties right: for `inner < outer` an outer value sorts before inner rows of
// the same value (they are not counted), for `<=` after them; `>` and `>=` sort descending.
// NULL outer values never join (the comparison is never true: the aggregate over no rows).

extension Binder {
    /// The rewrite, or nil when the subquery does not have this shape.
    mutating func runningCorrelatedScalar(_ plan: Plan, _ scope: Scope, core: SelectCore, from: TableRef, inner: Scope, outer: Scope,
                                          outerWhere: Expr?, at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        guard case .function(let name, let args, false, let star, let clauses) = core.items[0].expr.kind, clauses.isEmpty else { return nil }
        let function = name.lowercased()
        guard ["count", "sum", "avg", "min", "max"].contains(function), star ? function == "count" : args.count == 1 else { return nil }
        var sub = self
        if !star, (try? sub.bindExpr(args[0], inner, nil)) == nil { return nil }
        var local: [Expr] = [], keys: [(inner: Expr, outer: Expr)] = []
        var range: (inner: Expr, op: ComparisonOperator, outer: Expr)? = nil
        for c in core.whereClause.map(Self.conjuncts) ?? [] {
            if (try? sub.bindExpr(c, inner, nil)) != nil { local.append(c); continue }
            guard case .binary(.comparison(let op), let a, let b) = c.kind, op != .notEqual, !Self.containsSubquery(c) else { return nil }
            let pair: (inner: Expr, op: ComparisonOperator, outer: Expr)
            if (try? sub.bindExpr(a, inner, nil)) != nil, (try? bindExpr(b, outer, nil)) != nil {
                pair = (a, op, b)
            } else if (try? sub.bindExpr(b, inner, nil)) != nil, (try? bindExpr(a, outer, nil)) != nil {
                pair = (b, op.flipped, a)
            } else {
                return nil
            }
            if pair.op == .equal {
                keys.append((pair.inner, pair.outer))
            } else {
                guard range == nil else { return nil }
                range = pair
            }
        }
        guard let range else { return nil }

        // D: the outer rows' distinct keys and values, after the outer WHERE's own conditions.
        var outerValues: [BoundExpr] = []
        for e in keys.map(\.outer) + [range.outer] { outerValues.append(try bindExpr(e, outer, nil)) }
        let n = keys.count
        let d = "__outer_values\(position)"
        try sub.readOuterValues(outerValues, as: d, of: plan, scope, outerWhere: outerWhere)

        let p = position
        func column(_ parts: String...) -> Expr { Expr(.column(parts), at: p) }
        func literal(_ v: Value) -> Expr { Expr(.literal(v), at: p) }
        func equal(_ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .comparison(.equal), a, b), at: p) }
        // The outer values, tagged 0.
        var outerSide = SelectCore()
        outerSide.items = (0...n).map { (expr: column(d, Self.outerValueName($0)), alias: "k\($0)") } + [(expr: literal(.int(0)), alias: "tag"), (expr: literal(.null), alias: "v")]
        outerSide.from = .table(name: [d], alias: nil, position: p)
        // The inner rows whose keys some outer row has, tagged 1.
        var innerSide = SelectCore()
        innerSide.items = keys.enumerated().map { (expr: $1.inner, alias: "k\($0)") }
            + [(expr: range.inner, alias: "k\(n)"), (expr: literal(.int(1)), alias: "tag"), (expr: star ? literal(.int(1)) : args[0], alias: "v")]
        innerSide.from = from
        var conditions = local + [Expr(.isNull(range.inner, negated: true), at: p)]
        if n > 0 {
            let dk = "__keys\(p)"
            var match = SelectCore()
            match.items = [(expr: literal(.int(1)), alias: nil)]
            match.from = .table(name: [d], alias: dk, position: p)
            match.whereClause = Self.conjunction(keys.enumerated().map { equal(column(dk, Self.outerValueName($0)), $1.inner) })
            conditions.append(Expr(.exists(SelectStatement(body: .select(match)), negated: false), at: p))
        }
        innerSide.whereClause = Self.conjunction(conditions)

        let ascending = range.op == .less || range.op == .lessOrEqual
        let innerFirstOnTies = range.op == .lessOrEqual || range.op == .greaterOrEqual
        let over = WindowSpec(partitionBy: (0..<n).map { column("k\($0)") },
                              orderBy: [OrderItem(expr: column("k\(n)"), descending: !ascending, nullsFirst: nil),
                                        OrderItem(expr: column("tag"), descending: innerFirstOnTies, nullsFirst: nil)],
                              frame: WindowFrame(unit: .rows, start: .unboundedPreceding, end: .currentRow))
        let call = WindowCall(name: function, args: [column("v")], distinct: false, star: false, ignoreNulls: false, over: over)
        var windowed = SelectCore()
        windowed.items = (0...n).map { (expr: column("k\($0)"), alias: "k\($0)") }
            + [(expr: column("tag"), alias: "tag"), (expr: Expr(.window(call), at: p), alias: "value")]
        windowed.from = .subquery(SelectStatement(body: .union(.select(outerSide), .select(innerSide), all: true)), alias: "__rows\(p)")
        var answers = SelectCore()
        answers.items = (0...n).map { (expr: column("k\($0)"), alias: "k\($0)") } + [(expr: column("value"), alias: "value")]
        answers.from = .subquery(SelectStatement(body: .select(windowed)), alias: "__running\(p)")
        answers.whereClause = equal(column("tag"), literal(.int(0)))
        let (derived, columns) = try sub.bind(SelectStatement(body: .select(answers)))
        let overNoRows: BoundExpr = function == "count" ? .constant(.int(0), .int64) : .constant(.null, columns[n + 1].type)
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerValues, overNoRows: overNoRows, at: position)
    }
}
