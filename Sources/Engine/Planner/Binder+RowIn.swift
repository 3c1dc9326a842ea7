// `(a, b) [NOT] IN (SELECT x, y ...)` as a WHERE condition. IN is a semi join on every column
// pair: a row matches when each pair is equal, so a NULL on either side never matches; in a
// WHERE clause that is the standard's answer (NULL and FALSE both drop the row). NOT IN is the
// null-aware anti join of several keys (`RowNotInOperator`): a row stays only where the
// comparison with every subquery row is FALSE. A correlated row subquery, and a row IN
// anywhere else, would need the three-valued answer row by row: they are refused with the
// way to write them.

import Columnar

extension Binder {
    mutating func rowSemiJoin(_ plan: Plan, _ scope: Scope, row: [Expr], subquery q: SelectStatement, negated: Bool,
                              at position: Int) throws(SQLError) -> Plan {
        var sub = self
        let subPlan: Plan, subColumns: [PlanColumn]
        do throws(SQLError) {
            (subPlan, subColumns) = try sub.bind(q)
        } catch {
            throw SQLError(.unsupported, "(a, b) \(negated ? "NOT IN" : "IN") (SELECT ...) must be uncorrelated; write \(negated ? "NOT " : "")EXISTS (SELECT ... WHERE x = a AND y = b) (\(error.message))",
                           at: position)
        }
        guard subColumns.count == row.count else {
            throw SQLError(.binder, "a row of \(row.count) values is compared with a subquery of \(subColumns.count) columns", at: position)
        }
        var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = []
        for (i, item) in row.enumerated() {
            var key = try bindExpr(item, scope, nil)
            if case .nullLiteral = key { key = .constant(.null, subColumns[i].type) }
            var subKey = BoundExpr.column(index: i, type: subColumns[i].type, name: subColumns[i].name)
            guard let t = TypeRules.common(key.type, subKey.type) else {
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
