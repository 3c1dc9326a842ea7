// The exhaustive join order search for regions of few inputs: dynamic programming over the
// connected subsets of the join graph (the plan space of DPccp / DPhyp, enumerated here as
// subsets of a bit mask, which is cheap at the sizes it runs on). Each connected subset
// keeps its cheapest tree; two subsets join only when a condition connects them, so no
// cross product is ever considered where a condition exists. Above `exhaustiveLimit` inputs
// the greedy order of `Optimizer+JoinOrder.swift` plans instead (3^n subset pairs: 59,049 at
// 10 inputs, 3.5 billion at 20), as DuckDB falls back from DPhyp to a greedy order.
//
// Cost is the classic C_out plus the build sides: the rows every join produces and the rows
// every hash table holds. Row counts multiply the inputs' counts by each condition's
// selectivity, 1 / max(distinct values of its two sides) for an equality (System R's rule);
// distinct values come from the integer ranges of the segment statistics, and where they are
// unknown a key/foreign-key join is assumed (the output is as large as the larger side).

/// A join order: one input of the region, or a join of two orders (the first probes, the
/// second is built into the hash table).
indirect enum JoinTree: Equatable {
    case leaf(Int)
    case join(JoinTree, JoinTree)
}

/// What the search knows of a region: the row count of each input and, for each condition
/// over two or more inputs, the inputs it touches and the fraction of rows it keeps.
struct JoinGraph {
    var cardinalities: [Double]
    var edges: [(inputs: UInt32, selectivity: Double)]
}

enum JoinOrderSearch {
    /// Regions of up to this many inputs are searched exhaustively.
    static let exhaustiveLimit = 10

    /// The cheapest bushy tree without cross products; nil when the region is too large or its
    /// conditions do not connect every input (the greedy order then crosses what it must).
    static func cheapestTree(_ graph: JoinGraph) -> JoinTree? {
        let n = graph.cardinalities.count
        guard n >= 2, n <= exhaustiveLimit else { return nil }
        let count = 1 << n
        var cost = [Double](repeating: .infinity, count: count)
        var rows = [Double](repeating: 0, count: count)
        var probeSide = [UInt32](repeating: 0, count: count)
        for i in 0..<n {
            cost[1 << i] = 0
            rows[1 << i] = max(1, graph.cardinalities[i])
        }
        for set in 1..<UInt32(count) where set.nonzeroBitCount >= 2 {
            let lowest = set & (~set &+ 1)
            // Each unordered split once: the part holding the lowest input, then the rest.
            var part = (set &- 1) & set
            var joined = false
            while part != 0 {
                defer { part = (part &- 1) & set }
                guard part & lowest != 0 else { continue }
                let other = set ^ part
                guard cost[Int(part)].isFinite, cost[Int(other)].isFinite, connects(part, other, graph.edges) else { continue }
                if !joined {
                    rows[Int(set)] = estimatedRows(set, graph)
                    joined = true
                }
                let (big, small) = rows[Int(part)] >= rows[Int(other)] ? (part, other) : (other, part)
                let c = cost[Int(part)] + cost[Int(other)] + rows[Int(set)] + rows[Int(small)]
                if c < cost[Int(set)] {
                    cost[Int(set)] = c
                    probeSide[Int(set)] = big
                }
            }
        }
        let all = UInt32(count - 1)
        guard cost[Int(all)].isFinite else { return nil }
        func tree(_ set: UInt32) -> JoinTree {
            if set.nonzeroBitCount == 1 { return .leaf(set.trailingZeroBitCount) }
            let probe = probeSide[Int(set)]
            return .join(tree(probe), tree(set ^ probe))
        }
        return tree(all)
    }

    /// Whether a condition over `a` and `b` together touches both.
    private static func connects(_ a: UInt32, _ b: UInt32, _ edges: [(inputs: UInt32, selectivity: Double)]) -> Bool {
        let both = a | b
        for e in edges where e.inputs & both == e.inputs && e.inputs & a != 0 && e.inputs & b != 0 { return true }
        return false
    }

    /// Rows of the join of `set`: its inputs' rows times the selectivity of every condition
    /// inside it (the same figure whichever way the set is split).
    private static func estimatedRows(_ set: UInt32, _ graph: JoinGraph) -> Double {
        var product = 1.0
        for i in 0..<graph.cardinalities.count where set & (1 << i) != 0 { product *= max(1, graph.cardinalities[i]) }
        for e in graph.edges where e.inputs & set == e.inputs { product *= e.selectivity }
        return max(1, product)
    }
}
