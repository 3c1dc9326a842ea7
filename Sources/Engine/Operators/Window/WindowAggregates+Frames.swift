// Every other aggregate over a running or sliding frame (STDDEV, VARIANCE, CORR, MEDIAN,
// PERCENTILE_*, MODE, LISTAGG, ARRAY_AGG, MIN_BY / MAX_BY, BOOL_AND, COUNT(DISTINCT), ...):
// each output row is a group of its own, fed the rows of its frame, through the same
// accumulator GROUP BY uses, so every function means the same over a frame as over a group.
// The work is the sum of the frame sizes: a sliding frame of w rows costs w per row (LISTAGG
// and ARRAY_AGG produce that much anyway); rows are fed in rounds of about a million frame
// rows, so memory stays bounded whatever the frames. Variance, deviation, covariance,
// correlation and REGR_* instead slide their sums: each row enters once and leaves once;
// MEDIAN and PERCENTILE_* count ranks in a tree (SlidingQuantile.swift), COUNT(DISTINCT)
// counts per value id (SlidingDistinctCount.swift).

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
        if call.distinct && call.function == .count {
            return try slidingDistinctCount(call, w, Array(columns.prefix(call.arguments.count)), filter: filter, over: sorted, rows: n)
        }
        if slidesQuantile(call) {
            return try slidingQuantile(call, w, columns[0], filter: filter, over: sorted, rows: n)
        }
        let rangeKey = WindowFrames.rangeKey(w, sorted)
        let frame = w.frame, needsPeers = WindowFrames.needsPeers(frame)
        var result = ScatteredColumn(type: w.type, rows: n)
        var roundRows: [Int] = [], selection: [Int] = [], ids: [Int] = []
        func finishRound() throws(SQLError) {
            guard !roundRows.isEmpty else { return }
            try result.place(try aggregate(call, columns, filter: filter, selection: selection, ids: ids, groups: roundRows.count), at: roundRows)
            roundRows.removeAll(keepingCapacity: true)
            selection.removeAll(keepingCapacity: true)
            ids.removeAll(keepingCapacity: true)
        }
        // Partition by partition, each row's frame (positions in the partition) read into the
        // round: nothing of the size of the input is kept but the answers.
        var starts: [Int] = [], ends: [Int] = []
        for positions in sorted.partitions where !positions.isEmpty {
            WindowFrames.ranges(frame, count: positions.count, peers: needsPeers ? WindowKernels.peers(sorted, positions) : nil,
                                key: rangeKey, positions: positions, sorted: sorted, starts: &starts, ends: &ends)
            let base = positions.lowerBound
            for i in 0..<positions.count {
                let group = roundRows.count
                roundRows.append(sorted.order[base + i])
                if starts[i] <= ends[i] {
                    for p in starts[i]...ends[i] {
                        selection.append(sorted.order[base + p])
                        ids.append(group)
                    }
                }
                if selection.count >= framedRound { try finishRound() }
            }
        }
        try finishRound()
        return result.finish()
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
            let rows = sorted.order[positions]
            if paired {
                slide(FrameSums.self, function, vy, vx, kind, starts, ends, rows: rows, out: out, present: present)
            } else {
                slide(SingleSums.self, function, vy, vx, kind, starts, ends, rows: rows, out: out, present: present)
            }
        }
        var validity = ValidityBitmap(allValid: n)
        var anyNull = false
        for r in 0..<n where !present[r] { validity.setValid(r, false); anyNull = true }
        return ColumnData(type: .double, storage: .double(out.array()), validity: anyNull ? validity : nil)
    }

    /// Slides `S` over one partition's frames (`starts[i] ... ends[i]`, positions in the
    /// partition) and writes each row's answer at its input row. Specialized per sums type, so
    /// the single-variable functions keep their four running doubles in registers.
    private static func slide<S: SlidingSums>(_: S.Type, _ function: AggregateCall.Function, _ vy: [Double], _ vx: [Double],
                                              _ kind: [UInt8], _ starts: [Int], _ ends: [Int], rows: ArraySlice<Int>,
                                              out: SharedBuffer<Double>, present: SharedBuffer<Bool>) {
        vy.withUnsafeBufferPointer { vy in
            vx.withUnsafeBufferPointer { vx in
                kind.withUnsafeBufferPointer { kind in
                    var sums = S(), lo = 0, hi = 0, specials = 0
                    for i in 0..<vy.count {
                        let s = starts[i], e = ends[i] + 1
                        guard s < e else { continue }
                        if s < lo || e < hi || s >= hi { sums = S(); specials = 0; lo = s; hi = s }
                        while hi < e {
                            if kind[hi] == 1 { sums.add(vy[hi], S.paired ? vx[hi] : 0, sign: 1) } else if kind[hi] == 2 { specials += 1 }
                            hi += 1
                        }
                        while lo < s {
                            if kind[lo] == 1 { sums.add(vy[lo], S.paired ? vx[lo] : 0, sign: -1) } else if kind[lo] == 2 { specials -= 1 }
                            lo += 1
                        }
                        let value: Double?
                        if specials > 0 {
                            // Summed afresh: a running sum that met an infinity or NaN keeps it.
                            var fresh = S()
                            for p in s..<e where kind[p] != 0 { fresh.add(vy[p], S.paired ? vx[p] : 0, sign: 1) }
                            value = MomentsAccumulator.value(function, fresh.frameSums)
                        } else {
                            value = MomentsAccumulator.value(function, sums.frameSums)
                        }
                        if let value {
                            let row = rows[rows.startIndex + i]
                            out[row] = value
                            present[row] = true
                        }
                    }
                }
            }
        }
    }
}

/// Sums a frame's rows are added to and taken from as it slides.
protocol SlidingSums {
    /// Whether the sums read a second argument (covariance, correlation, REGR_*).
    static var paired: Bool { get }
    init()
    mutating func add(_ y: Double, _ x: Double, sign: Double)
    var frameSums: FrameSums { get }
}

extension FrameSums: SlidingSums {
    static var paired: Bool { true }
    @inline(__always) mutating func add(_ y: Double, _ x: Double, sign: Double) { add(y, x, sign: sign, paired: true) }
    var frameSums: FrameSums { self }
}

/// The count, sum and sum of squares of one argument: all that VARIANCE and STDDEV read.
struct SingleSums: SlidingSums {
    static var paired: Bool { false }
    var count: Int64 = 0
    var y = DoubleDouble.zero, yy = DoubleDouble.zero

    @inline(__always)
    mutating func add(_ v: Double, _: Double, sign: Double) {
        count += sign > 0 ? 1 : -1
        y.add(sign * v)
        let (p, e) = DoubleDouble.twoProduct(v, v)
        yy.add(sign * p, sign * e)
    }

    var frameSums: FrameSums { FrameSums(count: count, y: y, yy: yy) }
}

/// A window's answers, computed round by round in window order, written at their input rows:
/// fixed-width values straight into a column of the input's length (no permutation of the
/// whole column), text and arrays gathered once at the end.
private struct ScatteredColumn {
    private let type: LogicalType
    private let rows: Int
    private var storage: ColumnData.Storage?
    private var validity: ValidityBitmap
    private var anyNull = false
    /// Text and arrays: the rounds' answers and the input rows they belong to, in order.
    private var pieces: [ColumnData] = []
    private var pieceRows: [Int] = []

    init(type: LogicalType, rows: Int) {
        self.type = type
        self.rows = rows
        validity = ValidityBitmap(allValid: rows)
        switch type {
        case .double: storage = .double([Double](repeating: 0, count: rows))
        case .int64, .timestamp: storage = .int64([Int64](repeating: 0, count: rows))
        case .int32, .date: storage = .int32([Int32](repeating: 0, count: rows))
        case .boolean: storage = .boolean([Bool](repeating: false, count: rows))
        case .varchar, .listVarchar: storage = nil
        }
    }

    /// Row k of `piece` is the answer of input row `at[k]`.
    mutating func place(_ piece: ColumnData, at targets: [Int]) throws(SQLError) {
        let piece = piece.flattened()
        for (k, row) in targets.enumerated() where piece.isNull(k) {
            validity.setValid(row, false)
            anyNull = true
        }
        guard storage != nil else {
            pieces.append(piece)
            pieceRows += targets
            return
        }
        // The column is taken out of `storage` while written, so that it is not copied.
        func scatter<T>(_ values: [T], _ take: (ColumnData.Storage) -> [T]?, _ wrap: ([T]) -> ColumnData.Storage) -> Bool {
            guard let current = storage, var out = take(current) else { return false }
            storage = nil
            _ = consume current
            out.withUnsafeMutableBufferPointer { out in
                for (k, row) in targets.enumerated() { out[row] = values[k] }
            }
            storage = wrap(out)
            return true
        }
        let placed: Bool
        switch piece.storage {
        case .double(let v): placed = scatter(v, { if case .double(let o) = $0 { o } else { nil } }, { .double($0) })
        case .int64(let v): placed = scatter(v, { if case .int64(let o) = $0 { o } else { nil } }, { .int64($0) })
        case .int32(let v): placed = scatter(v, { if case .int32(let o) = $0 { o } else { nil } }, { .int32($0) })
        case .boolean(let v): placed = scatter(v, { if case .boolean(let o) = $0 { o } else { nil } }, { .boolean($0) })
        default: placed = false
        }
        if !placed { throw SQLError(.internal, "a window aggregate gave \(piece.type) values for a \(type) column") }
    }

    consuming func finish() -> ColumnData {
        let validity = anyNull ? validity : nil
        if let storage, pieces.isEmpty { return ColumnData(type: type, storage: storage, validity: validity) }
        // Back in input order: input row pieceRows[k] takes value k.
        var place = [Int](repeating: 0, count: rows)
        for (k, row) in pieceRows.enumerated() { place[row] = k }
        return ColumnData.concatenate(pieces, type: type).selecting(place)
    }
}
