// ASOF JOIN binding: the ON conditions (Snowflake's MATCH_CONDITION and ON together) become
// key equalities and the one inequality between the times, each oriented left op right; the
// join runs as `Plan.asofJoin` (see `AsofJoinOperator`).

import Columnar

extension Binder {
    /// `left ASOF [LEFT] JOIN right ON ...` or `USING (keys..., time)`.
    mutating func asofJoin(_ left: (plan: Plan, scope: Scope), _ right: TableRef, keepsUnmatched: Bool, on: Expr?, using: [String])
        throws(SQLError) -> (Plan, Scope) {
        let (ls, leftCount) = (left.scope, left.scope.columns.count)
        let (rp, rsRaw) = try bindFrom(right)
        var rs = rsRaw
        var keys: [(BoundExpr, BoundExpr)] = []
        var time: (left: BoundExpr, op: ComparisonOperator, right: BoundExpr)? = nil
        let position = on?.position ?? 0

        if !using.isEmpty {
            // DuckDB: every name but the last is an equality, the last is left >= right.
            for (i, name) in using.enumerated() {
                let li = try ls.resolve([name], at: position), ri = try rs.resolve([name], at: position)
                let l = BoundExpr.column(index: li, type: ls.columns[li].type, name: name)
                let r = BoundExpr.column(index: ri, type: rs.columns[ri].type, name: name)
                if i == using.count - 1 {
                    let t = try timeType(l.type, r.type, at: position)
                    time = (l.type == t ? l : .cast(l, t), .greaterOrEqual, r.type == t ? r : .cast(r, t))
                } else {
                    keys.append(try coerceKeys(l, r))
                }
                rs.hidden[ri] = true  // `*` shows the left's; `right.name` still reads the right's
            }
        } else if let on {
            let combined = ls + rs
            let shift = Dictionary(uniqueKeysWithValues: (leftCount..<combined.columns.count).map { ($0, $0 - leftCount) })
            for conjunct in Self.conjuncts(on) {
                let b = try bindExpr(conjunct, combined, nil)
                guard case .comparison(let op, let a, let c) = b, op != .notEqual else {
                    throw SQLError(.binder, "an ASOF JOIN condition is equalities and one comparison (>=, >, <=, <) between the two sides",
                                   at: conjunct.position)
                }
                let ua = a.columnsUsed, uc = c.columnsUsed
                let aLeft = !ua.isEmpty && ua.allSatisfy { $0 < leftCount }, aRight = !ua.isEmpty && ua.allSatisfy { $0 >= leftCount }
                let cLeft = !uc.isEmpty && uc.allSatisfy { $0 < leftCount }, cRight = !uc.isEmpty && uc.allSatisfy { $0 >= leftCount }
                guard (aLeft && cRight) || (aRight && cLeft) else {
                    throw SQLError(.binder, "each side of an ASOF JOIN condition reads one table, one the left and one the right",
                                   at: conjunct.position)
                }
                let (l, r, o) = aLeft ? (a, c.remapped(shift), op) : (c, a.remapped(shift), op.flipped)
                if o == .equal {
                    keys.append(try coerceKeys(l, r))
                } else {
                    guard time == nil else {
                        throw SQLError(.binder, "an ASOF JOIN takes one inequality (>=, >, <=, <), not two", at: conjunct.position)
                    }
                    let t = try timeType(l.type, r.type, at: conjunct.position)
                    time = (l.type == t ? l : .cast(l, t), o, r.type == t ? r : .cast(r, t))
                }
            }
        }
        guard let time else {
            throw SQLError(.binder, "an ASOF JOIN needs one inequality between the times (left.t >= right.t)", at: position)
        }
        let match = AsofMatch(keepsUnmatched: keepsUnmatched, probeKeys: keys.map(\.0), buildKeys: keys.map(\.1),
                              probeTime: time.left, op: time.op, buildTime: time.right)
        return (.asofJoin(probe: left.plan, build: rp, match: match), ls + rs)
    }

    /// The type both times are compared in: one the operator orders as integers or doubles.
    private func timeType(_ a: LogicalType, _ b: LogicalType, at position: Int) throws(SQLError) -> LogicalType {
        guard let t = TypeRules.common(a, b) else {
            throw SQLError(.type, "cannot compare \(a) with \(b) in an ASOF JOIN", at: position)
        }
        guard t.isInteger || t == .double else {
            throw SQLError(.unsupported, "an ASOF JOIN compares numbers, dates or timestamps, not \(t)", at: position)
        }
        return t
    }
}
