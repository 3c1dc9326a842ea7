// Quantified comparisons: `x op ANY | SOME | ALL (SELECT ...)`. `= ANY` is IN and `<> ALL` is
// NOT IN (the semi and anti joins); the rest become comparisons with the subquery's MIN or MAX
// and its row counts, which keeps the standard's three-valued answer:
//
//   x > ANY (S): false over no rows; true if x > MIN(S); else NULL if S has a NULL or x is NULL.
//   x > ALL (S): true over no rows; false if NOT x > MAX(S); else NULL likewise; else true.
//
// Each aggregate is a scalar subquery over S, so correlated subqueries go through the same
// decorrelation as any other.

extension Parser {
    /// The quantified comparison `left op ANY|ALL (query)` as an expression of the core language.
    static func quantified(_ left: Expr, _ op: ComparisonOperator, every: Bool, _ query: SelectStatement, at p: Int) throws(SQLError) -> Expr {
        if case .select(let core) = query.body, core.items.count != 1 {
            throw SQLError(.binder, "\(every ? "ALL" : "ANY") (SELECT ...) must select one column, not \(core.items.count)", at: p)
        }
        if op == .equal && !every { return Expr(.inSubquery(left, query, negated: false), at: p) }
        if op == .notEqual && every { return Expr(.inSubquery(left, query, negated: true), at: p) }
        // A plain `SELECT e FROM ... WHERE ...` takes the aggregates in place of `e` (DISTINCT
        // changes neither MIN, MAX nor whether a NULL or a row exists), so a correlated WHERE
        // stays where the decorrelation looks for it; anything else is read as a derived table.
        var plain: SelectCore?
        if case .select(let core) = query.body, query.ctes.isEmpty, query.limit == nil, query.offset == nil,
           core.items.count == 1, core.groupBy.isEmpty, !core.groupByAll, core.groupingSets == nil, core.having == nil,
           core.qualify == nil, core.top == nil, core.starModifiers.isEmpty,
           !core.items[0].expr.contains(where: { e in
               switch e.kind {
               case .function, .window, .star, .scalarSubquery, .inSubquery, .exists: return true
               default: return false
               }
           }) {
            plain = core
            plain!.distinct = false
        }
        var inner = query
        inner.columnAliases = ["\u{1}quantified_value"]
        // The binder keys a correlated subquery's joined value by its position, so each of
        // the (up to four) subqueries takes its own: the operator's and the next characters',
        // which lie inside the operator and its ANY/ALL/SOME, where no other expression starts.
        func position(_ aggregate: String, _ star: Bool) -> Int {
            star ? p : p + (aggregate == "count" ? 1 : aggregate == "min" ? 2 : 3)
        }
        func over(_ aggregate: String, star: Bool = false) -> Expr {
            let p = position(aggregate, star)
            if var core = plain {
                let arg = core.items[0].expr
                core.items = [(Expr(.function(name: aggregate, args: star ? [] : [arg], distinct: false, star: star, clauses: .none), at: p), nil)]
                return Expr(.scalarSubquery(SelectStatement(body: .select(core))), at: p)
            }
            let value = Expr(.column(["\u{1}quantified_value"]), at: p)
            var core = SelectCore()
            core.items = [(Expr(.function(name: aggregate, args: star ? [] : [value], distinct: false, star: star, clauses: .none), at: p), nil)]
            core.from = .subquery(inner, alias: "\u{1}quantified")
            return Expr(.scalarSubquery(SelectStatement(body: .select(core))), at: p)
        }
        func literal(_ v: Value) -> Expr { Expr(.literal(v), at: p) }
        func compare(_ o: ComparisonOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .comparison(o), a, b), at: p) }
        func or(_ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .logical(.or), a, b), at: p) }
        let rows = over("count", star: true)
        // NULL unless decided: S holds a NULL, or x is NULL.
        let unknown = or(compare(.less, over("count"), rows), Expr(.isNull(left, negated: false), at: p))
        // `decisive` settles the answer as `!every` (ANY: some row satisfies; ALL: some row fails).
        let decisive: Expr
        switch op {
        case .equal, .notEqual:  // = ALL, <> ANY: some non-NULL value differs from x
            decisive = or(compare(.notEqual, left, over("min")), compare(.notEqual, left, over("max")))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let upward = op == .greater || op == .greaterOrEqual
            // ANY compares with the easiest value to beat, ALL fails on the hardest.
            let bound = over(upward != every ? "min" : "max")
            decisive = every ? Expr(.unary(op: .not, compare(op, left, bound)), at: p) : compare(op, left, bound)
        }
        return Expr(.caseWhen(operand: nil, whens: [
            (compare(.equal, rows, literal(.int(0))), literal(.bool(every))),
            (decisive, literal(.bool(!every))),
            (unknown, literal(.null)),
        ], otherwise: literal(.bool(every))), at: p)
    }
}
