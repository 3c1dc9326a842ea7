// Correlated subqueries over a grouped query's groups: in HAVING or in the SELECT list of a
// query with GROUP BY or aggregates (`HAVING count(*) > (SELECT avg(n) FROM t WHERE t.k =
// r.k)`). The query is split in two: the grouping (its keys and every aggregate it uses,
// computed once), then a plain SELECT over those rows with HAVING as its WHERE, where the
// subqueries read the keys under their own names and qualifiers and the ordinary rewrites
// (`decorrelateScalarSubqueries`, `rewriteCorrelatedPredicates`) take them.

extension Binder {
    /// The split binding, or nil when `core` has no correlated subquery over its groups.
    mutating func bindGroupedWithCorrelatedSubqueries(_ core: SelectCore, orderBy: [OrderItem]) throws(SQLError) -> (Plan, Scope)? {
        guard let from = core.from, !core.groupByAll, core.groupingSets == nil else { return nil }
        let aggregated = !core.groupBy.isEmpty || core.having != nil || core.items.contains { Self.containsAggregate($0.expr) }
        guard aggregated else { return nil }
        let outerExprs = core.items.map(\.expr) + (core.having.map { [$0] } ?? [])
        guard outerExprs.contains(where: Self.containsSubquery) else { return nil }

        var trial = trialBinder()
        let (_, input) = try trial.bindFrom(from)
        let keys = Self.groupingKeys(core, input)
        // Subqueries inside aggregates and keys are read per input row (decorrelated against
        // the FROM clause); only those over the groups need the split.
        let keyPrints = Set(keys.map { Self.fingerprint($0, in: input) })
        let overGroups = outerExprs.map { e in
            e.rewritten { x in
                if keyPrints.contains(Self.fingerprint(x, in: input)) { return Expr(.literal(.null), at: x.position) }
                if case .function(let name, _, _, _, _) = x.kind, FunctionRegistry.aggregate(name) != nil { return Expr(.literal(.null), at: x.position) }
                return nil
            }
        }
        guard overGroups.contains(where: { hasCorrelatedSubquery($0) }) else { return nil }
        var inner = SelectCore()
        inner.from = from
        inner.whereClause = core.whereClause
        inner.groupBy = keys
        var columnNames: [(name: String, qualifier: String?)] = []
        var keyColumn: [String: String] = [:]  // fingerprint of a non-column key -> its column
        for (i, k) in keys.enumerated() {
            if case .column(let parts) = k.kind, let c = try? input.resolve(parts, at: k.position) {
                inner.items.append((expr: k, alias: input.columns[c].name))
                columnNames.append((input.columns[c].name, input.columns[c].qualifier))
            } else {
                // Named as the SELECT item it is, if that has an alias: subqueries may read it so.
                let print = Self.fingerprint(k, in: input)
                let name = core.items.first { $0.alias != nil && Self.fingerprint($0.expr, in: input) == print }?.alias ?? "__key\(i)"
                inner.items.append((expr: k, alias: name))
                columnNames.append((name, nil))
                keyColumn[print] = name
            }
        }
        // Every aggregate the rest reads becomes a column of the grouping; keys written as
        // expressions become theirs.
        var aggregateColumn: [String: String] = [:]
        func lifted(_ e: Expr) -> Expr {
            e.rewritten { x in
                let print = Self.fingerprint(x, in: input)
                if let name = keyColumn[print] { return Expr(.column([name]), at: x.position) }
                guard case .function(let name, _, _, _, _) = x.kind, FunctionRegistry.aggregate(name) != nil else { return nil }
                if let column = aggregateColumn[print] { return Expr(.column([column]), at: x.position) }
                let column = "__aggregate\(aggregateColumn.count)"
                aggregateColumn[print] = column
                inner.items.append((expr: x, alias: column))
                columnNames.append((column, nil))
                return Expr(.column([column]), at: x.position)
            }
        }
        var outer = SelectCore()
        outer.distinct = core.distinct
        outer.items = core.items.map { (expr: lifted($0.expr), alias: $0.alias ?? Self.outputName($0.expr)) }
        outer.whereClause = core.having.map(lifted)
        outer.windows = core.windows
        outer.qualify = core.qualify.map(lifted)
        outer.from = from  // marks the query as having a FROM; the grouped rows are bound below
        let outerOrder = orderBy.map { OrderItem(expr: lifted($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }

        var groupBinder = self
        let (grouped, groupedScope) = try groupBinder.bindSelect(inner, orderBy: [])
        let scope = Scope(columns: zip(groupedScope.columns, columnNames).map { PlanColumn(name: $1.name, type: $0.type, qualifier: $1.qualifier) })
        return try bindSelect(outer, orderBy: outerOrder, over: (grouped, scope))
    }

    /// The GROUP BY keys as written (a position or an alias names a SELECT item).
    static func groupingKeys(_ core: SelectCore, _ input: Scope) -> [Expr] {
        core.groupBy.map { g in
            if case .literal(.int(let k)) = g.kind, k >= 1, Int(k) <= core.items.count { return core.items[Int(k) - 1].expr }
            if case .column(let parts) = g.kind, parts.count == 1, (try? input.resolve(parts, at: 0)) == nil,
               let item = core.items.first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
                return item.expr
            }
            return g
        }
    }

    /// The parts of a grouped query read per input row: its keys and its aggregates'
    /// arguments and filters (not the expressions over the groups).
    static func rowLevelParts(_ core: SelectCore, _ input: Scope) -> [Expr] {
        var parts = groupingKeys(core, input)
        for e in core.items.map(\.expr) + (core.having.map { [$0] } ?? []) {
            _ = e.contains { x in
                if case .function(let name, let args, _, _, let clauses) = x.kind, FunctionRegistry.aggregate(name) != nil {
                    parts += args + clauses.expressions
                }
                return false
            }
        }
        return parts
    }

    /// Whether `e` holds a subquery that does not bind alone (it reads the outer query).
    private func hasCorrelatedSubquery(_ e: Expr) -> Bool {
        e.contains { x in
            let q: SelectStatement
            switch x.kind {
            case .scalarSubquery(let s), .exists(let s, _), .inSubquery(_, let s, _): q = s
            default: return false
            }
            var alone = trialBinder()
            if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { return false }
            return true
        }
    }
}
