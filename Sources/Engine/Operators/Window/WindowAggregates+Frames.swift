// Every other aggregate over a running or sliding frame (STDDEV, VARIANCE, CORR, MEDIAN,
// PERCENTILE_*, MODE, LISTAGG, ARRAY_AGG, MIN_BY / MAX_BY, BOOL_AND, COUNT(DISTINCT), ...):
// each output row is a group of its own, fed the rows of its frame, through the same
// accumulator GROUP BY uses, so every function means the same over a frame as over a group.
// The work is the sum of the frame sizes: a sliding frame of w rows costs w per row (LISTAGG
// and ARRAY_AGG produce that much anyway); rows are fed in rounds of about a million frame
// rows, so memory stays bounded whatever the frames. Variance, deviation, covariance,
// correlation and REGR_* instead slide their sums: each row enters once and leaves once.

import Columnar

extension WindowAggregates {
    /// Frame rows fed to one accumulator at most before its groups are finished.
    static let framedRound = 1 << 20

    /// `call` over each row's frame of `w`.
    static func framed(_ call: AggregateCall, _ w: WindowExpression, over sorted: SortedPartitions,
                       input: DataChunk) throws(SQLError) -> ColumnData {
        let n = input.count
        var columns: [ColumnData] = []
        for e in call.arguments + call.orderBy.map(\.expr) { columns.append(try ExpressionEvaluator.evaluate(e, input).flattened()) }
        var filter: [Bool]?
        if let f = call.filter {
            let holds = try ExpressionEvaluator.evaluate(f, input)
            var keep = ColumnAccess.bools(holds)
            if let v = holds.validity { for r in 0..<n where !v.isValid(r) { keep[r] = false } }
            filter = keep
        }
        // Each row's frame, as positions in `sorted.order` (start > end: empty).
        let starts = SharedBuffer<Int>(count: n, zero: 0), ends = SharedBuffer<Int>(count: n, zero: -1)
        let rangeKey = WindowFrames.rangeKey(w, sorted)
        let frame = w.frame
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            var s: [Int] = [], e: [Int] = []
            WindowFrames.ranges(frame, count: positions.count, peers: peers, key: rangeKey, positions: positions, sorted: sorted,
                                starts: &s, ends: &e)
            for i in 0..<positions.count {
                starts[positions.lowerBound + i] = positions.lowerBound + s[i]
                ends[positions.lowerBound + i] = positions.lowerBound + e[i]
            }
        }
        if !call.distinct, let moments = GroupAccumulators.make([call])[0] as? MomentsAccumulator {
            // Variance, deviation, covariance, correlation, REGR_*: sums that slide with the frame.
            moments.slide(columns, include: filter, order: sorted.order, starts: (0..<n).map { starts[$0] },
                          ends: (0..<n).map { ends[$0] })
            var place = [Int](repeating: 0, count: n)
            for (k, row) in sorted.order.enumerated() { place[row] = k }
            return try moments.finish(groups: n, context: nil).selecting(place)
        }
        var pieces: [ColumnData] = []
        var outputRows: [Int] = []
        outputRows.reserveCapacity(n)
        var roundRows: [Int] = [], selection: [Int] = [], ids: [Int] = []
        func finishRound() throws(SQLError) {
            guard !roundRows.isEmpty else { return }
            pieces.append(try aggregate(call, columns, filter: filter, selection: selection, ids: ids, groups: roundRows.count))
            outputRows += roundRows
            roundRows.removeAll(keepingCapacity: true)
            selection.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
        }
        for position in 0..<n {
            let s = starts[position], e = ends[position]
            let group = roundRows.count
            roundRows.append(sorted.order[position])
            if s <= e {
                for p in s...e {
                    selection.append(sorted.order[p])
                    ids.append(group)
                }
            }
            if selection.count >= framedRound { try finishRound() }
        }
        try finishRound()
        // Back in input order: row outputRows[k] takes value k.
        var place = [Int](repeating: 0, count: n)
        for (k, row) in outputRows.enumerated() { place[row] = k }
        return ColumnData.concatenate(pieces, type: w.type).selecting(place)
    }

    /// One round: the rows `selection` (input rows, repeated across frames) in groups `ids`.
    private static func aggregate(_ call: AggregateCall, _ columns: [ColumnData], filter: [Bool]?, selection: [Int], ids: [Int],
                                  groups: Int) throws(SQLError) -> ColumnData {
        let picked = columns.map { $0.selecting(selection) }
        var include = filter.map { keep in selection.map { keep[$0] } }
        if call.distinct {
            // DISTINCT within each frame: a (frame, value) pair once, where the filter keeps it.
            let group = ColumnData(type: .int64, storage: .int64(ids.map(Int64.init)))
            let keys = EncodedKeys.encode([group] + Array(picked.prefix(call.arguments.count)), rows: selection.count)
            var pairIds = [Int](repeating: 0, count: selection.count), first = [Bool](repeating: false, count: selection.count)
            GroupHashTable(capacity: 1024).findOrInsert(keys, ids: &pairIds, inserted: &first)
            if let keep = include {
                var seen = Set<Int>()
                include = (0..<selection.count).map { r in keep[r] && seen.insert(pairIds[r]).inserted }
            } else {
                include = first
            }
        }
        if call.function == .count || call.function == .countStar {
            // COUNT(DISTINCT x): the basic COUNT has no accumulator of its own here.
            var counts = [Int64](repeating: 0, count: groups)
            let value = picked.first
            for r in 0..<selection.count where (include?[r] ?? true) && !(value?.isNull(r) ?? false) { counts[ids[r]] += 1 }
            return ColumnData(type: .int64, storage: .int64(counts))
        }
        guard let accumulator = GroupAccumulators.make([call])[0] else {
            throw SQLError(.unsupported, "\(call.function.rawValue.uppercased())(DISTINCT ...) over a running or sliding frame is not supported; "
                           + "COUNT(DISTINCT ...) is, and every aggregate without DISTINCT")
        }
        try accumulator.update(picked, include: include, ids: ids, groups: groups)
        return try accumulator.finish(groups: groups, context: nil)
    }
}
