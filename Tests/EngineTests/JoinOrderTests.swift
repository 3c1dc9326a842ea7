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
