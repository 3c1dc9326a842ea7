// Join rules, decided once here so the physical planner only maps: which input of a hash
// join is built (the smaller, by estimate), semi and anti joins built on their distinct
// keys, and DISTINCT run as a grouping without aggregates (so it runs on every core).

import Columnar

extension Optimizer {
    /// Inner and outer joins build on the smaller input. Swapping the inputs of a left join
    /// makes it a right join (the built rows without a partner are kept) and the other way
    /// round; a full join stays one. A projection puts the columns back in the order the
    /// query expects.
    static func chooseBuildSides(_ plan: Plan) -> Plan {
        plan.transformUp { node in
            let swapped: [JoinKind: JoinKind] = [.inner: .inner, .left: .right, .right: .left, .full: .full]
            guard case .join(let probe, let build, let kind, let pk, let bk, let residual) = node, let flipped = swapped[kind],
                  Cardinality.estimate(probe) < Cardinality.estimate(build) else { return node }
            let probeCount = probe.types.count, buildCount = build.types.count
            var swap: [Int: Int] = [:]
            for i in 0..<probeCount { swap[i] = i + buildCount }
            for i in 0..<buildCount { swap[i + probeCount] = i }
            let joined = Plan.join(probe: build, build: probe, kind: flipped, probeKeys: bk, buildKeys: pk,
                                   residual: residual?.remapped(swap))
            let types = build.types + probe.types
            let reorder = (0..<(probeCount + buildCount)).map { i -> BoundExpr in .column(index: swap[i]!, type: types[swap[i]!], name: "") }
            return .project(joined, reorder, names: reorder.map(\.description))
        }
    }

    /// A semi or anti join only asks whether a key occurs: over a large input it builds on
    /// the distinct keys (a parallel grouping), not on every row.
    static func distinctBuildKeys(_ plan: Plan) -> Plan {
        plan.transformUp { node in
            // A row NOT IN hashes the distinct keys itself (`RowNotInOperator`).
            guard case .join(let probe, let build, let kind, let pk, let bk, nil) = node, kind.keepsProbeOnly, !bk.isEmpty,
                  !(kind == .nullAwareAnti && bk.count > 1),
                  Cardinality.estimate(build) > 100_000, !Cardinality.isDistinctKeys(build, bk) else { return node }
            let keyColumns = bk.enumerated().map { BoundExpr.column(index: $0, type: $1.type, name: "") }
            let keys = Plan.aggregate(.project(build, bk, names: bk.map(\.description)), groups: keyColumns, aggregates: [])
            return .join(probe: probe, build: keys, kind: kind, probeKeys: pk, buildKeys: keyColumns, residual: nil)
        }
    }

    /// DISTINCT as a grouping on every column, without aggregates.
    static func distinctAsGrouping(_ plan: Plan) -> Plan {
        plan.transformUp { node in
            guard case .distinct(let c) = node else { return node }
            return .aggregate(c, groups: c.types.enumerated().map { .column(index: $0, type: $1, name: "") }, aggregates: [])
        }
    }
}
