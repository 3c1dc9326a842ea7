// EXPLAIN ANALYZE's timing of parallel operators.

import Columnar
@testable import Engine
import Foundation
import Testing

/// EXPLAIN ANALYZE's own time of a parallel operator: its pipelines run at once, so only the
/// longest is subtracted (summing them gave 0 for every parallel operator).
@Suite struct ParallelProfileTests {
    final class Sleeper: PhysicalOperator {
        let name = "SLEEP"
        var children: [PhysicalOperator] { [] }
        var done = false
        func next() throws(SQLError) -> DataChunk? {
            if done { return nil }
            done = true
            usleep(20_000)
            return DataChunk(columns: [], count: 0)
        }
    }

    final class Gatherer: ParallelOperator {
        let name = "GATHER"
        let pipelines: [PhysicalOperator]
        var children: [PhysicalOperator] { pipelines }
        init(_ pipelines: [PhysicalOperator]) { self.pipelines = pipelines }
        func next() throws(SQLError) -> DataChunk? {
            for p in pipelines { while try p.next() != nil {} }
            usleep(30_000)  // its own work
            return nil
        }
    }

    @Test func ownTimeSubtractsTheLongestPipeline() throws {
        let top = ProfiledOperator(Gatherer([ProfiledOperator(Sleeper()), ProfiledOperator(Sleeper())]))
        _ = try top.next()
        #expect(top.selfNanoseconds >= 40_000_000)  // 70 ms total minus the longest 20 ms
        #expect(top.selfNanoseconds < top.nanoseconds)
    }
}
