// Correlated subqueries of any shape the specific rewrites do not take: grouped, with HAVING,
// DISTINCT, set operations, ORDER BY ... LIMIT, related by any condition. The general
// unnesting (Neumann and Kemper, "Unnesting Arbitrary Queries"): D, the distinct values of
// the outer columns the subquery reads, is joined into the subquery, whose every part then
// runs once per row of D instead of once per outer row: D's columns lead the SELECT list of
// each branch and the GROUP BY, a LIMIT becomes a row number per D row. The result, keyed
// by D's columns, joins back to the outer rows (NULL matching NULL: D holds the outer rows'
// values as they are). One plan, hash joins, no per-row execution.
//
//   x IN (SELECT max(r) FROM t WHERE t.a > o.a GROUP BY t.g)
//     => semi join on (o.a, x) = (k0, v) with
//        SELECT d.c0 AS k0, max(r) AS v FROM t, D d WHERE t.a > d.c0 GROUP BY d.c0, t.g

extension Binder {
    /// What the rewritten subquery stands for.
    enum MagicSetUse {
        /// `[NOT] EXISTS`: only whether rows exist per D row.
        case exists
        /// `x IN`: the one SELECT item, per D row.
        case membership
        /// A value: the one SELECT item, at most one row per D row.
        case value
        /// A derived table an aggregate reads: every SELECT item, per D row.
        case rows
    }

    /// The semi or anti join for a WHERE condition `[NOT] EXISTS (q)` or `probe [NOT] IN (q)`
    /// whose subquery did not bind alone (`unbound` says why): the plain rewrite first, then
    /// the general one for any other shape, else the plain rewrite's reason, else `unbound`.
    mutating func correlatedJoin(_ plan: Plan, _ scope: Scope, subquery q: SelectStatement, probe: Expr?, negated: Bool,
                                 outerWhere: Expr?, at position: Int, unbound: SQLError) throws(SQLError) -> Plan {
        let plan = readOnceIfVolatile(plan)
        var refusal = unbound
        do throws(SQLError) {
            if let joined = try correlatedSemiJoin(plan, scope, subquery: q, probe: probe, negated: negated, at: position) { return joined }
        } catch {
            refusal = error
        }
        guard let joined = try magicSetSemiJoin(plan, scope, subquery: q, probe: probe, negated: negated, outerWhere: outerWhere,
                                                at: position) else { throw refusal }
        return joined
    }

    /// The semi (or anti) join for a correlated `[NOT] EXISTS (q)` or `probe IN (q)` of any
    /// shape; nil when `q` reads no outer column or has a part this rewrite does not take.
    mutating func magicSetSemiJoin(_ plan: Plan, _ scope: Scope, subquery q: SelectStatement, probe: Expr?, negated: Bool,
                                   outerWhere: Expr?, at position: Int) throws(SQLError) -> Plan? {
        if probe != nil && negated { return nil }  // NOT IN's NULL rules per D row: not taken here
        guard let (derived, columns, outerKeys) = try magicSetDerived(plan, scope, q, use: probe == nil ? .exists : .membership,
                                                                       outerWhere: outerWhere, at: position) else { return nil }
        var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = []
        for (i, key) in outerKeys.enumerated() {
            let (l, r) = try Self.keyPair(key, .column(index: i, type: columns[i].type, name: columns[i].name), at: position)
            probeKeys += Self.nullMatchingKeys(l)
            buildKeys += Self.nullMatchingKeys(r)
        }
        if let probe {
            let k = outerKeys.count
            let x = try bindExpr(probe, scope, nil)
            let (l, r) = try Self.keyPair(x, .column(index: k, type: columns[k].type, name: columns[k].name), at: position)
            probeKeys.append(l)
            buildKeys.append(r)
        }
        return .join(probe: plan, build: derived, kind: negated ? .anti : .semi, probeKeys: probeKeys, buildKeys: buildKeys, residual: nil)
    }

    /// A correlated scalar subquery of any shape as a LEFT JOIN on `plan`: its value per
    /// outer row, NULL when it has no row, an error when it has two.
    mutating func magicSetScalar(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, outerWhere: Expr?,
                                 at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        // One value per D row: SINGLE_VALUE fails on a second row, as the subquery would.
        let wrap = { (rows: SelectStatement, k: Int) -> SelectStatement in
            var grouped = SelectCore()
            let keys = (0..<k).map { Expr(.column(["__magic", "__key\($0)"]), at: position) }
            let value = Expr(.column(["__magic", "__value"]), at: position)
            grouped.items = keys.enumerated().map { (expr: $1, alias: Optional("__key\($0)")) }
                + [(expr: Expr(.function(name: AggregateFunction.singleValueName, args: [value], distinct: false, star: false, clauses: .none),
                               at: position), alias: Optional("__value"))]
            grouped.from = .subquery(rows, alias: "__magic")
            grouped.groupBy = keys
            return SelectStatement(body: .select(grouped))
        }
        guard let (derived, columns, outerKeys) = try magicSetDerived(plan, scope, q, use: .value, outerWhere: outerWhere,
                                                                       wrap: wrap, at: position) else { return nil }
        let k = outerKeys.count
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerKeys,
                                    nullMatching: Set(0..<k), overNoRows: .constant(.null, columns[k].type), at: position)
    }

    /// An ungrouped aggregate over any FROM whose derived tables read the outer query
    /// (`(SELECT count(*) FROM (SELECT ... WHERE b.k = a.k) s JOIN c ON ...)`): grouped by D's
    /// columns, D leading the FROM, LEFT JOINed to the outer rows; over no rows the aggregate
    /// of nothing (COUNT 0, the others NULL).
    mutating func magicSetUngroupedAggregate(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, outerWhere: Expr?,
                                             at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        guard q.ctes.isEmpty, q.orderBy.isEmpty, q.limit == nil, q.offset == nil, case .select(let core) = q.body,
              core.from != nil, core.groupBy.isEmpty, !core.groupByAll, core.having == nil, core.qualify == nil,
              core.items.count == 1, Self.containsAggregate(core.items[0].expr) else { return nil }
        let d = "__outer_rows\(position)"
        var rewriter = MagicSetRewriter(binder: trialBinder(), outer: scope, d: d)
        guard var rewritten = rewriter.rewrite(q, use: .value) else { return nil }
        let outerColumns = rewriter.outerColumns
        guard !outerColumns.isEmpty else { return nil }
        let keys = outerColumns.indices.map { Expr(.column([d, Self.outerValueName($0)]), at: position) }
        guard rewritten.addKeys(keys, use: .value, groupingUngrouped: true, at: position) else { return nil }
        var sub = self
        let outerValues = outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        try sub.readOuterValues(outerValues, as: d, of: plan, scope, outerWhere: outerWhere)
        let (derived, columns) = try sub.bind(rewritten)
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerValues,
                                    nullMatching: Set(0..<outerColumns.count), at: position)
    }

    /// `(SELECT agg(...) FROM (q) AS s)` over a correlated derived table `q` (what ANY / ALL
    /// and IN become outside the semi-join positions): `q` per D row, its rows grouped by D's
    /// columns, LEFT JOINed to the outer rows (over no rows the aggregates of nothing: COUNT
    /// 0, the others NULL). Outer columns the aggregates read (IN's probe) join D too.
    mutating func magicSetAggregateOverRows(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, outerWhere: Expr?,
                                            at position: Int) throws(SQLError) -> (Plan, Scope, BoundExpr)? {
        guard q.ctes.isEmpty, q.orderBy.isEmpty, q.limit == nil, q.offset == nil, case .select(var core) = q.body,
              case .subquery(var inner, let alias?)? = core.from,
              core.groupBy.isEmpty, !core.groupByAll, core.having == nil, core.qualify == nil, !core.distinct,
              core.items.count == 1, Self.containsAggregate(core.items[0].expr) else { return nil }
        if let condition = core.whereClause {
            // The rows the aggregate reads: the derived table's that meet the WHERE.
            var filtered = SelectCore()
            filtered.items = [(expr: Expr(.star(qualifier: nil), at: position), alias: nil)]
            filtered.from = .subquery(inner, alias: alias)
            filtered.whereClause = condition
            inner = SelectStatement(body: .select(filtered))
            core.whereClause = nil
        }
        let d = "__outer_rows\(position)"
        var rewriter = MagicSetRewriter(binder: trialBinder(), outer: scope, d: d)
        guard var rows = rewriter.rewrite(inner, use: .rows) else { return nil }
        // The derived table's column names: as given, or as a trial binding of it per D row says.
        var names: [String]
        if let given = inner.columnAliases {
            names = given
        } else {
            let k = rewriter.outerColumns.count
            guard k > 0 else { return nil }
            var probe = rows
            guard probe.addKeys((0..<k).map { Expr(.column([d, Self.outerValueName($0)]), at: position) }, use: .rows, at: position) else { return nil }
            var trial = trialBinder()
            let values = rewriter.outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
            try trial.readOuterValues(values, as: d, of: plan, scope, outerWhere: outerWhere)
            guard let (_, columns) = try? trial.bind(probe) else { return nil }
            names = columns.dropFirst(k).map(\.name)
        }
        // The aggregate reads the derived table's columns, and perhaps the outer query's.
        let own = Scope(columns: names.map { PlanColumn(name: $0, type: .varchar, qualifier: alias) })
        let item = rewriter.rewrite(core.items[0].expr, own)
        let outerColumns = rewriter.outerColumns
        guard !outerColumns.isEmpty else { return nil }
        let k = outerColumns.count
        let keys = (0..<k).map { Expr(.column([d, Self.outerValueName($0)]), at: position) }
        guard rows.addKeys(keys, use: .rows, at: position) else { return nil }
        rows.columnAliases = (0..<k).map { "__key\($0)" } + names
        let keyColumns = (0..<k).map { Expr(.column([alias, "__key\($0)"]), at: position) }
        core.from = .subquery(rows, alias: alias)
        core.items = keyColumns.enumerated().map { (expr: $1, alias: Optional("__key\($0)")) }
            + [(expr: item.rewritten { x in
                guard case .column(let parts) = x.kind, parts.count == 2, parts[0] == d, let j = Self.outerValueIndex(parts[1]) else { return nil }
                return keyColumns[j]
            }, alias: Optional("__value"))]
        core.groupBy = keyColumns
        var sub = self
        let outerValues = outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        try sub.readOuterValues(outerValues, as: d, of: plan, scope, outerWhere: outerWhere)
        let (derived, columns) = try sub.bind(SelectStatement(body: .select(core)))
        return try joinGroupedValue(plan, scope, derived: derived, columns: columns, outerKeys: outerValues,
                                    nullMatching: Set(0..<k), at: position)
    }

    /// `q` with D joined in and its outer references pointed at D: the plan of its rows (D's
    /// columns first, then the SELECT item unless `use` is `.exists`), its columns, and the
    /// outer expressions D's columns hold.
    mutating func magicSetDerived(_ plan: Plan, _ scope: Scope, _ q: SelectStatement, use: MagicSetUse, outerWhere: Expr?,
                                  wrap: (SelectStatement, Int) -> SelectStatement = { q, _ in q },
                                  at position: Int) throws(SQLError) -> (Plan, [PlanColumn], [BoundExpr])? {
        let d = "__outer_rows\(position)"
        var outerColumns: [Int] = []
        var rewriter = MagicSetRewriter(binder: trialBinder(), outer: scope, d: d)
        guard var rewritten = rewriter.rewrite(q, use: use) else {
            if let refusal = rewriter.refusal { throw refusal }
            return nil
        }
        outerColumns = rewriter.outerColumns
        guard !outerColumns.isEmpty else { return nil }
        let keys = outerColumns.indices.map { Expr(.column([d, Self.outerValueName($0)]), at: position) }
        guard rewritten.addKeys(keys, use: use, at: position) else { return nil }

        var sub = self
        let outerValues = outerColumns.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        try sub.readOuterValues(outerValues, as: d, of: plan, scope, outerWhere: outerWhere)
        let (derived, columns) = try sub.bind(wrap(rewritten, outerColumns.count))
        return (derived, columns, outerValues)
    }
}

/// Points the outer references of a subquery at D's columns, recording which outer columns
/// D must hold; nil for a part it cannot rewrite.
struct MagicSetRewriter {
    var binder: Binder
    let outer: Binder.Scope
    let d: String
    var outerColumns: [Int] = []
    /// Why a shape was not rewritten, when the reason is worth more than the binder's error.
    var refusal: SQLError? = nil

    mutating func column(_ i: Int, at position: Int) -> Expr {
        // A bare NULL column is NULL on every row: the literal keeps it untyped.
        if outer.isUntypedNull(i) { return Expr(.literal(.null), at: position) }
        let j = outerColumns.firstIndex(of: i) ?? { outerColumns.append(i); return outerColumns.count - 1 }()
        return Expr(.column([d, Binder.outerValueName(j)]), at: position)
    }

    mutating func rewrite(_ q: SelectStatement, use: Binder.MagicSetUse) -> SelectStatement? {
        // A CTE of the subquery is bound as it is: one that reads the outer query is not taken.
        for cte in q.ctes { binder.ctes[cte.name] = cte.query }
        var out = q
        guard let body = rewrite(q.body) else { return nil }
        out.body = body
        if q.orderBy.isEmpty { return out }
        guard case .select(let core) = q.body, let from = core.from else { return nil }
        var trial = binder.trialBinder()
        guard let inner = try? trial.bindFrom(from).1 else { return nil }
        var order: [OrderItem] = []
        for o in q.orderBy { order.append(OrderItem(expr: rewrite(o.expr, inner), descending: o.descending, nullsFirst: o.nullsFirst)) }
        out.orderBy = order
        return out
    }

    mutating func rewrite(_ body: QueryBody) -> QueryBody? {
        body.mappingSelects { core in rewrite(core) }
    }

    mutating func rewrite(_ core: SelectCore) -> SelectCore? {
        var core = core
        let inner: Binder.Scope
        if let from = core.from {
            var trial = binder.trialBinder()
            if let scope = try? trial.bindFrom(from).1 {
                inner = scope
            } else {
                // Derived tables that read the outer query read D instead, joined after it
                // (LATERAL), and D is already in this FROM for `addKeys`.
                guard let lateral = readingD(from) else { return nil }
                let withD = lateral.leadBy(.table(name: [d], alias: nil, position: 0))
                var typed = binder.trialBinder()
                let values = outerColumns.map { BoundExpr.constant(.null, outer.columns[$0].type) }
                guard (try? typed.readOuterValues(values, as: d, of: .values(rows: [[]], columns: []), Binder.Scope(), outerWhere: nil)) != nil,
                      let scope = try? typed.bindFrom(withD).1 else { return nil }
                core.from = withD
                inner = scope
            }
        } else {
            inner = Binder.Scope()
        }
        var items: [(expr: Expr, alias: String?)] = []
        for item in core.items { items.append((expr: rewrite(item.expr, inner), alias: item.alias)) }
        core.items = items
        core.whereClause = core.whereClause.map { rewrite($0, inner) }
        core.groupBy = core.groupBy.map { rewrite($0, inner) }
        core.having = core.having.map { rewrite($0, inner) }
        core.qualify = core.qualify.map { rewrite($0, inner) }
        return core
    }

    /// `from` with its derived tables that do not bind alone (they read the outer query)
    /// pointed at D; nil when none does.
    mutating func readingD(_ from: TableRef) -> TableRef? {
        switch from {
        case .subquery(let q, let alias):
            var trial = binder.trialBinder()
            if (try? trial.bind(q)) != nil { return nil }
            let pointed = nested(q, Binder.Scope())
            return outerColumns.isEmpty ? nil : .subquery(pointed, alias: alias)
        case .join(let left, let right, let kind, let on, let using):
            // D leads the FROM, so it is on the left of every join above it: a RIGHT or FULL
            // join would keep the right side's unmatched rows once, with D's columns NULL,
            // not once per D row.
            let l = readingD(left), r = readingD(right)
            if kind == .right || kind == .full {
                if l != nil || r != nil {
                    refusal = SQLError(.unsupported, "a derived table that reads the outer query is not supported under a "
                                       + "\(kind == .right ? "RIGHT" : "FULL") JOIN inside a subquery; use LEFT or INNER JOIN")
                }
                return nil
            }
            if (kind == .asof || kind == .asofLeft) && r != nil {
                // D's columns would have to be ASOF keys: the nearest row is per outer row.
                refusal = SQLError(.unsupported, "the right side of an ASOF JOIN inside a subquery cannot read the outer query")
                return nil
            }
            guard l != nil || r != nil else { return nil }
            return .join(left: l ?? left, right: r ?? right, kind: kind, on: on, using: using)
        default:
            return nil
        }
    }

    /// `e` with columns that are not the core's own but the outer query's pointed at D. In a
    /// nested subquery only qualified names are taken (`o.a`), where no FROM inside defines
    /// the qualifier: an unqualified name there may be the nested query's own.
    mutating func rewrite(_ e: Expr, _ inner: Binder.Scope) -> Expr {
        e.rewritten { x in
            switch x.kind {
            case .column(let parts):
                guard (try? inner.resolve(parts, at: 0)) == nil, let i = try? outer.resolve(parts, at: 0) else { return nil }
                return column(i, at: x.position)
            case .scalarSubquery(let q): return Expr(.scalarSubquery(nested(q, inner)), at: x.position)
            case .exists(let q, let n): return Expr(.exists(nested(q, inner), negated: n), at: x.position)
            case .inSubquery(let probe, let q, let n): return Expr(.inSubquery(rewrite(probe, inner), nested(q, inner), negated: n), at: x.position)
            default: return nil
            }
        }
    }

    mutating func nested(_ q: SelectStatement, _ inner: Binder.Scope) -> SelectStatement {
        let defined = q.definedNames
        var found: [(Int, Int)] = []  // (outer column, position) in order met
        let out = q.rewritingExpressions { x in
            guard case .column(let parts) = x.kind, parts.count >= 2, !defined.contains(parts[parts.count - 2].lowercased()),
                  (try? inner.resolve(parts, at: 0)) == nil, let i = try? outer.resolve(parts, at: 0) else { return nil }
            found.append((i, x.position))
            return Expr(.column(parts), at: x.position)
        }
        guard !found.isEmpty else { return q }
        // Number the outer columns first (the closure above cannot mutate self), then point at them.
        for (i, p) in found { _ = column(i, at: p) }
        let columns = outerColumns, d = self.d
        return out.rewritingExpressions { x in
            guard case .column(let parts) = x.kind, parts.count >= 2, !defined.contains(parts[parts.count - 2].lowercased()),
                  (try? inner.resolve(parts, at: 0)) == nil, let i = try? outer.resolve(parts, at: 0),
                  let j = columns.firstIndex(of: i) else { return nil }
            return Expr(.column([d, Binder.outerValueName(j)]), at: x.position)
        }
    }
}

extension SelectStatement {
    /// Joins D into every branch and puts its columns (`keys`) first: in the SELECT list, the
    /// GROUP BY, and the partition of the row number a LIMIT becomes. False for a part whose
    /// meaning per D row this cannot keep.
    ///
    /// With `groupingUngrouped`, an aggregate without GROUP BY (and without HAVING) is grouped
    /// by D's columns: one row per D row that has rows; the caller supplies the value over none.
    mutating func addKeys(_ keys: [Expr], use: Binder.MagicSetUse, groupingUngrouped: Bool = false, at position: Int) -> Bool {
        let d = keys.first.flatMap { k -> String? in if case .column(let parts) = k.kind { return parts[0] } else { return nil } } ?? ""
        let singleBranch: Bool
        if case .select = body { singleBranch = true } else { singleBranch = false }
        func core(_ c: SelectCore) -> SelectCore? {
            var c = c
            guard c.groupingSets == nil, c.top == nil, c.windows.isEmpty else { return nil }
            // `* EXCLUDE / RENAME / REPLACE` keep their meaning only under an unchanged SELECT list.
            guard c.starModifiers.isEmpty || use == .rows else { return nil }
            let items = c.items.map(\.expr) + [c.qualify].compactMap { $0 }
            if items.contains(where: Binder.containsWindow) { return nil }
            let aggregated = !c.groupBy.isEmpty || c.groupByAll || c.having != nil || c.items.contains { Binder.containsAggregate($0.expr) }
            // Over no rows an ungrouped aggregate still has its one row: per D row that needs
            // an outer join and COUNT's care; the scalar rewrites take those.
            let ungrouped = aggregated && c.groupBy.isEmpty && !c.groupByAll
            if ungrouped && !(groupingUngrouped && c.having == nil) { return nil }
            let keyItems = keys.enumerated().map { (expr: $1, alias: Optional("__key\($0)")) }
            switch use {
            case .exists where singleBranch && !c.groupByAll:
                c.items = keyItems
            case .exists, .rows:
                // The items move past D's columns, and an unqualified `*` means the subquery's
                // own columns: D's are left out of it.
                var modifiers: [Int: StarModifiers] = [:]
                for (i, m) in c.starModifiers { modifiers[i + keys.count] = m }
                for (i, item) in c.items.enumerated() {
                    guard case .star(nil) = item.expr.kind else { continue }
                    modifiers[i + keys.count, default: StarModifiers()].exclude += keys.indices.map { Binder.outerValueName($0) }
                }
                c.starModifiers = modifiers
                c.items = keyItems + c.items
            case .membership, .value:
                guard c.items.count == 1 else { return nil }
                if case .star = c.items[0].expr.kind { return nil }
                c.items = keyItems + [(expr: c.items[0].expr, alias: Optional("__value"))]
            }
            if !c.groupBy.isEmpty || ungrouped { c.groupBy = keys + c.groupBy }
            let rows = TableRef.table(name: [d], alias: nil, position: position)
            if c.from?.leadingTable == [d] {
                // D leads already (derived tables read it).
            } else {
                c.from = c.from.map { TableRef.join(left: $0, right: rows, kind: .cross, on: nil, using: []) } ?? rows
            }
            return c
        }
        guard let b = body.mappingSelects(core) else { return false }
        body = b
        if offset == nil && (use == .exists || limit == nil) {
            // Order does not change which rows exist; a LIMIT of at least one row does not
            // change whether any does.
            if let limit, case .literal(.int(let n)) = limit.kind, n < 1 { return false }
            if limit != nil && use != .exists { return false }
            orderBy = []
            limit = nil
            return true
        }
        // LIMIT n [OFFSET m] per D row: the rows numbered m+1 ... m+n within each.
        guard case .select(var c) = body else { return false }
        func count(_ e: Expr?) -> Int64? {
            guard let e else { return 0 }
            if case .literal(.int(let n)) = e.kind, n >= 0 { return Int64(n) }
            return nil
        }
        guard let n = limit == nil ? Int64(Int32.max) : count(limit), let m = count(offset) else { return false }
        // ORDER BY 1 or an output alias names a SELECT item: the window orders by its
        // expression (the items after D's columns are the subquery's own).
        var order: [OrderItem] = []
        for var o in orderBy {
            if case .literal(let v) = o.expr.kind {
                guard case .int(let i) = v, i >= 1, Int(i) + keys.count <= c.items.count else { return false }
                o.expr = c.items[keys.count + Int(i) - 1].expr
            } else if case .column(let parts) = o.expr.kind, parts.count == 1,
                      let item = c.items.dropFirst(keys.count).first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
                o.expr = item.expr
            }
            order.append(o)
        }
        let rowNumber = Expr(.window(WindowCall(name: "row_number", args: [], distinct: false, star: false, ignoreNulls: false,
                                                over: WindowSpec(partitionBy: keys, orderBy: order))), at: position)
        var condition = Expr(.binary(op: .comparison(.greater), rowNumber, Expr(.literal(.int(m)), at: position)), at: position)
        if n < Int64(Int32.max) {
            condition = Expr(.binary(op: .logical(.and), condition,
                                     Expr(.binary(op: .comparison(.lessOrEqual), rowNumber, Expr(.literal(.int(m + n)), at: position)), at: position)),
                             at: position)
        }
        c.qualify = c.qualify.map { Expr(.binary(op: .logical(.and), $0, condition), at: position) } ?? condition
        body = .select(c)
        orderBy = []
        limit = nil
        offset = nil
        return true
    }
}

extension TableRef {
    /// This FROM clause with `first` crossed in before its first item, where every item
    /// after it may read it (LATERAL).
    func leadBy(_ first: TableRef) -> TableRef {
        if case .join(let left, let right, let kind, let on, let using) = self {
            return .join(left: left.leadBy(first), right: right, kind: kind, on: on, using: using)
        }
        return .join(left: first, right: self, kind: .cross, on: nil, using: [])
    }

    /// The name of the table this FROM clause starts with, if it starts with one.
    var leadingTable: [String]? {
        switch self {
        case .table(let name, _, _): return name
        case .join(let left, _, _, _, _): return left.leadingTable
        default: return nil
        }
    }
}
