// FROM: tables, views, CTEs (shared when read more than once), subqueries, FLATTEN and
// joins, whose ON conditions split into equi-join keys and a residual.

import Columnar

extension Binder {
    mutating func bindFrom(_ ref: TableRef) throws(SQLError) -> (Plan, Scope) {
        switch ref {
        case .table(let name, let alias, let position):
            if name.count == 1, let (plan, scope) = preBound[name[0]] {
                return (plan, scope.requalified(alias))
            }
            if name.count == 1, let work = workTables[name[0].lowercased()] {
                // Inside a recursive CTE's step: the rows of the previous round.
                return (.workTable(id: work.id, columns: work.columns), Scope(columns: work.columns).requalified(alias ?? name[0]))
            }
            if name.count == 1, let cte = ctes[name[0].lowercased()] {
                let name0 = name[0].lowercased()
                let key = "\(cteScopes[name0] ?? -1):\(name0)"
                if sharedCTEs.names.contains(key), let (plan, columns) = sharedCTEs.bound[key] {
                    return (plan, Scope(columns: columns, of: plan).requalified(alias ?? name[0]))
                }
                var inner = self
                inner.ctes[name0] = nil  // a CTE does not see itself
                var plan: Plan, columns: [PlanColumn]
                if let recursive = try inner.bindRecursive(cte, name: name0, at: position) {
                    (plan, columns) = recursive
                } else {
                    (plan, columns) = try inner.bind(cte)
                }
                if let aliases = cte.columnAliases {
                    guard aliases.count == columns.count else {
                        throw SQLError(.binder, "CTE \(name[0]) names \(aliases.count) columns but its query has \(columns.count)", at: position)
                    }
                    for i in columns.indices { columns[i].name = aliases[i] }
                }
                if sharedCTEs.names.contains(key) {
                    plan = .shared(Optimizer.optimize(plan), id: sharedCTEs.nextId)
                    sharedCTEs.nextId += 1
                    sharedCTEs.bound[key] = (plan, columns)
                }
                return (plan, Scope(columns: columns, of: plan).requalified(alias ?? name[0]))
            }
            let table: TableMetadata
            if name.count >= 2, name[name.count - 2].lowercased() == "information_schema" {
                let (rows, columns) = try InformationSchema.view(name[name.count - 1], catalog: catalog, at: position)
                let q = alias ?? name[name.count - 1]
                return (.values(rows: rows, columns: columns), Scope(columns: columns).requalified(q))
            }
            do { table = try catalog.resolve(name.joined(separator: ".")) } catch {
                throw SQLError(error.denied ? .permission : .binder, error.message, at: position,
                               reason: error.notFound ? .undefinedTable : nil)
            }
            let q = alias ?? table.name
            if let viewSQL = table.viewSQL {
                // A view: its stored query, bound where it is used.
                guard viewDepth < 32 else { throw SQLError(.binder, "view \(table.qualifiedName) refers to itself", at: position) }
                guard case .select(let query)? = try Parser.parse(viewSQL).first else {
                    throw SQLError(.binder, "view \(table.qualifiedName) has no query", at: position)
                }
                var inner = self
                inner.viewDepth += 1
                inner.rowIdPosition = nil
                inner.catalog = catalog.unrestricted
                let (plan, columns) = try inner.bind(query)
                return (plan, Scope(columns: columns).requalified(q))
            }
            let columns = table.columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: q) }
            if position == rowIdPosition {
                let rowId = PlanColumn(name: Self.rowIdName, type: .int64, qualifier: q)
                return (.scan(table: table, columns: Array(table.columns.indices) + [TableScan.rowIdColumn], predicates: []),
                        Scope(columns: columns + [rowId], hidden: columns.map { _ in false } + [true]))
            }
            return (.scan(table: table, columns: Array(table.columns.indices), predicates: []), Scope(columns: columns))
        case .history(let name, let point, let alias, let position):
            return try bindHistory(name, point, alias: alias, at: position)
        case .function(let name, let args, let named, let alias, let position):
            return try bindTableFunction(name, args, named, alias: alias, at: position)
        case .pivot(let input, let clause, let alias, let position):
            return try bindPivot(input, clause, alias: alias, at: position)
        case .unpivot(let input, let clause, let alias, let position):
            return try bindUnpivot(input, clause, alias: alias, at: position)
        case .sample(let input, let clause, let position):
            return try bindSample(input, clause, at: position)
        case .subquery(let q, let alias):
            var inner = self
            var (plan, columns) = try inner.bind(q)
            if let names = q.columnAliases {
                // Fewer names than columns rename the first ones (PostgreSQL, DuckDB); the
                // parser's own derived tables (names starting with \u{1}) name every column.
                let isInternal = alias?.hasPrefix("\u{1}") ?? false
                guard names.count == columns.count || (!isInternal && names.count < columns.count) else {
                    if alias == Self.rowInRows {
                        throw SQLError(.binder, "a row of \(names.count) values is compared with a subquery of \(columns.count) columns")
                    }
                    if alias == "\u{1}quantified" {
                        throw SQLError(.binder, "ANY / ALL (SELECT ...) must select one column, not \(columns.count)")
                    }
                    throw SQLError(.binder, "\(alias ?? "subquery") names \(names.count) columns but its query has \(columns.count)")
                }
                for i in names.indices { columns[i].name = names[i] }
            }
            return (plan, Scope(columns: columns, of: plan).requalified(alias))
        case .flatten(let input, let alias, let unnest):
            // A FLATTEN on its own (no preceding table): flatten a constant.
            return try flattened(.values(rows: [[]], columns: []), Scope(), input, alias: alias, unnest: unnest)
        case .join(let left, let right, let kind, let on, let using):
            let (lp, ls) = try bindFrom(left)
            if kind == .asof || kind == .asofLeft {
                return try asofJoin((lp, ls), right, keepsUnmatched: kind == .asofLeft, on: on, using: using)
            }
            if case .flatten(let input, let alias, let unnest) = right {
                return try flattened(lp, ls, input, alias: alias, unnest: unnest)
            }
            let rp: Plan, rsRaw: Scope
            do throws(SQLError) {
                (rp, rsRaw) = try bindFrom(right)
            } catch {
                // A derived table that reads the tables before it: LATERAL.
                guard case .subquery(let q, let alias) = right, error.reason == .undefinedColumn else { throw error }
                return try lateralJoin((lp, ls), q, alias: alias, kind: kind, on: on, using: using, at: on?.position ?? 0, unbound: error)
            }
            var rs = rsRaw
            let combined = ls + rs
            var leftKeys: [BoundExpr] = [], rightKeys: [BoundExpr] = []
            var residuals: [BoundExpr] = []
            let leftCount = ls.columns.count
            // USING's column is the left input's; in a right or full join, where that may be
            // NULL for a row of the right input, the first non-NULL of the two.
            var merged: [(left: Int, right: Int)] = []
            var names = using
            if names == [Parser.naturalJoin] {
                // NATURAL JOIN: the names both sides show (in the left side's order); none makes
                // it a cross join, as the standard says.
                let rightNames = Set(rs.columns.indices.filter { !rs.hidden[$0] }.map { rs.columns[$0].name.lowercased() })
                var seen = Set<String>()
                names = ls.columns.indices.filter { !ls.hidden[$0] }.map { ls.columns[$0].name }
                    .filter { rightNames.contains($0.lowercased()) && seen.insert($0.lowercased()).inserted }
            }
            if !names.isEmpty {
                for name in names {
                    let li = try ls.resolve([name], at: 0), ri = try rs.resolve([name], at: 0)
                    var l = BoundExpr.column(index: li, type: ls.columns[li].type, name: name)
                    var r = BoundExpr.column(index: ri, type: rs.columns[ri].type, name: name)
                    // A bare NULL column takes the other side's type.
                    if ls.isUntypedNull(li), !rs.isUntypedNull(ri) { l = .cast(l, r.type) }
                    if rs.isUntypedNull(ri), !ls.isUntypedNull(li) { r = .cast(r, l.type) }
                    let (lk, rk) = try coerceKeys(l, r)
                    leftKeys.append(lk)
                    rightKeys.append(rk)
                    rs.hidden[ri] = true
                    merged.append((li, ri))
                }
            } else if let on {
                for conjunct in Self.conjuncts(on) {
                    let b = try bindExpr(conjunct, combined, nil)
                    if case .comparison(.equal, let a, let c) = b {
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
            // The left input probes, the right one is built; the optimizer may swap them.
            let joined = Plan.join(probe: lp, build: rp, kind: kind, probeKeys: leftKeys, buildKeys: rightKeys,
                                   residual: BoundExpr.conjunction(residuals))
            let scope = ls + rs
            guard kind == .right || kind == .full, !merged.isEmpty else { return (joined, scope) }
            var columns = scope.columns.enumerated().map { i, c in BoundExpr.column(index: i, type: c.type, name: c.name) }
            for (li, ri) in merged {
                let (l, r) = (columns[li], columns[leftCount + ri])
                let common = TypeRules.common(l.type, r.type) ?? (ls.isUntypedNull(li) ? r.type : l.type)
                columns[li] = try Binder.call("coalesce", [l.type == common ? l : .cast(l, common), r.type == common ? r : .cast(r, common)])
            }
            var merging = scope
            for (li, _) in merged {
                merging.columns[li].type = columns[li].type
                if li < merging.untypedNull.count { merging.untypedNull[li] = false }  // the other side's value may show
            }
            return (.project(joined, columns, names: merging.columns.map(\.name)), merging)
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
            case .union(let l, let r, _), .unionByName(let l, let r, _), .setOperation(let l, let r, _, _):
                body(l)
                body(r)
            case .values(let rows): rows.joined().forEach(expr)
            }
        }
        func ref(_ r: TableRef) {
            switch r {
            case .table(let name, _, _): if name.count == 1 { visit(name[0].lowercased()) }
            case .history(_, let point, _, _): expr(point.value)
            case .subquery(let q, _): query(q)
            case .join(let l, let r, _, let on, _):
                ref(l)
                ref(r)
                if let on { expr(on) }
            case .flatten(let input, _, _): expr(input)
            case .function(_, let args, let named, _, _): args.forEach(expr); named.forEach { expr($0.value) }
            case .pivot(let input, let clause, _, _):
                ref(input)
                if case .query(let q) = clause.values { query(q) }
            case .unpivot(let input, _, _, _), .sample(let input, _, _): ref(input)
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
            case .function(_, let args, _, _, let clauses): args.forEach(expr); clauses.expressions.forEach(expr)
            case .window(let w): w.expressions.forEach(expr)
            case .caseWhen(let o, let whens, let otherwise):
                if let o { expr(o) }
                for (w, t) in whens { expr(w); expr(t) }
                if let otherwise { expr(otherwise) }
            case .column, .literal, .star: break
            }
        }
        query(statement)
    }

    /// `plan` with one row per element of `input`'s list for each of its rows.
    mutating func flattened(_ plan: Plan, _ scope: Scope, _ input: Expr, alias: String?, unnest: Bool) throws(SQLError) -> (Plan, Scope) {
        var input = input, fromOne = false
        if case .function(Parser.splitToTable, let args, _, _, _) = input.kind {
            input = Expr(.function(name: "split", args: args, distinct: false, star: false, clauses: .none), at: input.position)
            fromOne = true
        }
        var bound = try bindExpr(input, scope, nil)
        if case .nullLiteral = bound { bound = .constant(.null, .listVarchar) }  // `UNNEST(NULL)`: no rows
        // Text is JSON (Snowflake's FLATTEN(input => v:items)): an array's elements.
        if bound.type == .varchar && !unnest { bound = try Binder.call(JSONFunctions.elementsName, [bound]) }
        guard bound.type == .listVarchar else {
            throw SQLError(.type, "FLATTEN needs an array, got \(bound.type)", at: input.position)
        }
        let out = scope + flattenScope(alias, unnest: unnest)
        guard fromOne else { return (.flatten(plan, input: bound), out) }
        // SPLIT_TO_TABLE numbers the parts from 1.
        var columns = out.columns.indices.map { BoundExpr.column(index: $0, type: out.columns[$0].type, name: out.columns[$0].name) }
        let index = columns.count - 1
        columns[index] = .arithmetic(.add, columns[index], .constant(.int(1), .int64), .int64)
        return (.project(.flatten(plan, input: bound), columns, names: out.columns.map(\.name)), out)
    }

    func flattenScope(_ alias: String?, unnest: Bool) -> Scope {
        if unnest {
            // The SELECT list's UNNEST is read only through its calls, never by `*`.
            return Scope(columns: [PlanColumn(name: alias ?? "unnest", type: .varchar, qualifier: alias),
                                   PlanColumn(name: "index", type: .int64, qualifier: alias)],
                         hidden: [alias == Self.selectListUnnest, true])
        }
        return Scope(columns: [PlanColumn(name: "value", type: .varchar, qualifier: alias ?? "flatten"),
                               PlanColumn(name: "index", type: .int64, qualifier: alias ?? "flatten")])
    }

    func coerceKeys(_ a: BoundExpr, _ b: BoundExpr) throws(SQLError) -> (BoundExpr, BoundExpr) {
        if a.type == b.type { return (a, b) }
        guard let t = TypeRules.common(a.type, b.type) else { throw SQLError(.type, "cannot join \(a.type) with \(b.type)") }
        return (a.type == t ? a : .cast(a, t), b.type == t ? b : .cast(b, t))
    }
}

extension Binder {
    /// `VALUES (...), (...)`: every row as wide as the first; a column takes the common type
    /// of its values (a bare NULL takes the others'); every value must be a constant.
    mutating func bindValues(_ rows: [[Expr]]) throws(SQLError) -> (Plan, Scope) {
        let width = rows[0].count
        var bound: [[BoundExpr]] = []
        for row in rows {
            guard row.count == width else {
                throw SQLError(.binder, "VALUES rows have \(width) and \(row.count) values: every row needs as many", at: row.first?.position ?? 0)
            }
            var values: [BoundExpr] = []
            for e in row { values.append(try bindExpr(e, Scope(), nil)) }
            bound.append(values)
        }
        var types: [LogicalType] = []
        for c in 0..<width {
            var type: LogicalType? = nil
            for row in bound where !Self.isNullConstant(row[c]) {
                guard let t = type else { type = row[c].type; continue }
                guard let common = TypeRules.common(t, row[c].type) else {
                    throw SQLError(.type, "VALUES column \(c + 1) has values of types \(t) and \(row[c].type)", at: rows[0][c].position)
                }
                type = common
            }
            types.append(type ?? .int64)
        }
        var values: [[Value]] = []
        for (r, row) in bound.enumerated() {
            var out: [Value] = []
            for (c, e) in row.enumerated() {
                if Self.isNullConstant(e) { out.append(.null); continue }
                guard case .constant(let v, _) = Self.fold(try Self.coerce(e, to: types[c])) else {
                    throw SQLError(.binder, "VALUES takes constants; \(Self.outputName(rows[r][c])) is not one", at: rows[r][c].position)
                }
                out.append(v)
            }
            values.append(out)
        }
        let columns = types.enumerated().map { PlanColumn(name: "column\($0 + 1)", type: $1, qualifier: nil) }
        return (.values(rows: values, columns: columns), Scope(columns: columns))
    }
}
