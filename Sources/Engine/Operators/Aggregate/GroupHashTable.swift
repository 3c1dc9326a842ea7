// An open-addressing hash table from byte keys to dense ids (0, 1, 2, ... in first-seen
// order), the index behind GROUP BY, DISTINCT, COUNT(DISTINCT) and hash joins. It knows
// nothing of operators: keys live in one byte heap, values elsewhere, indexed by id. Batch
// calls run the probe loop over raw pointers, without per-row calls or array checks.

/// Byte keys to dense ids. All storage is manually managed so the probe loop touches only
/// raw memory (no array bounds, uniqueness or exclusivity checks per probe).
final class GroupHashTable {
    private var slots: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var hashes: UnsafeMutablePointer<UInt64>
    private var offsets: UnsafeMutablePointer<Int>   // count + 1 entries
    private var heap: UnsafeMutableRawPointer
    private var entryCapacity: Int
    private var heapCapacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = max(16, 1 << (64 - UInt64(max(1, capacity * 2)).leadingZeroBitCount))
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: -1, count: self.capacity)
        entryCapacity = self.capacity / 2 + 1
        hashes = .allocate(capacity: entryCapacity)
        offsets = .allocate(capacity: entryCapacity + 1)
        offsets[0] = 0
        heapCapacity = entryCapacity * 16
        heap = .allocate(byteCount: heapCapacity, alignment: 8)
    }

    deinit {
        slots.deallocate()
        hashes.deallocate()
        offsets.deallocate()
        heap.deallocate()
    }

    @inline(__always)
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(b.count)
        var i = 0
        while i + 8 <= b.count {
            h = (h ^ b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < b.count { tail |= UInt64(b[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }

    /// The id of every row's key in `keys`, inserting new keys; `inserted[r]` says which
    /// rows introduced a key.
    func findOrInsert(_ keys: EncodedKeys, ids: inout [Int], inserted: inout [Bool]) {
        let n = keys.count
        keys.bytes.withUnsafeBytes { raw in
            keys.offsets.withUnsafeBufferPointer { o in
                ids.withUnsafeMutableBufferPointer { idOut in
                    inserted.withUnsafeMutableBufferPointer { newOut in
                        for r in 0..<n {
                            let key = UnsafeRawBufferPointer(start: raw.baseAddress.map { $0 + o[r] }, count: o[r + 1] - o[r])
                            let (id, new) = findOrInsert(key)
                            idOut[r] = id
                            newOut[r] = new
                        }
                    }
                }
            }
        }
    }

    /// The key of a NULL text: bytes no UTF-8 string has.
    static let nullTextKey: [UInt8] = [0xFF, 0xFE]

    /// Ids for a column of strings used directly as keys (one VARCHAR group key): no
    /// encoded copy of the batch. NULL maps to a byte sequence no UTF-8 string has.
    func findOrInsert(strings s: StringArray, validity: ValidityBitmap?, ids: inout [Int], inserted: inout [Bool]) {
        let n = s.count
        let nullKey = Self.nullTextKey
        s.bytes.withUnsafeBytes { heap in
            s.offsets.withUnsafeBufferPointer { o in
                ids.withUnsafeMutableBufferPointer { idOut in
                    inserted.withUnsafeMutableBufferPointer { newOut in
                        var lastStart = -1, lastLength = -1, lastId = 0
                        for r in 0..<n {
                            if let v = validity, !v.isValid(r) {
                                let (id, new) = nullKey.withUnsafeBytes { findOrInsert($0) }
                                idOut[r] = id
                                newOut[r] = new
                                continue
                            }
                            let lo = Int(o[r]), length = Int(o[r + 1]) - lo
                            // Runs of one value (a sorted or repeated column) skip the table.
                            if length == lastLength && lastStart >= 0
                                && (length == 0 || memcmp(heap.baseAddress! + lo, heap.baseAddress! + lastStart, length) == 0) {
                                idOut[r] = lastId
                                newOut[r] = false
                                continue
                            }
                            let (id, new) = findOrInsert(UnsafeRawBufferPointer(start: heap.baseAddress.map { $0 + lo }, count: length))
                            idOut[r] = id
                            newOut[r] = new
                            lastStart = lo; lastLength = length; lastId = id
                        }
                    }
                }
            }
        }
    }

    /// The id of every row's key, or -1 where it is absent.
    func find(_ keys: EncodedKeys) -> [Int] {
        let n = keys.count
        var ids = [Int](repeating: -1, count: n)
        keys.bytes.withUnsafeBytes { raw in
            keys.offsets.withUnsafeBufferPointer { o in
                ids.withUnsafeMutableBufferPointer { out in
                    for r in 0..<n {
                        let key = UnsafeRawBufferPointer(start: raw.baseAddress.map { $0 + o[r] }, count: o[r + 1] - o[r])
                        out[r] = find(key) ?? -1
                    }
                }
            }
        }
        return ids
    }

    /// The id of `key`, inserting it if new.
    @inline(__always)
    func findOrInsert(_ key: UnsafeRawBufferPointer) -> (id: Int, inserted: Bool) {
        let h = Self.hash(key)
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 {
                let id = count
                slots[i] = Int32(id)
                append(key, hash: h)
                if count * 2 > capacity { grow() }
                return (id, true)
            }
            if hashes[s] == h && equals(s, key) { return (s, false) }
            i = (i + 1) & mask
        }
    }

    /// The id of `key`, or nil.
    @inline(__always)
    func find(_ key: UnsafeRawBufferPointer) -> Int? {
        let h = Self.hash(key)
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = Int(slots[i])
            if s < 0 { return nil }
            if hashes[s] == h && equals(s, key) { return s }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equals(_ id: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let lo = offsets[id]
        guard offsets[id + 1] - lo == key.count else { return false }
        return key.count == 0 || memcmp(heap + lo, key.baseAddress!, key.count) == 0
    }

    private func append(_ key: UnsafeRawBufferPointer, hash h: UInt64) {
        if count == entryCapacity {
            entryCapacity *= 2
            let newHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: entryCapacity)
            newHashes.moveInitialize(from: hashes, count: count)
            hashes.deallocate()
            hashes = newHashes
            let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: entryCapacity + 1)
            newOffsets.moveInitialize(from: offsets, count: count + 1)
            offsets.deallocate()
            offsets = newOffsets
        }
        let used = offsets[count]
        if used + key.count > heapCapacity {
            heapCapacity = max(heapCapacity * 2, used + key.count)
            let newHeap = UnsafeMutableRawPointer.allocate(byteCount: heapCapacity, alignment: 8)
            newHeap.copyMemory(from: heap, byteCount: used)
            heap.deallocate()
            heap = newHeap
        }
        if key.count > 0 { (heap + used).copyMemory(from: key.baseAddress!, byteCount: key.count) }
        hashes[count] = h
        offsets[count + 1] = used + key.count
        count += 1
    }

    private func grow() {
        slots.deallocate()
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: -1, count: capacity)
        let mask = capacity - 1
        for id in 0..<count {
            var i = Int(truncatingIfNeeded: hashes[id]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Columnar
