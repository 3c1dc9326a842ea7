// Group ids for a single integer key (movie ids, user ids, years): while the keys span a
// modest range, the id is found by direct indexing (key - base), DuckDB's "perfect hash"
// aggregate; past that it falls back to open addressing with the keys stored inline, one
// cache line per lookup. NULL is its own group.

import Columnar

/// Integer keys to dense ids.
final class IntegerGroupIndex {
    /// Direct indexing is used while max - min stays below this.
    static let directLimit: Int64 = 1 << 22

    private var direct = true
    /// Direct: the key of slot 0, and of the last slot (`base + table.count - 1`, kept within
    /// Int64 so that range tests compare keys and never subtract across the whole range).
    private var base: Int64 = 0
    private var top: Int64 = -1
    private var table: [Int32] = []        // direct: id per key - base, -1 empty
    private var keys: [Int64] = []         // hashed: key per slot
    private var slotIds: [Int32] = []      // hashed: id per slot, -1 empty
    /// The key of each id (0 for the NULL group).
    private(set) var ordered: [Int64] = []
    private(set) var count = 0
    private(set) var nullId: Int? = nil

    init() {}

    /// A table sized up front from what is known of the keys (segment statistics or the
    /// build side's own values), instead of growing by doubling: a narrow `range` gets its
    /// direct table at once; a wide one starts hashed with room for `expectedKeys`.
    init(expecting size: KeyStatistics) {
        if let range = size.range, let width = Self.width(range.lowerBound, range.upperBound), width < Self.directLimit / 2 {
            base = range.lowerBound
            top = range.upperBound
            table = [Int32](repeating: -1, count: Int(width) + 1)
            ordered.reserveCapacity(min(table.count, size.expectedKeys))
        } else if size.range != nil || size.expectedKeys > Int(Self.directLimit / 2) {
            direct = false
            rebuild(size: max(1024, 1 << (64 - UInt64(max(1, size.expectedKeys * 2)).leadingZeroBitCount)))
            ordered.reserveCapacity(size.expectedKeys)
        }
    }

    /// Ids for a batch of keys; `inserted[r]` is true where row r introduced its key.
    func ids(_ values: [Int64], validity: ValidityBitmap?, ids: inout [Int], inserted: inout [Bool]) {
        let n = values.count
        var r = 0
        while r < n {
            if direct && validity == nil {
                r = directRun(values, from: r, ids: &ids, inserted: &inserted)
                if r >= n { break }
            } else if !direct {
                r = hashedRun(values, from: r, validity: validity, ids: &ids, inserted: &inserted)
                if r >= n { break }
                if validity?.isValid(r) ?? true {
                    grow()  // the run stopped at the load limit
                    continue
                }
            }
            // One row the fast loops could not take: a NULL, or a key outside the direct range.
            if let v = validity, !v.isValid(r) {
                if let id = nullId { ids[r] = id; inserted[r] = false } else {
                    nullId = count; ordered.append(0); count += 1
                    ids[r] = nullId!; inserted[r] = true
                }
            } else if direct {
                let key = values[r]
                if table.isEmpty {
                    base = min(key, Int64.max - 1023)
                    top = base + 1023
                    table = [Int32](repeating: -1, count: 1024)
                }
                if (key < base || key > top) && !widen(toInclude: key) {
                    toHashed()
                    continue  // the hashed loop takes this row
                } else {
                    let slot = Int(key &- base)
                    if table[slot] >= 0 { ids[r] = Int(table[slot]); inserted[r] = false } else {
                        table[slot] = Int32(count); ordered.append(key); ids[r] = count; inserted[r] = true; count += 1
                    }
                }
            }
            r += 1
        }
    }

    /// The open-addressing loop over raw buffers, from row `start` until a NULL or until the
    /// table reaches its load limit; returns the row it stopped at.
    private func hashedRun(_ values: [Int64], from start: Int, validity: ValidityBitmap?, ids: inout [Int], inserted: inout [Bool]) -> Int {
        var next = count
        var stop = values.count
        var newKeys: [Int64] = []
        let limit = keys.count / 2
        keys.withUnsafeMutableBufferPointer { k in
            slotIds.withUnsafeMutableBufferPointer { s in
                values.withUnsafeBufferPointer { v in
                    ids.withUnsafeMutableBufferPointer { out in
                        inserted.withUnsafeMutableBufferPointer { ins in
                            let mask = k.count - 1
                            var r = start
                            while r < v.count {
                                if let validity, !validity.isValid(r) { stop = r; return }
                                if next >= limit { stop = r; return }
                                let key = v[r]
                                var i = Self.hash(key) & mask
                                while true {
                                    let id = s[i]
                                    if id < 0 {
                                        s[i] = Int32(next)
                                        k[i] = key
                                        newKeys.append(key)
                                        out[r] = next
                                        ins[r] = true
                                        next += 1
                                        break
                                    }
                                    if k[i] == key { out[r] = Int(id); ins[r] = false; break }
                                    i = (i + 1) & mask
                                }
                                r += 1
                            }
                        }
                    }
                }
            }
        }
        ordered += newKeys
        count = next
        return stop
    }

    /// Doubles the open-addressing table.
    private func grow() {
        rebuild(size: keys.count * 2)
    }

    /// Re-places every key into a table of `size` slots (a power of two).
    private func rebuild(size: Int) {
        var newKeys = [Int64](repeating: 0, count: size)
        var newIds = [Int32](repeating: -1, count: size)
        let nullId = self.nullId ?? -1
        newKeys.withUnsafeMutableBufferPointer { k in
            newIds.withUnsafeMutableBufferPointer { s in
                ordered.withUnsafeBufferPointer { o in
                    let mask = size - 1
                    for id in 0..<o.count where id != nullId {
                        var i = Self.hash(o[id]) & mask
                        while s[i] >= 0 { i = (i + 1) & mask }
                        k[i] = o[id]
                        s[i] = Int32(id)
                    }
                }
            }
        }
        keys = newKeys
        slotIds = newIds
    }

    /// The direct-indexing loop over raw buffers, from row `start` until a key falls outside
    /// the table; returns the row it stopped at.
    private func directRun(_ values: [Int64], from start: Int, ids: inout [Int], inserted: inout [Bool]) -> Int {
        guard !table.isEmpty else { return start }
        var next = count
        var stop = values.count
        var newKeys: [Int64] = []
        let base = self.base, top = self.top
        table.withUnsafeMutableBufferPointer { t in
            values.withUnsafeBufferPointer { v in
                ids.withUnsafeMutableBufferPointer { out in
                    inserted.withUnsafeMutableBufferPointer { ins in
                        var r = start
                        while r < v.count {
                            if v[r] < base || v[r] > top { stop = r; return }
                            let slot = Int(v[r] &- base)
                            let id = t[slot]
                            if id >= 0 {
                                out[r] = Int(id)
                                ins[r] = false
                            } else {
                                t[slot] = Int32(next)
                                out[r] = next
                                ins[r] = true
                                newKeys.append(v[r])
                                next += 1
                            }
                            r += 1
                        }
                    }
                }
            }
        }
        ordered += newKeys
        count = next
        return stop
    }

    /// The id of each key, or -1 where it is absent (or NULL): lookups without inserting.
    func lookup(_ values: [Int64], validity: ValidityBitmap?) -> [Int] {
        let n = values.count
        var out = [Int](repeating: -1, count: n)
        if direct {
            guard !table.isEmpty else { return out }
            let base = self.base, top = self.top
            table.withUnsafeBufferPointer { t in
                values.withUnsafeBufferPointer { v in
                    out.withUnsafeMutableBufferPointer { o in
                        for r in 0..<n where v[r] >= base && v[r] <= top { o[r] = Int(t[Int(v[r] &- base)]) }
                    }
                }
            }
        } else {
            keys.withUnsafeBufferPointer { k in
                slotIds.withUnsafeBufferPointer { s in
                    values.withUnsafeBufferPointer { v in
                        out.withUnsafeMutableBufferPointer { o in
                            let mask = k.count - 1
                            for r in 0..<n {
                                let key = v[r]
                                var i = Self.hash(key) & mask
                                while s[i] >= 0 {
                                    if k[i] == key { o[r] = Int(s[i]); break }
                                    i = (i + 1) & mask
                                }
                            }
                        }
                    }
                }
            }
        }
        if let validity { for r in 0..<n where !validity.isValid(r) { out[r] = -1 } }
        return out
    }

    /// Grows the direct table to cover `key`; false when the range would be too large.
    private func widen(toInclude key: Int64) -> Bool {
        // The range of keys actually seen (not the table's extent), plus the new one.
        var lo = key, hi = key
        for k in ordered.indices where k != nullId { lo = min(lo, ordered[k]); hi = max(hi, ordered[k]) }
        guard let width = Self.width(lo, hi), width < Self.directLimit / 2 else { return false }
        var size = 1024
        while Int64(size) <= width * 2 { size *= 2 }
        // Slack on both sides, so keys arriving in either direction rarely regrow it; the
        // table stays inside Int64 at either end.
        let slack = (Int64(size) - width) / 2
        var newBase = lo.subtractingReportingOverflow(slack).overflow ? Int64.min : lo - slack
        if newBase.addingReportingOverflow(Int64(size) - 1).overflow { newBase = Int64.max - (Int64(size) - 1) }
        var grown = [Int32](repeating: -1, count: size)
        // Old and new slots lie within `size` of each other: the wrapping difference is exact.
        for i in 0..<table.count where table[i] >= 0 { grown[Int(base &+ Int64(i) &- newBase)] = table[i] }
        table = grown
        base = newBase
        top = newBase + Int64(size) - 1
        return true
    }

    /// `hi - lo` when it is not negative and fits in Int64, else nil (keys of both signs far
    /// apart, such as the bit patterns of -1.0 and 5.0, span more than Int64 holds).
    static func width(_ lo: Int64, _ hi: Int64) -> Int64? {
        let (w, overflow) = hi.subtractingReportingOverflow(lo)
        return overflow || w < 0 ? nil : w
    }

    private func toHashed() {
        direct = false
        table = []
        rebuild(size: max(1024, 1 << (64 - UInt64(max(1, count * 4)).leadingZeroBitCount)))
    }

    /// Fibonacci hashing of the key with its high half folded into its low half first, so
    /// that keys differing only above bit 32 (two keys packed into one, see
    /// `AggregationTable`) still spread; keys below 2^32 hash as they would unfolded.
    @inline(__always)
    private static func hash(_ k: Int64) -> Int {
        let x = UInt64(bitPattern: k)
        return Int(truncatingIfNeeded: ((x ^ (x >> 32)) &* 0x9E37_79B9_7F4A_7C15) >> 17)
    }
}
