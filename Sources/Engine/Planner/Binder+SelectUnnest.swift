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
// per element), which unnests first. The moved form is the second; the first, an UNNEST in
// a grouped or windowed query that is not a group key, is refused with the rewrite to use.

extension Binder {
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
        if grouped {
            // Only a list grouped by its own UNNEST, which is unnested before grouping.
            if core.groupByAll {
                throw SQLError(.unsupported, "GROUP BY ALL cannot group on an UNNEST; name the UNNEST's alias in GROUP BY", at: at)
            }
            let groupedByUnnest = core.groupBy.contains { g in
                var target = g
                if case .literal(.int(let k)) = g.kind, k >= 1, Int(k) <= core.items.count { target = core.items[Int(k) - 1].expr }
                if case .column(let parts) = g.kind, parts.count == 1,
                   let item = core.items.first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
                    target = item.expr
                }
                return target.contains(where: isUnnestCall)
            }
            let unnestsAggregate = lists.contains { containsAggregate($0) }
            guard groupedByUnnest, !unnestsAggregate else {
                throw SQLError(.unsupported,
                               "UNNEST in the SELECT list of a grouped query is supported only as a group key (GROUP BY its alias); to unnest an aggregate, aggregate in a subquery and unnest in FROM: SELECT ... FROM (SELECT ... GROUP BY ...) AS g, UNNEST(g.list)",
                               at: at)
            }
        }
        if core.qualify != nil || core.items.contains(where: { containsWindow($0.expr) }) || orderBy.contains(where: { containsWindow($0.expr) }) {
            throw SQLError(.unsupported,
                           "UNNEST in the SELECT list next to a window function is not supported (DuckDB computes the window first); compute the window in a subquery and unnest outside it",
                           at: at)
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
