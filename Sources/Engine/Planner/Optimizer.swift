// Plan rewrites that every query gets: filters pushed down (below joins, into scans as
// segment-skipping predicates) and columns pruned, so a scan decodes only the columns the
// query reads.

import Columnar

/// Rule-based plan rewrites, each applied once in this order.
package enum Optimizer {
    package static func optimize(_ plan: Plan) -> Plan {
        if case .subqueries(let main, let subqueries) = plan {
            return .subqueries(optimize(main), subqueries.map { q in
                var optimized = q
                optimized.plan = optimize(q.plan)
                return optimized
            })
        }
        var p = pushFlatten(pushFilters(reorderJoins(pushFilters(plan))))
        p = eagerAggregation(p)
        p = prune(p, required: nil).plan
        p = chooseBuildSides(p)
        p = distinctBuildKeys(p)
        p = topPerPartition(p)
        return distinctAsGrouping(p)
    }

    // MARK: Flatten pushdown

    /// `FLATTEN(join(L, R), f(R))` over an inner join becomes `join(L, FLATTEN(R, f))`: the
    /// list is split once per row of R (movies), not once per joined row (ratings). The
    /// output columns stay in the same order (L, R, value, index).
    static func pushFlatten(_ plan: Plan) -> Plan {
        switch plan {
        case .flatten(let child, let input):
            let c = pushFlatten(child)
            if case .join(let probe, let build, .inner, let pk, let bk, let residual) = c {
                let probeCount = probe.types.count
                let used = input.columnsUsed
                if !used.isEmpty && used.allSatisfy({ $0 >= probeCount }) {
                    let shift = Dictionary(uniqueKeysWithValues: used.map { ($0, $0 - probeCount) })
                    return .join(probe: probe, build: .flatten(build, input: input.remapped(shift)), kind: .inner, probeKeys: pk,
                                 buildKeys: bk, residual: residual)
                }
            }
            return .flatten(c, input: input)
        case .shared, .recursive: return plan
        default: return plan.replacingChildren(plan.children.map(pushFlatten))
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
        case .shared, .recursive: return plan
        default: return plan.replacingChildren(plan.children.map(pushFilters))
        }
    }

    private static func push(_ parts: [BoundExpr], into plan: Plan) -> Plan {
        switch plan {
        case .filter(let c, let p):
            // The inner filter's conditions first: a guard written there still runs before the
            // conditions it protects (AND evaluates its right side only where the left holds).
            return push(conjuncts(p) + parts, into: c)
        case .join(let probe, let build, let kind, let pk, let bk, let residual):
            // A side's own conditions go below the join where that keeps its answer: the probe's
            // unless its unmatched rows are kept with NULLs (a right or full join; semi and anti joins
            // keep or drop probe rows whole, so theirs go down), the build's in an inner or
            // cross join.
            let probeCount = probe.types.count
            var toProbe: [BoundExpr] = [], toBuild: [BoundExpr] = [], keep: [BoundExpr] = []
            for p in parts {
                let used = p.columnsUsed
                if kind != .right && kind != .full && !used.isEmpty && used.allSatisfy({ $0 < probeCount }) {
                    toProbe.append(p)
                } else if (kind == .inner || kind == .cross) && !used.isEmpty && used.allSatisfy({ $0 >= probeCount }) {
                    let shift = Dictionary(uniqueKeysWithValues: used.map { ($0, $0 - probeCount) })
                    toBuild.append(p.remapped(shift))
                } else {
                    keep.append(p)
                }
            }
            let joined = Plan.join(probe: toProbe.isEmpty ? probe : push(toProbe, into: probe),
                                   build: toBuild.isEmpty ? build : push(toBuild, into: build),
                                   kind: kind, probeKeys: pk, buildKeys: bk, residual: residual)
            return and(keep).map { .filter(joined, $0) } ?? joined
        case .asofJoin(let probe, let build, let match):
            // A probe row's match depends on its own values only, so the probe's conditions go
            // below (kept or not, a row keeps its match); the build's would change which row
            // is nearest and stay above.
            let probeCount = probe.types.count
            var toProbe: [BoundExpr] = [], keep: [BoundExpr] = []
            for p in parts {
                let used = p.columnsUsed
                if !used.isEmpty && used.allSatisfy({ $0 < probeCount }) { toProbe.append(p) } else { keep.append(p) }
            }
            let joined = Plan.asofJoin(probe: toProbe.isEmpty ? probe : push(toProbe, into: probe), build: build, match: match)
            return and(keep).map { .filter(joined, $0) } ?? joined
        case .scan(let table, let columns, let predicates):
            // Pushed twice (before and after join ordering), a test is kept once.
            let known = Set(predicates.map(\.description))
            let extra = scanPredicates(parts, columns: columns).filter { !known.contains($0.description) }
            let scan = Plan.scan(table: table, columns: columns, predicates: predicates + extra)
            return .filter(scan, and(parts)!)
        default:
            return .filter(plan, and(parts)!)
        }
    }

    /// The conditions among `parts` a scan can test against segment statistics: a column
    /// compared with a constant, `column IS NULL`.
    static func scanPredicates(_ parts: [BoundExpr], columns: [Int]) -> [ScanPredicate] {
        var extra: [ScanPredicate] = []
        for p in parts where p.columnsUsed.allSatisfy({ columns[$0] != TableScan.rowIdColumn }) {
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
        return extra
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
            for a in aggs { for e in a.expressions { used.formUnion(e.columnsUsed) } }
            let (c2, m) = prune(c, required: used)
            let newAggs = aggs.map { $0.mapExpressions { $0.remapped(m) } }
            return (.aggregate(c2, groups: groups.map { $0.remapped(m) }, aggregates: newAggs), identity(count))
        case .join(let probe, let build, let kind, let pk, let bk, let residual):
            let probeCount = probe.types.count
            var probeNeed = Set(need.filter { $0 < probeCount })
            var buildNeed = Set(need.filter { $0 >= probeCount }.map { $0 - probeCount })
            for k in pk { probeNeed.formUnion(k.columnsUsed) }
            for k in bk { buildNeed.formUnion(k.columnsUsed) }
            if let residual {
                for i in residual.columnsUsed { if i < probeCount { probeNeed.insert(i) } else { buildNeed.insert(i - probeCount) } }
            }
            let (p2, mp) = prune(probe, required: probeNeed)
            let (b2, mb) = prune(build, required: buildNeed)
            let newProbeCount = p2.types.count
            var combined = mp
            for (old, new) in mb { combined[old + probeCount] = new + newProbeCount }
            return (.join(probe: p2, build: b2, kind: kind, probeKeys: pk.map { $0.remapped(mp) }, buildKeys: bk.map { $0.remapped(mb) },
                          residual: residual?.remapped(combined)), kind.keepsProbeOnly ? mp : combined)
        case .asofJoin(let probe, let build, let match):
            let probeCount = probe.types.count
            var probeNeed = Set(need.filter { $0 < probeCount })
            var buildNeed = Set(need.filter { $0 >= probeCount }.map { $0 - probeCount })
            for k in match.probeKeys + [match.probeTime] { probeNeed.formUnion(k.columnsUsed) }
            for k in match.buildKeys + [match.buildTime] { buildNeed.formUnion(k.columnsUsed) }
            let (p2, mp) = prune(probe, required: probeNeed)
            let (b2, mb) = prune(build, required: buildNeed)
            let newProbeCount = p2.types.count
            var combined = mp
            for (old, new) in mb { combined[old + probeCount] = new + newProbeCount }
            let remapped = AsofMatch(keepsUnmatched: match.keepsUnmatched, probeKeys: match.probeKeys.map { $0.remapped(mp) },
                                     buildKeys: match.buildKeys.map { $0.remapped(mb) }, probeTime: match.probeTime.remapped(mp),
                                     op: match.op, buildTime: match.buildTime.remapped(mb))
            return (.asofJoin(probe: p2, build: b2, match: remapped), combined)
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
        case .limitPercent(let c, let percent, let offset):
            let (c2, m) = prune(c, required: need)
            return (.limitPercent(c2, percent: percent, offset: offset), m)
        case .distinct(let c):
            return (.distinct(prune(c, required: nil).plan), identity(count))
        case .union(let l, let r):
            return (.union(prune(l, required: nil).plan, prune(r, required: nil).plan), identity(count))
        case .window(let c, let windows):
            // Window expressions nobody reads are dropped; the input keeps what the rest and
            // the kept windows read.
            let inputCount = c.types.count
            let kept = need.filter { $0 >= inputCount }.sorted()
            var used = Set(need.filter { $0 < inputCount })
            for k in kept { for e in windows[k - inputCount].expressions { used.formUnion(e.columnsUsed) } }
            let (c2, m) = prune(c, required: used)
            guard !kept.isEmpty else { return (c2, m) }
            var map = m
            for (j, old) in kept.enumerated() { map[old] = c2.types.count + j }
            return (.window(c2, kept.map { windows[$0 - inputCount].mapExpressions { $0.remapped(m) } }), map)
        case .shared, .recursive, .workTable, .csvFile, .series:
            // Every column: the step of a recursive CTE reads all of its previous round.
            return (plan, identity(count))
        case .subqueries(let c, let subqueries):
            let (c2, m) = prune(c, required: need)
            return (.subqueries(c2, subqueries), m)
        }
    }
}
