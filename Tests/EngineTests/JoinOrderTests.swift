// Join order: comma joins with their conditions in WHERE become hash joins on those
// conditions, inputs connected by a condition are never crossed, and many inputs plan at
// once (the greedy order is linear in the conditions per step).

import Columnar
@testable import Engine
import Testing
import TestSupport

@Suite struct JoinOrderTests {
    /// Every join of `plan`: its kind and number of keys.
    static func joins(_ plan: Plan) -> [(JoinKind, Int)] {
        var out: [(JoinKind, Int)] = []
        if case .join(_, _, let kind, let pk, _, _) = plan { out.append((kind, pk.count)) }
        for c in plan.children { out += joins(c) }
        return out
    }

    static func optimizedPlan(_ sql: String) throws -> Plan {
        let engine = QueryEngine(warehouse: try Warehouse.open(ParallelExecutionTests.warehouse), threads: 1)
        guard case .select(let q) = try engine.statements(sql)[0] else { throw SQLError(.internal, "not a query") }
        return Optimizer.optimize(try engine.plan(q).0)
    }

    @Test func commaJoinsBecomeHashJoinsOnTheirConditions() throws {
        let plan = try Self.optimizedPlan(
            "SELECT count(*) FROM raw_movies a, raw_ratings b, raw_links c WHERE a.movieId = b.movieId AND c.movieId = a.movieId")
        let joins = Self.joins(plan)
        #expect(joins.count == 2)
        #expect(joins.allSatisfy { $0.0 == .inner && $0.1 == 1 })
    }

    @Test func sixtyConnectedInputsPlanWithoutACrossProduct() throws {
        // A random tree of conditions over 60 inputs, listed in a shuffled order.
        var generator = SplitMix(seed: 7)
        let k = 60
        var edges: [(Int, Int)] = []
        for i in 1..<k { edges.append((i, Int(generator.next() % UInt64(i)))) }
        var order = Array(0..<k)
        for i in stride(from: k - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        let from = order.map { "(SELECT movieId FROM raw_movies WHERE movieId <= 500) t\($0)" }.joined(separator: ", ")
        let conditions = edges.map { "t\($0.0).movieId = t\($0.1).movieId" }.joined(separator: " AND ")
        let plan = try Self.optimizedPlan("SELECT count(*) FROM \(from) WHERE \(conditions)")
        let joins = Self.joins(plan)
        #expect(joins.count == k - 1)
        #expect(joins.allSatisfy { $0.0 == .inner && $0.1 >= 1 })
    }

    /// The depth at which input `i` joins (0 = the root's direct child).
    static func depth(of i: Int, in tree: JoinTree, _ d: Int = 0) -> Int? {
        switch tree {
        case .leaf(let j): return j == i ? d : nil
        case .join(let a, let b): return depth(of: i, in: a, d + 1) ?? depth(of: i, in: b, d + 1)
        }
    }

    @Test func theSearchJoinsTheSelectiveInputFirst() {
        // A fact of 1,000,000 rows; input 1 has 50 rows of a key with 100,000 values in the
        // fact (keeps 1 in 2,000), input 2 has 20 rows of a key with 20 values (keeps all).
        // Greedy joins the smallest connected input (2) first; the search starts with 1.
        let graph = JoinGraph(cardinalities: [1_000_000, 50, 20],
                              edges: [(0b011, 1.0 / 100_000), (0b101, 1.0 / 20)])
        let tree = JoinOrderSearch.cheapestTree(graph)
        #expect(tree == .join(.join(.leaf(0), .leaf(1)), .leaf(2)))
    }

    @Test func theSearchMakesBushyTreesWhenTheyAreCheaper() {
        // Two large inputs each reduced by its own small selective input, then joined: the
        // cheapest tree joins each pair first and the two results last.
        let graph = JoinGraph(cardinalities: [1_000_000, 10, 1_000_000, 10],
                              edges: [(0b0011, 1e-5), (0b1100, 1e-5), (0b0101, 1e-4)])
        guard case .join(let a, let b)? = JoinOrderSearch.cheapestTree(graph) else { Issue.record("no tree"); return }
        #expect(Set(a.inputs) == [0, 1] || Set(a.inputs) == [2, 3])
        #expect(Set(a.inputs).union(b.inputs) == [0, 1, 2, 3] && b.inputs.count == 2)
    }

    @Test func unconnectedInputsAreLeftToTheGreedyOrder() {
        let graph = JoinGraph(cardinalities: [100, 10, 5], edges: [(0b011, 0.1)])
        #expect(JoinOrderSearch.cheapestTree(graph) == nil)
    }

    @Test func tenFullyConnectedInputsPlanInMilliseconds() throws {
        let k = JoinOrderSearch.exhaustiveLimit
        let from = (0..<k).map { "(SELECT movieId FROM raw_movies WHERE movieId <= \(100 + 37 * $0)) t\($0)" }.joined(separator: ", ")
        var conditions: [String] = []
        for i in 0..<k { for j in (i + 1)..<k { conditions.append("t\(i).movieId = t\(j).movieId") } }
        let start = ContinuousClock.now
        let plan = try Self.optimizedPlan("SELECT count(*) FROM \(from) WHERE \(conditions.joined(separator: " AND "))")
        let elapsed = ContinuousClock.now - start
        let joins = Self.joins(plan)
        #expect(joins.count == k - 1)
        #expect(joins.allSatisfy { $0.0 == .inner && $0.1 >= 1 })
        #expect(elapsed < .seconds(2))  // debug build; a release build plans this in a few ms
    }

    /// A small deterministic generator (the test must not depend on the system's).
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
