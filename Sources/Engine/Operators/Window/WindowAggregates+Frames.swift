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
        if !call.distinct, call.function != .regrCount, GroupAccumulators.make([call])[0] is MomentsAccumulator {
            return try slidingMoments(call, w, columns, filter: filter, over: sorted, rows: n)
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

    /// Variance, deviation, covariance, correlation and REGR_* over each row's frame: the
    /// count and double-double sums slide with the frame within each partition (a row added
    /// as it enters and subtracted as it leaves), on the workers, each answer computed as the
    /// frame is reached. A frame holding a value that is not finite, or whose square is not,
    /// is summed afresh, giving what the GROUP BY accumulator would.
    private static func slidingMoments(_ call: AggregateCall, _ w: WindowExpression, _ columns: [ColumnData], filter: [Bool]?,
                                       over sorted: SortedPartitions, rows n: Int) throws(SQLError) -> ColumnData {
        let paired = call.arguments.count == 2
        var keep = filter ?? [Bool](repeating: true, count: n)
        if let v = ColumnAccess.merge(Array(columns.prefix(paired ? 2 : 1))) {
            for r in 0..<n where !v.isValid(r) { keep[r] = false }
        }
        let included = keep
        let y = ColumnAccess.doubles(columns[0])
        let x = paired ? ColumnAccess.doubles(columns[1]) : y
        let function = call.function, frame = w.frame
        let rangeKey = WindowFrames.rangeKey(w, sorted)
        let out = SharedBuffer<Double>(count: n, zero: 0), present = SharedBuffer<Bool>(count: n, zero: false)
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: positions.count, peers: peers, key: rangeKey, positions: positions, sorted: sorted,
                                starts: &starts, ends: &ends)
            // The partition's values in window order, read once: the frame then slides over
            // contiguous memory (each row is read as it enters and as it leaves).
            let len = positions.count
            var vy = [Double](repeating: 0, count: len), vx = [Double](repeating: 0, count: paired ? len : 0)
            // 0: not counted (NULL, or the FILTER fails), 1: counted, 2: counted, but not finite or
            // its square is not (the sliding sums would stay infinite or NaN for good).
            var kind = [UInt8](repeating: 0, count: len)
            for i in 0..<len {
                let r = sorted.order[positions.lowerBound + i]
                guard included[r] else { continue }
                let a = y[r]
                vy[i] = a
                var special = !(a * a).isFinite
                if paired { let b = x[r]; vx[i] = b; special = special || !(b * b).isFinite }
                kind[i] = special ? 2 : 1
            }
            var sums = FrameSums(), lo = 0, hi = 0, specials = 0
            for i in 0..<len {
                let s = starts[i], e = ends[i] + 1
                var frameSums = FrameSums()
                if s < e {
                    if s < lo || e < hi || s >= hi { sums = FrameSums(); specials = 0; lo = s; hi = s }
                    while hi < e {
                        if kind[hi] == 1 { sums.add(vy[hi], paired ? vx[hi] : 0, sign: 1, paired: paired) } else if kind[hi] == 2 { specials += 1 }
                        hi += 1
                    }
                    while lo < s {
                        if kind[lo] == 1 { sums.add(vy[lo], paired ? vx[lo] : 0, sign: -1, paired: paired) } else if kind[lo] == 2 { specials -= 1 }
                        lo += 1
                    }
                    frameSums = sums
                    if specials > 0 {
                        frameSums = FrameSums()
                        for p in s..<e where kind[p] != 0 { frameSums.add(vy[p], paired ? vx[p] : 0, sign: 1, paired: paired) }
                    }
                }
                let row = sorted.order[positions.lowerBound + i]
                if let v = MomentsAccumulator.value(function, frameSums) { out[row] = v; present[row] = true }
            }
        }
        var validity = ValidityBitmap(allValid: n)
        var anyNull = false
        for r in 0..<n where !present[r] { validity.setValid(r, false); anyNull = true }
        return ColumnData(type: .double, storage: .double(out.array()), validity: anyNull ? validity : nil)
    }
}
