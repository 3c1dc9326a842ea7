// UNION [ALL] BY NAME: the output has the left side's columns in their order, then the
// right side's columns the left does not have; each side is projected onto that list by
// (case-insensitive) name, NULL where it lacks the column, and the two are a plain UNION.

import Columnar

extension Binder {
    mutating func bindUnionByName(_ l: QueryBody, _ r: QueryBody, all: Bool) throws(SQLError) -> (Plan, Scope) {
        let (lp, ls) = try bindBody(l)
        let (rp, rs) = try bindBody(r)
        func visible(_ s: Scope) -> [Int] { s.columns.indices.filter { !s.hidden[$0] } }
        func index(_ s: Scope) throws(SQLError) -> [String: Int] {
            var out: [String: Int] = [:]
            for i in visible(s) {
                let name = s.columns[i].name.lowercased()
                guard out[name] == nil else {
                    throw SQLError(.binder, "UNION BY NAME: a side has two columns named \(s.columns[i].name)", reason: .ambiguousColumn)
                }
                out[name] = i
            }
            return out
        }
        let left = try index(ls), right = try index(rs)
        var names = visible(ls).map { ls.columns[$0].name }
        names += visible(rs).map { rs.columns[$0].name }.filter { left[$0.lowercased()] == nil }
        var types: [LogicalType] = []
        for name in names {
            let a = left[name.lowercased()].map { ls.columns[$0].type }, b = right[name.lowercased()].map { rs.columns[$0].type }
            switch (a, b) {
            case let (a?, b?):
                guard let t = TypeRules.common(a, b) else { throw SQLError(.type, "UNION BY NAME column \(name) has types \(a) and \(b)") }
                types.append(t)
            case let (a?, nil): types.append(a)
            case let (nil, b?): types.append(b)
            default: types.append(.varchar)
            }
        }
        func aligned(_ p: Plan, _ s: Scope, _ positions: [String: Int]) -> Plan {
            .project(p, names.indices.map { k in
                guard let i = positions[names[k].lowercased()] else { return .constant(.null, types[k]) }
                let column = BoundExpr.column(index: i, type: s.columns[i].type, name: s.columns[i].name)
                return column.type == types[k] ? column : .cast(column, types[k])
            }, names: names)
        }
        var plan = Plan.union(aligned(lp, ls, left), aligned(rp, rs, right))
        if !all { plan = .distinct(plan) }
        return (plan, Scope(columns: zip(names, types).map { PlanColumn(name: $0, type: $1, qualifier: nil) }))
    }
}
