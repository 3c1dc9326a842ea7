// Resolves a parsed query against the catalog: names to columns (with "did you mean"),
// types checked and coerced, aggregates separated from grouping, subqueries in FROM and
// IN turned into plans and semi joins. The result is a `Plan` with its output columns.

import Columnar

/// Binds statements to plans.
public struct Binder {
    var catalog: Catalog
    private var ctes: [String: SelectStatement] = [:]
    private var viewDepth = 0
    /// CTEs read more than once in the statement, bound once and shared (by lowercased name).
    final class SharedCTEs {
        var nextId = 0
        var nextScope = 0
        /// "scope:name" of the CTEs read more than once.
        var names: Set<String> = []
        var bound: [String: (Plan, [PlanColumn])] = [:]
    }
    private var sharedCTEs = SharedCTEs()
    /// The WITH clause each visible CTE name comes from (CTE names can repeat across views).
    private var cteScopes: [String: Int] = [:]

    /// Runs an uncorrelated scalar subquery's plan and returns its single value (NULL for no
    /// rows); the engine supplies it because binding alone cannot execute.
    var evaluateScalarSubquery: ((Plan, Int) throws(SQLError) -> Value)?
    /// The values of the correlated scalar subqueries of the SELECT being bound, by the
    /// subquery's position in the text (see `decorrelateScalarSubqueries`).
    var correlatedValues: [Int: BoundExpr] = [:]
    /// Runs an uncorrelated subquery's plan and returns its one column, every row.
    var evaluateSubqueryColumn: ((Plan, Int) throws(SQLError) -> ColumnData)?

    public init(catalog: Catalog) { self.catalog = catalog }

    // MARK: Scope

    struct Scope {
        var columns: [PlanColumn] = []
        /// Columns hidden from unqualified lookup (the right side of JOIN ... USING).
        var hidden: [Bool] = []

        static func + (a: Scope, b: Scope) -> Scope {
            Scope(columns: a.columns + b.columns, hidden: a.hidden + b.hidden)
        }

        init(columns: [PlanColumn] = [], hidden: [Bool]? = nil) {
            self.columns = columns
            self.hidden = hidden ?? Array(repeating: false, count: columns.count)
        }

        func requalified(_ alias: String?) -> Scope {
            guard let alias else { return self }
            return Scope(columns: columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: alias) }, hidden: hidden)
        }

        func resolve(_ parts: [String], at position: Int) throws(SQLError) -> Int {
            let name = parts.last!.lowercased()
            let qualifier = parts.count >= 2 ? parts[parts.count - 2].lowercased() : nil
            let matches = columns.indices.filter { i in
                columns[i].name.lowercased() == name
                    && (qualifier == nil ? !hidden[i] : columns[i].qualifier?.lowercased() == qualifier)
            }
            if matches.count == 1 { return matches[0] }
            let shown = parts.joined(separator: ".")
            if matches.count > 1 {
                throw SQLError(.binder, "column reference '\(shown)' is ambiguous; qualify it with a table name", at: position)
            }
            var message = "column '\(shown)' not found"
            let candidates = columns.map { qualifier == nil ? $0.name : "\($0.qualifier ?? "").\($0.name)" }
            if let near = NameSuggestion.nearest(to: qualifier == nil ? name : "\(qualifier!).\(name)", in: candidates) {
                message += "; did you mean '\(near)'?"
            } else if !columns.isEmpty {
                message += " (available: \(columns.prefix(12).map(\.name).joined(separator: ", ")))"
            }
            throw SQLError(.binder, message, at: position)
        }
    }

    /// Grouping and aggregates collected while binding an aggregate query.
    final class AggregateContext {
        var groupKeys: [String]
        var groups: [BoundExpr]
        var aggregates: [AggregateCall] = []
        var aggregateKeys: [String] = []
        let input: Scope

        init(groupKeys: [String], groups: [BoundExpr], input: Scope) {
            self.groupKeys = groupKeys
            self.groups = groups
            self.input = input
        }
    }

    static let aggregateNames: Set<String> = ["count", "sum", "avg", "min", "max", "mean"]

    // MARK: Queries

    /// Binds a query; returns the plan and its output columns.
    public mutating func bind(_ statement: SelectStatement) throws(SQLError) -> (Plan, [PlanColumn]) {
        try StackGuard.check()
        let saved = ctes, savedScopes = cteScopes, savedValues = correlatedValues
        correlatedValues = [:]
        defer { ctes = saved; cteScopes = savedScopes; correlatedValues = savedValues }
        if !statement.ctes.isEmpty {
            let scope = sharedCTEs.nextScope
            sharedCTEs.nextScope += 1
            var uses: [String: Int] = [:]
            Self.tableNames(in: statement) { uses[$0, default: 0] += 1 }
            for (name, query) in statement.ctes {
                ctes[name.lowercased()] = query
                cteScopes[name.lowercased()] = scope
                if uses[name.lowercased(), default: 0] >= 2 { sharedCTEs.names.insert("\(scope):\(name.lowercased())") }
            }
        }

        var (plan, scope) = try bindBody(statement.body, orderBy: statement.orderBy)
        if case .union = statement.body, !statement.orderBy.isEmpty {
            // ORDER BY over a UNION names its output columns (by name or position).
            var keys: [SortKey] = []
            for item in statement.orderBy {
                guard let key = try Self.outputOrderKey(item, output: scope) else {
                    throw SQLError(.binder, "ORDER BY of a UNION must name an output column", at: item.expr.position)
                }
                keys.append(key)
            }
            plan = .sort(plan, keys: keys, limit: nil)
        }
        let limit = try statement.limit.map { (e) throws(SQLError) in try constantInt(e, what: "LIMIT") }
        let offset = try statement.offset.map { (e) throws(SQLError) in try constantInt(e, what: "OFFSET") } ?? 0
        if limit != nil || offset > 0 {
            // A top-N keeps the first LIMIT + OFFSET rows (saturating: LIMIT near Int.max is "all").
            let (kept, overflow) = (limit ?? 0).addingReportingOverflow(offset)
            let topN = overflow ? Int.max : kept
            if case .sort(let child, let keys, nil) = plan, limit != nil {
                plan = .sort(child, keys: keys, limit: topN)
            } else if case .project(.sort(let child, let keys, nil), let exprs, let names) = plan, limit != nil {
                plan = .project(.sort(child, keys: keys, limit: topN), exprs, names: names)
            }
            plan = .limit(plan, limit: limit, offset: offset)
        }
        return (plan, scope.columns)
    }

    private func constantInt(_ e: Expr, what: String) throws(SQLError) -> Int {
        guard case .literal(.int(let v)) = e.kind, v >= 0 else {
            throw SQLError(.binder, "\(what) must be a non-negative integer constant", at: e.position)
        }
        return Int(v)
    }

    /// An ORDER BY item that names an output column (by position, alias or name), or nil.
    static func outputOrderKey(_ item: OrderItem, output: Scope) throws(SQLError) -> SortKey? {
        let e = item.expr
        func key(_ i: Int) -> SortKey {
            let c = output.columns[i]
            return SortKey(expr: .column(index: i, type: c.type, name: c.name), descending: item.descending,
                           nullsFirst: item.nullsFirst ?? item.descending)
        }
        if case .literal(.int(let k)) = e.kind {
            guard k >= 1 && Int(k) <= output.columns.count else {
                throw SQLError(.binder, "ORDER BY position \(k) is not in the select list", at: e.position)
            }
            return key(Int(k) - 1)
        }
        if case .column(let parts) = e.kind, let i = try? output.resolve(parts, at: e.position) { return key(i) }
        return nil
    }

    /// Binds a query body. A single SELECT also binds the statement's ORDER BY, whose
    /// expressions may read input columns and aggregates that the SELECT list does not.
    private mutating func bindBody(_ body: QueryBody, orderBy: [OrderItem] = []) throws(SQLError) -> (Plan, Scope) {
        switch body {
        case .select(let core):
            return try bindSelect(core, orderBy: orderBy)
        case .union(let l, let r, let all):
            let (lp, ls) = try bindBody(l)
            let (rp, rs) = try bindBody(r)
            guard ls.columns.count == rs.columns.count else {
                throw SQLError(.binder, "UNION sides have \(ls.columns.count) and \(rs.columns.count) columns")
            }
            var types: [LogicalType] = []
            for (i, (a, b)) in zip(ls.columns, rs.columns).enumerated() {
                // A bare NULL has no type of its own: it takes the other side's.
                if Self.isUntypedNull(lp, i) { types.append(b.type); continue }
                if Self.isUntypedNull(rp, i) { types.append(a.type); continue }
                guard let t = TypeRules.common(a.type, b.type) else {
                    throw SQLError(.type, "UNION column \(a.name) has types \(a.type) and \(b.type)")
                }
                types.append(t)
            }
            func coerce(_ p: Plan, _ s: Scope) -> Plan {
                if zip(s.columns, types).allSatisfy({ $0.type == $1 }) { return p }
                return .project(p, s.columns.enumerated().map { i, c in
                    let col = BoundExpr.column(index: i, type: c.type, name: c.name)
                    return c.type == types[i] ? col : .cast(col, types[i])
                }, names: s.columns.map(\.name))
            }
            var plan = Plan.union(coerce(lp, ls), coerce(rp, rs))
            if !all { plan = .distinct(plan) }
            let scope = Scope(columns: zip(ls.columns, types).map { PlanColumn(name: $0.name, type: $1, qualifier: nil) })
            return (plan, scope)
        }
    }

    private mutating func bindSelect(_ core: SelectCore, orderBy: [OrderItem]) throws(SQLError) -> (Plan, Scope) {
        var (plan, scope) = try core.from.map { (f) throws(SQLError) in try bindFrom(f) }
            ?? (.values(rows: [[]], columns: []), Scope())
        if core.from != nil { (plan, scope) = try decorrelateScalarSubqueries(core, plan, scope) }

        if let w = core.whereClause {
            var residual: [Expr] = []
            for conjunct in Self.conjuncts(w) {
                // Uncorrelated IN (SELECT ...) and EXISTS become semi / anti joins.
                switch conjunct.kind {
                case .inSubquery(let x, let q, let negated):
                    var sub = self
                    let subPlan: Plan, subColumns: [PlanColumn]
                    do throws(SQLError) {
                        (subPlan, subColumns) = try sub.bind(q)
                    } catch {
                        // Perhaps correlated: it names the outer query's columns.
                        guard let joined = try correlatedSemiJoin(plan, scope, subquery: q, probe: x, negated: negated, at: conjunct.position) else { throw error }
                        plan = joined
                        continue
                    }
                    guard subColumns.count == 1 else { throw SQLError(.binder, "IN (SELECT ...) must select one column", at: conjunct.position) }
                    var key = try bindExpr(x, scope, nil)
                    var subKey = BoundExpr.column(index: 0, type: subColumns[0].type, name: subColumns[0].name)
                    guard let t = TypeRules.common(key.type, subKey.type) else {
                        throw SQLError(.type, "IN compares \(key.type) with \(subKey.type)", at: conjunct.position)
                    }
                    if key.type != t { key = .cast(key, t) }
                    if subKey.type != t { subKey = .cast(subKey, t) }
                    plan = .join(plan, subPlan, kind: negated ? .nullAwareAnti : .semi, leftKeys: [key], rightKeys: [subKey], residual: nil)
                case .exists(let q, let negated):
                    var sub = self
                    do throws(SQLError) {
                        let (subPlan, _) = try sub.bind(q)
                        plan = .join(plan, .limit(subPlan, limit: 1, offset: 0), kind: negated ? .anti : .semi, leftKeys: [], rightKeys: [], residual: nil)
                    } catch {
                        guard let joined = try correlatedSemiJoin(plan, scope, subquery: q, probe: nil, negated: negated, at: conjunct.position) else { throw error }
                        plan = joined
                    }
                default:
                    residual.append(conjunct)
                }
            }
            if !residual.isEmpty {
                var predicates: [BoundExpr] = []
                for c in residual {
                    let b = try bindExpr(c, scope, nil)
                    try requireBoolean(b, "WHERE", at: c.position)
                    predicates.append(b)
                }
                plan = .filter(plan, BoundExpr.conjunction(predicates)!)
            }
        }

        let usesAggregates = !core.groupBy.isEmpty || core.having != nil
            || core.items.contains { Self.containsAggregate($0.expr) } || orderBy.contains { Self.containsAggregate($0.expr) }
        var aggregate: AggregateContext? = nil
        if usesAggregates {
            var keys: [String] = []
            var groups: [BoundExpr] = []
            for g in core.groupBy {
                var target = g
                if case .literal(.int(let k)) = g.kind {
                    guard k >= 1 && Int(k) <= core.items.count else { throw SQLError(.binder, "GROUP BY position \(k) is not in the select list", at: g.position) }
                    target = core.items[Int(k) - 1].expr
                } else if case .column(let parts) = g.kind, parts.count == 1, (try? scope.resolve(parts, at: 0)) == nil,
                          let item = core.items.first(where: { $0.alias?.lowercased() == parts[0] }) {
                    target = item.expr
                }
                let bound = try bindExpr(target, scope, nil)
                keys.append(Self.fingerprint(target, in: scope))
                groups.append(bound)
            }
            aggregate = AggregateContext(groupKeys: keys, groups: groups, input: scope)
        }

        var exprs: [BoundExpr] = []
        var names: [String] = []
        var qualifiers: [String?] = []
        for item in core.items {
            if case .star(let q) = item.expr.kind {
                guard aggregate == nil else { throw SQLError(.binder, "SELECT * cannot be used with GROUP BY", at: item.expr.position) }
                let matching = scope.columns.indices.filter { i in
                    q == nil ? !scope.hidden[i] : scope.columns[i].qualifier?.lowercased() == q!.lowercased()
                }
                guard !matching.isEmpty else { throw SQLError(.binder, "no columns match \(q.map { "\($0).*" } ?? "*")", at: item.expr.position) }
                for i in matching {
                    exprs.append(.column(index: i, type: scope.columns[i].type, name: scope.columns[i].name))
                    names.append(scope.columns[i].name)
                    qualifiers.append(scope.columns[i].qualifier)
                }
                continue
            }
            let bound = try bindExpr(item.expr, scope, aggregate)
            exprs.append(bound)
            if item.alias == nil, case .column(_, _, let columnName) = bound, case .column = item.expr.kind {
                names.append(columnName)  // the catalog's spelling, as DuckDB shows it
            } else {
                names.append(item.alias ?? Self.outputName(item.expr))
            }
            qualifiers.append(nil)
        }

        let output = Scope(columns: zip(zip(names, exprs), qualifiers).map { PlanColumn(name: $0.0, type: $0.1.type, qualifier: $1) })
        // ORDER BY before the aggregate node is built: an aggregate named only there
        // (`ORDER BY count(*)`) joins the node's list like one in the SELECT list.
        var sortKeys: [SortKey] = []
        var extra: [BoundExpr] = []
        for item in orderBy {
            if let key = try Self.outputOrderKey(item, output: output) { sortKeys.append(key); continue }
            let bound = try bindExpr(item.expr, scope, aggregate)
            if core.distinct {
                throw SQLError(.binder, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list", at: item.expr.position)
            }
            extra.append(bound)
            sortKeys.append(SortKey(expr: .column(index: exprs.count + extra.count - 1, type: bound.type, name: bound.description),
                                    descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending))
        }
        if let aggregate {
            let havingBound = try core.having.map { (h) throws(SQLError) -> BoundExpr in
                let b = try bindExpr(h, scope, aggregate)
                try requireBoolean(b, "HAVING", at: h.position)
                return b
            }
            plan = .aggregate(plan, groups: aggregate.groups, aggregates: aggregate.aggregates)
            if let havingBound { plan = .filter(plan, havingBound) }
        }
        plan = .project(plan, exprs + extra, names: names + extra.map(\.description))
        if core.distinct { plan = .distinct(plan) }
        if !sortKeys.isEmpty {
            plan = .sort(plan, keys: sortKeys, limit: nil)
            if !extra.isEmpty {
                plan = .project(plan, output.columns.indices.map { .column(index: $0, type: output.columns[$0].type, name: output.columns[$0].name) },
                                names: output.columns.map(\.name))
            }
        }
        return (plan, output)
    }

    // MARK: FROM

    mutating func bindFrom(_ ref: TableRef) throws(SQLError) -> (Plan, Scope) {
        switch ref {
        case .table(let name, let alias, let position):
            if name.count == 1, let cte = ctes[name[0].lowercased()] {
                let name0 = name[0].lowercased()
                let key = "\(cteScopes[name0] ?? -1):\(name0)"
                if sharedCTEs.names.contains(key), let (plan, columns) = sharedCTEs.bound[key] {
                    return (plan, Scope(columns: columns).requalified(alias ?? name[0]))
                }
                var inner = self
                inner.ctes[name0] = nil  // a CTE does not see itself
                var (plan, columns) = try inner.bind(cte)
                if sharedCTEs.names.contains(key) {
                    plan = .shared(Optimizer.optimize(plan), id: sharedCTEs.nextId)
                    sharedCTEs.nextId += 1
                    sharedCTEs.bound[key] = (plan, columns)
                }
                return (plan, Scope(columns: columns).requalified(alias ?? name[0]))
            }
            let table: TableMetadata
            if name.count >= 2, name[name.count - 2].lowercased() == "information_schema" {
                let (rows, columns) = try InformationSchema.view(name[name.count - 1], catalog: catalog, at: position)
                let q = alias ?? name[name.count - 1]
                return (.values(rows: rows, columns: columns), Scope(columns: columns).requalified(q))
            }
            do { table = try catalog.resolve(name.joined(separator: ".")) } catch {
                throw SQLError(error.denied ? .permission : .binder, error.message, at: position)
            }
            let q = alias ?? table.name
            if let viewSQL = table.properties["view_sql"] {
                // A view: its stored query, bound where it is used.
                guard viewDepth < 32 else { throw SQLError(.binder, "view \(table.qualifiedName) refers to itself", at: position) }
                guard case .select(let query)? = try Parser.parse(viewSQL).first else {
                    throw SQLError(.binder, "view \(table.qualifiedName) has no query", at: position)
                }
                var inner = self
                inner.viewDepth += 1
                inner.catalog = catalog.unrestricted
                let (plan, columns) = try inner.bind(query)
                return (plan, Scope(columns: columns).requalified(q))
            }
            let columns = table.columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: q) }
            return (.scan(table: table, columns: Array(table.columns.indices), predicates: []), Scope(columns: columns))
        case .subquery(let q, let alias):
            var inner = self
            let (plan, columns) = try inner.bind(q)
            return (plan, Scope(columns: columns).requalified(alias))
        case .flatten(let input, let alias, let unnest):
            // A FLATTEN on its own (no preceding table): flatten a constant.
            let bound = try bindExpr(input, Scope(), nil)
            return (.flatten(.values(rows: [[]], columns: []), input: bound), flattenScope(alias, unnest: unnest))
        case .join(let left, let right, let kind, let on, let using):
            let (lp, ls) = try bindFrom(left)
            if case .flatten(let input, let alias, let unnest) = right {
                let bound = try bindExpr(input, ls, nil)
                guard bound.type == .listVarchar else {
                    throw SQLError(.type, "FLATTEN needs an array, got \(bound.type)")
                }
                return (.flatten(lp, input: bound), ls + flattenScope(alias, unnest: unnest))
            }
            let (rp, rsRaw) = try bindFrom(right)
            var rs = rsRaw
            let combined = ls + rs
            var leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = []
            var residuals: [BoundExpr] = []
            let leftCount = ls.columns.count
            if !using.isEmpty {
                for name in using {
                    let li = try ls.resolve([name], at: 0), ri = try rs.resolve([name], at: 0)
                    let (lk, rk) = try coerceKeys(.column(index: li, type: ls.columns[li].type, name: name),
                                                  .column(index: ri, type: rs.columns[ri].type, name: name))
                    leftKeys.append(lk)
                    rightKeys.append(rk)
                    rs.hidden[ri] = true
                }
            } else if let on {
                for conjunct in Self.conjuncts(on) {
                    let b = try bindExpr(conjunct, combined, nil)
                    if case .comparison("=", let a, let c) = b {
                        let ua = a.columnsUsed, uc = c.columnsUsed
                        let aLeft = !ua.isEmpty && ua.allSatisfy { $0 < leftCount }, aRight = !ua.isEmpty && ua.allSatisfy { $0 >= leftCount }
                        let cLeft = !uc.isEmpty && uc.allSatisfy { $0 < leftCount }, cRight = !uc.isEmpty && uc.allSatisfy { $0 >= leftCount }
                        let shift = Dictionary(uniqueKeysWithValues: (leftCount..<combined.columns.count).map { ($0, $0 - leftCount) })
                        if aLeft && cRight {
                            let (lk, rk) = try coerceKeys(a, c.remapped(shift))
                            leftKeys.append(lk); rightKeys.append(rk); continue
                        }
                        if aRight && cLeft {
                            let (lk, rk) = try coerceKeys(c, a.remapped(shift))
                            leftKeys.append(lk); rightKeys.append(rk); continue
                        }
                    }
                    try requireBoolean(b, "ON", at: conjunct.position)
                    residuals.append(b)
                }
            }
            return (.join(lp, rp, kind: kind, leftKeys: leftKeys, rightKeys: rightKeys, residual: BoundExpr.conjunction(residuals)), ls + rs)
        }
    }

    /// Calls `visit` with every one-part table name the statement reads (in FROM, joins,
    /// subqueries and CTE bodies), to find the CTEs read more than once.
    static func tableNames(in statement: SelectStatement, _ visit: (String) -> Void) {
        func query(_ q: SelectStatement) {
            for (_, c) in q.ctes { query(c) }
            body(q.body)
            for o in q.orderBy { expr(o.expr) }
        }
        func body(_ b: QueryBody) {
            switch b {
            case .select(let core):
                if let f = core.from { ref(f) }
                for item in core.items { expr(item.expr) }
                if let w = core.whereClause { expr(w) }
                for g in core.groupBy { expr(g) }
                if let h = core.having { expr(h) }
            case .union(let l, let r, _):
                body(l)
                body(r)
            }
        }
        func ref(_ r: TableRef) {
            switch r {
            case .table(let name, _, _): if name.count == 1 { visit(name[0].lowercased()) }
            case .subquery(let q, _): query(q)
            case .join(let l, let r, _, let on, _):
                ref(l)
                ref(r)
                if let on { expr(on) }
            case .flatten(let input, _, _): expr(input)
            }
        }
        func expr(_ e: Expr) {
            switch e.kind {
            case .inSubquery(let x, let q, _): expr(x); query(q)
            case .exists(let q, _), .scalarSubquery(let q): query(q)
            case .unary(_, let x), .cast(let x, _), .isNull(let x, _): expr(x)
            case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): expr(a); expr(b)
            case .between(let a, let b, let c, _): expr(a); expr(b); expr(c)
            case .inList(let x, let items, _): expr(x); items.forEach(expr)
            case .function(_, let args, _, _): args.forEach(expr)
            case .caseWhen(let o, let whens, let otherwise):
                if let o { expr(o) }
                for (w, t) in whens { expr(w); expr(t) }
                if let otherwise { expr(otherwise) }
            case .column, .literal, .star: break
            }
        }
        query(statement)
    }

    private func flattenScope(_ alias: String?, unnest: Bool) -> Scope {
        if unnest {
            return Scope(columns: [PlanColumn(name: alias ?? "unnest", type: .varchar, qualifier: alias),
                                   PlanColumn(name: "index", type: .int64, qualifier: alias)], hidden: [false, true])
        }
        return Scope(columns: [PlanColumn(name: "value", type: .varchar, qualifier: alias ?? "flatten"),
                               PlanColumn(name: "index", type: .int64, qualifier: alias ?? "flatten")])
    }

    private func coerceKeys(_ a: BoundExpr, _ b: BoundExpr) throws(SQLError) -> (BoundExpr, BoundExpr) {
        if a.type == b.type { return (a, b) }
        guard let t = TypeRules.common(a.type, b.type) else { throw SQLError(.type, "cannot join \(a.type) with \(b.type)") }
        return (a.type == t ? a : .cast(a, t), b.type == t ? b : .cast(b, t))
    }

    // MARK: Expressions

    /// `parts` joined by AND as a balanced tree (nil for none).
    static func conjunction(_ parts: [Expr]) -> Expr? {
        func build(_ lo: Int, _ hi: Int) -> Expr {
            if lo == hi { return parts[lo] }
            let mid = (lo + hi + 1) / 2
            return Expr(.binary(op: "AND", build(lo, mid - 1), build(mid, hi)), at: parts[mid].position)
        }
        return parts.isEmpty ? nil : build(0, parts.count - 1)
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        var out: [Expr] = []
        func walk(_ e: Expr) {
            if case .binary("AND", let a, let b) = e.kind { walk(a); walk(b) } else { out.append(e) }
        }
        walk(e)
        return out
    }

    static func containsAggregate(_ e: Expr) -> Bool {
        switch e.kind {
        case .function(let name, let args, _, let star):
            return aggregateNames.contains(name.lowercased()) || (star && name.lowercased() == "count") || args.contains(where: containsAggregate)
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _): return containsAggregate(x)
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): return containsAggregate(a) || containsAggregate(b)
        case .between(let a, let b, let c, _): return containsAggregate(a) || containsAggregate(b) || containsAggregate(c)
        case .inList(let x, let items, _): return containsAggregate(x) || items.contains(where: containsAggregate)
        case .inSubquery(let x, _, _): return containsAggregate(x)
        case .caseWhen(let o, let whens, let otherwise):
            return (o.map(containsAggregate) ?? false) || whens.contains { containsAggregate($0.0) || containsAggregate($0.1) }
                || (otherwise.map(containsAggregate) ?? false)
        default: return false
        }
    }

    /// A canonical text of an expression, to match SELECT items with GROUP BY expressions.
    /// Columns are named by their position in `scope` when they resolve there, so `a.s` and
    /// `b.s` differ and `s` and `a.s` are the same column when `s` means `a.s`.
    static func fingerprint(_ e: Expr, in scope: Scope? = nil) -> String {
        func f(_ x: Expr) -> String { fingerprint(x, in: scope) }
        switch e.kind {
        case .column(let parts):
            if let scope, let i = try? scope.resolve(parts, at: e.position) { return "col#\(i)" }
            return "col(\(parts.map { $0.lowercased() }.joined(separator: ".")))"
        case .literal(let v): return "lit(\(v))"
        case .star(let q): return "*\(q ?? "")"
        case .unary(let op, let x): return "\(op)(\(f(x)))"
        case .binary(let op, let a, let b): return "(\(f(a)) \(op) \(f(b)))"
        case .function(let n, let args, let d, let s): return "\(n.lowercased())(\(d ? "distinct " : "")\(s ? "*" : "")\(args.map(f).joined(separator: ",")))"
        case .cast(let x, let t): return "cast(\(f(x)) as \(t))"
        case .isNull(let x, let n): return "isnull(\(f(x)),\(n))"
        case .inList(let x, let items, let n): return "in(\(f(x)),\(n),\(items.map(f).joined(separator: ",")))"
        case .between(let a, let b, let c, let n): return "between(\(f(a)),\(f(b)),\(f(c)),\(n))"
        case .like(let a, let b, let ci, let n): return "like(\(f(a)),\(f(b)),\(ci),\(n))"
        case .caseWhen(let o, let whens, let otherwise):
            return "case(\(o.map(f) ?? ""),\(whens.map { f($0.0) + "->" + f($0.1) }.joined(separator: ",")),\(otherwise.map(f) ?? ""))"
        case .subscript_(let a, let b): return "\(f(a))[\(f(b))]"
        case .inSubquery, .exists, .scalarSubquery: return "subquery@\(e.position)"
        }
    }

    /// The column name a SELECT item gets without an alias.
    /// An operand inside an operator's name: text constants keep their quotes.
    static func operandName(_ e: Expr) -> String {
        if case .literal(.string(let s)) = e.kind { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        return outputName(e)
    }

    static func outputName(_ e: Expr) -> String {
        switch e.kind {
        case .column(let parts): return parts.last!
        case .function(let n, let args, let d, let star):
            if star { return "count_star()" }
            return "\(n.lowercased())(\(d ? "DISTINCT " : "")\(args.map(outputName).joined(separator: ", ")))"
        case .literal(let v): return v.description
        case .cast(let x, _): return outputName(x)
        // Operators read back as SQL, as DuckDB names them: `(rating * 2)`, `(x IS NULL)`.
        case .unary(let op, let x): return op.uppercased() == "NOT" ? "(NOT \(operandName(x)))" : "\(op)\(operandName(x))"
        case .binary(let op, let a, let b): return "(\(operandName(a)) \(op.uppercased()) \(operandName(b)))"
        case .isNull(let x, let n): return "(\(operandName(x)) IS \(n ? "NOT " : "")NULL)"
        case .inList(let x, let items, let n):
            return "(\(operandName(x)) \(n ? "NOT " : "")IN (\(items.map(outputName).joined(separator: ", "))))"
        case .between(let a, let b, let c, let n):
            return "(\(operandName(a)) \(n ? "NOT " : "")BETWEEN \(operandName(b)) AND \(operandName(c)))"
        case .like(let a, let b, let ci, let n): return "(\(operandName(a)) \(n ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(operandName(b)))"
        case .inSubquery(let x, _, let n): return "(\(operandName(x)) \(n ? "NOT " : "")IN (SELECT ...))"
        case .exists(_, let n): return n ? "(NOT EXISTS (SELECT ...))" : "EXISTS (SELECT ...)"
        case .scalarSubquery: return "(SELECT ...)"
        case .caseWhen: return "CASE ... END"
        default: return fingerprint(e)
        }
    }

    func requireBoolean(_ b: BoundExpr, _ clause: String, at position: Int) throws(SQLError) {
        guard b.type == .boolean || Self.isNullConstant(b) else {
            throw SQLError(.type, "\(clause) needs a boolean condition, got \(b.type)", at: position)
        }
    }

    /// Whether `e` is a NULL written without a type (which takes its type from context).
    static func isNullConstant(_ e: BoundExpr) -> Bool {
        if case .nullLiteral = e { return true }
        return false
    }

    /// Folds a constant expression to its value. One that fails (`CAST('a' AS INT)`, an
    /// overflow) stays as it is: the error is the query's only if a row reaches it, as in
    /// DuckDB (`... WHERE false` never fails).
    static func fold(_ e: BoundExpr) -> BoundExpr {
        switch e {
        case .constant, .nullLiteral: return e
        default: break
        }
        guard e.isConstant, let c = try? ExpressionEvaluator.evaluate(e, DataChunk(columns: [], count: 1)) else { return e }
        return .constant(c.value(at: 0), e.type)
    }

    /// Makes `e` of type `t`: NULL constants take the type, constants are converted now.
    static func coerce(_ e: BoundExpr, to t: LogicalType) throws(SQLError) -> BoundExpr {
        if e.type == t { return e }
        if case .nullLiteral = e { return .constant(.null, t) }
        if case .constant(.null, _) = e { return .constant(.null, t) }
        return try fold(.cast(e, t))
    }

    mutating func bindExpr(_ e: Expr, _ scope: Scope, _ aggregate: AggregateContext?) throws(SQLError) -> BoundExpr {
        try StackGuard.check()
        if let aggregate {
            let key = Self.fingerprint(e, in: aggregate.input)
            if let i = aggregate.groupKeys.firstIndex(of: key) {
                return .column(index: i, type: aggregate.groups[i].type, name: Self.outputName(e))
            }
            if case .function(let name, let args, let distinct, let star) = e.kind,
               Self.aggregateNames.contains(name.lowercased()) || (star && name.lowercased() == "count") {
                if let j = aggregate.aggregateKeys.firstIndex(of: key) {
                    return .column(index: aggregate.groups.count + j, type: aggregate.aggregates[j].type, name: Self.outputName(e))
                }
                let call = try bindAggregate(name.lowercased(), args, distinct: distinct, star: star, input: aggregate.input, at: e.position)
                aggregate.aggregates.append(call)
                aggregate.aggregateKeys.append(key)
                return .column(index: aggregate.groups.count + aggregate.aggregates.count - 1, type: call.type, name: Self.outputName(e))
            }
            if case .column(let parts) = e.kind {
                let i = try aggregate.input.resolve(parts, at: e.position)
                throw SQLError(.binder, "column '\(aggregate.input.columns[i].name)' must appear in the GROUP BY clause or be used in an aggregate function", at: e.position)
            }
        }
        func sub(_ x: Expr) throws(SQLError) -> BoundExpr { try bindExpr(x, scope, aggregate) }
        switch e.kind {
        case .column(let parts):
            let i = try scope.resolve(parts, at: e.position)
            return .column(index: i, type: scope.columns[i].type, name: scope.columns[i].name)
        case .literal(let v):
            switch v {
            case .null: return .nullLiteral
            case .int: return .constant(v, .int64)
            case .double: return .constant(v, .double)
            case .string: return .constant(v, .varchar)
            case .bool: return .constant(v, .boolean)
            case .date: return .constant(v, .date)
            case .timestamp: return .constant(v, .timestamp)
            case .list: return .constant(v, .listVarchar)
            }
        case .star:
            throw SQLError(.binder, "* is only allowed in the select list and COUNT(*)", at: e.position)
        case .unary(let op, let x):
            let b = try sub(x)
            if op == "NOT" {
                try requireBoolean(b, "NOT", at: e.position)
                return try Self.fold(.not(Self.coerce(b, to: .boolean)))
            }
            guard (TypeRules.isNumeric(b.type) && b.type != .boolean) || Self.isNullConstant(b) else {
                throw SQLError(.type, "cannot negate \(b.type)", at: e.position)
            }
            return try Self.fold(.negate(Self.isNullConstant(b) ? .constant(.null, .int64) : b))
        case .binary(let op, let a, let b):
            return try bindBinary(op, try sub(a), try sub(b), at: e.position)
        case .function(let name, let args, let distinct, let star):
            let lower = name.lowercased()
            if Self.aggregateNames.contains(lower) || star {
                throw SQLError(.binder, "aggregate function \(name.uppercased()) is not allowed here", at: e.position)
            }
            let canonical = ScalarFunctions.canonicalName(lower)
            // The name first: an unknown function is reported as such, before its arguments
            // are bound (where a grouped query would blame a column).
            guard ScalarFunctions.names.contains(canonical) else {
                var message = "unknown function \(name.uppercased())"
                let known = Array(ScalarFunctions.names) + Array(ScalarFunctions.aliases.keys) + Array(Self.aggregateNames)
                if let near = NameSuggestion.nearest(to: lower, in: known.sorted()) { message += "; did you mean \(near.uppercased())?" }
                throw SQLError(.binder, message, at: e.position)
            }
            if distinct { throw SQLError(.binder, "DISTINCT is only allowed in aggregate functions", at: e.position) }
            var bound: [BoundExpr] = []
            for a in args { bound.append(try sub(a)) }
            // NULL constants take the type of their neighbours.
            if ["coalesce", "greatest", "least", "iff", "if", "nullif"].contains(canonical) {
                let typed = bound.enumerated().filter { i, b in !Self.isNullConstant(b) && !(["iff", "if"].contains(canonical) && i == 0) }.map(\.element.type)
                if let t = typed.first {
                    for i in bound.indices where Self.isNullConstant(bound[i]) && !(["iff", "if"].contains(canonical) && i == 0) {
                        bound[i] = .constant(.null, t)
                    }
                }
            }
            if canonical == "date_part" || canonical == "date_trunc", bound.count == 2, case .constant(.string(let unit), _) = bound[0] {
                try ScalarFunctions.checkUnit(function: canonical, unit, at: args[0].position)
            }
            // Any other NULL without a type takes the first type the function accepts there
            // (`ABS(NULL)` is a BIGINT NULL), as a NULL literal matches any parameter in SQL.
            for i in bound.indices where Self.isNullConstant(bound[i]) {
                for candidate: LogicalType in [.int64, .double, .varchar, .timestamp, .date, .boolean, .listVarchar] {
                    var trial = bound.map(\.type)
                    trial[i] = candidate
                    if (try? ScalarFunctions.returnType(canonical, trial, at: e.position)) != nil {
                        bound[i] = .constant(.null, candidate)
                        break
                    }
                }
            }
            let t = try ScalarFunctions.returnType(canonical, bound.map(\.type), at: e.position)
            if ["coalesce", "greatest", "least"].contains(canonical) {
                bound = try bound.map { (b) throws(SQLError) in try Self.coerce(b, to: t) }
            }
            if canonical == "iff" || canonical == "if" {
                // IFF(c, a, b) is CASE WHEN c THEN a ELSE b END: each side runs only on its rows.
                return .caseWhen(whens: [(try Self.coerce(bound[0], to: .boolean), try Self.coerce(bound[1], to: t))],
                                 otherwise: try Self.coerce(bound[2], to: t), t)
            }
            return try Self.fold(.function(name: canonical, args: bound, t))
        case .cast(let x, let t):
            return try Self.fold(.cast(try sub(x), t))
        case .isNull(let x, let negated):
            return try Self.fold(.isNull(try sub(x), negated: negated))
        case .inList(let x, let items, let negated):
            let left = try sub(x)
            var values: [Value] = []
            var nonConstant: [BoundExpr] = []
            for item in items {
                let b = try Self.fold(try sub(item))
                if case .nullLiteral = b { values.append(.null); continue }
                if case .constant(let v, _) = b {
                    // Numbers stay as written and compare by value (`int_col IN (1.5)` matches
                    // nothing; 3000000000 is no error against an INT); other constants are read
                    // as the left side's type ('2019-01-01' against a DATE).
                    let numbers: Set<LogicalType> = [.int32, .int64, .double]
                    let keep = v == .null || (numbers.contains(left.type) && numbers.contains(b.type))
                    values.append(keep ? v : try Self.convertConstant(v, b.type, to: left.type, at: item.position))
                } else {
                    nonConstant.append(b)
                }
            }
            if nonConstant.isEmpty { return .inList(left, values, negated: negated) }
            // x IN (a, b, col): an OR of equalities.
            var alternatives: [BoundExpr] = values.isEmpty ? [] : [.inList(left, values, negated: false)]
            for b in nonConstant { alternatives.append(try bindBinary("=", left, b, at: e.position)) }
            let result = BoundExpr.disjunction(alternatives)!
            return negated ? .not(result) : result
        case .between(let x, let lo, let hi, let negated):
            let v = try sub(x)
            let both = BoundExpr.logical(op: "AND", try bindBinary(">=", v, try sub(lo), at: e.position),
                                         try bindBinary("<=", v, try sub(hi), at: e.position))
            return negated ? .not(both) : both
        case .like(let x, let p, let ci, let negated):
            let v = try sub(x)
            guard case .constant(let pattern, _) = try Self.fold(try sub(p)) else {
                throw SQLError(.unsupported, "LIKE patterns must be constants", at: p.position)
            }
            if pattern == .null { return .constant(.null, .boolean) }
            let s = v.type == .varchar ? v : .cast(v, .varchar)
            return .like(s, pattern: pattern.description, caseInsensitive: ci, negated: negated)
        case .caseWhen(let operand, let whens, let otherwise):
            let op = try operand.map { (o) throws(SQLError) in try sub(o) }
            var conditions: [BoundExpr] = []
            var results: [BoundExpr] = []
            for (w, r) in whens {
                var c = try sub(w)
                if let op { c = try bindBinary("=", op, c, at: w.position) }
                try requireBoolean(c, "WHEN", at: w.position)
                conditions.append(c)
                results.append(try sub(r))
            }
            var fallback = try otherwise.map { (o) throws(SQLError) in try sub(o) }
            var t: LogicalType? = nil
            for r in results + (fallback.map { [$0] } ?? []) where !Self.isNullConstant(r) {
                if let current = t {
                    guard let c = TypeRules.common(current, r.type) else {
                        throw SQLError(.type, "CASE branches have types \(current) and \(r.type)", at: e.position)
                    }
                    t = c
                } else {
                    t = r.type
                }
            }
            let type = t ?? .varchar
            results = try results.map { (r) throws(SQLError) in try Self.coerce(r, to: type) }
            fallback = try fallback.map { (f) throws(SQLError) in try Self.coerce(f, to: type) }
            return .caseWhen(whens: Array(zip(conditions, results)), otherwise: fallback, type)
        case .subscript_:
            throw SQLError(.unsupported, "array subscripts are not supported yet; use FLATTEN", at: e.position)
        case .inSubquery(let x, let q, let negated):
            // Inside an expression (not a WHERE conjunct, which becomes a join): uncorrelated
            // only; the values are read once and hashed.
            let (plan, columns) = try uncorrelated(q, at: e.position)
            guard columns.count == 1 else { throw SQLError(.binder, "IN (SELECT ...) must select one column", at: e.position) }
            var key = try sub(x)
            guard let t = TypeRules.common(key.type, columns[0].type) else {
                throw SQLError(.type, "IN compares \(key.type) with \(columns[0].type)", at: e.position)
            }
            if key.type != t { key = .cast(key, t) }
            let values = columns[0].type == t ? plan
                : Plan.project(plan, [.cast(.column(index: 0, type: columns[0].type, name: columns[0].name), t)], names: [columns[0].name])
            guard let read = evaluateSubqueryColumn else {
                throw SQLError(.unsupported, "subqueries used as values are not available here", at: e.position)
            }
            return .inSet(key, ValueSet(try read(values, e.position)), negated: negated)
        case .exists(let q, let negated):
            let (plan, _) = try uncorrelated(q, at: e.position)
            guard let read = evaluateSubqueryColumn else {
                throw SQLError(.unsupported, "subqueries used as values are not available here", at: e.position)
            }
            let one = try read(.limit(.project(plan, [.constant(.int(1), .int64)], names: ["one"]), limit: 1, offset: 0), e.position)
            return .constant(.bool((one.count > 0) != negated), .boolean)
        case .scalarSubquery(let q):
            if let joined = correlatedValues[e.position] { return joined }  // correlated: a LEFT JOIN's column
            // Uncorrelated: evaluated once, before the outer query runs, and used as a constant
            // (so it can also skip segments of the outer scan).
            var inner = self
            let (plan, columns) = try inner.bind(q)
            guard columns.count == 1 else {
                throw SQLError(.binder, "a subquery used as a value must select one column, not \(columns.count)", at: e.position)
            }
            guard let evaluate = evaluateScalarSubquery else {
                throw SQLError(.unsupported, "subqueries used as values are not available here", at: e.position)
            }
            return .constant(try evaluate(plan, e.position), columns[0].type)
        }
    }

    /// Whether output column `i` of `plan` is a NULL literal on every row (`SELECT NULL`).
    static func isUntypedNull(_ plan: Plan, _ i: Int) -> Bool {
        switch plan {
        case .project(_, let exprs, _):
            if case .nullLiteral = exprs[i] { return true }
            return false
        case .distinct(let c): return isUntypedNull(c, i)
        case .union(let l, let r): return isUntypedNull(l, i) && isUntypedNull(r, i)
        default: return false
        }
    }

    /// Binds a subquery used inside an expression, which may not name the outer query's
    /// columns (only WHERE conditions are rewritten into joins).
    private mutating func uncorrelated(_ q: SelectStatement, at position: Int) throws(SQLError) -> (Plan, [PlanColumn]) {
        var inner = self
        do throws(SQLError) {
            return try inner.bind(q)
        } catch {
            // A name the subquery cannot find may be the outer query's: say why that is refused.
            guard error.code == .binder, error.message.contains("not found") else { throw error }
            throw SQLError(error.code, error.message + " (a subquery inside an expression cannot refer to the outer query; "
                           + "[NOT] EXISTS and IN can as WHERE conditions)", at: error.position ?? position)
        }
    }

    private mutating func bindAggregate(_ name: String, _ args: [Expr], distinct: Bool, star: Bool, input: Scope,
                                        at position: Int) throws(SQLError) -> AggregateCall {
        if star {
            guard name == "count" else { throw SQLError(.binder, "\(name.uppercased())(*) is not allowed", at: position) }
            return AggregateCall(function: .countStar, argument: nil, distinct: false, type: .int64)
        }
        guard args.count == 1 else { throw SQLError(.binder, "\(name.uppercased()) takes one argument", at: position) }
        guard !Self.containsAggregate(args[0]) else { throw SQLError(.binder, "aggregate functions cannot be nested", at: position) }
        let arg = try bindExpr(args[0], input, nil)
        switch name {
        case "count": return AggregateCall(function: .count, argument: arg, distinct: distinct, type: .int64)
        case "sum":
            guard TypeRules.isNumeric(arg.type) else { throw SQLError(.type, "SUM needs numbers, got \(arg.type)", at: position) }
            return AggregateCall(function: .sum, argument: arg, distinct: distinct, type: arg.type == .double ? .double : .int64)
        case "avg", "mean":
            guard TypeRules.isNumeric(arg.type) else { throw SQLError(.type, "AVG needs numbers, got \(arg.type)", at: position) }
            return AggregateCall(function: .avg, argument: arg, distinct: distinct, type: .double)
        case "min": return AggregateCall(function: .min, argument: arg, distinct: false, type: arg.type)
        default: return AggregateCall(function: .max, argument: arg, distinct: false, type: arg.type)
        }
    }

    static func convertConstant(_ v: Value, _ from: LogicalType, to t: LogicalType, at position: Int) throws(SQLError) -> Value {
        if from == t { return v }
        let c = try ExpressionEvaluator.cast(ColumnData.constant(v, type: from, count: 1), to: t)
        return c.value(at: 0)
    }

    private func bindBinary(_ op: String, _ a: BoundExpr, _ b: BoundExpr, at position: Int) throws(SQLError) -> BoundExpr {
        switch op {
        case "AND", "OR":
            try requireBoolean(a, op, at: position)
            try requireBoolean(b, op, at: position)
            return try Self.fold(.logical(op: op, try Self.coerce(a, to: .boolean), try Self.coerce(b, to: .boolean)))
        case "||":
            let l = a.type == .varchar ? a : try Self.coerce(a, to: .varchar)
            let r = b.type == .varchar ? b : try Self.coerce(b, to: .varchar)
            return try Self.fold(.concat(l, r))
        case "+", "-", "*", "/", "%":
            var l = a, r = b
            if Self.isNullConstant(l) { l = .constant(.null, TypeRules.isNumeric(r.type) ? r.type : .int64) }
            if Self.isNullConstant(r) { r = .constant(.null, TypeRules.isNumeric(l.type) ? l.type : .int64) }
            guard TypeRules.isNumeric(l.type) && TypeRules.isNumeric(r.type) else {
                throw SQLError(.type, "cannot apply \(op) to \(l.type) and \(r.type)", at: position)
            }
            let t: LogicalType = (l.type == .double || r.type == .double || op == "/") ? .double : .int64
            return try Self.fold(.arithmetic(op: op, l, r, t))
        default:
            var l = a, r = b
            if Self.isNullConstant(l) { l = .constant(.null, r.type) }
            if Self.isNullConstant(r) { r = .constant(.null, l.type) }
            // A string constant against a typed column is read as that type ('2019-01-01', '5').
            if l.type == .varchar && r.type != .varchar, case .constant = l { l = try Self.coerce(l, to: r.type) }
            if r.type == .varchar && l.type != .varchar, case .constant = r { r = try Self.coerce(r, to: l.type) }
            let comparable = l.type == r.type || TypeRules.common(l.type, r.type) != nil
            guard comparable, l.type != .listVarchar else {
                throw SQLError(.type, "cannot compare \(l.type) with \(r.type)", at: position)
            }
            return try Self.fold(.comparison(op: op, l, r))
        }
    }
}
