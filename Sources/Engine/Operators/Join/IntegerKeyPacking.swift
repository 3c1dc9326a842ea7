// Several integer join keys as one: each key's value is offset by the build side's minimum
// and the keys are combined positionally, (k0 - lo0) * span1 + (k1 - lo1), when the product
// of the build side's spans fits in 62 bits. A probe row whose key lies outside a build range
// cannot match and is marked so. The packed key then goes through the one-integer hash index
// of the common single-key join, so a composite key costs no chain walk.

import Columnar

struct IntegerKeyPacking {
    let lows: [Int64]
    let spans: [Int64]
    /// The packed keys' range.
    let range: ClosedRange<Int64>
    /// Which first-key values the build side has (offset by `lows[0]`), when its span is
    /// small: a probe row of a first key the build side lacks (most rows, when a MERGE's
    /// source holds 1% of the users) is ruled out by one bit, not a hash lookup.
    private let firstKeys: [UInt64]?

    /// A packing for the build side's key columns, or nil when their ranges are too wide.
    init?(buildKeys: [ColumnData]) {
        var lows: [Int64] = [], spans: [Int64] = []
        var product: Int64 = 1
        for c in buildKeys {
            let values = ColumnAccess.int64s(c)
            var lo = Int64.max, hi = Int64.min
            for i in values.indices where !c.isNull(i) {
                lo = min(lo, values[i])
                hi = max(hi, values[i])
            }
            if lo > hi { lo = 0; hi = 0 }
            let (width, overflow) = hi.subtractingReportingOverflow(lo)
            guard !overflow, width < (1 << 62) else { return nil }
            let (next, tooBig) = product.multipliedReportingOverflow(by: width + 1)
            guard !tooBig, next <= (1 << 62) else { return nil }
            product = next
            lows.append(lo)
            spans.append(width + 1)
        }
        self.lows = lows
        self.spans = spans
        range = 0...(product - 1)
        if let span = spans.first, span <= 1 << 24, let first = buildKeys.first {
            var bits = [UInt64](repeating: 0, count: Int(span + 63) / 64)
            let values = ColumnAccess.int64s(first)
            for i in values.indices where !first.isNull(i) {
                let o = Int(values[i] - lows[0])
                bits[o >> 6] |= 1 << UInt64(o & 63)
            }
            firstKeys = bits
        } else {
            firstKeys = nil
        }
    }

    /// The packed key of every row, and whether a row has a NULL key or one outside the
    /// build side's ranges (it matches nothing).
    func pack(_ keys: [ColumnData]) -> (values: [Int64], outside: [Bool]) {
        let n = keys.first?.count ?? 0
        var packed = [Int64](repeating: 0, count: n)
        var outside = [Bool](repeating: false, count: n)
        for (k, c) in keys.enumerated() {
            let values = ColumnAccess.int64s(c)
            let lo = lows[k], span = spans[k]
            values.withUnsafeBufferPointer { v in
                packed.withUnsafeMutableBufferPointer { p in
                    for r in 0..<n {
                        let offset = v[r] &- lo
                        if offset < 0 || offset >= span { outside[r] = true; continue }
                        if k == 0, let firstKeys, firstKeys[Int(offset) >> 6] & (1 << UInt64(offset & 63)) == 0 { outside[r] = true; continue }
                        p[r] = p[r] &* span &+ offset
                    }
                }
            }
            if let validity = c.validity { for r in 0..<n where !validity.isValid(r) { outside[r] = true } }
        }
        return (packed, outside)
    }
}
