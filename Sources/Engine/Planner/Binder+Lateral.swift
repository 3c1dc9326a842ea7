// A derived table that reads the columns of the FROM items before it: `FROM users u,
// LATERAL (SELECT ... FROM ratings r WHERE r.userId = u.userId ORDER BY r.timestamp DESC
// LIMIT 3) AS last` (the keyword is optional, as in DuckDB). It is unnested as a correlated
// subquery is (see Decorrelation+MagicSet.swift): D, the distinct values of the outer
// columns it reads, is joined into it, so it runs once over all of D instead of once per
// row, and its rows join back to the outer rows on D's columns, NULL matching NULL. An
// aggregate without GROUP BY has exactly one row per outer row, even over no rows: each of
// its items is then a correlated scalar subquery (COUNT over no rows is 0).

extension Binder {
    /// `left` joined to the derived table `q` (which did not bind alone: `unbound` says why)
    /// row by row, as `kind` says.
    mutating func lateralJoin(_ left: (Plan, Scope), _ q: SelectStatement, alias: String?, kind: JoinKind, on: Expr?, using: [String],
                              at position: Int, unbound: SQLError) throws(SQLError) -> (Plan, Scope) {
        let (lp, ls) = (readOnceIfVolatile(left.0), left.1)
        guard [.cross, .inner, .left].contains(kind), using.isEmpty else {
            throw SQLError(.unsupported, "a subquery that reads the tables before it (LATERAL) joins with a comma, CROSS JOIN, JOIN ... ON or LEFT JOIN ... ON TRUE",
                           at: position)
        }
        let condition = on.flatMap { e -> Expr? in if case .literal(.bool(true)) = e.kind { return nil } else { return e } }
        func renamed(_ columns: [PlanColumn]) throws(SQLError) -> Scope {
            var named = columns
            if let given = q.columnAliases {
                if alias == Self.rowInRows, given.count != named.count {
                    throw SQLError(.binder, "a row of \(given.count) values is compared with a subquery of \(named.count) columns", at: position)
                }
                guard given.count <= named.count else {
                    throw SQLError(.binder, "\(alias ?? "subquery") names \(given.count) columns but its query has \(named.count)", at: position)
                }
                for i in given.indices { named[i].name = given[i] }
            }
            return Scope(columns: named).requalified(alias)
        }
        let width = ls.columns.count
        let keep = ls.columns.indices.map { BoundExpr.column(index: $0, type: ls.columns[$0].type, name: ls.columns[$0].name) }
        if let (derived, derivedColumns, outerValues) = try magicSetDerived(lp, ls, q, use: .rows, outerWhere: nil, at: position) {
            // The derived rows lead with D's columns: the join keys back to the outer rows.
            var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = []
            for (i, value) in outerValues.enumerated() {
                let (l, r) = try Self.keyPair(value, .column(index: i, type: derivedColumns[i].type, name: derivedColumns[i].name), at: position)
                probeKeys += Self.nullMatchingKeys(l)
                buildKeys += Self.nullMatchingKeys(r)
            }
            let k = outerValues.count
            let own = try renamed(Array(derivedColumns.dropFirst(k)))
            // ON reads the join's rows: the outer columns, D's (hidden), the subquery's.
            let keys = Scope(columns: Array(derivedColumns.prefix(k)), hidden: Array(repeating: true, count: k))
            var residual: BoundExpr?
            if let condition {
                residual = try bindExpr(condition, ls + keys + own, nil)
                try requireBoolean(residual!, "ON", at: condition.position)
            }
            let join = Plan.join(probe: lp, build: derived, kind: kind == .left ? .left : .inner, probeKeys: probeKeys, buildKeys: buildKeys,
                                 residual: residual)
            let columns = own.columns.indices.map { BoundExpr.column(index: width + k + $0, type: own.columns[$0].type, name: own.columns[$0].name) }
            return (.project(join, keep + columns, names: ls.columns.map(\.name) + own.columns.map(\.name)), ls + own)
        }
        guard let single = Self.ungroupedAggregate(q) else { throw unbound }
        if kind == .left, let condition {
            throw SQLError(.unsupported, "LEFT JOIN LATERAL over an aggregate takes ON TRUE: put the condition inside the subquery", at: condition.position)
        }
        // One row per outer row: each item a correlated scalar subquery.
        var plan = lp, scope = ls
        var values: [BoundExpr] = [], names: [String] = []
        for item in single.items {
            var one = single
            one.items = [item]
            guard let (next, extended, value) = try correlatedScalarValue(plan, scope, SelectStatement(body: .select(one)), outerWhere: nil,
                                                                          at: item.expr.position) else { throw unbound }
            (plan, scope) = (next, extended)
            values.append(value)
            names.append(item.alias ?? Self.outputName(item.expr))
        }
        let own = try renamed(zip(values, names).map { PlanColumn(name: $1, type: $0.type, qualifier: nil) })
        let joined = Plan.project(plan, keep + values, names: ls.columns.map(\.name) + own.columns.map(\.name))
        guard let condition else { return (joined, ls + own) }
        let bound = try bindExpr(condition, ls + own, nil)
        try requireBoolean(bound, "ON", at: condition.position)
        return (.filter(joined, bound), ls + own)
    }

    /// `q`'s SELECT when it aggregates without GROUP BY (one row whatever its input), in a
    /// shape each of whose items can stand alone as a scalar subquery.
    static func ungroupedAggregate(_ q: SelectStatement) -> SelectCore? {
        guard q.ctes.isEmpty, q.orderBy.isEmpty, q.limit == nil, q.offset == nil, case .select(let core) = q.body,
              core.groupBy.isEmpty, !core.groupByAll, core.groupingSets == nil, core.having == nil, core.qualify == nil,
              !core.distinct, core.distinctOn == nil, core.starModifiers.isEmpty, core.windows.isEmpty, core.top == nil,
              !core.items.isEmpty, core.items.allSatisfy({ item in
                  if case .star = item.expr.kind { return false }
                  return containsAggregate(item.expr) && !containsWindow(item.expr)
              }) else { return nil }
        return core
    }
}
