// An open-addressing hash table from byte keys to dense ids (0, 1, 2, ... in first-seen
// order), the index behind GROUP BY, DISTINCT, COUNT(DISTINCT) and hash joins. It knows
// nothing of operators: keys live in one byte heap, values elsewhere, indexed by id.

/// Byte keys to dense ids.
final class GroupHashTable {
    private var slots: [Int32]
    private var mask: Int
    private var hashes: [UInt64] = []
    private var keyBytes: [UInt8] = []
    private var keyOffsets: [Int] = [0]

    init(capacity: Int = 1024) {
        let size = max(16, 1 << (64 - UInt64(max(1, capacity * 2)).leadingZeroBitCount))
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    var count: Int { hashes.count }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        while i + 8 <= b.count {
            let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < b.count { tail |= UInt64(b[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The id of `key`, inserting it if new.
    func findOrInsert(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        let h = Self.hash(key)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s < 0 {
                let id = hashes.count
                slots[i] = Int32(id)
                hashes.append(h)
                keyBytes.append(contentsOf: key)
                keyOffsets.append(keyBytes.count)
                if hashes.count * 2 > slots.count { grow() }
                return (id, true)
            }
            if hashes[Int(s)] == h && equals(Int(s), key) { return (Int(s), false) }
            i = (i + 1) & mask
        }
    }

    /// The id of `key`, or nil.
    func find(_ key: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(key)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s < 0 { return nil }
            if hashes[Int(s)] == h && equals(Int(s), key) { return Int(s) }
            i = (i + 1) & mask
        }
    }

    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let lo = keyOffsets[id], hi = keyOffsets[id + 1]
        guard hi - lo == key.count else { return false }
        return keyBytes.withUnsafeBytes { stored in
            key.count == 0 || memcmp(stored.baseAddress! + lo, key.baseAddress!, key.count) == 0
        }
    }

    private func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
