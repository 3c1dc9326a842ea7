// DuckDB's COLUMNS(...): one SELECT item written once for several input columns.
// `COLUMNS(*)`, `COLUMNS('regex')` (the columns whose name the pattern matches anywhere,
// case-sensitively) or `COLUMNS(['a', 'b'])` (those names) stands for each matching column
// in turn: `min(COLUMNS(*))` is one `min(c)` per column, each named after its column (or
// the item's alias). In WHERE, a condition over COLUMNS(...) must hold for every column
// (the copies are AND-ed), as in DuckDB. The expansion happens before anything else binds
// the items, so GROUP BY ALL, aggregates and aliases see ordinary columns.

import Columnar

extension Binder {
    static let columnsFunction = "columns"

    /// `core` with its COLUMNS(...) items and WHERE conditions expanded over `scope`'s
    /// visible columns; `core` itself when it has none.
    static func expandingColumns(_ core: SelectCore, _ scope: Scope) throws(SQLError) -> SelectCore {
        guard usesColumnsSelection(core) else { return core }
        var core = core
        var items: [(expr: Expr, alias: String?)] = []
        for item in core.items {
            guard let columns = try matching(item.expr, scope) else { items.append(item); continue }
            for c in columns { items.append((expr: replacing(item.expr, with: c), alias: item.alias ?? c.last!)) }
        }
        core.items = items
        if let w = core.whereClause {
            var conditions: [Expr] = []
            for c in conjuncts(w) {
                guard let columns = try matching(c, scope) else { conditions.append(c); continue }
                conditions += columns.map { replacing(c, with: $0) }
            }
            core.whereClause = conditions.dropFirst().reduce(conditions[0]) { Expr(.binary(op: .logical(.and), $0, $1), at: $1.position) }
        }
        return core
    }

    /// Whether `core`'s SELECT list or WHERE uses COLUMNS(...).
    static func usesColumnsSelection(_ core: SelectCore) -> Bool {
        func uses(_ e: Expr) -> Bool { !selectors(e).isEmpty }
        return core.items.contains { uses($0.expr) } || core.whereClause.map(uses) == true
    }

    /// The COLUMNS(...) calls directly in `e` (not inside its subqueries).
    private static func selectors(_ e: Expr) -> [Expr] {
        var found: [Expr] = []
        _ = e.contains { x in
            if case .function(let name, _, _, _, _) = x.kind, name.lowercased() == columnsFunction { found.append(x) }
            return false
        }
        return found
    }

    /// The columns (qualified names) `e`'s COLUMNS(...) stands for; nil when it has none.
    private static func matching(_ e: Expr, _ scope: Scope) throws(SQLError) -> [[String]]? {
        let calls = selectors(e)
        guard let call = calls.first else { return nil }
        if Set(calls.map { fingerprint($0) }).count > 1 {
            throw SQLError(.binder, "one expression may use only one COLUMNS(...) selection (it may repeat it)", at: call.position)
        }
        guard case .function(_, let args, _, let star, _) = call.kind else { return nil }
        let visible = scope.columns.indices.filter { !scope.hidden[$0] && !scope.columns[$0].name.hasPrefix("\u{1}") }
        var chosen: [Int]
        if star && args.isEmpty {
            chosen = visible
        } else if args.count == 1, case .literal(.string(let pattern)) = args[0].kind {
            let matcher = try RegexFunctions.Matcher(pattern)
            chosen = []
            for i in visible where try matcher.matches(scope.columns[i].name) { chosen.append(i) }
            guard !chosen.isEmpty else {
                throw SQLError(.binder, "no column name matches COLUMNS('\(pattern)') (names are matched case-sensitively; available: "
                               + visible.prefix(12).map { scope.columns[$0].name }.joined(separator: ", ") + ")", at: call.position,
                               reason: .undefinedColumn)
            }
        } else if args.count == 1, case .function(let f, let names, _, _, _) = args[0].kind, f.lowercased() == "array_construct" {
            chosen = []
            for n in names {
                guard case .literal(.string(let name)) = n.kind else {
                    throw SQLError(.binder, "COLUMNS([...]) takes a list of column names as text", at: n.position)
                }
                chosen.append(try scope.resolve([name], at: n.position))
            }
        } else {
            throw SQLError(.unsupported, "COLUMNS takes *, a regular expression as text, or a list of column names", at: call.position)
        }
        guard !chosen.isEmpty else { throw SQLError(.binder, "COLUMNS(...) selects no column here", at: call.position) }
        return chosen.map { i in
            let c = scope.columns[i]
            return c.qualifier.map { [$0, c.name] } ?? [c.name]
        }
    }

    /// `e` with every COLUMNS(...) call replaced by the column `name`.
    private static func replacing(_ e: Expr, with name: [String]) -> Expr {
        e.rewritten { x in
            guard case .function(let f, _, _, _, _) = x.kind, f.lowercased() == columnsFunction else { return nil }
            return Expr(.column(name), at: x.position)
        }
    }
}
