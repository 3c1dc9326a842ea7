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
        }, untypedNull: scope.untypedNull)
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
            if case .comparison(.equal, let x, let y) = b, let (o, i) = Self.sides(x, y, leftCount: leftCount) {
                let (l, r) = try Self.keyPair(o, i.remapped(Dictionary(uniqueKeysWithValues: i.columnsUsed.map { ($0, $0 - leftCount) })), at: c.position)
                leftKeys.append(l)
                rightKeys.append(r)
            } else {
                residual.append(b)
            }
        }
        let right = local.isEmpty ? input : .filter(input, BoundExpr.conjunction(local)!)
        let condition = BoundExpr.conjunction(residual)
        return .join(probe: plan, build: right, kind: negated ? .anti : .semi, probeKeys: leftKeys, buildKeys: rightKeys, residual: condition)
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

// Correlated scalar subqueries: `(SELECT avg(r.rating) FROM raw_ratings r WHERE r.movieId =
// m.movieId)` in a SELECT list or WHERE becomes a LEFT JOIN to the subquery grouped by its
// inner keys, computed once for all outer rows:
//
//   outer LEFT JOIN (SELECT k1.., <aggregate> AS value FROM ... WHERE <inner-only> GROUP BY k1..)
//         ON outer_k1 = k1 ...
//
// An outer row with no partner gets the aggregate over no rows (0 for COUNT, NULL for SUM),
// as the subquery would have returned for it.

extension Binder {
    /// Rewrites the correlated scalar subqueries of `core` (in WHERE, and in the SELECT list
    /// of a query without aggregates) into LEFT JOINs on `plan`; the subqueries' values are
    /// recorded in `correlatedValues` for the expressions that use them.
    mutating func decorrelateScalarSubqueries(_ core: SelectCore, _ plan: Plan, _ scope: Scope, orderBy: [Expr] = []) throws(SQLError) -> (Plan, Scope) {
        var found: [Expr] = []
        if let w = core.whereClause { Self.scalarSubqueries(in: w, into: &found) }
        let aggregated = !core.groupBy.isEmpty || core.having != nil || core.items.contains { Self.containsAggregate($0.expr) }
        // Read per input row: the SELECT list of a plain query; a grouped query's keys and
        // aggregate arguments.
        // ORDER BY and QUALIFY of a plain query are read per row too.
        let perRow = aggregated ? Self.rowLevelParts(core, scope) : core.items.map(\.expr) + orderBy + (core.qualify.map { [$0] } ?? [])
        for e in perRow { Self.scalarSubqueries(in: e, into: &found) }
        var seen = Set<Int>()
        found = found.filter { seen.insert($0.position).inserted }
        var plan = plan, scope = scope
        for e in found {
            guard case .scalarSubquery(let q) = e.kind else { continue }
            var alone = trialBinder()
            if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { continue }  // uncorrelated
            guard let (joined, extended, value) = try correlatedScalarValue(plan, scope, q, outerWhere: core.whereClause, at: e.position) else {
                continue
            }
            plan = joined
            scope = extended
            correlatedValues[e.position] = value
        }
        return (plan, scope)
    }

    /// `plan` LEFT JOIN a correlated scalar subquery `q`, and the expression of its value: the
    /// specific rewrites first (a plain join, a running window); any other shape takes the
    /// general one, and failing that the specific rewrite's reason stands (nil: no reason).
    mutating func correlatedScalarValue(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, outerWhere: Expr?,
                                        at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        let plan = readOnceIfVolatile(plan)
        var rewritten: (Plan, Scope, BoundExpr)?
        var refusal: SQLError?
        do throws(SQLError) {
            rewritten = try correlatedScalar(plan, scope, q, outerWhere: outerWhere, at: position)
        } catch {
            refusal = error
        }
        if rewritten == nil { rewritten = try magicSetScalar(plan, scope, q, outerWhere: outerWhere, at: position) }
        if rewritten == nil { rewritten = try magicSetAggregateOverRows(plan, scope, q, outerWhere: outerWhere, at: position) }
        if rewritten == nil { rewritten = try magicSetUngroupedAggregate(plan, scope, q, outerWhere: outerWhere, at: position) }
        if rewritten == nil, let refusal { throw refusal }
        return rewritten
    }

    /// The LEFT JOIN for one correlated scalar subquery and the expression of its value; nil
    /// when `q` is not correlated through equalities (the ordinary binding then reports why).
    private mutating func correlatedScalar(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, outerWhere: Expr?,
                                           at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        guard q.ctes.isEmpty, case .select(var core) = q.body, q.orderBy.isEmpty, q.limit == nil, q.offset == nil,
              !core.distinct, core.groupBy.isEmpty, core.having == nil, let from = core.from, core.items.count == 1 else { return nil }
        var sub = self
        let (_, inner) = try sub.bindFrom(from)
        let innerNames = Set(inner.columns.map { $0.name.lowercased() })
        let outer = Scope(columns: scope.columns, hidden: scope.columns.indices.map {
            scope.hidden[$0] || innerNames.contains(scope.columns[$0].name.lowercased())
        }, untypedNull: scope.untypedNull)
        var local: [Expr] = [], innerKeys: [Expr] = [], outerKeys: [BoundExpr] = []
        // A value that reads outer columns (`max(r2.rating) - r.rating`) takes the general rewrite.
        let valueReadsOuter = core.items[0].expr.contains { x in
            guard case .column(let parts) = x.kind else { return false }
            return (try? inner.resolve(parts, at: 0)) == nil && (try? outer.resolve(parts, at: 0)) != nil
        }
        // Equalities and one range condition: a running window aggregate, not a join per pair.
        if !valueReadsOuter, let running = try runningCorrelatedScalar(plan, scope, core: core, from: from, inner: inner, outer: outer,
                                                                       outerWhere: outerWhere, at: position) {
            return running
        }
        // A value without an aggregate (a lookup: `(SELECT title FROM movies m WHERE m.movieId =
        // r.movieId)`) is the group's single value: NULL without a row, an error with two.
        if !Self.containsAggregate(core.items[0].expr) && !Self.containsWindow(core.items[0].expr) {
            let value = core.items[0].expr
            core.items[0].expr = Expr(.function(name: AggregateFunction.singleValueName, args: [value], distinct: false, star: false, clauses: .none),
                                      at: value.position)
        }
        if valueReadsOuter && Self.containsAggregate(core.items[0].expr) {
            return try generalCorrelatedScalar(plan, scope, core: core, from: from, inner: inner, outer: outer,
                                               outerWhere: outerWhere, at: position)
        }
        for c in core.whereClause.map(Self.conjuncts) ?? [] {
            if (try? sub.bindExpr(c, inner, nil)) != nil { local.append(c); continue }
            if case .binary(.comparison(.equal), let a, let b) = c.kind {
                // The subquery groups by its key in the type the equality compares in: two
                // BIGINTs that are one DOUBLE against a DOUBLE outer key are one group.
                func key(_ x: Expr, _ i: BoundExpr, _ o: BoundExpr) -> Expr {
                    guard let t = TypeRules.common(i.type, o.type), t != i.type else { return x }
                    return Expr(.cast(x, t), at: x.position)
                }
                if let i = try? sub.bindExpr(a, inner, nil), let o = try? bindExpr(b, outer, nil) {
                    innerKeys.append(key(a, i, o)); outerKeys.append(o); continue
                }
                if let i = try? sub.bindExpr(b, inner, nil), let o = try? bindExpr(a, outer, nil) {
                    innerKeys.append(key(b, i, o)); outerKeys.append(o); continue
                }
            }
            // A misspelt name is reported as such (a condition with a subquery that reads the
            // outer query, a nested correlation, binds only in the general rewrite).
            if !Self.containsSubquery(c) { _ = try sub.bindExpr(c, outer + inner, nil) }
            // Related by something other than an equality: the general rewrite.
            guard Self.containsAggregate(core.items[0].expr) else {
                throw SQLError(.unsupported, "a correlated subquery used as a value must compute an aggregate (such as max(...) "
                               + "or count(*)), so that it has one row per outer row", at: position)
            }
            return try generalCorrelatedScalar(plan, scope, core: core, from: from, inner: inner, outer: outer,
                                               outerWhere: outerWhere, at: position)
        }
        guard !innerKeys.isEmpty else { return nil }
        guard Self.containsAggregate(core.items[0].expr) else {
            throw SQLError(.unsupported, "a correlated subquery used as a value must compute an aggregate (such as max(...) "
                           + "or count(*)), so that it has one row per outer row", at: position)
        }
        // SELECT k.., <item> FROM <from> WHERE <inner-only> GROUP BY k..
        var grouped = SelectCore()
        grouped.items = innerKeys.enumerated().map { (expr: $1, alias: "__key\($0)") } + [(expr: core.items[0].expr, alias: "__value")]
        grouped.from = from
        grouped.whereClause = Self.conjunction(local)
        grouped.groupBy = innerKeys
        var derivedBinder = sub
        derivedBinder.correlatedValues = [:]
        let (derived, columns) = try derivedBinder.bind(SelectStatement(body: .select(grouped)))
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerKeys, at: position)
    }

    /// The general rewrite (Neumann and Kemper's, for one level): the distinct values of the
    /// outer columns the subquery reads (after the outer WHERE's own conditions), joined to
    /// the subquery's input by its correlated conditions with those values in the outer
    /// columns' places, grouped by them; the outer rows then LEFT JOIN that on the values.
    ///
    ///   D = SELECT DISTINCT o1, o2 FROM outer WHERE <outer-only conditions>
    ///   V = SELECT D.o1, D.o2, <aggregate> FROM <inner> JOIN D ON <correlated conditions>
    ///       WHERE <inner-only conditions> GROUP BY D.o1, D.o2
    ///   outer LEFT JOIN V ON outer.o1 = V.o1 AND outer.o2 = V.o2
    private mutating func generalCorrelatedScalar(_ plan: Plan, _ scope: Scope, core: SelectCore, from: TableRef, inner: Scope,
                                                  outer: Scope, outerWhere: Expr?, at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        let d = "__outer_values\(position)"
        var outerColumns: [Int] = []
        func column(_ i: Int, at position: Int) -> Expr {
            let j = outerColumns.firstIndex(of: i) ?? { outerColumns.append(i); return outerColumns.count - 1 }()
            return Expr(.column([d, Self.outerValueName(j)]), at: position)
        }
        // Outer column references become D's columns (d.c0, d.c1, ...). Inside a nested
        // subquery only qualified ones are taken (`m.movie_id`), where no FROM inside defines
        // the qualifier: an unqualified name there may be the nested query's own.
        func rewrite(_ e: Expr) -> Expr {
            e.rewritten { x in
                switch x.kind {
                case .column(let parts):
                    guard (try? inner.resolve(parts, at: 0)) == nil, let i = try? outer.resolve(parts, at: 0) else { return nil }
                    return column(i, at: x.position)
                case .scalarSubquery(let q): return Expr(.scalarSubquery(nested(q)), at: x.position)
                case .exists(let q, let n): return Expr(.exists(nested(q), negated: n), at: x.position)
                case .inSubquery(let probe, let q, let n): return Expr(.inSubquery(rewrite(probe), nested(q), negated: n), at: x.position)
                default: return nil
                }
            }
        }
        func nested(_ q: SelectStatement) -> SelectStatement {
            let defined = q.definedNames
            return q.rewritingExpressions { x in
                guard case .column(let parts) = x.kind, parts.count >= 2, !defined.contains(parts[parts.count - 2].lowercased()),
                      (try? inner.resolve(parts, at: 0)) == nil, let i = try? outer.resolve(parts, at: 0) else { return nil }
                return column(i, at: x.position)
            }
        }
        var sub = self
        var local: [Expr] = [], correlated: [Expr] = [], correlatedWithSubqueries: [Expr] = []
        for c in core.whereClause.map(Self.conjuncts) ?? [] {
            if (try? sub.bindExpr(c, inner, nil)) != nil {
                local.append(c)
            } else if Self.containsSubquery(c) {
                // In WHERE, not ON: there a subquery that reads D takes the semi-join and
                // scalar rewrites.
                correlatedWithSubqueries.append(rewrite(c))
            } else {
                correlated.append(rewrite(c))
            }
        }
        let item = rewrite(core.items[0].expr)
        guard !outerColumns.isEmpty else { return nil }

        // D: the outer rows' distinct values, after the outer WHERE's conditions that need no subquery.
        let outerValues = outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        try sub.readOuterValues(outerValues, as: d, of: plan, scope, outerWhere: outerWhere)

        var grouped = SelectCore()
        let keys = outerColumns.indices.map { Expr(.column([d, Self.outerValueName($0)]), at: position) }
        grouped.items = keys.enumerated().map { (expr: $1, alias: "__key\($0)") } + [(expr: item, alias: "__value")]
        let values = TableRef.table(name: [d], alias: nil, position: position)
        grouped.from = correlated.isEmpty ? .join(left: from, right: values, kind: .cross, on: nil, using: [])
            : .join(left: from, right: values, kind: .inner, on: Self.conjunction(correlated), using: [])
        grouped.whereClause = Self.conjunction(local + correlatedWithSubqueries)
        grouped.groupBy = keys
        let (derived, columns) = try sub.bind(SelectStatement(body: .select(grouped)))
        let outerKeys = outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        // D holds NULL values too; a value that only the subquery's result reads (`x IN (...)`)
        // is matched NULL for NULL. One that a comparison in the correlated conditions reads
        // has no group when NULL (the comparison is never true), so its key stays plain.
        var rejectsNull = Set<Int>()
        for c in correlated {
            guard case .binary(.comparison, let a, let b) = c.kind else { continue }
            for x in [a, b] {
                if case .column(let parts) = x.kind, parts.count == 2, parts[0] == d, let j = Self.outerValueIndex(parts[1]) { rejectsNull.insert(j) }
            }
        }
        let nullMatching = Set(outerKeys.indices).subtracting(rejectsNull)
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerKeys, nullMatching: nullMatching,
                                    at: position)
    }

    /// The name of D's column j. Internal (it starts with \u{1}) so that it never meets a
    /// column of the subquery D is joined into.
    static func outerValueName(_ j: Int) -> String { "\u{1}c\(j)" }

    /// Which of D's columns `name` is, if it is one.
    static func outerValueIndex(_ name: String) -> Int? {
        name.hasPrefix("\u{1}c") ? Int(name.dropFirst(2)) : nil
    }

    /// `plan` computed once and buffered when two reads of it could disagree (`uuid_string()`,
    /// `random()`, a SAMPLE without row ids): the unnestings read the outer rows for D and
    /// again for the join back, and a row whose values changed in between would find no match.
    mutating func readOnceIfVolatile(_ plan: Plan) -> Plan {
        guard plan.isVolatile else { return plan }
        let shared = Plan.shared(Optimizer.optimize(plan), id: sharedCTEs.nextId)
        sharedCTEs.nextId += 1
        return shared
    }

    /// Makes `name` readable in this binder as D: the distinct rows of `values` over the
    /// outer rows (`plan`, after the outer WHERE's conditions that need no subquery), columns
    /// named by `outerValueName`. It is a CTE bound in advance and shared by its readers.
    mutating func readOuterValues(_ values: [BoundExpr], as name: String, of plan: Plan, _ scope: Scope, outerWhere: Expr?) throws(SQLError) {
        var filters: [BoundExpr] = []
        for c in outerWhere.map(Self.conjuncts) ?? [] where !Self.containsSubquery(c) {
            // Only an optimization: a volatile condition (random() < 0.1) would draw again
            // here and disagree with the outer query's own filter.
            if let b = try? bindExpr(c, scope, nil), b.type == .boolean, !b.isVolatile { filters.append(b) }
        }
        let source = filters.isEmpty ? plan : .filter(plan, BoundExpr.conjunction(filters)!)
        let columns = values.enumerated().map { PlanColumn(name: Self.outerValueName($0), type: $1.type, qualifier: nil) }
        let distinctValues = Plan.distinct(.project(source, values, names: columns.map(\.name)))
        let cteScope = sharedCTEs.nextScope
        sharedCTEs.nextScope += 1
        sharedCTEs.names.insert("\(cteScope):\(name)")
        sharedCTEs.bound["\(cteScope):\(name)"] = (distinctValues, columns)
        ctes[name] = SelectStatement(body: .select(SelectCore()))
        cteScopes[name] = cteScope
        correlatedValues = [:]
    }

    /// Join keys under which NULL matches NULL: the value with NULL read as a zero of its
    /// type, and whether it is NULL.
    static func nullMatchingKeys(_ e: BoundExpr) -> [BoundExpr] {
        let zero: Value
        switch e.type {
        case .varchar: zero = .string("")
        case .double: zero = .double(0)
        case .boolean: zero = .bool(false)
        case .date: zero = .date(0)
        case .timestamp: zero = .timestamp(0)
        case .int32, .int64: zero = .int(0)
        case .listVarchar: zero = .list([])
        }
        let coalesced = (try? Binder.call("coalesce", [e, .constant(zero, e.type)])) ?? e
        return [coalesced, .isNull(e, negated: false)]
    }

    /// `plan` LEFT JOIN the grouped subquery `derived` (its key columns first, then the
    /// value) on `outerKeys`, and the expression of the value for each outer row.
    func joinGroupedValue(_ plan: Plan, _ scope: Scope, derived: Plan, columns: [PlanColumn], outerKeys: [BoundExpr],
                          nullMatching: Set<Int> = [], overNoRows given: BoundExpr? = nil, at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr) {
        let nullsMatch = !nullMatching.isEmpty
        let k = outerKeys.count
        let whenAloneExpr: BoundExpr
        if let given { whenAloneExpr = given } else {
            whenAloneExpr = try Self.valueOverNoRows(derived, columns: columns, outerKeys: outerKeys, at: position)
        }
        var leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = []
        for i in 0..<k {
            let (l, r) = try Self.keyPair(outerKeys[i], .column(index: i, type: columns[i].type, name: columns[i].name), at: position)
            if nullMatching.contains(i) {
                leftKeys += Self.nullMatchingKeys(l)
                rightKeys += Self.nullMatchingKeys(r)
            } else {
                leftKeys.append(l)
                rightKeys.append(r)
            }
        }
        return joinValue(plan, scope, build: derived, columns: columns, leftKeys: leftKeys, rightKeys: rightKeys, nullsMatch: nullsMatch,
                         whenAlone: whenAloneExpr, valueIndex: k, at: position)
    }

    /// The value of a grouped subquery `derived` (its keys first, then the value) over no
    /// rows, for an outer row with the keys `outerKeys`: from the same plan with no groups
    /// over an input that yields nothing.
    static func valueOverNoRows(_ derived: Plan, columns: [PlanColumn], outerKeys: [BoundExpr], at position: Int) throws(SQLError) -> BoundExpr {
        let k = outerKeys.count
        guard case .project(.aggregate(_, let groups, let aggregates), let exprs, _) = derived, groups.count == k else {
            throw SQLError(.unsupported, "this correlated subquery cannot be rewritten as a join", at: position)
        }
        // Over no rows COUNT is 0 and the other aggregates NULL, and the keys are the outer
        // row's own values: the value is that expression, folded.
        var overNoRows: [Int: BoundExpr] = [:]
        for i in 0..<k {
            guard case .column(let c, _, _) = exprs[i] else {
                throw SQLError(.unsupported, "this correlated subquery cannot be rewritten as a join", at: position)
            }
            overNoRows[c] = outerKeys[i].type == columns[i].type ? outerKeys[i] : .cast(outerKeys[i], columns[i].type)
        }
        for (j, a) in aggregates.enumerated() {
            // What each aggregate gives over no rows, as the ungrouped aggregate does.
            switch a.function {
            case .count, .countStar, .regrCount, .approxCountDistinct: overNoRows[k + j] = .constant(.int(0), a.type)
            case .entropy: overNoRows[k + j] = .constant(.double(0), a.type)
            default: overNoRows[k + j] = .constant(.null, a.type)
            }
        }
        return Self.fold(exprs[k].substituting(overNoRows))
    }

    /// `plan` LEFT JOIN `build` on the keys; the value is `build`'s column `valueIndex`, or
    /// `whenAlone` for an outer row without a partner.
    private func joinValue(_ plan: Plan, _ scope: Scope, build derived: Plan, columns: [PlanColumn], leftKeys: [BoundExpr], rightKeys: [BoundExpr],
                           nullsMatch: Bool, whenAlone whenAloneExpr: BoundExpr, valueIndex k: Int, at position: Int) -> (Plan, Scope, BoundExpr) {
        let valueType = columns[k].type
        let base = scope.columns.count
        let tag = "__subquery\(position)"
        // A row without a partner has NULL keys; where a key may itself be NULL, a marker
        // column (TRUE on every grouped row) tells the two apart.
        var build = derived, builtColumns = columns, partner = BoundExpr.column(index: base, type: columns[0].type, name: "")
        if nullsMatch {
            build = .project(derived, columns.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: $1.name) } + [.constant(.bool(true), .boolean)],
                             names: columns.map(\.name) + ["__partner"])
            builtColumns.append(PlanColumn(name: "__partner", type: .boolean, qualifier: nil))
            partner = .column(index: base + columns.count, type: .boolean, name: "")
        }
        let added = Scope(columns: builtColumns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: tag) },
                          hidden: Array(repeating: true, count: builtColumns.count))
        let value = BoundExpr.column(index: base + k, type: valueType, name: "(SELECT ...)")
        var isNullConstant = false
        if case .constant(let v, _) = whenAloneExpr, v.isNull { isNullConstant = true }
        let result: BoundExpr = isNullConstant ? value
            : .caseWhen(whens: [(.isNull(partner, negated: false), whenAloneExpr)], otherwise: value, valueType)
        return (.join(probe: plan, build: build, kind: .left, probeKeys: leftKeys, buildKeys: rightKeys, residual: nil), scope + added, result)
    }

    /// Whether `e` holds a subquery.
    static func containsSubquery(_ e: Expr) -> Bool {
        e.contains { x in
            switch x.kind {
            case .scalarSubquery, .exists, .inSubquery: return true
            default: return false
            }
        }
    }

    /// The scalar subqueries of `e` (not those nested inside other subqueries).
    static func scalarSubqueries(in e: Expr, into out: inout [Expr]) {
        switch e.kind {
        case .scalarSubquery: out.append(e)
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _), .inSubquery(let x, _, _): scalarSubqueries(in: x, into: &out)
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b):
            scalarSubqueries(in: a, into: &out); scalarSubqueries(in: b, into: &out)
        case .between(let a, let b, let c, _): for x in [a, b, c] { scalarSubqueries(in: x, into: &out) }
        case .inList(let x, let items, _): for y in [x] + items { scalarSubqueries(in: y, into: &out) }
        case .function(_, let args, _, _, let clauses): for a in args + clauses.expressions { scalarSubqueries(in: a, into: &out) }
        case .window(let w): for a in w.expressions { scalarSubqueries(in: a, into: &out) }
        case .caseWhen(let o, let whens, let otherwise):
            if let o { scalarSubqueries(in: o, into: &out) }
            for (w, t) in whens { scalarSubqueries(in: w, into: &out); scalarSubqueries(in: t, into: &out) }
            if let otherwise { scalarSubqueries(in: otherwise, into: &out) }
        case .column, .literal, .star, .exists: break
        }
    }
}
