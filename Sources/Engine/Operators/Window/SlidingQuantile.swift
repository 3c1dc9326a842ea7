// MEDIAN, PERCENTILE_CONT and PERCENTILE_DISC over running and sliding frames, without
// sorting each frame: every partition's values are ranked once (one sort), and a Fenwick
// tree over the ranks counts the values inside the frame. A row entering or leaving the
// frame is one update, the k-th value of the frame one descent of the tree: O(log n) each,
// where feeding every frame to the GROUP BY accumulator costs the frame's size and a sort
// per row. The answers are the accumulator's (`QuantileAccumulator`): the same positions, the
// same interpolation, the same order of ties.

import Columnar

extension WindowAggregates {
    /// Whether `call` over a frame is answered by `slidingQuantile`.
    static func slidesQuantile(_ call: AggregateCall) -> Bool {
        !call.distinct && (call.function == .percentileCont || call.function == .percentileDisc) && QuantileAccumulator.applies(call)
    }

    /// `call` (PERCENTILE_CONT or PERCENTILE_DISC of a fixed-width value) over each row's frame.
    static func slidingQuantile(_ call: AggregateCall, _ w: WindowExpression, _ value: ColumnData, filter: [Bool]?,
                                over sorted: SortedPartitions, rows n: Int) throws(SQLError) -> ColumnData {
        let codes = OrderCode.codes(value)
        var keep = filter ?? [Bool](repeating: true, count: n)
        if value.validity != nil { for r in 0..<n where value.isNull(r) { keep[r] = false } }
        let included = keep
        let frame = w.frame, rangeKey = WindowFrames.rangeKey(w, sorted)
        let continuous = call.function == .percentileCont, fraction = call.fraction
        let descending = call.orderBy.first?.descending ?? false
        // Per input row: the answer's order code (PERCENTILE_DISC) or the bits of its double.
        let out = SharedBuffer<UInt64>(count: n, zero: 0), present = SharedBuffer<Bool>(count: n, zero: false)
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: positions.count, peers: peers, key: rangeKey, positions: positions, sorted: sorted,
                                starts: &starts, ends: &ends)
            let rows = sorted.order[positions]
            var tree = RankCounts(codes: codes, included: included, rows: rows)
            var slide = FrameSlide()
            for i in 0..<rows.count {
                let s = starts[i], e = ends[i] + 1
                guard s < e else { continue }
                slide.move(to: s, e, &tree)
                let count = tree.count
                guard count > 0 else { continue }
                // The k-th value in the call's order.
                func code(_ k: Int) -> UInt64 { tree.code(ofRank: descending ? count - 1 - k : k) }
                let answer: UInt64
                if continuous {
                    let position = QuantileAccumulator.snapped(fraction * Double(count - 1))
                    let below = Int(position.rounded(.down)), above = Int(position.rounded(.up))
                    let a = OrderCode.double(code(below))
                    let x = below == above ? a : a + (position - Double(below)) * (OrderCode.double(code(above)) - a)
                    answer = x.bitPattern
                } else {
                    let k = max(0, Int(QuantileAccumulator.snapped(fraction * Double(count)).rounded(.up)) - 1)
                    answer = code(min(k, count - 1))
                }
                let row = rows[rows.startIndex + i]
                out[row] = answer
                present[row] = true
            }
        }
        if continuous {
            var validity = ValidityBitmap(allValid: n), anyNull = false
            var doubles = [Double](repeating: 0, count: n)
            for r in 0..<n {
                if present[r] { doubles[r] = Double(bitPattern: out[r]) } else { validity.setValid(r, false); anyNull = true }
            }
            return ColumnData(type: .double, storage: .double(doubles), validity: anyNull ? validity : nil)
        }
        var b = ColumnBuilder(type: call.type, capacity: n)
        for r in 0..<n {
            if present[r] { b.append(OrderCode.value(out[r], value.type)) } else { b.appendNull() }
        }
        return b.finish()
    }
}

/// The values of one partition counted by rank in a Fenwick tree: which of them are in the
/// frame, and the k-th smallest of those.
private struct RankCounts: FrameContents {
    /// Per position in the partition: its value's rank (ties in position order), or -1.
    private var rank: [Int32]
    /// Per rank: the value's order code.
    private var codes: [UInt64]
    private var tree: [Int32]
    private var top = 1
    private(set) var count = 0

    init(codes all: [UInt64], included: [Bool], rows: ArraySlice<Int>) {
        var ranked: [(code: UInt64, position: Int32)] = []
        ranked.reserveCapacity(rows.count)
        for (p, r) in rows.enumerated() where included[r] { ranked.append((all[r], Int32(p))) }
        ranked.sort { $0.code < $1.code || ($0.code == $1.code && $0.position < $1.position) }
        rank = [Int32](repeating: -1, count: rows.count)
        codes = ranked.map(\.code)
        for (k, x) in ranked.enumerated() { rank[Int(x.position)] = Int32(k) }
        tree = [Int32](repeating: 0, count: ranked.count + 1)
        while top * 2 <= ranked.count { top *= 2 }
    }

    /// Counts the value at position `p` of the partition (if it is counted at all).
    mutating func add(_ p: Int) { update(p, 1) }

    /// Stops counting the value at position `p`.
    mutating func remove(_ p: Int) { update(p, -1) }

    private mutating func update(_ p: Int, _ delta: Int32) {
        let k = rank[p]
        guard k >= 0 else { return }
        count += Int(delta)
        tree.withUnsafeMutableBufferPointer { tree in
            var i = Int(k) + 1
            while i < tree.count {
                tree[i] &+= delta
                i += i & -i
            }
        }
    }

    /// The code of the k-th smallest counted value (0-based; `k < count`).
    func code(ofRank k: Int) -> UInt64 {
        tree.withUnsafeBufferPointer { tree in
            var position = 0, remaining = Int32(k + 1), step = top
            while step > 0 {
                let next = position + step
                if next < tree.count && tree[next] < remaining {
                    position = next
                    remaining -= tree[next]
                }
                step >>= 1
            }
            return codes[position]
        }
    }
}
