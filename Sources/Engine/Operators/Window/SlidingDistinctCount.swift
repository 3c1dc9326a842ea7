// COUNT(DISTINCT ...) over running and sliding frames (distinct users over the last 30 days)
// without re-reading each frame: every row's values get a key once (a number's own order
// code, else an id from one hash pass over the input), and as the frame slides a count per
// key moves with it; the distinct count is the
// number of ids whose count is above zero. A row entering or leaving is O(1), where feeding
// each frame to a hash table costs its size per row.

import Columnar

extension WindowAggregates {
    /// COUNT(DISTINCT args) over each row's frame of `w`. Rows where the FILTER fails or an
    /// argument is NULL are not counted (Snowflake's COUNT(DISTINCT a, b): rows without a NULL).
    static func slidingDistinctCount(_ call: AggregateCall, _ w: WindowExpression, _ arguments: [ColumnData], filter: [Bool]?,
                                     over sorted: SortedPartitions, rows n: Int) throws(SQLError) -> ColumnData {
        var keep = filter ?? [Bool](repeating: true, count: n)
        for a in arguments where a.validity != nil {
            for r in 0..<n where a.isNull(r) { keep[r] = false }
        }
        let counted = keep, valueIds = distinctValueKeys(arguments, rows: n)
        let frame = w.frame, rangeKey = WindowFrames.rangeKey(w, sorted)
        let out = SharedBuffer<Int64>(count: n, zero: 0)
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: positions.count, peers: peers, key: rangeKey, positions: positions, sorted: sorted,
                                starts: &starts, ends: &ends)
            let rows = sorted.order[positions]
            // The partition's own dense ids (-1: not counted), so its counts are as small as it.
            var local = [Int32](repeating: -1, count: rows.count)
            var renumbered: [UInt64: Int32] = [:]
            for (p, r) in rows.enumerated() where counted[r] {
                if let id = renumbered[valueIds[r]] {
                    local[p] = id
                } else {
                    let id = Int32(renumbered.count)
                    renumbered[valueIds[r]] = id
                    local[p] = id
                }
            }
            var counts = ValueCounts(ids: local, keys: renumbered.count)
            var slide = FrameSlide()
            for i in 0..<rows.count {
                let s = starts[i], e = ends[i] + 1
                guard s < e else { continue }  // an empty frame counts 0
                slide.move(to: s, e, &counts)
                out[rows[rows.startIndex + i]] = counts.distinct
            }
        }
        return ColumnData(type: .int64, storage: .int64(out.array()))
    }

    /// One key per row, equal exactly where the rows' argument values are: one fixed-width
    /// value is its own order code (8 bytes a row, no hashing), text or several values a
    /// group id from a hash table.
    private static func distinctValueKeys(_ arguments: [ColumnData], rows n: Int) -> [UInt64] {
        if arguments.count == 1, arguments[0].type.fixedWidth != nil {
            return OrderCode.codes(arguments[0])
        }
        var ids = [Int](repeating: 0, count: n), inserted = [Bool](repeating: false, count: n)
        let table = GroupHashTable(capacity: 1024)
        if arguments.count == 1, arguments[0].type == .varchar {
            let text = arguments[0].flattened()
            table.findOrInsert(strings: ColumnAccess.strings(text), validity: text.validity, ids: &ids, inserted: &inserted)
        } else {
            table.findOrInsert(EncodedKeys.encode(arguments, rows: n), ids: &ids, inserted: &inserted)
        }
        return ids.map { UInt64(bitPattern: Int64($0)) }
    }
}

/// Per key, how many of the frame's rows hold it, and how many keys are held.
private struct ValueCounts: FrameContents {
    /// Per position in the partition: its key, or -1 (not counted).
    let ids: [Int32]
    private var counts: [Int32]
    private(set) var distinct: Int64 = 0

    init(ids: [Int32], keys: Int) {
        self.ids = ids
        counts = [Int32](repeating: 0, count: keys)
    }

    mutating func add(_ p: Int) {
        let id = Int(ids[p])
        guard id >= 0 else { return }
        if counts[id] == 0 { distinct += 1 }
        counts[id] += 1
    }

    mutating func remove(_ p: Int) {
        let id = Int(ids[p])
        guard id >= 0 else { return }
        counts[id] -= 1
        if counts[id] == 0 { distinct -= 1 }
    }
}
