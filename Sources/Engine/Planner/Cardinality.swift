// Rough row counts of plans: enough to pick the smaller input of a join, to decide whether
// a pre-aggregation pays, and whether an input is worth building once per worker.

import Columnar

enum Cardinality {
    static func estimate(_ plan: Plan) -> Double {
        switch plan {
        case .scan(let t, _, let predicates): return Double(t.rowCount) * (predicates.isEmpty ? 1 : 0.5)
        case .values(let rows, _): return Double(rows.count)
        case .filter(let c, _): return estimate(c) * 0.5
        case .project(let c, _, _), .sort(let c, _, nil), .distinct(let c), .shared(let c, _), .subqueries(let c, _), .window(let c, _):
            return estimate(c)
        case .sort(let c, _, let limit?): return min(estimate(c), Double(limit))
        case .limit(let c, let limit, _): return limit.map { min(Double($0), estimate(c)) } ?? estimate(c)
        case .limitPercent(let c, let percent, _): return estimate(c) * percent / 100
        case .aggregate(let c, let groups, _): return groups.isEmpty ? 1 : max(1, estimate(c) * 0.2)
        case .join(let probe, let build, let kind, _, _, _): return kind.keepsProbeOnly ? estimate(probe) : max(estimate(probe), estimate(build))
        case .asofJoin(let probe, _, let match): return estimate(probe) * (match.keepsUnmatched ? 1 : 0.9)
        case .flatten(let c, _): return estimate(c) * 3
        case .union(let l, let r): return estimate(l) + estimate(r)
        // Rounds unknown: a walk of a few levels.
        case .recursive(let anchor, let step, _, _): return estimate(anchor) + 10 * estimate(step)
        case .workTable: return 100
        case .csvFile(let path, _, _): return Double(max((FileIO.fileSize(path) ?? 0) / 40, 1))
        case .series(_, _, let count, _): return Double(max(count, 1))
        }
    }

    /// Whether `plan` already yields just the distinct values of `keys` (its own columns).
    static func isDistinctKeys(_ plan: Plan, _ keys: [BoundExpr]) -> Bool {
        let identity = keys.enumerated().allSatisfy { i, k in if case .column(i, _, _) = k { true } else { false } }
        switch plan {
        case .distinct(let c): return identity && c.types.count == keys.count
        case .aggregate(_, let groups, let aggregates):
            return identity && aggregates.isEmpty && groups.count == keys.count
        default: return false
        }
    }
}
