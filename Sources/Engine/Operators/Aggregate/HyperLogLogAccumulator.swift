// APPROX_COUNT_DISTINCT: a HyperLogLog sketch per group (Flajolet et al.), 2^14 registers
// (a standard error of 0.8%), read with Ertl's improved estimator ("New cardinality
// estimation algorithms for HyperLogLog sketches", 2017), which needs no bias tables and is
// accurate at every cardinality.
//
// Rows only append (group, hash) pairs; every 4M rows (in each worker, so that the workers
// fold in parallel) and at the end the pairs are placed group by group (a counting sort) and
// each group's hashes are folded in one sequential pass (touching one group's state per row
// would miss the cache on nearly every row). A group
// keeps the exact set of its hashes while it has read at most `sparseLimit` values,
// so small groups (most of them in a GROUP BY) are counted exactly and cost a few bytes, not
// a 16 KB sketch.

import Columnar
import Foundation

final class HyperLogLogAccumulator: GroupAccumulator {
    static let precision = 14
    static let registerCount = 1 << precision
    /// Past this many hashes read a group switches to registers (16 KB either way).
    static let sparseLimit = 2048
    /// Pairs held before they are folded into the groups.
    static let pendingLimit = 1 << 24

    /// Per group: its registers' offset in `registers`, or -1 while it is sparse.
    private var dense: [Int] = []
    private var registers: [UInt8] = []
    /// Per group: the distinct hashes seen (sparse groups only).
    private var sparse: [[UInt64]] = []
    /// Pairs not yet folded into their group.
    private var pendingGroups: [Int32] = []
    private var pendingHashes: [UInt64] = []

    init(_ call: AggregateCall) {}

    private func grow(to n: Int) {
        guard dense.count < n else { return }
        dense += [Int](repeating: -1, count: n - dense.count)
        sparse += [[UInt64]](repeating: [], count: n - sparse.count)
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let column = columns[0].flattened()
        let hashes = Self.hashes(column)
        if pendingHashes.capacity == 0 {
            // Room for a whole fold's pairs at once: address space, not memory (pages are
            // touched as pairs arrive), and no doubling copies as the arrays grow.
            pendingGroups.reserveCapacity(Self.pendingLimit + 2 * ids.count)
            pendingHashes.reserveCapacity(Self.pendingLimit + 2 * ids.count)
        }
        if include == nil && column.validity == nil {
            for g in ids { pendingGroups.append(Int32(truncatingIfNeeded: g)) }
            pendingHashes.append(contentsOf: hashes)
        } else {
            for r in 0..<ids.count where (include?[r] ?? true) && !column.isNull(r) {
                pendingGroups.append(Int32(truncatingIfNeeded: ids[r]))
                pendingHashes.append(hashes[r])
            }
        }
        if pendingHashes.count >= Self.pendingLimit { fold() }
    }

    /// Each side's pending pairs are folded on their own (the other's group numbers mapped in
    /// place, so neither list is copied), then the other's sets' hashes; registers merge by
    /// maximum.
    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! HyperLogLogAccumulator
        grow(to: groups)
        fold()
        var theirGroups = o.pendingGroups, theirHashes = o.pendingHashes
        o.pendingGroups = []
        o.pendingHashes = []
        theirGroups.withUnsafeMutableBufferPointer { gs in
            for i in gs.indices { gs[i] = Int32(truncatingIfNeeded: ids[Int(gs[i])]) }
        }
        fold(theirGroups, theirHashes)
        theirGroups = []
        theirHashes = []
        for g in 0..<o.dense.count {
            let t = ids[g]
            if o.dense[g] >= 0 {
                if dense[t] < 0 { makeDense(t, sparse[t]); sparse[t] = [] }
                let a = dense[t], b = o.dense[g]
                registers.withUnsafeMutableBufferPointer { r in
                    o.registers.withUnsafeBufferPointer { q in
                        for i in 0..<Self.registerCount { r[a + i] = max(r[a + i], q[b + i]) }
                    }
                }
            } else {
                for h in o.sparse[g] {
                    theirGroups.append(Int32(truncatingIfNeeded: t))
                    theirHashes.append(h)
                }
            }
        }
        fold(theirGroups, theirHashes)
    }

    /// Folds the pending pairs into their groups, group by group, the groups spread over
    /// the workers: each worker takes a range of groups holding about an equal share of the
    /// pairs, places that range's pairs group by group (a counting sort over the range) and
    /// folds them, so no pass over all the pairs runs on one thread but the count.
    private func fold() {
        let groups = pendingGroups, hashes = pendingHashes
        pendingGroups = []
        pendingHashes = []
        fold(groups, hashes)
    }

    /// Folds (group, hash) pairs into their groups.
    private func fold(_ groups: [Int32], _ hashes: [UInt64]) {
        guard !hashes.isEmpty else { return }
        let groupCount = dense.count
        var starts = [Int](repeating: 0, count: groupCount + 1)
        groups.withUnsafeBufferPointer { gs in
            starts.withUnsafeMutableBufferPointer { st in for g in gs { st[Int(g) + 1] &+= 1 } }
        }
        for g in 0..<groupCount { starts[g + 1] += starts[g] }
        // Groups that may pass the limit take registers now (no sorting: the estimator is
        // as good as exact at small counts too).
        let denser = (0..<groupCount).filter { dense[$0] < 0 && sparse[$0].count + starts[$0 + 1] - starts[$0] > Self.sparseLimit }
        registers.reserveCapacity(registers.count + denser.count * Self.registerCount)
        for g in denser {
            makeDense(g, sparse[g])
            sparse[g] = []
        }
        // One range per worker thread: each reads every pair's group once.
        let target = max(1, hashes.count / max(1, WorkerPool.current.threads))
        var tasks: [Range<Int>] = []
        var first = 0
        for g in 0..<groupCount where starts[g + 1] - starts[first] >= target {
            tasks.append(first..<(g + 1))
            first = g + 1
        }
        if first < groupCount { tasks.append(first..<groupCount) }
        let bounds = starts, offsets = dense, work = tasks
        let input = UncheckedSendable((groups, hashes))
        registers.withUnsafeMutableBufferPointer { r in
            sparse.withUnsafeMutableBufferPointer { sets in
                let shared = UncheckedSendable((r, sets))
                try? Workers.run(work.count) { (t) throws(SQLError) in
                    let (r, sets) = shared.value
                    let (groups, hashes) = input.value
                    let range = work[t]
                    let base = bounds[range.lowerBound]
                    // This range's pairs, group by group.
                    var next = Array(bounds[range.lowerBound...range.upperBound]).map { $0 - base }
                    var placed = [UInt64](repeating: 0, count: bounds[range.upperBound] - base)
                    let lo = Int32(range.lowerBound), hi = Int32(range.upperBound)
                    groups.withUnsafeBufferPointer { gs in
                        hashes.withUnsafeBufferPointer { hs in
                            placed.withUnsafeMutableBufferPointer { out in
                                next.withUnsafeMutableBufferPointer { nx in
                                    for i in 0..<gs.count where gs[i] >= lo && gs[i] < hi {
                                        let k = Int(gs[i] - lo)
                                        out[nx[k]] = hs[i]
                                        nx[k] &+= 1
                                    }
                                }
                            }
                        }
                    }
                    var scratch = [UInt64](repeating: 0, count: 4 * Self.sparseLimit)
                    for g in range where bounds[g + 1] > bounds[g] {
                        let new = placed[(bounds[g] - base)..<(bounds[g + 1] - base)]
                        if offsets[g] >= 0 {
                            let offset = offsets[g]
                            for h in new {
                                let (index, rank) = Self.register(h)
                                if r[offset + index] < rank { r[offset + index] = rank }
                            }
                            continue
                        }
                        // The set and the new hashes, each once (a small open-addressing
                        // table, emptied again after each group).
                        var merged = sets[g]
                        merged.reserveCapacity(merged.count + new.count)
                        for h in merged { _ = Self.insert(h, into: &scratch) }
                        for h in new where Self.insert(h, into: &scratch) { merged.append(h) }
                        for h in merged.reversed() { Self.remove(h, from: &scratch) }
                        sets[g] = merged
                    }
                }
            }
        }
    }

    /// Adds `h` to a scratch table (room for `sparseLimit` hashes at a quarter load; 0 marks
    /// an empty slot, and no hash is 0); whether it was new.
    @inline(__always)
    private static func insert(_ h: UInt64, into table: inout [UInt64]) -> Bool {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            if table[i] == h { return false }
            if table[i] == 0 { table[i] = h; return true }
            i = (i + 1) & mask
        }
    }

    /// Empties the slot holding `h`. Hashes are removed in the reverse of the order they
    /// went in, so every probe chain is whole when it is walked (no tombstones needed).
    @inline(__always)
    private static func remove(_ h: UInt64, from table: inout [UInt64]) {
        let mask = table.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != h && table[i] != 0 { i = (i + 1) & mask }
        table[i] = 0
    }

    /// Gives group `g` registers, filled from `hashes`.
    private func makeDense(_ g: Int, _ hashes: [UInt64]) {
        let offset = registers.count
        registers += [UInt8](repeating: 0, count: Self.registerCount)
        for h in hashes {
            let (index, rank) = Self.register(h)
            if registers[offset + index] < rank { registers[offset + index] = rank }
        }
        dense[g] = offset
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        fold()
        // The estimates of groups with registers, on every worker.
        let denseGroups = (0..<groups).filter { dense[$0] >= 0 }
        var estimates = [Int64](repeating: 0, count: denseGroups.count)
        let tasks = min(denseGroups.count, 4 * WorkerPool.current.threads)
        let input = UncheckedSendable((denseGroups, dense, registers))
        estimates.withUnsafeMutableBufferPointer { out in
            let shared = UncheckedSendable(out)
            try? Workers.run(tasks) { (t) throws(SQLError) in
                let (denseGroups, dense, registers) = input.value
                let out = shared.value
                for i in stride(from: t, to: denseGroups.count, by: tasks) {
                    let offset = dense[denseGroups[i]]
                    out[i] = Int64(Self.estimate(registers[offset..<(offset + Self.registerCount)]).rounded())
                }
            }
        }
        var out = [Int64](repeating: 0, count: groups)
        for g in 0..<groups where dense[g] < 0 { out[g] = Int64(sparse[g].count) }
        for (i, g) in denseGroups.enumerated() { out[g] = estimates[i] }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// The register a hash updates, and the rank it offers (leading zeros after the index, plus one).
    @inline(__always)
    static func register(_ hash: UInt64) -> (Int, UInt8) {
        let index = Int(hash >> UInt64(64 - precision))
        return (index, UInt8(min((hash << UInt64(precision)).leadingZeroBitCount, 64 - precision) + 1))
    }

    /// Ertl's improved raw estimator over one sketch's registers.
    static func estimate(_ registers: ArraySlice<UInt8>) -> Double {
        let m = Double(registerCount)
        let q = 64 - precision
        // Four interleaved counts: most registers hold one of a few values, and one count per
        // value would make each increment wait for the previous one.
        var counts = [Int32](repeating: 0, count: 4 * 64)
        counts.withUnsafeMutableBufferPointer { c in
            registers.withUnsafeBufferPointer { r in
                var i = 0
                while i + 4 <= r.count {
                    c[Int(r[i])] &+= 1
                    c[64 + Int(r[i + 1])] &+= 1
                    c[128 + Int(r[i + 2])] &+= 1
                    c[192 + Int(r[i + 3])] &+= 1
                    i += 4
                }
                while i < r.count { c[Int(r[i])] &+= 1; i += 1 }
            }
        }
        var histogram = [Double](repeating: 0, count: q + 2)
        for k in 0..<(q + 2) { histogram[k] = Double(counts[k] + counts[64 + k] + counts[128 + k] + counts[192 + k]) }
        var z = m * tau((m - histogram[q + 1]) / m)
        for k in stride(from: q, through: 1, by: -1) { z = 0.5 * (z + histogram[k]) }
        z += m * sigma(histogram[0] / m)
        return m * m / (2 * log(2.0)) / z
    }

    private static func sigma(_ x0: Double) -> Double {
        if x0 == 1 { return .infinity }
        var x = x0, y = 1.0, z = x0, previous = 0.0
        repeat {
            x *= x
            previous = z
            z += x * y
            y += y
        } while z != previous
        return z
    }

    private static func tau(_ x0: Double) -> Double {
        if x0 == 0 || x0 == 1 { return 0 }
        var x = x0, y = 1.0, z = 1 - x0, previous = 0.0
        repeat {
            x = x.squareRoot()
            previous = z
            y *= 0.5
            z -= (1 - x) * (1 - x) * y
        } while z != previous
        return z / 3
    }

    /// A 64-bit hash of each row's value: equal values (INT and BIGINT, 0.0 and -0.0) hash
    /// equal, and every bit depends on every bit of the value (the registers use the top
    /// bits for the index and the rest for the rank).
    static func hashes(_ column: ColumnData) -> [UInt64] {
        switch column.storage {
        case .double(let d):
            return d.map { v in max(1, mix((v == 0 ? 0 : v.isNaN ? .nan : v).bitPattern ^ 0x5851_F42D_4C95_7F2D)) }
        case .varchar(let s):
            return (0..<s.count).map { i in s.withValueBytes(i) { max(1, mix(GroupHashTable.hash($0))) } }
        default:
            return ColumnAccess.int64s(column).map { max(1, mix(UInt64(bitPattern: $0) ^ 0x9E37_79B9_7F4A_7C15)) }
        }
    }

    /// MurmurHash3's 64-bit finalizer.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}
