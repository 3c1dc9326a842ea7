// Correlated EXISTS and IN where no semi join can take them: inside an expression (a SELECT
// item, an OR, a CASE, under NOT) and correlated NOT IN. Each becomes a correlated scalar
// subquery computing an aggregate, which the scalar rewrite turns into a join to the grouped
// subquery (see `decorrelateScalarSubqueries`):
//
//   EXISTS (SELECT ... FROM f WHERE w)   ->  (SELECT count(*) FROM f WHERE w) > 0
//   x IN (SELECT y FROM f WHERE w)       ->  (SELECT CASE WHEN count_if(y = x) > 0 THEN TRUE
//                                                         WHEN count(*) = 0 THEN FALSE
//                                                         WHEN x IS NULL OR count_if(y IS NULL) > 0 THEN NULL
//                                                         ELSE FALSE END FROM f WHERE w)
//   x NOT IN (...)                       ->  NOT (the same)
//
// The CASE is IN's three-valued answer: TRUE on a match, FALSE for no rows, NULL where x or a
// value is NULL and nothing matched. A top-level WHERE conjunct EXISTS / NOT EXISTS / IN keeps
// the faster semi and anti joins.

extension Binder {
    /// `core` with its correlated EXISTS / IN predicates outside the semi-join positions
    /// rewritten as correlated scalar subqueries over `scope` (the FROM clause's columns).
    func rewriteCorrelatedPredicates(_ core: SelectCore, _ scope: Scope) -> SelectCore {
        var core = core
        if let w = core.whereClause {
            let parts = Self.conjuncts(w).map { c -> Expr in
                switch c.kind {
                case .exists, .inSubquery(_, _, false): return rewritePredicates(in: c, scope, keepTop: true)
                default: return rewritePredicates(in: c, scope, keepTop: false)
                }
            }
            core.whereClause = Self.conjunction(parts)
        }
        let aggregated = !core.groupBy.isEmpty || core.having != nil || core.items.contains { Self.containsAggregate($0.expr) }
        if !aggregated {
            core.items = core.items.map { Self.keepingName($0, rewritePredicates(in: $0.expr, scope, keepTop: false)) }
            return core
        }
        // A grouped query: in its keys and its aggregates' arguments and filters, read per row.
        func insideAggregates(_ e: Expr) -> Expr {
            e.rewritten { x in
                guard case .function(let name, let args, let distinct, let star, var clauses) = x.kind, FunctionRegistry.aggregate(name) != nil else {
                    return nil
                }
                clauses.filter = clauses.filter.map { rewritePredicates(in: $0, scope, keepTop: false) }
                return Expr(.function(name: name, args: args.map { rewritePredicates(in: $0, scope, keepTop: false) }, distinct: distinct,
                                      star: star, clauses: clauses), at: x.position)
            }
        }
        let keys = Set(Self.groupingKeys(core, scope).map { Self.fingerprint($0, in: scope) })
        core.items = core.items.map { item in
            // An item that is a key is read per row too (`GROUP BY 1`).
            if keys.contains(Self.fingerprint(item.expr, in: scope)) { return Self.keepingName(item, rewritePredicates(in: item.expr, scope, keepTop: false)) }
            return Self.keepingName(item, insideAggregates(item.expr))
        }
        core.groupBy = core.groupBy.map { rewritePredicates(in: $0, scope, keepTop: false) }
        core.having = core.having.map(insideAggregates)
        return core
    }

    /// `e` with its correlated predicates rewritten; with `keepTop`, `e` itself is left for
    /// the semi-join path (its own operand still rewritten where it has subqueries).
    private func rewritePredicates(in e: Expr, _ scope: Scope, keepTop: Bool) -> Expr {
        var atRoot = keepTop
        return e.rewritten { x in
            if atRoot { atRoot = false; return nil }
            switch x.kind {
            case .exists(let q, let negated):
                guard let (from, whereClause) = plainCorrelated(q, items: nil) else { return existsAsValue(q, negated: negated, at: x.position) }
                var count = SelectCore()
                count.items = [(expr: Expr(.function(name: "count", args: [], distinct: false, star: true, clauses: .none), at: x.position), alias: nil)]
                count.from = from
                count.whereClause = whereClause
                let value = Expr(.scalarSubquery(SelectStatement(body: .select(count))), at: x.position)
                let zero = Expr(.literal(.int(0)), at: x.position)
                return Expr(.binary(op: .comparison(negated ? .equal : .greater), value, zero), at: x.position)
            case .inSubquery(let probe, let q, let negated):
                // A row IN is answered by joins, uncorrelated, or refused there with its rewrite.
                if Parser.rowItems(probe) != nil { return nil }
                guard case .select(let inner) = q.body, inner.items.count == 1,
                      let (from, whereClause) = plainCorrelated(q, items: 1) else {
                    return inAsValue(Self.qualified(probe, scope), q, negated: negated, at: x.position)
                }
                let p = x.position
                let probe = Self.qualified(probe, scope)
                let y = inner.items[0].expr
                func call(_ name: String, _ args: [Expr], star: Bool = false) -> Expr {
                    Expr(.function(name: name, args: args, distinct: false, star: star, clauses: .none), at: p)
                }
                func compare(_ op: ComparisonOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .comparison(op), a, b), at: p) }
                let zero = Expr(.literal(.int(0)), at: p)
                let matched = compare(.greater, call("count_if", [compare(.equal, y, probe)]), zero)
                let empty = compare(.equal, call("count", [], star: true), zero)
                let unknown = Expr(.binary(op: .logical(.or), Expr(.isNull(probe, negated: false), at: p),
                                           compare(.greater, call("count_if", [Expr(.isNull(y, negated: false), at: p)]), zero)), at: p)
                let answer = Expr(.caseWhen(operand: nil, whens: [(matched, Expr(.literal(.bool(true)), at: p)),
                                                                  (empty, Expr(.literal(.bool(false)), at: p)),
                                                                  (unknown, Expr(.literal(.null), at: p))],
                                            otherwise: Expr(.literal(.bool(false)), at: p)), at: p)
                var select = SelectCore()
                select.items = [(expr: answer, alias: nil)]
                select.from = from
                select.whereClause = whereClause
                let value = Expr(.scalarSubquery(SelectStatement(body: .select(select))), at: p)
                return negated ? Expr(.unary(op: .not, value), at: p) : value
            default:
                return nil
            }
        }
    }

    /// A correlated EXISTS of another shape (grouped, ordered, limited) as a value: whether
    /// its first row exists, `COALESCE((SELECT TRUE ... LIMIT 1), FALSE)`, which the scalar
    /// rewrites take. Nil for a shape whose rows a changed SELECT list would change: set
    /// operations, GROUP BY ALL, names of SELECT items read by HAVING or ORDER BY, an
    /// aggregate without GROUP BY.
    private func existsAsValue(_ q: SelectStatement, negated: Bool, at p: Int) -> Expr? {
        guard q.ctes.isEmpty, case .select(var core) = q.body, !core.groupByAll, core.groupingSets == nil else {
            return existsOverRows(q, negated: negated, at: p)
        }
        let aggregated = !core.groupBy.isEmpty || core.having != nil || core.items.contains { Self.containsAggregate($0.expr) }
        if aggregated && core.groupBy.isEmpty { return nil }
        let aliases = Set(core.items.compactMap { $0.alias?.lowercased() })
        let readsAlias = ([core.having, core.qualify].compactMap { $0 } + q.orderBy.map(\.expr)).contains { e in
            e.contains { x in
                switch x.kind {
                case .column(let parts): return parts.count == 1 && aliases.contains(parts[0].lowercased())
                case .literal: return q.orderBy.contains { $0.expr.position == x.position }  // ORDER BY 1
                default: return false
                }
            }
        }
        if readsAlias { return existsOverRows(q, negated: negated, at: p) }
        var alone = trialBinder()
        if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { return nil }  // uncorrelated
        core.items = [(expr: Expr(.literal(.bool(true)), at: p), alias: "__exists")]
        var first = q
        first.body = .select(core)
        first.limit = Expr(.literal(.int(1)), at: p)  // the OFFSET, if any, stays: the row after it
        if let limit = q.limit, case .literal(.int(let n)) = limit.kind, n < 1 { return Expr(.literal(.bool(negated)), at: p) }
        let found = Expr(.function(name: "coalesce", args: [Expr(.scalarSubquery(first), at: p), Expr(.literal(.bool(false)), at: p)],
                                   distinct: false, star: false, clauses: .none), at: p)
        return negated ? Expr(.unary(op: .not, found), at: p) : found
    }

    /// Any other correlated EXISTS as a value: `(SELECT count(*) > 0 FROM (q))`.
    private func existsOverRows(_ q: SelectStatement, negated: Bool, at p: Int) -> Expr? {
        var alone = trialBinder()
        if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { return nil }  // uncorrelated
        var select = SelectCore()
        let count = Expr(.function(name: "count", args: [], distinct: false, star: true, clauses: .none), at: p)
        select.items = [(expr: Expr(.binary(op: .comparison(negated ? .equal : .greater), count, Expr(.literal(.int(0)), at: p)), at: p), alias: nil)]
        select.from = .subquery(q, alias: "\u{1}exists")
        return Expr(.scalarSubquery(SelectStatement(body: .select(select))), at: p)
    }

    /// A correlated `x [NOT] IN (q)` of another shape (grouped, set operations, a LIMIT) as a
    /// value with IN's three-valued answer, from aggregates over `q`'s rows, which the
    /// general unnesting takes per outer value:
    /// FALSE over no rows; TRUE when a row equals x; NULL when x or a row is NULL; else FALSE.
    private func inAsValue(_ probe: Expr, _ q: SelectStatement, negated: Bool, at p: Int) -> Expr? {
        var alone = trialBinder()
        if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { return nil }  // uncorrelated
        func call(_ name: String, _ args: [Expr], star: Bool = false) -> Expr {
            Expr(.function(name: name, args: args, distinct: false, star: star, clauses: .none), at: p)
        }
        func compare(_ op: ComparisonOperator, _ a: Expr, _ b: Expr) -> Expr { Expr(.binary(op: .comparison(op), a, b), at: p) }
        let y = Expr(.column(["\u{1}in", "\u{1}in_value"]), at: p)
        let zero = Expr(.literal(.int(0)), at: p)
        let rows = call("count", [], star: true)
        let answer = Expr(.caseWhen(operand: nil, whens: [
            (compare(.equal, rows, zero), Expr(.literal(.bool(false)), at: p)),
            (compare(.greater, call("count_if", [compare(.equal, y, probe)]), zero), Expr(.literal(.bool(true)), at: p)),
            (Expr(.binary(op: .logical(.or), Expr(.isNull(probe, negated: false), at: p), compare(.less, call("count", [y]), rows)), at: p),
             Expr(.literal(.null), at: p)),
        ], otherwise: Expr(.literal(.bool(false)), at: p)), at: p)
        var rowsOfQ = q
        rowsOfQ.columnAliases = ["\u{1}in_value"]
        var select = SelectCore()
        select.items = [(expr: answer, alias: nil)]
        select.from = .subquery(rowsOfQ, alias: "\u{1}in")
        let value = Expr(.scalarSubquery(SelectStatement(body: .select(select))), at: p)
        return negated ? Expr(.unary(op: .not, value), at: p) : value
    }

    /// A SELECT item with its expression rewritten, still named as written
    /// (`(movieId NOT IN (SELECT ...))`, not the rewrite's form).
    static func keepingName(_ item: (expr: Expr, alias: String?), _ rewritten: Expr) -> (expr: Expr, alias: String?) {
        if item.alias != nil || fingerprint(rewritten) == fingerprint(item.expr) { return (rewritten, item.alias) }
        return (rewritten, outputName(item.expr))
    }

    /// The FROM and WHERE of `q` when it is correlated (it does not bind alone) and plain
    /// (`SELECT <items> FROM ... [WHERE ...]`, no grouping, aggregates, ordering or limit);
    /// nil otherwise, leaving the predicate to the paths that report what they cannot take.
    private func plainCorrelated(_ q: SelectStatement, items: Int?) -> (TableRef, Expr?)? {
        guard q.ctes.isEmpty, case .select(let core) = q.body, q.orderBy.isEmpty, q.limit == nil, q.offset == nil,
              core.groupBy.isEmpty, core.having == nil, core.qualify == nil, let from = core.from,
              !core.items.contains(where: { Self.containsAggregate($0.expr) }) else { return nil }
        if let items, core.items.count != items { return nil }
        var alone = trialBinder()
        if case .success = Result(catching: { () throws(SQLError) in try alone.bind(q) }) { return nil }  // uncorrelated
        return (from, core.whereClause)
    }

    /// `e` with its column names qualified by their tables in `scope`, so that inside a
    /// subquery they still name the outer columns (an inner column of the same name would
    /// otherwise win).
    static func qualified(_ e: Expr, _ scope: Scope) -> Expr {
        e.rewritten { x in
            guard case .column(let parts) = x.kind, parts.count == 1, let i = try? scope.resolve(parts, at: 0),
                  let q = scope.columns[i].qualifier else { return nil }
            return Expr(.column([q, parts[0]]), at: x.position)
        }
    }
}
