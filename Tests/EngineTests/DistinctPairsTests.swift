// DISTINCT bookkeeping agrees with a plain set in every mode: bitmaps over a small range, a
// range that grows batch by batch, the switch to hashing when the bitmaps would be too
// large, values beyond 32 bits, rows that are not looked at, and merging via allPairs.

import Testing
@testable import Engine

@Suite struct DistinctPairsTests {
    struct Pair: Hashable { var group: Int; var value: Int64 }

    func check(_ label: String, batches: [[(Int, Int64, Bool)]]) {
        let pairs = DistinctPairs()
        var seen = Set<Pair>()
        for batch in batches {
            var include = batch.map(\.2)
            pairs.keepFirst(groups: batch.map(\.0), values: batch.map(\.1), include: &include)
            for (r, row) in batch.enumerated() {
                let expected = row.2 && seen.insert(Pair(group: row.0, value: row.1)).inserted
                #expect(include[r] == expected, "\(label): row \(r) \(row)")
            }
        }
        let (g, v) = pairs.allPairs()
        #expect(Set(zip(g, v).map { Pair(group: $0, value: $1) }) == seen, "\(label): allPairs")
        // Merging into a fresh table keeps every pair once.
        let merged = DistinctPairs()
        var all = [Bool](repeating: true, count: v.count)
        merged.keepFirst(groups: g, values: v, include: &all)
        #expect(all.allSatisfy { $0 })
    }

    @Test func agreesWithASet() {
        var x: UInt64 = 42
        func next(_ n: UInt64) -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return (x >> 33) % n }
        func batch(_ rows: Int, groups: UInt64, values: () -> Int64) -> [(Int, Int64, Bool)] {
            (0..<rows).map { _ in (Int(next(groups)), values(), next(10) != 0) }
        }
        check("small range", batches: (0..<5).map { _ in batch(3000, groups: 20) { Int64(next(500)) } })
        check("growing range", batches: (0..<6).map { i in batch(2000, groups: 10) { Int64(i * 10_000) + Int64(next(5000)) - 20_000 } })
        check("too wide for bitmaps", batches: (0..<4).map { _ in batch(2000, groups: 5000) { Int64(next(2_000_000_000)) } })
        check("beyond 32 bits", batches: (0..<3).map { _ in batch(2000, groups: 50) { Int64(next(1000)) * 10_000_000_000 - 3 } })
        check("bitmap then hashed", batches: [batch(2000, groups: 30) { Int64(next(100)) }] + [batch(2000, groups: 30) { Int64(next(4_000_000_000)) }]
              + [batch(2000, groups: 30) { Int64(next(100)) }])
    }
}
