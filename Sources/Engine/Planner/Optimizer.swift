// Plan rewrites that every query gets: filters pushed down (below joins, into scans as
// segment-skipping predicates) and columns pruned, so a scan decodes only the columns the
// query reads.

import Columnar

/// Rule-based plan rewrites.
public enum Optimizer {
    public static func optimize(_ plan: Plan) -> Plan {
        prune(eagerAggregation(pushFlatten(pushFilters(plan))), required: nil).plan
    }

    // MARK: Flatten pushdown

    /// `FLATTEN(join(L, R), f(R))` over an inner join becomes `join(L, FLATTEN(R, f))`: the
    /// list is split once per row of R (movies), not once per joined row (ratings). The
    /// output columns stay in the same order (L, R, value, index).
    static func pushFlatten(_ plan: Plan) -> Plan {
        switch plan {
        case .flatten(let child, let input):
            let c = pushFlatten(child)
            if case .join(let l, let r, .inner, let lk, let rk, let residual) = c {
                let leftCount = l.types.count
                let used = input.columnsUsed
                if !used.isEmpty && used.allSatisfy({ $0 >= leftCount }) {
                    let shift = Dictionary(uniqueKeysWithValues: used.map { ($0, $0 - leftCount) })
                    return .join(l, .flatten(r, input: input.remapped(shift)), kind: .inner, leftKeys: lk, rightKeys: rk, residual: residual)
                }
            }
            return .flatten(c, input: input)
        case .scan, .values: return plan
        case .filter(let c, let p): return .filter(pushFlatten(c), p)
        case .project(let c, let e, let n): return .project(pushFlatten(c), e, names: n)
        case .aggregate(let c, let g, let a): return .aggregate(pushFlatten(c), groups: g, aggregates: a)
        case .join(let l, let r, let k, let lk, let rk, let res): return .join(pushFlatten(l), pushFlatten(r), kind: k, leftKeys: lk, rightKeys: rk, residual: res)
        case .sort(let c, let k, let l): return .sort(pushFlatten(c), keys: k, limit: l)
        case .limit(let c, let l, let o): return .limit(pushFlatten(c), limit: l, offset: o)
        case .distinct(let c): return .distinct(pushFlatten(c))
        case .union(let l, let r): return .union(pushFlatten(l), pushFlatten(r))
        case .shared: return plan
        }
    }

    // MARK: Filter pushdown

    static func conjuncts(_ e: BoundExpr) -> [BoundExpr] {
        var out: [BoundExpr] = []
        func walk(_ e: BoundExpr) {
            if case .logical(.and, let a, let b) = e { walk(a); walk(b) } else { out.append(e) }
        }
        walk(e)
        return out
    }

    static func and(_ parts: [BoundExpr]) -> BoundExpr? {
        BoundExpr.conjunction(parts)
    }

    static func pushFilters(_ plan: Plan) -> Plan {
        switch plan {
        case .filter(let child, let predicate):
            return push(conjuncts(predicate), into: pushFilters(child))
        case .scan, .values: return plan
        case .project(let c, let e, let n): return .project(pushFilters(c), e, names: n)
        case .aggregate(let c, let g, let a): return .aggregate(pushFilters(c), groups: g, aggregates: a)
        case .join(let l, let r, let k, let lk, let rk, let res): return .join(pushFilters(l), pushFilters(r), kind: k, leftKeys: lk, rightKeys: rk, residual: res)
        case .flatten(let c, let i): return .flatten(pushFilters(c), input: i)
        case .sort(let c, let k, let l): return .sort(pushFilters(c), keys: k, limit: l)
        case .limit(let c, let l, let o): return .limit(pushFilters(c), limit: l, offset: o)
        case .distinct(let c): return .distinct(pushFilters(c))
        case .union(let l, let r): return .union(pushFilters(l), pushFilters(r))
        case .shared: return plan
        }
    }

    private static func push(_ parts: [BoundExpr], into plan: Plan) -> Plan {
        switch plan {
        case .filter(let c, let p):
            // The inner filter's conditions first: a guard written there still runs before the
            // conditions it protects (AND evaluates its right side only where the left holds).
            return push(conjuncts(p) + parts, into: c)
        case .join(let l, let r, let kind, let lk, let rk, let residual) where kind != .anti && kind != .nullAwareAnti:
            let leftCount = l.types.count
            var toLeft: [BoundExpr] = [], toRight: [BoundExpr] = [], keep: [BoundExpr] = []
            for p in parts {
                let used = p.columnsUsed
                if !used.isEmpty && used.allSatisfy({ $0 < leftCount }) {
                    toLeft.append(p)
                } else if (kind == .inner || kind == .cross) && !used.isEmpty && used.allSatisfy({ $0 >= leftCount }) {
                    let shift = Dictionary(uniqueKeysWithValues: used.map { ($0, $0 - leftCount) })
                    toRight.append(p.remapped(shift))
                } else {
                    keep.append(p)
                }
            }
            let newLeft = toLeft.isEmpty ? l : push(toLeft, into: l)
            let newRight = toRight.isEmpty ? r : push(toRight, into: r)
            let joined = Plan.join(newLeft, newRight, kind: kind, leftKeys: lk, rightKeys: rk, residual: residual)
            return and(keep).map { .filter(joined, $0) } ?? joined
        case .scan(let table, let columns, let predicates):
            var extra: [ScanPredicate] = []
            for p in parts {
                if case .comparison(let op, let a, let b) = p {
                    if case .column(let i, _, _) = a, case .constant(let v, _) = b, !v.isNull {
                        extra.append(ScanPredicate(column: columns[i], test: .compare(op, v)))
                    } else if case .constant(let v, _) = a, case .column(let i, _, _) = b, !v.isNull {
                        extra.append(ScanPredicate(column: columns[i], test: .compare(op.flipped, v)))
                    }
                }
                // x IS NULL skips row groups without NULLs (a not_null data test reads nothing).
                if case .isNull(.column(let i, _, _), negated: false) = p {
                    extra.append(ScanPredicate(column: columns[i], test: .isNull))
                }
            }
            let scan = Plan.scan(table: table, columns: columns, predicates: predicates + extra)
            return .filter(scan, and(parts)!)
        default:
            return .filter(plan, and(parts)!)
        }
    }

    // MARK: Column pruning

    /// Keeps only the `required` output columns (nil: all) where that saves work; returns
    /// the new plan and where each kept old output column now is.
    static func prune(_ plan: Plan, required: Set<Int>?) -> (plan: Plan, map: [Int: Int]) {
        let count = plan.types.count
        let need = required ?? Set(0..<count)
        func identity(_ n: Int) -> [Int: Int] { Dictionary(uniqueKeysWithValues: (0..<n).map { ($0, $0) }) }
        switch plan {
        case .scan(let table, let columns, let predicates):
            let kept = need.sorted()
            guard !kept.isEmpty else {
                // Something must be read to know the row count: the narrowest column.
                return (.scan(table: table, columns: [columns.first ?? 0], predicates: predicates), [:])
            }
            return (.scan(table: table, columns: kept.map { columns[$0] }, predicates: predicates),
                    Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) }))
        case .values:
            return (plan, identity(count))
        case .filter(let c, let p):
            let (c2, m) = prune(c, required: need.union(p.columnsUsed))
            return (.filter(c2, p.remapped(m)), m)
        case .project(let c, let exprs, let names):
            let kept = need.sorted()
            let used = kept.reduce(into: Set<Int>()) { $0.formUnion(exprs[$1].columnsUsed) }
            let (c2, m) = prune(c, required: used)
            return (.project(c2, kept.map { exprs[$0].remapped(m) }, names: kept.map { names[$0] }),
                    Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) }))
        case .aggregate(let c, let groups, let aggs):
            var used = Set<Int>()
            for g in groups { used.formUnion(g.columnsUsed) }
            for a in aggs { if let e = a.argument { used.formUnion(e.columnsUsed) } }
            let (c2, m) = prune(c, required: used)
            let newAggs = aggs.map { a -> AggregateCall in
                var b = a
                b.argument = a.argument?.remapped(m)
                return b
            }
            return (.aggregate(c2, groups: groups.map { $0.remapped(m) }, aggregates: newAggs), identity(count))
        case .join(let l, let r, let kind, let lk, let rk, let residual):
            let leftCount = l.types.count
            var leftNeed = Set(need.filter { $0 < leftCount })
            var rightNeed = Set(need.filter { $0 >= leftCount }.map { $0 - leftCount })
            for k in lk { leftNeed.formUnion(k.columnsUsed) }
            for k in rk { rightNeed.formUnion(k.columnsUsed) }
            if let residual {
                for i in residual.columnsUsed { if i < leftCount { leftNeed.insert(i) } else { rightNeed.insert(i - leftCount) } }
            }
            let (l2, ml) = prune(l, required: leftNeed)
            let (r2, mr) = prune(r, required: rightNeed)
            let newLeftCount = l2.types.count
            var combined = ml
            for (old, new) in mr { combined[old + leftCount] = new + newLeftCount }
            return (.join(l2, r2, kind: kind, leftKeys: lk.map { $0.remapped(ml) }, rightKeys: rk.map { $0.remapped(mr) },
                          residual: residual?.remapped(combined)), kind.keepsLeftOnly ? ml : combined)
        case .flatten(let c, let input):
            let childCount = c.types.count
            let neededAbove = Set(need.filter { $0 < childCount })
            let (c2, m) = prune(c, required: neededAbove.union(input.columnsUsed))
            let newCount = c2.types.count
            let flattened = Plan.flatten(c2, input: input.remapped(m))
            // Columns read only by the input are dropped after flattening, so they are not
            // copied once per element.
            let keep = neededAbove.sorted()
            if keep.count + 2 < newCount + 2 && keep.count < newCount {
                let types = flattened.types
                var exprs: [BoundExpr] = keep.map { .column(index: m[$0]!, type: types[m[$0]!], name: "") }
                exprs.append(.column(index: newCount, type: .varchar, name: "value"))
                exprs.append(.column(index: newCount + 1, type: .int64, name: "index"))
                var map: [Int: Int] = [:]
                for (i, old) in keep.enumerated() { map[old] = i }
                map[childCount] = keep.count
                map[childCount + 1] = keep.count + 1
                return (.project(flattened, exprs, names: exprs.map(\.description)), map)
            }
            var map = m
            map[childCount] = newCount
            map[childCount + 1] = newCount + 1
            return (flattened, map)
        case .sort(let c, let keys, let limit):
            var used = need
            for k in keys { used.formUnion(k.expr.columnsUsed) }
            let (c2, m) = prune(c, required: used)
            return (.sort(c2, keys: keys.map { SortKey(expr: $0.expr.remapped(m), descending: $0.descending, nullsFirst: $0.nullsFirst) },
                          limit: limit), m)
        case .limit(let c, let limit, let offset):
            let (c2, m) = prune(c, required: need)
            return (.limit(c2, limit: limit, offset: offset), m)
        case .distinct(let c):
            return (.distinct(prune(c, required: nil).plan), identity(count))
        case .union(let l, let r):
            return (.union(prune(l, required: nil).plan, prune(r, required: nil).plan), identity(count))
        case .shared:
            return (plan, identity(count))
        }
    }
}
