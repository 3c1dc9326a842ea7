// `(a, b) [NOT] IN (SELECT x, y ...)`. As a WHERE condition IN is a semi join on every
// column pair: a row matches when each pair is equal, so a NULL on either side never matches;
// in a WHERE clause that is the standard's answer (NULL and FALSE both drop the row). NOT IN
// is the null-aware anti join of several keys (`RowNotInOperator`): a row stays only where the
// comparison with every subquery row is FALSE. A correlated one becomes EXISTS over the
// subquery's rows as a derived table: IN, a row whose every pair is equal; NOT IN, none that
// could be (every pair equal or NULL). Anywhere else (a SELECT item, under OR or NOT) the
// answer needs its three values: TRUE when a row matches, else NULL when one could, else
// FALSE, counted in one scalar subquery.

import Columnar

extension Binder {
    mutating func rowSemiJoin(_ plan: Plan, _ scope: Scope, row: [Expr], subquery q: SelectStatement, negated: Bool,
                              at position: Int) throws(SQLError) -> Plan {
        var sub = self
        let subPlan: Plan, subColumns: [PlanColumn]
        do throws(SQLError) {
            (subPlan, subColumns) = try sub.bind(q)
        } catch {
            // Correlated: [NOT] EXISTS over its rows.
            guard error.reason == .undefinedColumn else { throw error }
            try Self.checkRowWidth(row, q, at: position)
            let rows = Self.rowsMatching(row, q, maybe: negated, at: position)
            return try correlatedJoin(plan, scope, subquery: rows, probe: nil, negated: negated, outerWhere: nil, at: position, unbound: error)
        }
        guard subColumns.count == row.count else {
            throw SQLError(.binder, "a row of \(row.count) values is compared with a subquery of \(subColumns.count) columns", at: position)
        }
        var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = []
        for (i, item) in row.enumerated() {
            var key = try bindExpr(item, scope, nil)
            var subKey = BoundExpr.column(index: i, type: subColumns[i].type, name: subColumns[i].name)
            guard let t = Self.comparedType(&key, with: subPlan, column: i, subKey.type) else {
                throw SQLError(.type, "IN compares \(key.type) with \(subKey.type)", at: item.position)
            }
            if key.type != t { key = .cast(key, t) }
            if subKey.type != t { subKey = .cast(subKey, t) }
            probeKeys.append(key)
            buildKeys.append(subKey)
        }
        return .join(probe: plan, build: subPlan, kind: negated ? .nullAwareAnti : .semi, probeKeys: probeKeys, buildKeys: buildKeys, residual: nil)
    }
}

extension Binder {
    /// The alias of the derived table a row IN reads its subquery's rows from.
    static let rowInRows = "\u{1}rowin"

    /// How many columns `q` gives, when its SELECT list says so without binding (no `*`).
    static func selectWidth(_ body: QueryBody) -> Int? {
        switch body {
        case .select(let core):
            return core.items.contains { if case .star = $0.expr.kind { true } else { false } } ? nil : core.items.count
        case .union(let l, _, _), .unionByName(let l, _, _), .setOperation(let l, _, _, _): return selectWidth(l)
        case .values(let rows): return rows.first?.count
        }
    }

    /// Refuses a row compared with a subquery of another width, before any rewrite hides why.
    static func checkRowWidth(_ row: [Expr], _ q: SelectStatement, at p: Int) throws(SQLError) {
        if let width = selectWidth(q.body), width != row.count {
            throw SQLError(.binder, "a row of \(row.count) values is compared with a subquery of \(width) columns", at: p)
        }
    }

    /// `SELECT 1 FROM (q) WHERE` each of q's columns equals its value in `row` (or, with
    /// `maybe`, could: equal, or either side NULL).
    static func rowsMatching(_ row: [Expr], _ q: SelectStatement, maybe: Bool, at p: Int) -> SelectStatement {
        var core = rowsCore(row, q, at: p)
        core.items = [(expr: Expr(.literal(.int(1)), at: p), alias: nil)]
        core.whereClause = and(maybe ? possibleMatch(row, at: p) : match(row, at: p), at: p)
        return SelectStatement(body: .select(core))
    }

    /// `FROM (q) AS rowin(c0, c1, ...)`, the subquery's rows as a derived table.
    private static func rowsCore(_ row: [Expr], _ q: SelectStatement, at p: Int) -> SelectCore {
        var derived = q
        derived.columnAliases = row.indices.map { "\u{1}c\($0)" }
        var core = SelectCore()
        core.from = .subquery(derived, alias: rowInRows)
        return core
    }

    /// `rowin.ci = row[i]`, one per column.
    private static func match(_ row: [Expr], at p: Int) -> [Expr] {
        row.enumerated().map { i, value in
            let column = Expr(.column([rowInRows, "\u{1}c\(i)"]), at: value.position)
            return Expr(.binary(op: .comparison(.equal), column, value), at: value.position)
        }
    }

    /// `rowin.ci = row[i] OR rowin.ci IS NULL OR row[i] IS NULL`, one per column.
    private static func possibleMatch(_ row: [Expr], at p: Int) -> [Expr] {
        zip(row, match(row, at: p)).map { value, equal in
            guard case .binary(_, let column, _) = equal.kind else { return equal }
            return [column, value].reduce(equal) { condition, side in
                Expr(.binary(op: .logical(.or), condition, Expr(.isNull(side, negated: false), at: value.position)), at: value.position)
            }
        }
    }

    private static func and(_ conditions: [Expr], at p: Int) -> Expr {
        conditions.dropFirst().reduce(conditions[0]) { Expr(.binary(op: .logical(.and), $0, $1), at: p) }
    }

    /// `(a, b) [NOT] IN (q)` with its three values, for a place other than a WHERE conjunct,
    /// in one pass over q's rows that could match: TRUE when one of them does, else NULL when
    /// there is one, else FALSE (NOT IN: its negation). That is `(SELECT CASE WHEN
    /// COUNT_IF(m) > 0 THEN TRUE WHEN COUNT(*) > 0 THEN NULL ELSE FALSE END FROM (SELECT
    /// match AS m FROM (q) WHERE possible match))`, a scalar subquery however it is correlated.
    static func rowInExpression(_ row: [Expr], _ q: SelectStatement, negated: Bool, at p: Int) -> Expr {
        func call(_ name: String, _ args: [Expr]) -> Expr {
            Expr(.function(name: name, args: args, distinct: false, star: args.isEmpty, clauses: .none), at: p)
        }
        func positive(_ count: Expr) -> Expr {
            Expr(.binary(op: .comparison(.greater), count, Expr(.literal(.int(0)), at: p)), at: p)
        }
        var candidates = rowsCore(row, q, at: p)
        candidates.items = [(expr: and(match(row, at: p), at: p), alias: "m")]
        candidates.whereClause = and(possibleMatch(row, at: p), at: p)
        let matches = call("count_if", [Expr(.column(["\u{1}candidates", "m"]), at: p)])
        let answer = Expr(.caseWhen(operand: nil, whens: [(positive(matches), Expr(.literal(.bool(true)), at: p)),
                                                          (positive(call("count", [])), Expr(.cast(Expr(.literal(.null), at: p), .boolean), at: p))],
                                    otherwise: Expr(.literal(.bool(false)), at: p)), at: p)
        var core = SelectCore()
        core.items = [(expr: answer, alias: nil)]
        core.from = .subquery(SelectStatement(body: .select(candidates)), alias: "\u{1}candidates")
        let value = Expr(.scalarSubquery(SelectStatement(body: .select(core))), at: p)
        return negated ? Expr(.unary(op: .not, value), at: p) : value
    }

    /// `core` with each row IN that is not a WHERE conjunct in its three-valued form.
    static func rewritingRowIn(_ core: SelectCore, orderBy: [OrderItem]) throws(SQLError) -> (SelectCore, [OrderItem]) {
        var failure: SQLError?
        func threeValued(_ e: Expr) -> Expr {
            e.rewritten { x in
                guard case .inSubquery(let probe, let q, let negated) = x.kind, let row = Parser.rowItems(probe) else { return nil }
                do throws(SQLError) { try checkRowWidth(row, q, at: x.position) } catch { failure = failure ?? error }
                return rowInExpression(row.map(threeValued), q, negated: negated, at: x.position)
            }
        }
        func contains(_ e: Expr) -> Bool {
            e.contains { x in
                if case .inSubquery(let probe, _, _) = x.kind { return Parser.rowItems(probe) != nil }
                return false
            }
        }
        var core = core
        guard core.items.contains(where: { contains($0.expr) }) || core.whereClause.map(contains) == true
            || core.having.map(contains) == true || core.qualify.map(contains) == true || orderBy.contains(where: { contains($0.expr) })
        else { return (core, orderBy) }
        core.items = core.items.map { (expr: threeValued($0.expr), alias: $0.alias ?? (contains($0.expr) ? outputName($0.expr) : nil)) }
        if let w = core.whereClause {
            // A conjunct stays as it is: the semi or anti join.
            core.whereClause = conjuncts(w).map { c -> Expr in
                if case .inSubquery(let probe, _, _) = c.kind, Parser.rowItems(probe) != nil { return c }
                return threeValued(c)
            }.reduce(nil as Expr?) { acc, c in acc.map { Expr(.binary(op: .logical(.and), $0, c), at: c.position) } ?? c }
        }
        core.having = core.having.map(threeValued)
        core.qualify = core.qualify.map(threeValued)
        let order = orderBy.map { OrderItem(expr: threeValued($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }
        if let failure { throw failure }
        return (core, order)
    }
}
