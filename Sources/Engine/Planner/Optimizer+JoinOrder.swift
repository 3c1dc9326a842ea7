// Join order for comma joins and WHERE conditions across joins: `FROM a, b, c WHERE a.k = b.k
// AND b.j = c.j` binds as cross products under a filter. This rule collects such a region
// (inner and cross joins, and the filters between them), and rebuilds it greedily, never
// making a cross product where a condition connects the inputs: the largest input streams,
// and each step joins the smallest input connected to what is already joined, its
// equalities as hash keys and the other conditions it completes as the residual. Greedy
// ordering plans 60 inputs in microseconds (DuckDB switches from dynamic programming to a
// greedy order for many inputs too). A region written only as `JOIN ... ON` keeps its order.
//
// The region's output keeps its column order (a projection maps the new order back).

import Columnar

extension Optimizer {
    static func reorderJoins(_ plan: Plan) -> Plan {
        if let rebuilt = JoinRegion(plan)?.rebuilt() { return rebuilt }
        switch plan {
        case .shared, .recursive: return plan
        default: return plan.replacingChildren(plan.children.map(reorderJoins))
        }
    }
}

/// The inputs of a tree of inner and cross joins and the conditions over them, in the
/// coordinates of the inputs' columns laid end to end.
private struct JoinRegion {
    var leaves: [Plan] = []
    var offsets: [Int] = []
    var types: [LogicalType] = []
    var predicates: [BoundExpr] = []
    /// Whether the tree was written with a cross join or a filter over a join (else it is
    /// `JOIN ... ON` only, and keeps the order it was written in).
    var loose = false

    init?(_ plan: Plan) {
        guard Self.isJoin(plan) else { return nil }
        collect(plan)
        guard loose, leaves.count >= 2 else { return nil }
    }

    private static func isJoin(_ plan: Plan) -> Bool {
        switch plan {
        case .join(_, _, let kind, _, _, _): return kind == .inner || kind == .cross
        case .filter(let c, _): return isJoin(c)
        default: return false
        }
    }

    private mutating func collect(_ plan: Plan) {
        let base = types.count
        func shifted(_ e: BoundExpr) -> BoundExpr {
            base == 0 ? e : e.remapped(Dictionary(uniqueKeysWithValues: e.columnsUsed.map { ($0, $0 + base) }))
        }
        switch plan {
        case .join(let probe, let build, let kind, let pk, let bk, let residual) where kind == .inner || kind == .cross:
            if kind == .cross { loose = true }
            let probeWidth = probe.types.count
            collect(probe)
            collect(build)
            for (p, b) in zip(pk, bk) {
                let b2 = b.remapped(Dictionary(uniqueKeysWithValues: b.columnsUsed.map { ($0, $0 + probeWidth) }))
                predicates.append(shifted(.comparison(.equal, p, b2)))
            }
            if let residual { predicates += Optimizer.conjuncts(shifted(residual)) }
        case .filter(let c, let p) where Self.isJoin(c):
            loose = true
            collect(c)
            predicates += Optimizer.conjuncts(shifted(p))
        default:
            offsets.append(base)
            leaves.append(plan)
            types += plan.types
        }
    }

    /// The leaf each global column belongs to.
    private func leaf(of column: Int) -> Int {
        var i = 0
        while i + 1 < offsets.count && offsets[i + 1] <= column { i += 1 }
        return i
    }

    func rebuilt() -> Plan? {
        let n = leaves.count
        let touched: [Set<Int>] = predicates.map { Set($0.columnsUsed.map(leaf(of:))) }
        let sizes = leaves.map(Cardinality.estimate)
        var applied = [Bool](repeating: false, count: predicates.count)
        // Start from the largest input: it streams, the others are built.
        var joined: Set<Int> = [sizes.indices.max { sizes[$0] < sizes[$1] }!]
        var order = [joined.first!]
        var position = [Int: Int]()  // global column -> column of the tree built so far
        for c in 0..<(leaves[order[0]].types.count) { position[offsets[order[0]] + c] = c }
        var tree = leaves[order[0]]
        func local(_ e: BoundExpr, _ map: [Int: Int]) -> BoundExpr {
            e.remapped(Dictionary(uniqueKeysWithValues: e.columnsUsed.map { ($0, map[$0]!) }))
        }
        while joined.count < n {
            // The smallest input a condition connects to the joined ones; else the smallest.
            let rest = (0..<n).filter { !joined.contains($0) }
            let connected = rest.filter { r in
                predicates.indices.contains { !applied[$0] && touched[$0].contains(r) && !touched[$0].subtracting([r]).isEmpty
                    && touched[$0].subtracting([r]).isSubset(of: joined) }
            }
            let next = (connected.isEmpty ? rest : connected).min { sizes[$0] < sizes[$1] }!
            let width = tree.types.count
            var buildMap = [Int: Int]()
            for c in 0..<leaves[next].types.count { buildMap[offsets[next] + c] = c }
            var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = [], residual: [BoundExpr] = []
            var after = position
            for (g, l) in buildMap { after[g] = width + l }
            for i in predicates.indices where !applied[i] && touched[i].isSubset(of: joined.union([next])) && touched[i].contains(next) {
                applied[i] = true
                if case .comparison(.equal, let x, let y) = predicates[i] {
                    let xs = Set(x.columnsUsed.map(leaf(of:))), ys = Set(y.columnsUsed.map(leaf(of:)))
                    var pair: (BoundExpr, BoundExpr)? = nil
                    if !xs.isEmpty && xs.isSubset(of: joined) && ys == [next] { pair = (local(x, position), local(y, buildMap)) }
                    if !ys.isEmpty && ys.isSubset(of: joined) && xs == [next] { pair = (local(y, position), local(x, buildMap)) }
                    if let (p, b) = pair, let (pk, bk) = try? Binder.keyPair(p, b, at: 0) {
                        probeKeys.append(pk)
                        buildKeys.append(bk)
                        continue
                    }
                }
                residual.append(local(predicates[i], after))
            }
            tree = .join(probe: tree, build: leaves[next], kind: probeKeys.isEmpty && residual.isEmpty ? .cross : .inner,
                         probeKeys: probeKeys, buildKeys: buildKeys, residual: BoundExpr.conjunction(residual))
            position = after
            joined.insert(next)
            order.append(next)
        }
        // Conditions on no input (constants), then the original column order.
        let left = predicates.indices.filter { !applied[$0] }.map { local(predicates[$0], position) }
        if let f = BoundExpr.conjunction(left) { tree = .filter(tree, f) }
        let exprs = types.indices.map { BoundExpr.column(index: position[$0]!, type: types[$0], name: "#\($0)") }
        return .project(tree, exprs, names: exprs.map(\.description))
    }
}
