// ASOF JOIN (DuckDB and Snowflake): each left row joins the one right row whose time is
// nearest on the allowed side of its own, among the rows with equal keys.
//
//   DuckDB     L ASOF [LEFT] JOIN R ON L.k = R.k AND L.t >= R.t     (inner unless LEFT)
//   Snowflake  L ASOF JOIN R MATCH_CONDITION (L.t >= R.t) [ON L.k = R.k]   (left rows kept)
//
// The parser writes it as joins the engine already runs fast, sorting instead of pairing every
// left row with every earlier right row. A match depends only on a left row's (keys, time), so
//
//   M  = per distinct left (keys, time): the right row id whose time is nearest, found by one
//        window over both sides' (keys, time) in time order: LAST_VALUE(right id IGNORE NULLS)
//        with the right rows of an equal time placed before the left ones (>=, <=) or after
//        them (>, <), and among themselves by row id, so the answer is the same on every run
//   L [LEFT] JOIN M ON keys and time equal [LEFT] JOIN R' ON R'.id = M.id
//
// where R' is R numbered by row. Their own columns (names starting with \u{1}asof) stay out of
// `*`. A NULL key or time matches nothing, as in both engines.

extension Parser {
    static let asofRowId = "\u{1}asof_row"

    /// Whether `name` is one of an ASOF join's own columns, which `*` leaves out.
    static func isAsofColumn(_ name: String) -> Bool { name.hasPrefix("\u{1}asof") }

    /// The ASOF join of `left` and the table item that follows ASOF [LEFT] JOIN.
    mutating func asofJoin(_ left: TableRef, keepLeft: Bool, at position: Int) throws(SQLError) -> TableRef {
        let right = try tableItem()
        // Each ASOF join reads its left side twice, so a chain costs 2^k reads of the first table.
        guard Self.asofJoins(in: left) < Self.maxAsofJoins else {
            throw SQLError(.unsupported, "at most \(Self.maxAsofJoins) ASOF joins in one FROM (each reads what is before it twice)",
                           at: position)
        }
        // Both sides are read twice; two samples would not agree.
        if Self.samples(left) || Self.samples(right) {
            throw SQLError(.unsupported, "SAMPLE on a side of an ASOF JOIN is not supported; sample in a CTE or after the join",
                           at: position)
        }
        guard let name = Self.exposedName(right) else {
            throw SQLError(.syntax, "the right side of an ASOF JOIN needs a name (give it an alias)", at: position)
        }
        var conditions: [Expr] = []
        var outer = keepLeft
        if accept(word: "MATCH_CONDITION") {
            // Snowflake's form keeps every left row, as a LEFT join does.
            outer = true
            try expect(symbol: "(")
            conditions.append(try expression())
            try expect(symbol: ")")
        }
        if accept(keyword: "ON") {
            conditions += Self.conjuncts(try expression())
        } else if isKeyword("USING") {
            throw SQLError(.unsupported, "ASOF JOIN ... USING is not supported; write ON left.k = right.k AND left.t >= right.t", at: peek.position)
        }
        guard !conditions.isEmpty else { throw error("expected ON or MATCH_CONDITION after ASOF JOIN") }

        // Sort the conditions into key equalities and the one inequality, each as (left, right).
        var keys: [(Expr, Expr)] = []
        var inequality: (left: Expr, op: ComparisonOperator, right: Expr)? = nil
        for c in conditions {
            guard case .binary(.comparison(let op), let a, let b) = c.kind, op != .notEqual else {
                throw SQLError(.binder, "an ASOF JOIN condition is equalities and one comparison (>=, >, <=, <) between the two sides",
                               at: c.position)
            }
            let aRight = try Self.readsSide(a, name), bRight = try Self.readsSide(b, name)
            guard aRight != bRight else {
                throw SQLError(.binder, "each side of an ASOF JOIN condition reads one table: qualify the right table's columns with \(name)",
                               at: c.position)
            }
            let (l, r, o) = aRight ? (b, a, op.flipped) : (a, b, op)
            if o == .equal {
                keys.append((l, r))
            } else {
                guard inequality == nil else {
                    throw SQLError(.binder, "an ASOF JOIN takes one inequality (>=, >, <=, <), not two", at: c.position)
                }
                inequality = (l, o, r)
            }
        }
        guard let inequality else {
            throw SQLError(.binder, "an ASOF JOIN needs one inequality between the times (left.t >= right.t)", at: position)
        }

        func column(_ parts: String...) -> Expr { Expr(.column(parts), at: position) }
        func call(_ f: String, _ args: [Expr]) -> Expr {
            Expr(.function(name: f, args: args, distinct: false, star: false, clauses: .none), at: position)
        }
        func and(_ items: [Expr]) -> Expr {
            items.dropFirst().reduce(items[0]) { Expr(.binary(op: .logical(.and), $0, $1), at: position) }
        }
        func equal(_ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .comparison(.equal), a, b), at: position) }
        func notNull(_ e: Expr) -> Expr { Expr(.isNull(e, negated: true), at: position) }
        func literal(_ v: Value) -> Expr { Expr(.literal(v), at: position) }
        func select(_ items: [(Expr, String?)], from: TableRef, where w: Expr? = nil, distinct: Bool = false) -> QueryBody {
            var core = SelectCore()
            core.distinct = distinct
            core.items = items.map { (expr: $0.0, alias: $0.1) }
            core.from = from
            core.whereClause = w
            return .select(core)
        }

        let keyName = { (i: Int) in "\u{1}asof_key\(i)" }, timeName = "\u{1}asof_time", sideName = "\u{1}asof_side"
        let mAlias = "\u{1}asof\(position)", eventsAlias = "\u{1}asof_events\(position)"
        let rowId = Self.asofRowId
        // Equal times: right rows first when they may match (>=, <=), after the left ones when not.
        let strict = inequality.op == .greater || inequality.op == .less
        let descending = inequality.op == .lessOrEqual || inequality.op == .less
        let leftSide: Int64 = 1, rightSide: Int64 = strict ? 2 : 0

        // R': the right side numbered in (keys, time) order. It is read twice; numbered so, the
        // two readings can differ only among rows of equal keys and time, any of which matches.
        let numbered = Expr(.window(WindowCall(name: "row_number", args: [], distinct: false, star: false, ignoreNulls: false,
                                               over: WindowSpec(orderBy: (keys.map(\.1) + [inequality.right]).map {
                                                   OrderItem(expr: $0, descending: false, nullsFirst: nil)
                                               }))), at: position)
        let rightNumbered = TableRef.subquery(SelectStatement(body: select([(Expr(.star(qualifier: nil), at: position), nil), (numbered, rowId)],
                                                                           from: right)), alias: name)

        // The events: each distinct left (keys, time), then every right row's.
        let leftKeys = keys.map(\.0), rightKeys = keys.map(\.1)
        let leftEvents = select(leftKeys.enumerated().map { ($1, keyName($0)) }
                                    + [(inequality.left, timeName), (literal(.int(leftSide)), sideName),
                                       (Expr(.cast(literal(.null), .int64), at: position), rowId)],
                                from: left, where: and((leftKeys + [inequality.left]).map(notNull)), distinct: true)
        let rightEvents = select(rightKeys.enumerated().map { ($1, keyName($0)) }
                                     + [(inequality.right, timeName), (literal(.int(rightSide)), sideName), (column(name, rowId), rowId)],
                                 from: rightNumbered, where: and((rightKeys + [inequality.right]).map(notNull)))
        let latest = Expr(.window(WindowCall(
            name: "last_value", args: [column(rowId)], distinct: false, star: false, ignoreNulls: true,
            over: WindowSpec(partitionBy: keys.indices.map { column(keyName($0)) },
                             orderBy: [OrderItem(expr: column(timeName), descending: descending, nullsFirst: nil),
                                       OrderItem(expr: column(sideName), descending: false, nullsFirst: nil),
                                       OrderItem(expr: column(rowId), descending: false, nullsFirst: nil)]))), at: position)
        let ranked = select(keys.indices.map { (column(keyName($0)), keyName($0)) }
                                + [(column(timeName), timeName), (column(sideName), sideName), (latest, rowId)],
                            from: .subquery(SelectStatement(body: .union(leftEvents, rightEvents, all: true)), alias: eventsAlias))
        let matches = select(keys.indices.map { (column(keyName($0)), keyName($0)) } + [(column(timeName), timeName), (column(rowId), rowId)],
                             from: .subquery(SelectStatement(body: ranked), alias: eventsAlias),
                             where: equal(column(sideName), literal(.int(leftSide))))

        let found = TableRef.join(left: left, right: .subquery(SelectStatement(body: matches), alias: mAlias), kind: outer ? .left : .inner,
                                  on: and(leftKeys.enumerated().map { equal(column(mAlias, keyName($0)), $1) }
                                          + [equal(column(mAlias, timeName), inequality.left)]),
                                  using: [])
        return .join(left: found, right: rightNumbered, kind: outer ? .left : .inner,
                     on: equal(column(name, rowId), column(mAlias, rowId)), using: [])
    }

    static let maxAsofJoins = 6

    /// The ASOF joins in a FROM tree (each became a LEFT or inner join to its matches).
    static func asofJoins(in item: TableRef) -> Int {
        guard case .join(let l, let r, _, _, _) = item else { return 0 }
        let own: Int
        if case .subquery(_, let alias) = r, let alias, isAsofColumn(alias) { own = 1 } else { own = 0 }
        return own + asofJoins(in: l) + asofJoins(in: r)
    }

    /// Whether a FROM tree samples rows anywhere in it (derived tables included).
    static func samples(_ item: TableRef) -> Bool {
        switch item {
        case .sample: return true
        case .join(let l, let r, _, _, _): return samples(l) || samples(r)
        case .subquery(let q, _): return samples(q)
        default: return false
        }
    }

    static func samples(_ q: SelectStatement) -> Bool {
        func body(_ b: QueryBody) -> Bool {
            switch b {
            case .select(let core): return core.from.map(samples) ?? false
            case .union(let l, let r, _), .unionByName(let l, let r, _), .setOperation(let l, let r, _, _): return body(l) || body(r)
            case .values: return false
            }
        }
        return q.ctes.contains { samples($0.query) } || body(q.body)
    }

    /// The name a FROM item's columns are qualified by, if it has one.
    static func exposedName(_ item: TableRef) -> String? {
        switch item {
        case .table(let name, let alias, _), .history(let name, _, let alias, _): return alias ?? name.last
        case .subquery(_, let alias), .flatten(_, let alias, _), .function(_, _, _, let alias, _): return alias
        default: return nil
        }
    }

    /// Whether `e` reads the right side (`name`); false when it reads the left one. An
    /// expression must name its columns' tables, and read one side only.
    static func readsSide(_ e: Expr, _ name: String) throws(SQLError) -> Bool {
        var right = false, left = false
        var unqualified: Expr? = nil
        _ = e.contains { x in
            guard case .column(let parts) = x.kind else { return false }
            if parts.count < 2 { unqualified = x } else if parts[parts.count - 2].lowercased() == name.lowercased() { right = true } else { left = true }
            return false
        }
        if let unqualified {
            throw SQLError(.binder, "name the table of each column in an ASOF JOIN condition", at: unqualified.position)
        }
        if right && left { throw SQLError(.binder, "one side of an ASOF JOIN condition reads both tables", at: e.position) }
        return right
    }

    /// The AND-ed parts of `e`.
    static func conjuncts(_ e: Expr) -> [Expr] {
        if case .binary(.logical(.and), let a, let b) = e.kind { return conjuncts(a) + conjuncts(b) }
        return [e]
    }
}
