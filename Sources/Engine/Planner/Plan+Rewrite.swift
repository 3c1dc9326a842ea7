// Generic traversal of plans, so that a rule touches only the nodes it rewrites and a new
// node is added here once (DataFusion's `TreeNode`): a node's inputs, the same node over
// new inputs, its expressions mapped, and bottom-up rewrites.

import Columnar

extension Plan {
    /// The node's inputs (a join: probe, then build; a node with subqueries: the plan that
    /// reads them, then each subquery's plan).
    package var children: [Plan] {
        switch self {
        case .scan, .values, .workTable, .csvFile, .series: return []
        case .recursive(let anchor, let step, _, _): return [anchor, step]
        case .filter(let c, _), .project(let c, _, _), .aggregate(let c, _, _), .window(let c, _), .flatten(let c, _), .sort(let c, _, _),
             .limit(let c, _, _), .limitPercent(let c, _, _), .distinct(let c), .shared(let c, _):
            return [c]
        case .join(let probe, let build, _, _, _, _), .asofJoin(let probe, let build, _): return [probe, build]
        case .union(let l, let r): return [l, r]
        case .subqueries(let c, let subqueries): return [c] + subqueries.map(\.plan)
        }
    }

    /// The same node over `children` (as many, in the order of `children`).
    package func replacingChildren(_ children: [Plan]) -> Plan {
        precondition(children.count == self.children.count, "a plan node keeps its number of inputs")
        switch self {
        case .scan, .values, .workTable, .csvFile, .series: return self
        case .recursive(_, _, let id, let distinct): return .recursive(anchor: children[0], step: children[1], id: id, distinct: distinct)
        case .filter(_, let p): return .filter(children[0], p)
        case .project(_, let e, let n): return .project(children[0], e, names: n)
        case .aggregate(_, let g, let a): return .aggregate(children[0], groups: g, aggregates: a)
        case .window(_, let w): return .window(children[0], w)
        case .join(_, _, let kind, let pk, let bk, let residual):
            return .join(probe: children[0], build: children[1], kind: kind, probeKeys: pk, buildKeys: bk, residual: residual)
        case .asofJoin(_, _, let match): return .asofJoin(probe: children[0], build: children[1], match: match)
        case .flatten(_, let input): return .flatten(children[0], input: input)
        case .sort(_, let keys, let limit): return .sort(children[0], keys: keys, limit: limit)
        case .limit(_, let limit, let offset): return .limit(children[0], limit: limit, offset: offset)
        case .limitPercent(_, let percent, let offset): return .limitPercent(children[0], percent: percent, offset: offset)
        case .distinct: return .distinct(children[0])
        case .union: return .union(children[0], children[1])
        case .shared(_, let id): return .shared(children[0], id: id)
        case .subqueries(_, let subqueries):
            var updated = subqueries
            for i in updated.indices { updated[i].plan = children[i + 1] }
            return .subqueries(children[0], updated)
        }
    }

    /// The node with `f` applied to each of its own expressions (not its inputs').
    package func mapExpressions(_ f: (BoundExpr) -> BoundExpr) -> Plan {
        switch self {
        case .scan, .values, .limit, .limitPercent, .distinct, .union, .shared, .subqueries, .recursive, .workTable, .csvFile, .series: return self
        case .filter(let c, let p): return .filter(c, f(p))
        case .project(let c, let e, let n): return .project(c, e.map(f), names: n)
        case .aggregate(let c, let g, let a):
            return .aggregate(c, groups: g.map(f), aggregates: a.map { $0.mapExpressions(f) })
        case .window(let c, let w): return .window(c, w.map { $0.mapExpressions(f) })
        case .join(let probe, let build, let kind, let pk, let bk, let residual):
            return .join(probe: probe, build: build, kind: kind, probeKeys: pk.map(f), buildKeys: bk.map(f), residual: residual.map(f))
        case .asofJoin(let probe, let build, let match): return .asofJoin(probe: probe, build: build, match: match.mapExpressions(f))
        case .flatten(let c, let input): return .flatten(c, input: f(input))
        case .sort(let c, let keys, let limit):
            return .sort(c, keys: keys.map { SortKey(expr: f($0.expr), descending: $0.descending, nullsFirst: $0.nullsFirst) }, limit: limit)
        }
    }

    /// Every expression of the node (not its inputs').
    package var expressions: [BoundExpr] {
        var out: [BoundExpr] = []
        _ = mapExpressions { out.append($0); return $0 }
        return out
    }

    /// Whether two reads of the plan may give different rows: an expression calls a volatile
    /// function (`uuid_string()`, a SAMPLE's random key) below any shared (buffered) node.
    package var isVolatile: Bool {
        if case .shared = self { return false }
        return expressions.contains(where: \.isVolatile) || children.contains(where: \.isVolatile)
    }

    /// `rewrite` applied to every node after its inputs, from the leaves up. Shared CTEs are
    /// crossed only when `intoShared` (a rewrite that must reach every expression).
    package func transformUp(intoShared: Bool = false, _ rewrite: (Plan) -> Plan) -> Plan {
        if case .shared = self, !intoShared { return rewrite(self) }
        let inputs = children
        let node = inputs.isEmpty ? self : replacingChildren(inputs.map { $0.transformUp(intoShared: intoShared, rewrite) })
        return rewrite(node)
    }
}
