// The (group, value) pairs already counted by an aggregate over DISTINCT integers. While
// groups x value range stays modest (movie ids per tag, users per year) each group owns a
// bitmap over the value range and a lookup is one bit test; past that the pairs go into an
// integer hash index as `group << 32 | value` keys. Millions of distinct pairs then cost a
// bit each instead of a hash-table slot that keeps growing.
// Values beyond 32 bits stay exact (a set holds those pairs).

import Columnar

/// Distinct (group, integer value) pairs.
final class DistinctPairs {
    /// The most bits the bitmaps may take (64 MiB).
    static let bitLimit = 1 << 29

    private var useBitmap = true
    /// The value of bit 0 (a multiple of 64).
    private var base: Int64 = 0
    /// 64-bit words per group; 0 until the first value.
    private var words = 0
    private var bits: [UInt64] = []
    private let hashed = IntegerGroupIndex()

    /// Clears `include[r]` where (groups[r], values[r]) was seen before (by an earlier row,
    /// or earlier in this batch), and records the rest. Rows with `include[r]` false are not
    /// looked at.
    func keepFirst(groups: [Int], values: [Int64], include: inout [Bool]) {
        let n = values.count
        if useBitmap {
            var lo = Int64.max, hi = Int64.min, top = -1
            for r in 0..<n where include[r] {
                lo = min(lo, values[r]); hi = max(hi, values[r]); top = max(top, groups[r])
            }
            guard top >= 0 else { return }
            if fit(lo, hi, groups: top + 1) {
                keepFirstInBitmap(groups: groups, values: values, include: &include)
                return
            }
            toHashed()
        }
        // Pairs that fit in one Int64 go to the integer index; the rare rest to a set. A
        // given pair always takes the same way.
        var packable = [Bool](repeating: false, count: n)
        for r in 0..<n where include[r] { packable[r] = groups[r] < 1 << 31 && Int32(exactly: values[r]) != nil }
        let pairs = (0..<n).map { r in packable[r] ? Int64(groups[r]) << 32 | Int64(UInt32(bitPattern: Int32(truncatingIfNeeded: values[r]))) : 0 }
        var ids = [Int](repeating: 0, count: n)
        var first = [Bool](repeating: false, count: n)
        // Rows not looked at, and wide pairs, pass as NULLs (the index's own group, never a pair).
        var looked = ValidityBitmap(allValid: n)
        for r in 0..<n where !(include[r] && packable[r]) { looked.setValid(r, false) }
        hashed.ids(pairs, validity: looked, ids: &ids, inserted: &first)
        for r in 0..<n where include[r] {
            include[r] = packable[r] ? first[r] : wide.insert(Pair(group: groups[r], value: values[r])).inserted
        }
    }

    private struct Pair: Hashable {
        var group: Int
        var value: Int64
    }

    private var wide = Set<Pair>()

    /// Every recorded pair, for merging another worker's table.
    func allPairs() -> (groups: [Int], values: [Int64]) {
        var groups: [Int] = [], values: [Int64] = []
        if useBitmap {
            guard words > 0 else { return ([], []) }
            for (w, word) in bits.enumerated() where word != 0 {
                var x = word
                while x != 0 {
                    let b = x.trailingZeroBitCount
                    groups.append(w / words)
                    values.append(base + Int64((w % words) * 64 + b))
                    x &= x - 1
                }
            }
        } else {
            for (id, p) in hashed.ordered.enumerated() where id != hashed.nullId {
                groups.append(Int(p >> 32))
                values.append(Int64(Int32(truncatingIfNeeded: p & 0xFFFF_FFFF)))
            }
            for p in wide {
                groups.append(p.group)
                values.append(p.value)
            }
        }
        return (groups, values)
    }

    /// Makes the bitmaps cover values lo...hi for `groups` groups, re-laying them out when the
    /// range grows; false when that would pass the bit limit.
    private func fit(_ lo: Int64, _ hi: Int64, groups: Int) -> Bool {
        // The last value covered (bitmaps reaching past Int64.max end there).
        let (end, overflow) = base.addingReportingOverflow(Int64(words) * 64)
        let last = overflow ? Int64.max : end - 1
        if words == 0 || lo < base || hi > last {
            let newBase = (words == 0 ? lo : min(lo, base)) & ~63
            // Values far apart (both signs, near the ends of Int64) never fit the bit limit:
            // the span is checked before any arithmetic that could overflow.
            guard let width = IntegerGroupIndex.width(newBase, words == 0 ? hi : max(hi, last)),
                  width < Int64(Self.bitLimit) else { return false }
            let span = width + 1
            // Headroom: ids tend to grow past the first batch's range.
            let newWords = Int((span + span / 2 + 63) / 64)
            guard newWords <= Self.bitLimit / 64, groups * newWords <= Self.bitLimit / 64 else { return false }
            relayout(base: newBase, words: newWords)
        }
        guard groups * words <= Self.bitLimit / 64 else { return false }
        if bits.count < groups * words { bits += [UInt64](repeating: 0, count: groups * words - bits.count) }
        return true
    }

    private func relayout(base newBase: Int64, words newWords: Int) {
        if words > 0 {
            let groups = bits.count / words
            let shift = Int((base - newBase) / 64)
            var moved = [UInt64](repeating: 0, count: groups * newWords)
            for g in 0..<groups {
                for w in 0..<words { moved[g * newWords + shift + w] = bits[g * words + w] }
            }
            bits = moved
        }
        base = newBase
        words = newWords
    }

    private func keepFirstInBitmap(groups: [Int], values: [Int64], include: inout [Bool]) {
        let words = self.words, base = self.base
        bits.withUnsafeMutableBufferPointer { bits in
            groups.withUnsafeBufferPointer { g in
                values.withUnsafeBufferPointer { v in
                    include.withUnsafeMutableBufferPointer { inc in
                        for r in 0..<v.count where inc[r] {
                            let offset = Int(v[r] &- base)
                            let i = g[r] * words + offset >> 6
                            let mask: UInt64 = 1 << UInt64(offset & 63)
                            if bits[i] & mask != 0 { inc[r] = false } else { bits[i] |= mask }
                        }
                    }
                }
            }
        }
    }

    /// Moves every recorded pair into the hash index (the bitmaps would grow too large).
    private func toHashed() {
        let (groups, values) = allPairs()
        useBitmap = false
        bits = []
        var include = [Bool](repeating: true, count: values.count)
        keepFirst(groups: groups, values: values, include: &include)
    }
}
