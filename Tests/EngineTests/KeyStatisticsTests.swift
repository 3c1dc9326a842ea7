// Hash tables sized from statistics: the planner traces a key to its table's segment
// min/max, and a pre-sized group index gives the same ids as one that grows, even when a
// hint turns out too small or too narrow.

import Columnar
@testable import Engine
import MovieLens
import Testing
import TestSupport

@Suite struct KeyStatisticsTests {
    @Test func groupKeyRangeComesFromSegmentStatistics() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(ParallelExecutionTests.warehouse), threads: 1)
        let (_, truth) = try engine.query("SELECT min(movieId), max(movieId), count(*) FROM raw_ratings")
        let lo = truth.columns[0].value(at: 0), hi = truth.columns[1].value(at: 0)
        guard case .int(let a) = lo, case .int(let b) = hi else { Issue.record("no range"); return }
        let select = try engine.statements("SELECT movieId, count(*) FROM raw_ratings WHERE rating > 1 GROUP BY movieId")
        guard case .select(let q) = select[0] else { return }
        let (plan, _) = try engine.plan(q)
        guard case .aggregate(let input, let groups, _) = Self.topAggregate(plan)! else { return }
        let stats = KeyStatistics.of(groups, over: input)
        #expect(stats?.range == a...b)
        #expect(stats!.expectedKeys <= Int(b - a) + 1)
        // A text key has no statistics: the table starts small and grows.
        let text = try engine.statements("SELECT title, count(*) FROM raw_movies GROUP BY title")
        guard case .select(let q2) = text[0] else { return }
        guard case .aggregate(let input2, let groups2, _) = Self.topAggregate(try engine.plan(q2).0)! else { return }
        #expect(KeyStatistics.of(groups2, over: input2) == nil)
    }

    static func topAggregate(_ plan: Plan) -> Plan? {
        switch plan {
        case .aggregate: return plan
        case .project(let c, _, _), .filter(let c, _), .sort(let c, _, _), .limit(let c, _, _): return topAggregate(c)
        default: return nil
        }
    }

    @Test(arguments: [KeyStatistics(expectedKeys: 10, range: 0...9), KeyStatistics(expectedKeys: 5_000_000, range: 0...1),
                      KeyStatistics(expectedKeys: 100, range: -5...(1 << 40)), KeyStatistics(expectedKeys: 3)])
    func sizedIndexAssignsTheSameIds(hint: KeyStatistics) {
        var generator = SplitMix64(seed: 7)
        let batches = (0..<6).map { b in (0..<1000).map { _ in Int64(generator.next() % 3000) - (b == 4 ? 1 << 30 : 0) } }
        let grown = IntegerGroupIndex(), sized = IntegerGroupIndex(expecting: hint)
        for keys in batches {
            var a = [Int](repeating: 0, count: keys.count), b = a
            var ia = [Bool](repeating: false, count: keys.count), ib = ia
            grown.ids(keys, validity: nil, ids: &a, inserted: &ia)
            sized.ids(keys, validity: nil, ids: &b, inserted: &ib)
            #expect(a == b && ia == ib)
        }
        #expect(grown.ordered == sized.ordered)
    }
}
