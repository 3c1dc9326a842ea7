// Open-addressing hash tables that map values to dense ids in first-seen order, for the
// dictionary encoding. They give up once a limit of distinct values is passed, so analysis
// of a high-cardinality column costs one bounded pass.

/// Assigns dense ids to Int64 values (doubles go in as bit patterns).
package struct IntegerDictionaryBuilder {
    package private(set) var values: [Int64] = []
    private var slots: [Int32]
    private var mask: Int
    package let limit: Int

    package init(limit: Int) {
        self.limit = limit
        let cap = 1 << max(4, BitPacking.width(of: UInt64(min(limit, 1 << 20) * 2)))
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    @inline(__always)
    static func hash(_ v: Int64) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: v) &* 0x9E37_79B9_7F4A_7C15) >> 20)
    }

    /// The id of `v`, inserting it; nil once more than `limit` distinct values were seen.
    @inline(__always)
    package mutating func id(of v: Int64) -> Int? {
        var i = Self.hash(v) & mask
        while true {
            let s = slots[i]
            if s < 0 {
                guard values.count < limit else { return nil }
                slots[i] = Int32(values.count)
                values.append(v)
                if values.count * 2 > slots.count { grow() }
                return values.count - 1
            }
            if values[Int(s)] == v { return Int(s) }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (id, v) in values.enumerated() {
            var i = Self.hash(v) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

/// Assigns dense ids to byte strings.
package struct StringDictionaryBuilder {
    package private(set) var values = StringArray()
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    package let limit: Int

    package init(limit: Int) {
        self.limit = limit
        let cap = 1 << max(4, BitPacking.width(of: UInt64(min(limit, 1 << 20) * 2)))
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    /// FNV-1a over the bytes, finished with a multiply so the low bits mix well.
    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in b { h = (h ^ UInt64(x)) &* 0x0000_0100_0000_01b3 }
        return h &* 0x9E37_79B9_7F4A_7C15
    }

    package mutating func id(of b: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(b)
        var i = Int(truncatingIfNeeded: h >> 20) & mask
        while true {
            let s = slots[i]
            if s < 0 {
                guard values.count < limit else { return nil }
                slots[i] = Int32(values.count)
                values.append(bytes: b)
                hashes.append(h)
                if values.count * 2 > slots.count { grow() }
                return values.count - 1
            }
            if hashes[Int(s)] == h && values.withValueBytes(Int(s), { $0.elementsEqual(b) }) { return Int(s) }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h >> 20) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}
