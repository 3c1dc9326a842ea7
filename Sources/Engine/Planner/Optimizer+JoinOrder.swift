// Join order for comma joins and WHERE conditions across joins: `FROM a, b, c WHERE a.k = b.k
// AND b.j = c.j` binds as cross products under a filter. This rule collects such a region
// (inner and cross joins, and the filters between them) and rebuilds it, never making a
// cross product where a condition connects the inputs. Up to ten inputs, the order is the
// cheapest bushy tree of an exhaustive search over connected subsets (`JoinOrderSearch`);
// above that, or when the conditions leave inputs unconnected, it is greedy: the largest
// input streams, and each step joins the smallest input connected to what is already joined.
// Greedy ordering plans 60 inputs in microseconds (DuckDB switches from dynamic programming
// to a greedy order for many inputs too). A region written only as `JOIN ... ON` keeps its
// order. Each condition applies at the lowest join that covers it: its equalities as hash
// keys, the others as the residual.
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
        let touched: [Set<Int>] = predicates.map { Set($0.columnsUsed.map(leaf(of:))) }
        let sizes = leaves.map(Cardinality.estimate)
        let tree = JoinOrderSearch.cheapestTree(graph(touched: touched, sizes: sizes)) ?? greedyTree(touched: touched, sizes: sizes)
        var applied = [Bool](repeating: false, count: predicates.count)
        let (joined, position) = materialize(tree, touched: touched, applied: &applied)
        // Conditions on no input (constants), then the original column order.
        let left = predicates.indices.filter { !applied[$0] }.map { Self.local(predicates[$0], position) }
        let plan = BoundExpr.conjunction(left).map { Plan.filter(joined, $0) } ?? joined
        let exprs = types.indices.map { BoundExpr.column(index: position[$0]!, type: types[$0], name: "#\($0)") }
        return .project(plan, exprs, names: exprs.map(\.description))
    }

    /// The join graph the exhaustive search plans over: each condition touching two or more
    /// inputs, with its selectivity (see `JoinOrderSearch`).
    private func graph(touched: [Set<Int>], sizes: [Double]) -> JoinGraph {
        var edges: [(inputs: UInt32, selectivity: Double)] = []
        guard leaves.count <= JoinOrderSearch.exhaustiveLimit else { return JoinGraph(cardinalities: sizes, edges: []) }
        for (i, p) in predicates.enumerated() where touched[i].count >= 2 {
            let mask = touched[i].reduce(UInt32(0)) { $0 | (1 << UInt32($1)) }
            edges.append((mask, selectivity(p, sizes: sizes)))
        }
        return JoinGraph(cardinalities: sizes, edges: edges)
    }

    /// 1 / max(distinct values of either side) for an equality between inputs; distinct values
    /// are bounded by an integer column's range and the rows of its input, and where unknown
    /// are taken as the other side's (a key/foreign-key join). Other conditions keep a fifth.
    private func selectivity(_ p: BoundExpr, sizes: [Double]) -> Double {
        guard case .comparison(.equal, let x, let y) = p else { return 0.2 }
        func side(_ e: BoundExpr) -> (rows: Double, distinct: Double?) {
            let inputs = Set(e.columnsUsed.map(leaf(of:)))
            let rows = inputs.reduce(1.0) { $0 * max(1, sizes[$1]) }
            guard inputs.count == 1, case .column(let c, let type, _) = e, type.isInteger,
                  let range = KeyStatistics.columnRange(leaves[inputs.first!], c - offsets[inputs.first!]) else { return (rows, nil) }
            let width = Double(range.upperBound) - Double(range.lowerBound) + 1
            return (rows, min(rows, width))
        }
        let a = side(x), b = side(y)
        let da = a.distinct ?? min(a.rows, b.distinct ?? b.rows)
        let db = b.distinct ?? min(b.rows, a.distinct ?? a.rows)
        return 1 / max(1, da, db)
    }

    /// The greedy order: the largest input streams, and each step joins the smallest input
    /// connected to what is already joined (else the smallest), as a left-deep tree.
    private func greedyTree(touched: [Set<Int>], sizes: [Double]) -> JoinTree {
        let n = leaves.count
        var used = [Bool](repeating: false, count: predicates.count)
        var joined: Set<Int> = [sizes.indices.max { sizes[$0] < sizes[$1] }!]
        var tree = JoinTree.leaf(joined.first!)
        while joined.count < n {
            let rest = (0..<n).filter { !joined.contains($0) }
            let connected = rest.filter { r in
                predicates.indices.contains { !used[$0] && touched[$0].contains(r) && !touched[$0].subtracting([r]).isEmpty
                    && touched[$0].subtracting([r]).isSubset(of: joined) }
            }
            let next = (connected.isEmpty ? rest : connected).min { sizes[$0] < sizes[$1] }!
            for i in predicates.indices where !used[i] && touched[i].isSubset(of: joined.union([next])) { used[i] = true }
            tree = .join(tree, .leaf(next))
            joined.insert(next)
        }
        return tree
    }

    private static func local(_ e: BoundExpr, _ map: [Int: Int]) -> BoundExpr {
        e.remapped(Dictionary(uniqueKeysWithValues: e.columnsUsed.map { ($0, map[$0]!) }))
    }

    /// The plan of `tree`, and where each global column is in its output. Each condition
    /// applies at the lowest join whose inputs cover it: its equalities between the two
    /// sides as hash keys, the rest as the join's residual; a condition on one input filters
    /// that input.
    private func materialize(_ tree: JoinTree, touched: [Set<Int>], applied: inout [Bool]) -> (Plan, [Int: Int]) {
        switch tree {
        case .leaf(let i):
            var position = [Int: Int]()
            for c in 0..<leaves[i].types.count { position[offsets[i] + c] = c }
            var plan = leaves[i]
            var own: [BoundExpr] = []
            for p in predicates.indices where !applied[p] && touched[p] == [i] {
                applied[p] = true
                own.append(Self.local(predicates[p], position))
            }
            if let f = BoundExpr.conjunction(own) { plan = .filter(plan, f) }
            return (plan, position)
        case .join(let probeTree, let buildTree):
            let (probe, probePosition) = materialize(probeTree, touched: touched, applied: &applied)
            let (build, buildLocal) = materialize(buildTree, touched: touched, applied: &applied)
            let probeInputs = Set(probeTree.inputs), buildInputs = Set(buildTree.inputs)
            let width = probe.types.count
            var after = probePosition
            for (g, l) in buildLocal { after[g] = width + l }
            var probeKeys: [BoundExpr] = [], buildKeys: [BoundExpr] = [], residual: [BoundExpr] = []
            let inputs = probeInputs.union(buildInputs)
            for i in predicates.indices where !applied[i] && !touched[i].isEmpty && touched[i].isSubset(of: inputs) {
                applied[i] = true
                if case .comparison(.equal, let x, let y) = predicates[i] {
                    let xs = Set(x.columnsUsed.map(leaf(of:))), ys = Set(y.columnsUsed.map(leaf(of:)))
                    var pair: (BoundExpr, BoundExpr)? = nil
                    if !xs.isEmpty && xs.isSubset(of: probeInputs) && !ys.isEmpty && ys.isSubset(of: buildInputs) {
                        pair = (Self.local(x, probePosition), Self.local(y, buildLocal))
                    }
                    if !ys.isEmpty && ys.isSubset(of: probeInputs) && !xs.isEmpty && xs.isSubset(of: buildInputs) {
                        pair = (Self.local(y, probePosition), Self.local(x, buildLocal))
                    }
                    if let (p, b) = pair, let (pk, bk) = try? Binder.keyPair(p, b, at: 0) {
                        probeKeys.append(pk)
                        buildKeys.append(bk)
                        continue
                    }
                }
                residual.append(Self.local(predicates[i], after))
            }
            let plan = Plan.join(probe: probe, build: build, kind: probeKeys.isEmpty && residual.isEmpty ? .cross : .inner,
                                 probeKeys: probeKeys, buildKeys: buildKeys, residual: BoundExpr.conjunction(residual))
            return (plan, after)
        }
    }
}

extension JoinTree {
    /// The region's inputs under this tree.
    var inputs: [Int] {
        switch self {
        case .leaf(let i): [i]
        case .join(let a, let b): a.inputs + b.inputs
        }
    }
}
