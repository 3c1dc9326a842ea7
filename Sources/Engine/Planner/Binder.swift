// Resolves a parsed query against the catalog: names to columns (with "did you mean"),
// types checked and coerced, aggregates separated from grouping, subqueries in FROM and
// IN turned into plans and semi joins. The result is a `Plan` with its output columns.

import Columnar
import Foundation

/// Binds statements to plans.
package struct Binder {
    var catalog: Catalog
    var ctes: [String: SelectStatement] = [:]
    var viewDepth = 0
    /// CTEs read more than once in the statement, bound once and shared (by lowercased name).
    final class SharedCTEs {
        var nextId = 0
        var nextScope = 0
        /// "scope:name" of the CTEs read more than once.
        var names: Set<String> = []
        var bound: [String: (Plan, [PlanColumn])] = [:]

        func copy() -> SharedCTEs {
            let c = SharedCTEs()
            c.nextId = nextId
            c.nextScope = nextScope
            c.names = names
            c.bound = bound
            return c
        }
    }
    var sharedCTEs = SharedCTEs()

    /// A copy for a trial binding (does this bind alone? what does FROM give?) whose results
    /// are thrown away: its subqueries and the shared CTEs it binds stay its own. Sharing
    /// them let a trial's CTE plan, whose subqueries were never attached, be reused by the
    /// statement, and its subquery ids collide with the statement's.
    func trialBinder() -> Binder {
        var trial = self
        trial.subqueries = SubqueryPlans()
        trial.sharedCTEs = sharedCTEs.copy()
        return trial
    }
    /// The WITH clause each visible CTE name comes from (CTE names can repeat across views).
    var cteScopes: [String: Int] = [:]
    /// The position of the table reference a DELETE, UPDATE or MERGE changes: that scan also
    /// yields each row's id, as a hidden column named `rowIdName`.
    var rowIdPosition: Int?
    static let rowIdName = "\u{1}rowid"
    /// While binding a recursive CTE's step: its name, meaning the previous round's rows.
    var workTables: [String: (id: Int, columns: [PlanColumn])] = [:]

    /// The subqueries the statement's expressions read as values, in the order they were
    /// bound (an inner one before the one around it). Binding runs nothing: the executor runs
    /// the ones the final plan reads (see `Plan.subqueries`).
    final class SubqueryPlans {
        private(set) var all: [Subquery] = []

        func add(_ plan: Plan, _ result: Subquery.Result, at position: Int) -> Int {
            all.append(Subquery(id: all.count + 1, plan: plan, result: result, position: position))
            return all.count
        }
    }
    var subqueries = SubqueryPlans()
    /// The window calls of the SELECT list being bound (nil where window functions are not allowed).
    var windows: WindowContext?
    /// The values of the correlated scalar subqueries of the SELECT being bound, by the
    /// subquery's position in the text (see `decorrelateScalarSubqueries`).
    var correlatedValues: [Int: BoundExpr] = [:]

    /// FROM items bound already, by their internal names (PIVOT's input; see `preBinding`).
    var preBound: [String: (Plan, Scope)] = [:]
    /// Runs a bound query and returns its first column, for what binding needs from the data
    /// (`PIVOT ... IN (ANY)`); nil where nothing may run.
    package var queryRunner: ((Plan, [Subquery]) throws(SQLError) -> [Value])?

    /// When the statement started (microseconds since 1970): CURRENT_TIMESTAMP and
    /// CURRENT_DATE are this instant everywhere in it, as in Snowflake and DuckDB.
    var statementTime = Int64(Date().timeIntervalSince1970 * 1_000_000)

    package init(catalog: Catalog) { self.catalog = catalog }

    // MARK: Scope

    struct Scope {
        var columns: [PlanColumn] = []
        /// Columns hidden from unqualified lookup (the right side of JOIN ... USING).
        var hidden: [Bool] = []
        /// Columns of a derived table or CTE that are a bare `NULL` on every row (`SELECT
        /// NULL AS x`). A reference to one is that NULL, which takes the type its use needs,
        /// as in DuckDB, rather than the VARCHAR the column is stored as.
        var untypedNull: [Bool] = []

        static func + (a: Scope, b: Scope) -> Scope {
            Scope(columns: a.columns + b.columns, hidden: a.hidden + b.hidden,
                  untypedNull: a.nullFlags + b.nullFlags)
        }

        init(columns: [PlanColumn] = [], hidden: [Bool]? = nil, untypedNull: [Bool]? = nil) {
            self.columns = columns
            self.hidden = hidden ?? Array(repeating: false, count: columns.count)
            self.untypedNull = untypedNull ?? Array(repeating: false, count: columns.count)
        }

        /// The columns of `plan`, a derived table or CTE, marking those that are a bare NULL.
        init(columns: [PlanColumn], of plan: Plan) {
            self.init(columns: columns, untypedNull: columns.indices.map { Binder.isUntypedNull(plan, $0) })
        }

        /// `untypedNull` with one flag per column.
        private var nullFlags: [Bool] { untypedNull.count == columns.count ? untypedNull : columns.indices.map(isUntypedNull) }

        func isUntypedNull(_ i: Int) -> Bool { i < untypedNull.count && untypedNull[i] }

        func requalified(_ alias: String?) -> Scope {
            guard let alias else { return self }
            return Scope(columns: columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: alias) }, hidden: hidden,
                         untypedNull: untypedNull)
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
                throw SQLError(.binder, "column reference '\(shown)' is ambiguous; qualify it with a table name", at: position,
                               reason: .ambiguousColumn)
            }
            if name == Expr.defaultName.lowercased() {
                throw SQLError(.binder, "DEFAULT is a value only in INSERT ... VALUES and UPDATE ... SET", at: position)
            }
            var message = "column '\(shown)' not found"
            // Internal columns (a DML target's row id) are never suggested.
            let visible = columns.filter { !$0.name.hasPrefix("\u{1}") }
            let candidates = visible.map { qualifier == nil ? $0.name : "\($0.qualifier ?? "").\($0.name)" }
            if let near = NameSuggestion.nearest(to: qualifier == nil ? name : "\(qualifier!).\(name)", in: candidates) {
                message += "; did you mean '\(near)'?"
            } else if !visible.isEmpty {
                message += " (available: \(visible.prefix(12).map(\.name).joined(separator: ", ")))"
            }
            throw SQLError(.binder, message, at: position, reason: .undefinedColumn)
        }
    }

    /// Grouping and aggregates collected while binding an aggregate query.
    final class AggregateContext {
        var groupKeys: [String]
        var groups: [BoundExpr]
        var aggregates: [AggregateCall] = []
        var aggregateKeys: [String] = []
        let input: Scope
        /// `GROUP BY ROLLUP / CUBE / GROUPING SETS`: the sets as positions in `groups`, whose
        /// last entry then stands for the number of the set a row belongs to (`GROUPING()`
        /// reads it).
        var groupingSets: [[Int]]?
        /// SELECT aliases GROUP BY may name (GROUPING() may name them too).
        var aliases: [String: Expr] = [:]

        init(groupKeys: [String], groups: [BoundExpr], input: Scope) {
            self.groupKeys = groupKeys
            self.groups = groups
            self.input = input
        }
    }

    // MARK: Queries

    static func isSetOperation(_ body: QueryBody) -> Bool {
        if case .select = body { return false }
        return true
    }

    /// Binds a query; returns the plan and its output columns.
    package mutating func bind(_ statement: SelectStatement) throws(SQLError) -> (Plan, [PlanColumn]) {
        try StackGuard.check()
        let saved = ctes, savedScopes = cteScopes, savedValues = correlatedValues, savedWindows = windows
        correlatedValues = [:]
        windows = nil
        defer { ctes = saved; cteScopes = savedScopes; correlatedValues = savedValues; windows = savedWindows }
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
        if !statement.orderBy.isEmpty, Self.isSetOperation(statement.body) {
            // ORDER BY over a UNION names its output columns (by name or position).
            var keys: [SortKey] = []
            for item in Self.expandingOrderByAll(statement.orderBy, columns: scope.columns.count) {
                guard let key = try Self.outputOrderKey(item, output: scope) else {
                    throw SQLError(.binder, "ORDER BY of a UNION must name an output column", at: item.expr.position)
                }
                keys.append(key)
            }
            plan = .sort(plan, keys: keys, limit: nil)
        }
        let offset = try statement.offset.map { (e) throws(SQLError) in try constantInt(e, what: "OFFSET") } ?? 0
        if statement.limitPercent, let e = statement.limit {
            let percent: Double
            switch e.kind {
            case .literal(.int(let v)): percent = Double(v)
            case .literal(.double(let v)): percent = v
            default: throw SQLError(.binder, "LIMIT ... % takes a constant number", at: e.position)
            }
            guard percent >= 0 && percent <= 100 else {
                throw SQLError(.binder, "LIMIT \(percent)% is out of range: a percentage is between 0 and 100", at: e.position)
            }
            return (.limitPercent(plan, percent: percent, offset: offset), scope.columns)
        }
        let limit = try statement.limit.map { (e) throws(SQLError) in try constantInt(e, what: "LIMIT") }
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

    /// ORDER BY ALL (parsed as one `*` item): a key per output column, left to right.
    static func expandingOrderByAll(_ items: [OrderItem], columns: Int) -> [OrderItem] {
        guard items.count == 1, case .star = items[0].expr.kind else { return items }
        return (0..<columns).map { i in
            OrderItem(expr: Expr(.literal(.int(Int64(i + 1))), at: items[0].expr.position), descending: items[0].descending,
                      nullsFirst: items[0].nullsFirst)
        }
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
    mutating func bindBody(_ body: QueryBody, orderBy: [OrderItem] = []) throws(SQLError) -> (Plan, Scope) {
        switch body {
        case .select(let core):
            return try bindSelect(core, orderBy: orderBy)
        case .values(let rows):
            return try bindValues(rows)
        case .setOperation(let l, let r, let op, let all):
            // Both sides appended with a tag, grouped by every column (NULL groups with NULL,
            // as set operations compare), then the groups seen on the left (and, for
            // INTERSECT, on the right; for EXCEPT, not on the right). With ALL, each side's
            // copies of a row are numbered first (ROW_NUMBER over the row's columns) and the
            // number is one more column: the k-th copy survives EXCEPT ALL when the right has
            // fewer than k, INTERSECT ALL when both have k.
            let (union, unionScope) = try bindBody(.union(l, r, all: true))
            guard case .union(var left, var right) = union else { throw SQLError(.internal, "set operation without its sides") }
            let output = unionScope.columns
            var columns = output
            if all {
                func numbered(_ p: Plan) -> Plan {
                    .window(p, [WindowExpression(function: .window(.rowNumber), arguments: [], ignoreNulls: false,
                                                 partitionBy: output.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: $1.name) },
                                                 orderBy: [], frame: .partition, type: .int64)])
                }
                left = numbered(left)
                right = numbered(right)
                columns.append(PlanColumn(name: "__copy", type: .int64, qualifier: nil))
            }
            let scope = Scope(columns: columns)
            let width = scope.columns.count
            func tagged(_ p: Plan, _ tag: Int64) -> Plan {
                .project(p, scope.columns.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: $1.name) }
                         + [.constant(.int(tag), .int64)], names: scope.columns.map(\.name) + ["__side"])
            }
            let side = BoundExpr.column(index: width, type: .int64, name: "__side")
            var fromLeft = AggregateCall(function: .countStar, arguments: [], distinct: false, type: .int64)
            fromLeft.filter = .comparison(.equal, side, .constant(.int(0), .int64))
            var fromRight = fromLeft
            fromRight.filter = .comparison(.equal, side, .constant(.int(1), .int64))
            let grouped = Plan.aggregate(.union(tagged(left, 0), tagged(right, 1)),
                                         groups: scope.columns.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: $1.name) },
                                         aggregates: [fromLeft, fromRight])
            let zero = BoundExpr.constant(.int(0), .int64)
            let onLeft = BoundExpr.comparison(.greater, .column(index: width, type: .int64, name: "left"), zero)
            let onRight = BoundExpr.comparison(op == .intersect ? .greater : .equal, .column(index: width + 1, type: .int64, name: "right"), zero)
            let kept = Plan.filter(grouped, .logical(.and, onLeft, onRight))
            return (.project(kept, output.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: $1.name) },
                             names: output.map(\.name)), unionScope)
        case .unionByName(let l, let r, let all):
            return try bindUnionByName(l, r, all: all)
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

    /// Binds one SELECT; `prebound` stands for its FROM clause when given (the grouped rows
    /// of a query split by `bindGroupedWithCorrelatedSubqueries`).
    mutating func bindSelect(_ core: SelectCore, orderBy: [OrderItem], over prebound: (Plan, Scope)? = nil) throws(SQLError) -> (Plan, Scope) {
        if let top = core.top {
            throw SQLError(.unsupported, "TOP in a branch of UNION / EXCEPT / INTERSECT is not supported (put the branch in parentheses with LIMIT)",
                           at: top.position)
        }
        var core = core, orderBy = orderBy
        if prebound == nil, let lifted = try Self.liftingSelectListUnnest(core, orderBy: orderBy) { (core, orderBy) = lifted }
        if prebound == nil { (core, orderBy) = try Self.rewritingRowIn(core, orderBy: orderBy) }
        if prebound == nil, Self.usesColumnsSelection(core) {
            // COLUMNS(...) expands first, over the FROM's columns (a trial binding), so that
            // every later rewrite sees ordinary items.
            var trial = trialBinder()
            let input = try core.from.map { (from) throws(SQLError) in try trial.bindFrom(from).1 } ?? Scope()
            core = try Self.expandingColumns(core, input)
        }
        if prebound == nil, let split = try bindGroupedWithCorrelatedSubqueries(core, orderBy: orderBy) { return split }
        var plan: Plan, scope: Scope
        if let prebound {
            (plan, scope) = prebound
        } else if let from = core.from {
            (plan, scope) = try bindFrom(from)
        } else {
            (plan, scope) = (.values(rows: [[]], columns: []), Scope())
        }
        // Snowflake's lateral column aliases: WHERE, HAVING and ORDER BY expressions may name a
        // SELECT alias that no input column has (`movieId * 2 AS x ... WHERE x > 5`); WHERE only
        // one without an aggregate or a window function.
        let aliased = Self.lateralAliases(core.items, scope)
        if let w = core.whereClause {
            core.whereClause = Self.substitutingAliases(w, aliased.filter { !Self.containsAggregate($0.expr) && !Self.containsWindow($0.expr) }, scope)
        }
        if let h = core.having { core.having = Self.substitutingAliases(h, aliased.filter { !Self.containsWindow($0.expr) }, scope) }
        if core.from != nil {
            core = rewriteCorrelatedPredicates(core, scope)
            (plan, scope) = try decorrelateScalarSubqueries(core, plan, scope, orderBy: orderBy.map(\.expr))
        }

        if let w = core.whereClause {
            var residual: [Expr] = []
            for conjunct in Self.conjuncts(w) {
                // Uncorrelated IN (SELECT ...) and EXISTS become semi / anti joins.
                switch conjunct.kind {
                case .inSubquery(let x, let q, let negated):
                    var sub = self
                    let subPlan: Plan, subColumns: [PlanColumn]
                    if let row = Parser.rowItems(x) {
                        plan = try rowSemiJoin(plan, scope, row: row, subquery: q, negated: negated, at: conjunct.position)
                        continue
                    }
                    do throws(SQLError) {
                        (subPlan, subColumns) = try sub.bind(q)
                    } catch {
                        // Perhaps correlated: it names the outer query's columns.
                        plan = try correlatedJoin(plan, scope, subquery: q, probe: x, negated: negated, outerWhere: w,
                                                  at: conjunct.position, unbound: error)
                        continue
                    }
                    guard subColumns.count == 1 else { throw SQLError(.binder, "IN (SELECT ...) must select one column", at: conjunct.position) }
                    var key = try bindExpr(x, scope, nil)
                    var subKey = BoundExpr.column(index: 0, type: subColumns[0].type, name: subColumns[0].name)
                    guard let t = Self.comparedType(&key, with: subPlan, column: 0, subKey.type) else {
                        throw SQLError(.type, "IN compares \(key.type) with \(subKey.type)", at: conjunct.position)
                    }
                    if key.type != t { key = .cast(key, t) }
                    if subKey.type != t { subKey = .cast(subKey, t) }
                    plan = .join(probe: plan, build: subPlan, kind: negated ? .nullAwareAnti : .semi, probeKeys: [key], buildKeys: [subKey], residual: nil)
                case .exists(let q, let negated):
                    var sub = self
                    do throws(SQLError) {
                        let (subPlan, _) = try sub.bind(q)
                        plan = .join(probe: plan, build: .limit(subPlan, limit: 1, offset: 0), kind: negated ? .anti : .semi, probeKeys: [], buildKeys: [], residual: nil)
                    } catch {
                        plan = try correlatedJoin(plan, scope, subquery: q, probe: nil, negated: negated, outerWhere: w,
                                                  at: conjunct.position, unbound: error)
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

        var groupBy = core.groupBy
        if core.groupByAll {
            // Every SELECT item without an aggregate or a window function (DuckDB's rule).
            // An item naming an earlier alias is read with the alias's expression (`n * 2` after
            // `count(*) AS n` is an aggregate).
            groupBy = core.items.enumerated().compactMap { (index, item) -> Expr? in
                if case .star = item.expr.kind { return nil }
                let e = index == 0 ? item.expr : Self.substitutingAliases(item.expr, Array(core.items[..<index]), scope)
                return !Self.containsAggregate(e) && !Self.containsWindow(e) && !Self.isConstant(e) ? e : nil
            }
        }
        let usesAggregates = !groupBy.isEmpty || core.groupByAll || core.having != nil
            || core.items.contains { Self.containsAggregate($0.expr) } || orderBy.contains { Self.containsAggregate($0.expr) }
        var aggregate: AggregateContext? = nil
        if usesAggregates {
            var keys: [String] = []
            var groups: [BoundExpr] = []
            for g in groupBy {
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
            for item in core.items { if let a = item.alias?.lowercased(), aggregate!.aliases[a] == nil { aggregate!.aliases[a] = item.expr } }
            if let sets = core.groupingSets {
                aggregate!.groupingSets = sets
                aggregate!.groupKeys.append("#grouping set")
                aggregate!.groups.append(.constant(.int(0), .int64))
            }
        }

        // Window functions may appear from here on: the SELECT list, ORDER BY and QUALIFY.
        let usesWindows = core.qualify != nil || core.items.contains { Self.containsWindow($0.expr) }
            || orderBy.contains { Self.containsWindow($0.expr) }
        if usesWindows { windows = WindowContext(named: try namedWindows(core.windows)) }
        defer { windows = nil }
        var exprs: [BoundExpr] = []
        var names: [String] = []
        var qualifiers: [String?] = []
        for (index, item) in core.items.enumerated() {
            if case .star(let q) = item.expr.kind {
                guard aggregate == nil else { throw SQLError(.binder, "SELECT * cannot be used with GROUP BY", at: item.expr.position) }
                let modifiers = core.starModifiers[index] ?? StarModifiers()
                var matching = scope.columns.indices.filter { i in
                    q == nil ? !scope.hidden[i] : scope.columns[i].qualifier?.lowercased() == q!.lowercased()
                }
                if let like = modifiers.like {
                    let matcher = LikeMatcher(pattern: like.pattern, caseInsensitive: like.caseInsensitive)
                    matching = matching.filter { i in
                        var name = scope.columns[i].name
                        return name.withUTF8 { matcher.matches(UnsafeRawBufferPointer($0)) }
                    }
                }
                guard !matching.isEmpty else {
                    let like = modifiers.like.map { " \($0.caseInsensitive ? "ILIKE" : "LIKE") '\($0.pattern)'" } ?? ""
                    throw SQLError(.binder, "no columns match \(q.map { "\($0).*" } ?? "*")\(like)", at: item.expr.position)
                }
                let present = Set(matching.map { scope.columns[$0].name.lowercased() })
                for name in modifiers.exclude.map({ $0.lowercased() }) + modifiers.rename.map({ $0.from.lowercased() })
                    + modifiers.replace.map({ $0.column.lowercased() }) where !present.contains(name) {
                    throw SQLError(.binder, "column '\(name)' named after * is not among its columns", at: item.expr.position,
                                   reason: .undefinedColumn)
                }
                let excluded = Set(modifiers.exclude.map { $0.lowercased() })
                for i in matching where !excluded.contains(scope.columns[i].name.lowercased()) {
                    let name = scope.columns[i].name
                    if let r = modifiers.replace.first(where: { $0.column.lowercased() == name.lowercased() }) {
                        exprs.append(try bindExpr(r.expr, scope, aggregate))
                        names.append(name)
                        qualifiers.append(nil)
                        continue
                    }
                    exprs.append(.column(index: i, type: scope.columns[i].type, name: name))
                    names.append(modifiers.rename.first(where: { $0.from.lowercased() == name.lowercased() })?.to ?? name)
                    qualifiers.append(scope.columns[i].qualifier)
                }
                continue
            }
            // A name no input column has may be an alias given earlier in the list (the lateral
            // column alias of Snowflake and DuckDB: `count(*) AS n, n * 2`).
            let expr = index == 0 ? item.expr : Self.substitutingAliases(item.expr, Array(core.items[..<index]), scope)
            let viaAlias = index > 0 && Self.fingerprint(expr) != Self.fingerprint(item.expr)
            let bound = try bindExpr(expr, scope, aggregate)
            exprs.append(bound)
            if item.alias == nil, !viaAlias, case .column(_, _, let columnName) = bound, case .column = item.expr.kind {
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
        for item in Self.expandingOrderByAll(orderBy, columns: output.columns.count) {
            if let key = try Self.outputOrderKey(item, output: output) { sortKeys.append(key); continue }
            let bound = try bindExpr(Self.substitutingAliases(item.expr, aliased, scope), scope, aggregate)
            if core.distinct {
                throw SQLError(.binder, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list", at: item.expr.position)
            }
            extra.append(bound)
            sortKeys.append(SortKey(expr: .column(index: exprs.count + extra.count - 1, type: bound.type, name: bound.description),
                                    descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending))
        }
        // QUALIFY may name SELECT aliases (`QUALIFY rn = 1`), as in Snowflake.
        var qualifyBound: BoundExpr? = nil
        if let q = core.qualify {
            let b = try bindExpr(Self.substitutingAliases(q, core.items, scope), scope, aggregate)
            try requireBoolean(b, "QUALIFY", at: q.position)
            guard let windows, !windows.calls.isEmpty else {
                throw SQLError(.binder, "QUALIFY filters on window functions, but the query has none", at: q.position)
            }
            qualifyBound = b
        }
        let windowContext = windows
        windows = nil
        if let aggregate {
            let havingBound = try core.having.map { (h) throws(SQLError) -> BoundExpr in
                let b = try bindExpr(h, scope, aggregate)
                try requireBoolean(b, "HAVING", at: h.position)
                return b
            }
            if let sets = aggregate.groupingSets {
                plan = groupingSetsPlan(plan, keys: Array(aggregate.groups.dropLast()), sets: sets, aggregates: aggregate.aggregates)
            } else {
                plan = .aggregate(plan, groups: aggregate.groups, aggregates: aggregate.aggregates)
            }
            if let havingBound { plan = .filter(plan, havingBound) }
        }
        if let windowContext, !windowContext.calls.isEmpty {
            // The window columns follow the rows they are computed over.
            let map = windowContext.columnMap(width: plan.types.count)
            plan = .window(plan, windowContext.calls)
            exprs = exprs.map { $0.remapped(map) }
            extra = extra.map { $0.remapped(map) }
            if let q = qualifyBound { plan = .filter(plan, q.remapped(map)) }
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
}
