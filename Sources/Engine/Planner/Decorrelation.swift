// Correlated subqueries in WHERE: `EXISTS (SELECT ... FROM t WHERE t.k = outer.k AND ...)`,
// its NOT form, and `x IN (SELECT y FROM t WHERE t.k = outer.k)`, rewritten as semi and anti
// joins (the "magic" of every analytical engine: one hash join instead of one subquery run
// per outer row). Equalities between an inner and an outer expression become join keys;
// other conditions that mention outer columns become the join's residual, evaluated on
// candidate pairs; conditions on inner columns alone filter the subquery's input.
//
// Name resolution inside the subquery looks at its own FROM first: an outer column that an
// inner column of the same name shadows is reachable only qualified (`m.movie_id`).

extension Binder {
    /// The semi / anti join for a correlated `[NOT] EXISTS` (`probe` nil) or `probe IN`
    /// subquery over `plan` (scope `scope`); nil when the subquery is not of the plain form
    /// this rewrite handles (the caller then reports why binding it alone failed).
    mutating func correlatedSemiJoin(_ plan: Plan, _ scope: Scope, subquery q: SelectStatement, probe: Expr?,
                                     negated: Bool, at position: Int) throws(SQLError) -> Plan? {
        guard q.ctes.isEmpty, case .select(let core) = q.body, q.orderBy.isEmpty, q.limit == nil, q.offset == nil,
              !core.distinct || probe != nil, core.groupBy.isEmpty, core.having == nil, let from = core.from,
              !core.items.contains(where: { Self.containsAggregate($0.expr) }) else { return nil }
        if probe != nil && negated {
            throw SQLError(.unsupported, "NOT IN over a subquery that refers to the outer query is not supported; "
                           + "write NOT EXISTS (SELECT ... WHERE inner = outer AND ...) instead", at: position)
        }
        var sub = self
        let (input, inner) = try sub.bindFrom(from)
        let innerNames = Set(inner.columns.map { $0.name.lowercased() })
        let outer = Scope(columns: scope.columns, hidden: scope.columns.indices.map {
            scope.hidden[$0] || innerNames.contains(scope.columns[$0].name.lowercased())
        })
        let combined = outer + inner
        let leftCount = scope.columns.count
        var local: [BoundExpr] = [], leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = [], residual: [BoundExpr] = []

        if let probe {
            guard core.items.count == 1 else { throw SQLError(.binder, "IN (SELECT ...) must select one column", at: position) }
            let x = try bindExpr(probe, scope, nil)
            let y = try sub.bindExpr(core.items[0].expr, inner, nil)
            let (l, r) = try Self.keyPair(x, y, at: position)
            leftKeys.append(l)
            rightKeys.append(r)
        }
        for c in core.whereClause.map(Self.conjuncts) ?? [] {
            if let b = try? sub.bindExpr(c, inner, nil) {
                try requireBoolean(b, "WHERE", at: c.position)
                local.append(b)
                continue
            }
            let b = try sub.bindExpr(c, combined, nil)
            try requireBoolean(b, "WHERE", at: c.position)
            if case .comparison("=", let x, let y) = b, let (o, i) = Self.sides(x, y, leftCount: leftCount) {
                let (l, r) = try Self.keyPair(o, i.remapped(Dictionary(uniqueKeysWithValues: i.columnsUsed.map { ($0, $0 - leftCount) })), at: c.position)
                leftKeys.append(l)
                rightKeys.append(r)
            } else {
                residual.append(b)
            }
        }
        let right = local.isEmpty ? input : .filter(input, local.dropFirst().reduce(local[0]) { .logical(op: "AND", $0, $1) })
        let condition = residual.isEmpty ? nil : residual.dropFirst().reduce(residual[0]) { .logical(op: "AND", $0, $1) }
        return .join(plan, right, kind: negated ? .anti : .semi, leftKeys: leftKeys, rightKeys: rightKeys, residual: condition)
    }

    /// The outer and the inner side of `x = y` when one reads only outer columns (below
    /// `leftCount`) and the other only inner ones.
    static func sides(_ x: BoundExpr, _ y: BoundExpr, leftCount: Int) -> (outer: BoundExpr, inner: BoundExpr)? {
        func side(_ e: BoundExpr) -> Bool? {
            let used = e.columnsUsed
            guard !used.isEmpty else { return nil }
            if used.allSatisfy({ $0 < leftCount }) { return true }
            if used.allSatisfy({ $0 >= leftCount }) { return false }
            return nil
        }
        switch (side(x), side(y)) {
        case (true?, false?): return (x, y)
        case (false?, true?): return (y, x)
        default: return nil
        }
    }

    /// Join keys of one common type.
    static func keyPair(_ l: BoundExpr, _ r: BoundExpr, at position: Int) throws(SQLError) -> (BoundExpr, BoundExpr) {
        guard let t = TypeRules.common(l.type, r.type) else {
            throw SQLError(.type, "cannot compare \(l.type) with \(r.type)", at: position)
        }
        return (l.type == t ? l : .cast(l, t), r.type == t ? r : .cast(r, t))
    }
}
