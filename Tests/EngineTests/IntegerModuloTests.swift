// The constant-divisor modulo kernel against Swift's `%` over random values of both signs,
// at the edges of where the kernel applies (|x| just under 2^52) and beyond (it declines).

import Columnar
@testable import Engine
import Testing
import TestSupport

@Suite struct IntegerModuloTests {
    @Test func matchesTruncatedRemainder() throws {
        var rng = RandomColumns.Rng(52)
        for _ in 0..<200 {
            let k = Int64(rng.below(1_000_000)) + 2
            var values: [Int64] = (0..<512).map { _ in Int64(rng.below(1 << 40)) - (1 << 39) }
            values += [0, 1, -1, k, -k, k - 1, 1 - k, k + 1, (1 << 52) - 1, -((1 << 52) - 1), Int64(Int32.max), Int64(Int32.min)]
            let got = try #require(IntegerModulo.apply(ColumnData(type: .int64, storage: .int64(values)), divisor: k))
            #expect(ColumnAccess.int64s(got) == values.map { $0 % k }, "divisor \(k)")
            let small = values.map { Int32(truncatingIfNeeded: $0) }
            let got32 = try #require(IntegerModulo.apply(ColumnData(type: .int32, storage: .int32(small)), divisor: k))
            #expect(ColumnAccess.int64s(got32) == small.map { Int64($0) % k }, "divisor \(k), INT")
        }
        #expect(IntegerModulo.apply(ColumnData(type: .int64, storage: .int64([1 << 53])), divisor: 7) == nil)
        #expect(IntegerModulo.apply(ColumnData(type: .int64, storage: .int64([.min, .max])), divisor: 3) == nil)
    }
}
