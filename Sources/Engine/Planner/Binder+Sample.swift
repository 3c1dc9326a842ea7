// SAMPLE / TABLESAMPLE: a percentage keeps each row alone with that probability (Bernoulli;
// SYSTEM and BLOCK sample rows too), a row count keeps that many rows chosen uniformly (the
// smallest keys of a top-n). On a table the key is a hash of the seed and the row's id, so a
// SEED gives the same rows on every run and at any thread count, and a new random seed per
// statement gives a new sample; a view or subquery has no row ids, so its rows take random
// keys and a SEED is refused there, as in Snowflake.

import Columnar

extension Binder {
    mutating func bindSample(_ input: TableRef, _ clause: SampleClause, at position: Int) throws(SQLError) -> (Plan, Scope) {
        var plan: Plan, scope: Scope
        if case .table(_, _, let tablePosition) = input {
            let saved = rowIdPosition
            rowIdPosition = tablePosition
            defer { rowIdPosition = saved }
            (plan, scope) = try bindFrom(input)
        } else {
            (plan, scope) = try bindFrom(input)
        }
        let keyed = scope.columns.last?.name == Self.rowIdName && scope.hidden.last == true
        var seed = Int64.random(in: .min ... .max)
        if let s = clause.seed {
            guard keyed else {
                throw SQLError(.binder, "SAMPLE ... SEED needs a table: a view or subquery has no row ids to sample repeatably", at: s.position)
            }
            guard case .constant(.int(let v), _) = Self.fold(try bindExpr(s, Scope(), nil)) else {
                throw SQLError(.binder, "SAMPLE's SEED is an integer constant", at: s.position)
            }
            seed = v
        }
        let key: BoundExpr = keyed
            ? try Self.call("hash", [.constant(.int(seed), .int64), .column(index: scope.columns.count - 1, type: .int64, name: Self.rowIdName)])
            : try Self.call(HashFunctions.sampleRandom, [])
        var amount = 0.0, count: Int64 = 0
        switch Self.fold(try bindExpr(clause.amount, Scope(), nil)) {
        case .constant(.int(let v), _): amount = Double(v); count = v
        case .constant(.double(let v), _) where !clause.rows: amount = v
        default:
            throw SQLError(.binder, clause.rows ? "SAMPLE (n ROWS) takes a whole number of rows" : "SAMPLE takes a percentage between 0 and 100",
                           at: clause.amount.position)
        }
        if clause.rows {
            guard count >= 0 else { throw SQLError(.binder, "SAMPLE (n ROWS) takes a number of rows of at least 0", at: clause.amount.position) }
            // Past what a sort keeps as a top-n, sort every row (a sample that size is the input).
            let limit = count <= 1 << 24 ? Int(count) : nil
            plan = .sort(plan, keys: [SortKey(expr: key, descending: false, nullsFirst: false)], limit: limit)
            if let limit { plan = .limit(plan, limit: limit, offset: 0) }
        } else {
            guard amount >= 0, amount <= 100 else {
                throw SQLError(.binder, "SAMPLE takes a percentage between 0 and 100, not \(Value.format(amount))", at: clause.amount.position)
            }
            // The key's low 32 bits are uniform: keep the rows below the fraction of 2^32.
            let threshold = Int64((amount / 100 * 4_294_967_296).rounded())
            let low = try Self.call("bitand", [key, .constant(.int(0xFFFF_FFFF), .int64)])
            plan = .filter(plan, .comparison(.less, low, .constant(.int(threshold), .int64)))
        }
        guard keyed else { return (plan, scope) }
        // The row id was only the key.
        let kept = Array(scope.columns.indices.dropLast())
        plan = .project(plan, kept.map { .column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) },
                        names: kept.map { scope.columns[$0].name })
        return (plan, Scope(columns: kept.map { scope.columns[$0] }, hidden: kept.map { scope.hidden[$0] }))
    }
}
