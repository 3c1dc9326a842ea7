// DuckDB's UNNEST in the SELECT list: `SELECT movieId, unnest(string_split(genres, '|'))
// FROM movies` gives one row per element of each row's list (none for an empty or NULL list).
// It is the lateral UNNEST in FROM written in another place, so the binder moves it there
// before binding: the FROM clause gains `UNNEST(list)` under an internal alias and each call
// becomes a reference to its element. Several different lists in one SELECT list are zipped
// as DuckDB zips them: a row gives as many rows as its longest list, the shorter ones padded
// with NULL (one position list as long as the longest, each element read by its index).
//
// DuckDB unnests after aggregation and window functions, except for a list grouped by its
// own UNNEST (`SELECT unnest(...) AS genre, count(*) ... GROUP BY genre`, the usual count
// per element), which unnests first. The second is the moved form; for the first the query
// is computed in a derived table (the lists as its columns) and unnested over its rows.

extension Binder {
    /// The alias of the derived table an UNNEST after aggregation reads.
    static let unnestedRows = "\u{1}unnested"

    /// `core` computed first (its aggregates, window functions and the lists), then unnested:
    /// `SELECT g, unnest(list(x)) ... GROUP BY g` is `SELECT g, unnest(l) FROM (SELECT g,
    /// list(x) AS l ... GROUP BY g)`. Each item with an UNNEST must be the UNNEST alone.
    static func unnestingAfterwards(_ core: SelectCore, orderBy: [OrderItem], at: Int) throws(SQLError) -> (SelectCore, [OrderItem])? {
        var inner = core
        inner.items = []
        inner.distinct = false
        var outer = SelectCore()
        outer.distinct = core.distinct
        for (i, item) in core.items.enumerated() {
            if case .star = item.expr.kind {
                throw SQLError(.unsupported, "SELECT * next to an UNNEST after aggregation or a window function is not supported; name the columns", at: item.expr.position)
            }
            let name = item.alias ?? outputName(item.expr)
            // An alias stays the inner column's name: HAVING and QUALIFY may name it.
            let column = item.alias ?? "\u{1}c\(i)"
            let read = Expr(.column([unnestedRows, column]), at: item.expr.position)
            if item.expr.contains(where: isUnnestCall) {
                guard isUnnestCall(item.expr), case .function(let n, let args, let d, let star, let clauses) = item.expr.kind else {
                    throw SQLError(.unsupported,
                                   "after aggregation or a window function, UNNEST must be a SELECT item of its own (unnest(list) [AS name]); compute around it in an outer query",
                                   at: item.expr.position)
                }
                inner.items.append((expr: args.first ?? item.expr, alias: column))
                outer.items.append((expr: Expr(.function(name: n, args: [read], distinct: d, star: star, clauses: clauses), at: item.expr.position), alias: name))
            } else {
                inner.items.append((expr: item.expr, alias: column))
                outer.items.append((expr: read, alias: name))
            }
        }
        // ORDER BY names the output: by position, alias, or an item's expression.
        var order: [OrderItem] = []
        for o in orderBy {
            var o = o
            if case .literal(.int) = o.expr.kind {
            } else if case .column(let parts) = o.expr.kind, parts.count == 1,
                      outer.items.contains(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
            } else if let i = core.items.firstIndex(where: { fingerprint($0.expr) == fingerprint(o.expr) }) {
                o.expr = Expr(.literal(.int(Int64(i + 1))), at: o.expr.position)
            } else if case .star = o.expr.kind {
            } else {
                throw SQLError(.unsupported, "ORDER BY of a query that unnests after aggregation names its SELECT items (by alias or position)",
                               at: o.expr.position)
            }
            order.append(o)
        }
        outer.from = .subquery(SelectStatement(body: .select(inner)), alias: unnestedRows)
        return try liftingSelectListUnnest(outer, orderBy: order)
    }

    /// The alias of the FROM-clause UNNEST that stands for the SELECT list's calls.
    static let selectListUnnest = "\u{1}unnest"

    static func isUnnestCall(_ e: Expr) -> Bool {
        if case .function(let name, _, _, _, _) = e.kind { return name.lowercased() == "unnest" }
        return false
    }

    /// `core` and its ORDER BY with the SELECT list's UNNEST calls moved into FROM, or nil
    /// when the list has none.
    static func liftingSelectListUnnest(_ core: SelectCore, orderBy: [OrderItem]) throws(SQLError) -> (SelectCore, [OrderItem])? {
        guard core.items.contains(where: { $0.expr.contains(where: isUnnestCall) }) else { return nil }
        // The distinct lists, in the order they first appear.
        var lists: [Expr] = [], keys: [String] = []
        var failure: SQLError?
        func collect(_ e: Expr) {
            _ = e.contains { x in
                guard failure == nil, isUnnestCall(x), case .function(_, let args, let distinct, let star, let clauses) = x.kind else { return false }
                guard args.count == 1, !distinct, !star, clauses.isEmpty else {
                    failure = SQLError(.binder, "UNNEST takes one list: UNNEST(list)", at: x.position)
                    return true
                }
                if args[0].contains(where: isUnnestCall) {
                    failure = SQLError(.unsupported, "UNNEST inside UNNEST is not supported", at: x.position)
                    return true
                }
                let key = fingerprint(args[0])
                if !keys.contains(key) {
                    keys.append(key)
                    lists.append(args[0])
                }
                return false
            }
        }
        for item in core.items { collect(item.expr) }
        if let failure { throw failure }
        let at = lists[0].position

        let grouped = !core.groupBy.isEmpty || core.groupByAll || core.having != nil
            || core.items.contains { containsAggregate($0.expr) } || orderBy.contains { containsAggregate($0.expr) }
        let windowed = core.qualify != nil || core.items.contains(where: { containsWindow($0.expr) })
            || orderBy.contains(where: { containsWindow($0.expr) })
        if grouped || windowed {
            if core.groupByAll {
                throw SQLError(.unsupported, "GROUP BY ALL cannot group on an UNNEST; name the UNNEST's alias in GROUP BY", at: at)
            }
            // A list grouped by its own UNNEST is unnested before grouping; any other after
            // the aggregates and window functions, over the rows they give.
            let groupedByUnnest = core.groupBy.contains { g in
                var target = g
                if case .literal(.int(let k)) = g.kind, k >= 1, Int(k) <= core.items.count { target = core.items[Int(k) - 1].expr }
                if case .column(let parts) = g.kind, parts.count == 1,
                   let item = core.items.first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
                    target = item.expr
                }
                return target.contains(where: isUnnestCall)
            }
            if !groupedByUnnest || windowed || lists.contains(where: { containsAggregate($0) || containsWindow($0) }) {
                return try unnestingAfterwards(core, orderBy: orderBy, at: at)
            }
        }
        // One list: its elements. Several: a position list as long as the longest, and each
        // list read at the position (past its end, NULL).
        let alias = selectListUnnest
        func call(_ name: String, _ args: [Expr]) -> Expr {
            Expr(.function(name: name, args: args, distinct: false, star: false, clauses: .none), at: at)
        }
        func literal(_ v: Value) -> Expr { Expr(.literal(v), at: at) }
        let input: Expr
        var element: [String: Expr] = [:]
        if lists.count == 1 {
            input = lists[0]
            element[keys[0]] = Expr(.column([alias, alias]), at: at)
        } else {
            let length = call("greatest", lists.map { call("coalesce", [call("array_size", [$0]), literal(.int(0))]) })
            // `length` empty strings; none (NULL) for a length of 0.
            let positions = call("split", [call("repeat", [literal(.string(",")), Expr(.binary(op: .arithmetic(.subtract), length, literal(.int(1))), at: at)]),
                                          literal(.string(","))])
            input = Expr(.caseWhen(operand: nil, whens: [(Expr(.binary(op: .comparison(.greater), length, literal(.int(0))), at: at), positions)],
                                   otherwise: nil), at: at)
            let index = Expr(.column([alias, "index"]), at: at)
            for (key, list) in zip(keys, lists) { element[key] = Expr(.subscript_(list, index), at: at) }
        }
        func lifted(_ e: Expr) -> Expr {
            e.rewritten { x in
                guard isUnnestCall(x), case .function(_, let args, _, _, _) = x.kind else { return nil }
                return element[fingerprint(args[0])]
            }
        }

        var out = core
        out.items = core.items.map { item in
            guard item.expr.contains(where: isUnnestCall) else { return item }
            return (expr: lifted(item.expr), alias: item.alias ?? outputName(item.expr))
        }
        out.groupBy = core.groupBy.map(lifted)
        out.distinctOn = core.distinctOn?.map(lifted)
        let unnest = TableRef.flatten(input: input, alias: alias, unnest: true)
        out.from = core.from.map { .join(left: $0, right: unnest, kind: .cross, on: nil, using: []) } ?? unnest
        let order = orderBy.map { OrderItem(expr: lifted($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        return (out, order)
    }
}
