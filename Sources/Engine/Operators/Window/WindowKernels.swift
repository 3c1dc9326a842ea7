// The window functions' kernels, run partition by partition (the buckets of partitions on
// all workers at once). Positions inside a partition are its rows in window order; results
// are written at the rows' input positions. Ranking uses the peer groups (rows with equal
// order keys); navigation functions produce the input row they read, gathered at the end.

import Columnar

enum WindowKernels {
    static func evaluate(_ w: WindowExpression, over sorted: SortedPartitions, input: DataChunk,
                         context: QueryContext) throws(SQLError) -> ColumnData {
        let n = input.count
        var arguments: [ColumnData] = []
        for a in w.arguments { arguments.append(try ExpressionEvaluator.evaluate(a, input)) }
        switch w.function {
        case .aggregate(let f):
            return try WindowAggregates.evaluate(f, w, arguments: arguments, over: sorted, input: input)
        case .window(let kind):
            switch kind {
            case .rowNumber, .rank, .denseRank, .ntile:
                let buckets = kind == .ntile ? ColumnAccess.int64s(arguments[0]).first ?? 1 : 0
                let out = SharedBuffer<Int64>(count: n, zero: 0)
                try forEachPartition(sorted, peers: kind == .rank || kind == .denseRank) { positions, peers in
                    let len = positions.count
                    var rank: Int64 = 1, dense: Int64 = 0
                    for i in 0..<len {
                        let row = sorted.order[positions.lowerBound + i]
                        if let peers, peers.start[i] == i { rank = Int64(i + 1); dense += 1 }
                        switch kind {
                        case .rowNumber: out[row] = Int64(i + 1)
                        case .rank: out[row] = rank
                        case .denseRank: out[row] = dense
                        default: out[row] = ntile(i, count: len, buckets: Int(buckets))
                        }
                    }
                }
                return ColumnData(type: .int64, storage: .int64(out.array()))
            case .percentRank, .cumeDist:
                let out = SharedBuffer<Double>(count: n, zero: 0)
                try forEachPartition(sorted, peers: true) { positions, peers in
                    let peers = peers!
                    let len = positions.count
                    for i in 0..<len {
                        let row = sorted.order[positions.lowerBound + i]
                        if kind == .percentRank {
                            out[row] = len > 1 ? Double(peers.start[i]) / Double(len - 1) : 0
                        } else {
                            out[row] = Double(peers.end[i] + 1) / Double(len)
                        }
                    }
                }
                return ColumnData(type: .double, storage: .double(out.array()))
            case .lag, .lead, .firstValue, .lastValue, .nthValue, .nthValueFromLast:
                return try navigate(kind, w, arguments: arguments, over: sorted, type: w.type)
            case .conditionalTrueEvent, .conditionalChangeEvent:
                return try events(kind, arguments[0].flattened(), over: sorted)
            }
        }
    }

    /// CONDITIONAL_TRUE_EVENT / CONDITIONAL_CHANGE_EVENT: a running count per partition of
    /// the rows whose condition is true, or whose value differs from the row before (a NULL
    /// on either side is no change, as `x <> LAG(x)` is NULL there).
    static func events(_ kind: WindowFunction.Kind, _ value: ColumnData, over sorted: SortedPartitions) throws(SQLError) -> ColumnData {
        let n = value.count
        let out = SharedBuffer<Int64>(count: n, zero: 0)
        let validity = value.validity
        if kind == .conditionalTrueEvent {
            let holds = ColumnAccess.bools(value)
            try forEachPartition(sorted, peers: false) { positions, _ in
                var count: Int64 = 0
                for i in positions {
                    let row = sorted.order[i]
                    if holds[row] && (validity?.isValid(row) ?? true) { count += 1 }
                    out[row] = count
                }
            }
        } else {
            let comparator = UncheckedSendable(SortOperator.KeyComparator(
                column: value, key: SortKey(expr: .nullLiteral, descending: false, nullsFirst: false)))
            try forEachPartition(sorted, peers: false) { positions, _ in
                var count: Int64 = 0
                var previous = -1
                for i in positions {
                    let row = sorted.order[i]
                    if previous >= 0, validity?.isValid(previous) ?? true, validity?.isValid(row) ?? true,
                       comparator.value.compare(previous, row) != 0 {
                        count += 1
                    }
                    out[row] = count
                    previous = row
                }
            }
        }
        return ColumnData(type: .int64, storage: .int64(out.array()))
    }

    /// NTILE: position `i` of `count` rows in `buckets` buckets, the first `count % buckets`
    /// buckets one row larger.
    @inline(__always)
    static func ntile(_ i: Int, count: Int, buckets: Int) -> Int64 {
        let size = count / buckets, larger = count % buckets
        let boundary = larger * (size + 1)
        if i < boundary { return Int64(i / (size + 1) + 1) }
        return Int64(larger + (i - boundary) / max(size, 1) + 1)
    }

    /// Peer groups of a partition: for each position, the first and last position of the rows
    /// with equal order keys.
    struct Peers {
        var start: [Int]
        var end: [Int]
    }

    static func peers(_ sorted: SortedPartitions, _ positions: Range<Int>) -> Peers {
        let len = positions.count
        var start = [Int](repeating: 0, count: len), end = [Int](repeating: 0, count: len)
        var groupStart = 0
        for i in 0..<len {
            if i > 0 && !sorted.peers(sorted.order[positions.lowerBound + i - 1], sorted.order[positions.lowerBound + i]) {
                for j in groupStart..<i { end[j] = i - 1 }
                groupStart = i
            }
            start[i] = groupStart
        }
        for j in groupStart..<len { end[j] = len - 1 }
        return Peers(start: start, end: end)
    }

    /// Runs `body` on every partition, the buckets on all workers; the peer groups are
    /// computed only where asked for.
    static func forEachPartition(_ sorted: SortedPartitions, peers needed: Bool,
                                 _ body: @escaping @Sendable (Range<Int>, Peers?) -> Void) throws(SQLError) {
        let shared = UncheckedSendable(sorted)
        try Workers.run(sorted.buckets.count) { (b) throws(SQLError) in
            let sorted = shared.value
            for p in sorted.buckets[b] {
                let positions = sorted.partitions[p]
                body(positions, needed ? peers(sorted, positions) : nil)
            }
        }
    }

    // MARK: Navigation

    /// LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE: the input row each row reads (or its
    /// default, or NULL), then the values gathered.
    static func navigate(_ kind: WindowFunction.Kind, _ w: WindowExpression, arguments: [ColumnData],
                         over sorted: SortedPartitions, type: LogicalType) throws(SQLError) -> ColumnData {
        let n = arguments[0].count
        let value = arguments[0]
        // An offset past every partition finds nothing either way: clamped, so that position
        // arithmetic cannot overflow (LEAD(x, 9223372036854775807) is NULL, not a trap).
        let requested = arguments.count > 1 ? ColumnAccess.int64s(arguments[1]).first ?? 1 : 1
        let offset = Int(max(-Int64(n) - 1, min(Int64(n) + 1, requested)))
        let rangeKey = WindowFrames.rangeKey(w, sorted)
        let source = SharedBuffer<Int>(count: n, zero: Self.null)
        let ignoreNulls = w.ignoreNulls
        let frame = w.frame
        try forEachPartition(sorted, peers: kind.usesFrame && WindowFrames.needsPeers(frame)) { positions, peers in
            let len = positions.count
            let rows = sorted.order[positions]
            var starts: [Int] = [], ends: [Int] = []
            if kind.usesFrame {
                WindowFrames.ranges(frame, count: len, peers: peers, key: rangeKey, positions: positions, sorted: sorted,
                                    starts: &starts, ends: &ends)
            }
            // Positions of the partition whose value is not NULL (for IGNORE NULLS), in order,
            // and for each position how many of them come before it.
            var present: [Int] = []
            var before = [Int](repeating: 0, count: len + 1)
            if ignoreNulls {
                for (i, r) in rows.enumerated() {
                    before[i] = present.count
                    if !value.isNull(r) { present.append(i) }
                }
                before[len] = present.count
            }
            for i in 0..<len {
                let row = rows[rows.startIndex + i]
                var target: Int? = nil
                switch kind {
                case .lag, .lead:
                    if ignoreNulls {
                        let k = kind == .lag ? before[i] - offset : before[i + 1] + offset - 1
                        if offset == 0 { target = i } else if k >= 0 && k < present.count { target = present[k] }
                    } else {
                        let t = kind == .lag ? i - offset : i + offset
                        if t >= 0 && t < len { target = t }
                    }
                    if target == nil && arguments.count > 2 { source[row] = Self.useDefault; continue }
                default:
                    let s = starts[i], e = ends[i]
                    guard s <= e else { break }
                    if ignoreNulls {
                        // The non-NULL positions inside [s, e].
                        let first = before[s], last = before[e + 1] - 1
                        switch kind {
                        case .firstValue: if first <= last { target = present[first] }
                        case .lastValue: if first <= last { target = present[last] }
                        case .nthValueFromLast:
                            let k = last - offset + 1
                            if k >= first { target = present[k] }
                        default:
                            let k = first + offset - 1
                            if k <= last { target = present[k] }
                        }
                    } else {
                        switch kind {
                        case .firstValue: target = s
                        case .lastValue: target = e
                        case .nthValueFromLast: if e - offset + 1 >= s { target = e - offset + 1 }
                        default: if s + offset - 1 <= e { target = s + offset - 1 }
                        }
                    }
                }
                source[row] = target.map { rows[rows.startIndex + $0] } ?? Self.null
            }
        }
        return gather(value, source.array(), defaults: arguments.count > 2 ? arguments[2] : nil, type: type)
    }

    static let null = -1
    static let useDefault = -2

    /// Row by row, the value of input row `source[i]`, NULL for `null`, and the default
    /// column's own row for `useDefault`.
    static func gather(_ column: ColumnData, _ source: [Int], defaults: ColumnData?, type: LogicalType) -> ColumnData {
        let n = source.count
        var validity: ValidityBitmap? = nil
        func setNull(_ i: Int) {
            if validity == nil { validity = ValidityBitmap(allValid: n) }
            validity!.setValid(i, false)
        }
        let flat = column.flattened(), fallback = defaults?.flattened()
        switch type {
        case .varchar:
            var out = StringArray()
            out.offsets.reserveCapacity(n + 1)
            let texts = ColumnAccess.strings(flat), defaultTexts = fallback.map(ColumnAccess.strings)
            for i in 0..<n {
                let s = source[i]
                if s >= 0 && !flat.isNull(s) { texts.withValueBytes(s) { out.bytes.append(contentsOf: $0) } }
                else if s == useDefault, let defaultTexts, !fallback!.isNull(i) { defaultTexts.withValueBytes(i) { out.bytes.append(contentsOf: $0) } }
                else { setNull(i) }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: type, storage: .varchar(out), validity: validity)
        case .double:
            let values = ColumnAccess.doubles(flat), defaultValues = fallback.map(ColumnAccess.doubles)
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let s = source[i]
                if s >= 0 && !flat.isNull(s) { out[i] = values[s] }
                else if s == useDefault, let defaultValues, !fallback!.isNull(i) { out[i] = defaultValues[i] }
                else { setNull(i) }
            }
            return ColumnData(type: type, storage: .double(out), validity: validity)
        case .int32, .int64, .date, .timestamp, .boolean:
            let values = ColumnAccess.int64s(flat), defaultValues = fallback.map(ColumnAccess.int64s)
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                let s = source[i]
                if s >= 0 && !flat.isNull(s) { out[i] = values[s] }
                else if s == useDefault, let defaultValues, !fallback!.isNull(i) { out[i] = defaultValues[i] }
                else { setNull(i) }
            }
            let storage: ColumnData.Storage
            switch type {
            case .int32, .date: storage = .int32(out.map { Int32(truncatingIfNeeded: $0) })
            case .boolean: storage = .boolean(out.map { $0 != 0 })
            default: storage = .int64(out)
            }
            return ColumnData(type: type, storage: storage, validity: validity)
        case .listVarchar:
            var b = ColumnBuilder(type: type, capacity: n)
            for i in 0..<n {
                let s = source[i]
                if s >= 0 { b.append(from: flat, row: s) }
                else if s == useDefault, let fallback { b.append(from: fallback, row: i) }
                else { b.appendNull() }
            }
            return b.finish()
        }
    }
}

/// A buffer that the workers of a window kernel write at disjoint positions.
final class SharedBuffer<T>: @unchecked Sendable {
    private let pointer: UnsafeMutableBufferPointer<T>

    init(count: Int, zero: T) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: zero)
    }

    deinit { pointer.deallocate() }

    subscript(i: Int) -> T {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    func array() -> [T] { Array(pointer) }
}
