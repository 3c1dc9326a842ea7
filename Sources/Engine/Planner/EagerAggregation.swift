// Eager aggregation: `GROUP BY` over an inner join whose aggregates all read the larger side
// aggregates that side by its join keys first, then joins the (few) partial rows and
// combines them. `dim_movies JOIN fct_ratings GROUP BY movie_id, movie_title` then groups 25M
// ratings by an integer and joins 62K partial rows, instead of copying a title into each of
// 25M joined rows and grouping by text. Valid because every row of one pre-aggregated group
// carries the same join key, so it meets exactly the same rows of the other side.

import Columnar

extension Optimizer {
    static func eagerAggregation(_ plan: Plan) -> Plan {
        switch plan {
        case .aggregate(let child, let groups, let aggs):
            let c = eagerAggregation(child)
            return rewrite(c, groups: groups, aggs: aggs) ?? .aggregate(c, groups: groups, aggregates: aggs)
        case .shared, .recursive: return plan
        default: return plan.replacingChildren(plan.children.map(eagerAggregation))
        }
    }

    private static func rewrite(_ child: Plan, groups: [BoundExpr], aggs: [AggregateCall]) -> Plan? {
        guard case .join(let l, let r, .inner, let lk, let rk, nil) = child, !lk.isEmpty, !aggs.isEmpty else { return nil }
        guard aggs.allSatisfy({ !$0.distinct && $0.function.isBasic && $0.filter == nil }) else { return nil }
        let leftCount = l.types.count, total = child.types.count
        // The side every aggregate reads becomes the pre-aggregated one; it must be the big side.
        let rightSide = (leftCount..<total)
        let readsRight = aggs.allSatisfy { a in a.argument.map { $0.columnsUsed.allSatisfy(rightSide.contains) } ?? true }
        let readsLeft = aggs.allSatisfy { a in a.argument.map { $0.columnsUsed.allSatisfy { $0 < leftCount } } ?? true }
        let preRight: Bool
        if readsRight && Cardinality.estimate(r) >= 8 * Cardinality.estimate(l) { preRight = true }
        else if readsLeft && Cardinality.estimate(l) >= 8 * Cardinality.estimate(r) { preRight = false }
        else { return nil }
        let (big, small) = preRight ? (r, l) : (l, r)
        let bigKeys = preRight ? rk : lk, smallKeys = preRight ? lk : rk
        let bigOffset = preRight ? leftCount : 0
        let bigRange = preRight ? leftCount..<total : 0..<leftCount
        // Worth it only when the big side has few distinct join keys: grouping 25M ratings by
        // (userId, movieId), a key per row, would only copy them. Integer keys are judged by
        // their ranges; several keys need known ranges.
        var keySpace = 1.0
        for e in bigKeys {
            guard case .column(let i, _, _) = e, e.type.isInteger, let range = KeyStatistics.columnRange(big, i) else {
                if bigKeys.count > 1 { return nil }
                continue
            }
            keySpace *= Double(range.upperBound) - Double(range.lowerBound) + 1
        }
        if keySpace * 4 > Cardinality.estimate(big) { return nil }
        // Group keys from the big side must be its join keys (then they are the partial's keys).
        var keyOfBigColumn: [Int: Int] = [:]
        for (k, e) in bigKeys.enumerated() {
            guard case .column(let i, _, _) = e else { return nil }
            keyOfBigColumn[i + bigOffset] = k
        }
        for g in groups where g.columnsUsed.contains(where: bigRange.contains) {
            guard case .column(let i, _, _) = g, keyOfBigColumn[i] != nil else { return nil }
        }
        // Partial aggregates over the big side (its columns renumbered from 0).
        let toBig = Dictionary(uniqueKeysWithValues: bigRange.map { ($0, $0 - bigOffset) })
        var partials: [AggregateCall] = []
        var plans: [(function: AggregateCall.Function, columns: [Int], type: LogicalType)] = []
        for a in aggs {
            let arg = a.argument?.remapped(toBig)
            let base = bigKeys.count + partials.count
            switch a.function {
            case .countStar:
                partials.append(AggregateCall(function: .countStar, argument: nil, distinct: false, type: .int64))
                plans.append((.sum, [base], .int64))
            case .count:
                partials.append(AggregateCall(function: .count, argument: arg, distinct: false, type: .int64))
                plans.append((.sum, [base], .int64))
            case .sum, .min, .max:
                partials.append(AggregateCall(function: a.function, argument: arg, distinct: false, type: a.type))
                plans.append((a.function, [base], a.type))
            case .avg:
                guard let arg else { return nil }
                let sumType: LogicalType = arg.type == .double ? .double : .int64
                partials.append(AggregateCall(function: .sum, argument: arg, distinct: false, type: sumType))
                partials.append(AggregateCall(function: .count, argument: arg, distinct: false, type: .int64))
                plans.append((.avg, [base, base + 1], .double))
            default:
                return nil
            }
        }
        let partialPlan = Plan.aggregate(big, groups: bigKeys, aggregates: partials)
        let partialTypes = partialPlan.types
        let partialKeys = bigKeys.indices.map { BoundExpr.column(index: $0, type: partialTypes[$0], name: "") }
        // The new join keeps the small side where it was.
        let smallCount = small.types.count
        let join: Plan = preRight
            ? .join(probe: small, build: partialPlan, kind: .inner, probeKeys: smallKeys, buildKeys: partialKeys, residual: nil)
            : .join(probe: partialPlan, build: small, kind: .inner, probeKeys: partialKeys, buildKeys: smallKeys, residual: nil)
        let partialOffset = preRight ? smallCount : 0
        let smallOffset = preRight ? 0 : partialTypes.count
        // Groups: small-side columns move with the small side; big-side keys read the partial's keys.
        var moveSmall: [Int: Int] = [:]
        let smallRange = preRight ? 0..<leftCount : leftCount..<total
        for i in smallRange { moveSmall[i] = i - (preRight ? 0 : leftCount) + smallOffset }
        let newGroups = groups.map { g -> BoundExpr in
            if case .column(let i, let t, let n) = g, let k = keyOfBigColumn[i] { return .column(index: partialOffset + k, type: t, name: n) }
            return g.remapped(moveSmall)
        }
        // Final aggregates combine the partials.
        var finals: [AggregateCall] = []
        var outputs: [BoundExpr] = newGroups.indices.map { .column(index: $0, type: newGroups[$0].type, name: "") }
        for p in plans {
            func col(_ c: Int) -> BoundExpr { .column(index: partialOffset + c, type: partialTypes[c], name: "") }
            if p.function == .avg {
                finals.append(AggregateCall(function: .sum, argument: col(p.columns[0]), distinct: false, type: partialTypes[p.columns[0]]))
                finals.append(AggregateCall(function: .sum, argument: col(p.columns[1]), distinct: false, type: .int64))
                let s = BoundExpr.column(index: newGroups.count + finals.count - 2, type: partialTypes[p.columns[0]], name: "")
                let n = BoundExpr.column(index: newGroups.count + finals.count - 1, type: .int64, name: "")
                let sd: BoundExpr = s.type == .double ? s : .cast(s, .double)
                outputs.append(.caseWhen(whens: [(.comparison(.equal, n, .constant(.int(0), .int64)), .constant(.null, .double))],
                                         otherwise: .arithmetic(.divide, sd, .cast(n, .double), .double), .double))
            } else {
                finals.append(AggregateCall(function: p.function, argument: col(p.columns[0]), distinct: false, type: p.type))
                let out = BoundExpr.column(index: newGroups.count + finals.count - 1, type: p.type, name: "")
                // COUNT over the partials' counts: never NULL.
                if p.function == .sum && p.type == .int64 && p.columns.count == 1
                    && [AggregateCall.Function.countStar, .count].contains(partials[p.columns[0] - bigKeys.count].function) {
                    guard let zeroed = try? Binder.call("coalesce", [out, .constant(.int(0), .int64)]) else { return nil }
                    outputs.append(zeroed)
                } else {
                    outputs.append(out)
                }
            }
        }
        let final = Plan.aggregate(join, groups: newGroups, aggregates: finals)
        return .project(final, outputs, names: (groups.map(\.description) + aggs.map(\.description)))
    }
}
