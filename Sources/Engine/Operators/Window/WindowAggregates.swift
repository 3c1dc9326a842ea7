// Aggregates over window frames, each frame in O(1) or O(log n): COUNT, SUM and AVG from
// prefix sums over the partition (integers exactly in 128 bits, doubles as double-double
// sums with infinities and NaN counted apart, so a frame without them is not poisoned by
// them), MIN and MAX from a segment tree of the partition's values (DuckDB's
// `WindowSegmentTree` plays the same part). Never O(rows x frame).

import Columnar

enum WindowAggregates {
    static func evaluate(_ f: AggregateCall.Function, _ w: WindowExpression, arguments: [ColumnData],
                         over sorted: SortedPartitions, input: DataChunk) throws(SQLError) -> ColumnData {
        if let call = w.aggregate, !(w.frame.start == .unboundedPreceding && w.frame.end == .unboundedFollowing) {
            return try framed(call, w, over: sorted, input: input)
        }
        let n = input.count
        let rangeKey = WindowFrames.rangeKey(w, sorted)
        let frame = w.frame
        var argument = arguments.first?.flattened()
        if let call = w.aggregate, call.function.isBasic, let v = argument {
            // COUNT / SUM / AVG (DISTINCT x) [FILTER ...] over the whole partition: x kept only
            // at its first row in the partition where the filter holds, NULL elsewhere.
            let include = try rowsIncluded(call, arguments: [v], over: sorted, input: input)
            var validity = v.validity ?? ValidityBitmap(allValid: n)
            if let include { for r in 0..<n where !include[r] { validity.setValid(r, false) } }
            argument = ColumnData(type: v.type, storage: v.storage, validity: validity)
        }
        let value = argument
        switch f {
        case .countStar, .count:
            let out = SharedBuffer<Int64>(count: n, zero: 0)
            try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
                let rows = sorted.order[positions]
                let len = rows.count
                var starts: [Int] = [], ends: [Int] = []
                WindowFrames.ranges(frame, count: len, peers: peers, key: rangeKey, positions: positions, sorted: sorted, starts: &starts, ends: &ends)
                var present = [Int](repeating: 0, count: len + 1)
                for (i, r) in rows.enumerated() { present[i + 1] = present[i] + (f == .countStar || !value!.isNull(r) ? 1 : 0) }
                for i in 0..<len {
                    let s = starts[i], e = ends[i]
                    out[rows[rows.startIndex + i]] = s <= e ? Int64(present[e + 1] - present[s]) : 0
                }
            }
            return ColumnData(type: .int64, storage: .int64(out.array()))
        case .sum, .avg:
            guard let value else { throw SQLError(.internal, "\(f.rawValue) over a window without an argument") }
            if value.type == .double {
                return try doubleSums(f, value, frame: frame, key: rangeKey, sorted: sorted, type: w.type)
            }
            return try integerSums(f, value, frame: frame, key: rangeKey, sorted: sorted, type: w.type)
        case .min, .max:
            guard let value else { throw SQLError(.internal, "\(f.rawValue) over a window without an argument") }
            let best = SharedBuffer<Int>(count: n, zero: WindowKernels.null)
            let greatest = f == .max
            switch value.storage {
            case .double(let d):
                try extremes(DoubleOrder(values: d, greatest: greatest), value, frame, rangeKey, sorted, best)
            case .varchar(let s):
                try extremes(TextOrder(texts: s, greatest: greatest), value, frame, rangeKey, sorted, best)
            case .listVarchar:
                throw SQLError(.unsupported, "\(f.rawValue.uppercased()) of an array over a window is not supported")
            default:
                try extremes(IntegerOrder(values: ColumnAccess.int64s(value), greatest: greatest), value, frame, rangeKey, sorted, best)
            }
            return WindowKernels.gather(value, best.array(), defaults: nil, type: w.type)
        default:
            guard let call = w.aggregate else { throw SQLError(.internal, "\(f.rawValue) over a window without its call") }
            return try wholePartitions(call, over: sorted, input: input)
        }
    }

    /// An aggregate over each whole partition, every row getting its partition's value: the
    /// call's accumulator with partitions as its groups.
    private static func wholePartitions(_ call: AggregateCall, over sorted: SortedPartitions, input: DataChunk) throws(SQLError) -> ColumnData {
        let n = input.count
        var ids = [Int](repeating: 0, count: n)
        for (p, range) in sorted.partitions.enumerated() { for i in range { ids[sorted.order[i]] = p } }
        var columns: [ColumnData] = []
        for e in call.arguments + call.orderBy.map(\.expr) { columns.append(try ExpressionEvaluator.evaluate(e, input)) }
        let include = try rowsIncluded(call, arguments: Array(columns.prefix(call.arguments.count)), over: sorted, input: input)
        let accumulator = GroupAccumulators.make([call])[0]!
        try accumulator.update(columns, include: include, ids: ids, groups: sorted.partitions.count)
        let values = try accumulator.finish(groups: sorted.partitions.count, context: nil)
        return values.selecting(ids)
    }

    /// The rows an aggregate call reads (nil: all): those where its FILTER holds, and with
    /// DISTINCT only the first of them for each (partition, argument values).
    private static func rowsIncluded(_ call: AggregateCall, arguments: [ColumnData], over sorted: SortedPartitions,
                                     input: DataChunk) throws(SQLError) -> [Bool]? {
        let n = input.count
        var include: [Bool]? = nil
        if let f = call.filter {
            let holds = try ExpressionEvaluator.evaluate(f, input)
            var keep = ColumnAccess.bools(holds)
            if let v = holds.validity { for r in 0..<n where !v.isValid(r) { keep[r] = false } }
            include = keep
        }
        if call.distinct {
            // DISTINCT: each (partition, value) once, at its first row.
            var ids = [Int64](repeating: 0, count: n)
            for (p, range) in sorted.partitions.enumerated() { for i in range { ids[sorted.order[i]] = Int64(p) } }
            let partition = ColumnData(type: .int64, storage: .int64(ids))
            let keys = EncodedKeys.encode([partition] + arguments, rows: n)
            var pairIds = [Int](repeating: 0, count: n), first = [Bool](repeating: false, count: n)
            GroupHashTable(capacity: 1024).findOrInsert(keys, ids: &pairIds, inserted: &first)
            if let keep = include {
                // The first row of a pair among those the filter keeps.
                var seen = Set<Int>()
                include = (0..<n).map { r in keep[r] && seen.insert(pairIds[r]).inserted }
            } else {
                include = first
            }
        }
        return include
    }

    /// Frame sums of an integer column: 128-bit prefix sums, exact.
    private static func integerSums(_ f: AggregateCall.Function, _ value: ColumnData, frame: WindowFrameBounds,
                                    key: WindowFrames.RangeKey?, sorted: SortedPartitions, type: LogicalType) throws(SQLError) -> ColumnData {
        let n = value.count
        let values = ColumnAccess.int64s(value)
        let sums = SharedBuffer<Int64>(count: n, zero: 0), means = SharedBuffer<Double>(count: n, zero: 0)
        let empty = SharedBuffer<Bool>(count: n, zero: false)
        let overflow = SharedBuffer<Bool>(count: 1, zero: false)
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            let rows = sorted.order[positions]
            let len = rows.count
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: len, peers: peers, key: key, positions: positions, sorted: sorted, starts: &starts, ends: &ends)
            var prefix = [Int128](repeating: 0, count: len + 1), present = [Int](repeating: 0, count: len + 1)
            for (i, r) in rows.enumerated() {
                let isNull = value.isNull(r)
                prefix[i + 1] = prefix[i] + (isNull ? 0 : Int128(values[r]))
                present[i + 1] = present[i] + (isNull ? 0 : 1)
            }
            for i in 0..<len {
                let row = rows[rows.startIndex + i]
                let s = starts[i], e = ends[i]
                let count = s <= e ? present[e + 1] - present[s] : 0
                if count == 0 { empty[row] = true; continue }
                let total = prefix[e + 1] - prefix[s]
                if f == .avg {
                    means[row] = Double(total) / Double(count)
                } else if let exact = Int64(exactly: total) {
                    sums[row] = exact
                } else {
                    overflow[0] = true
                }
            }
        }
        if overflow[0] { throw SQLError(.runtime, "integer overflow in SUM over a window (out of range for BIGINT)", reason: .numericOutOfRange) }
        let validity = nulls(empty, n)
        if f == .avg { return ColumnData(type: .double, storage: .double(means.array()), validity: validity) }
        return ColumnData(type: type, storage: .int64(sums.array()), validity: validity)
    }

    /// Frame sums of a DOUBLE column: double-double prefix sums of the finite values, with
    /// +infinity, -infinity and NaN counted apart.
    private static func doubleSums(_ f: AggregateCall.Function, _ value: ColumnData, frame: WindowFrameBounds,
                                   key: WindowFrames.RangeKey?, sorted: SortedPartitions, type: LogicalType) throws(SQLError) -> ColumnData {
        let n = value.count
        let values = ColumnAccess.doubles(value)
        let out = SharedBuffer<Double>(count: n, zero: 0)
        let empty = SharedBuffer<Bool>(count: n, zero: false)
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            let rows = sorted.order[positions]
            let len = rows.count
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: len, peers: peers, key: key, positions: positions, sorted: sorted, starts: &starts, ends: &ends)
            var hi = [Double](repeating: 0, count: len + 1), lo = [Double](repeating: 0, count: len + 1)
            var plain = true
            for r in rows where value.isNull(r) || !values[r].isFinite { plain = false; break }
            // Prefix sums of finite values can pass the largest double where no frame's sum
            // does (1e308 + 1e308 - 1e308): then they run again on the values times 2^-64
            // (exact: a power of two), and each frame's sum is scaled back.
            var scale = 1.0
            if plain {
                // No NULL, infinity or NaN (the common case): one prefix pass, one frame pass.
                while true {
                    for (i, r) in rows.enumerated() {
                        let (s, e) = AggregationTable.twoSum(hi[i], values[r] * scale)
                        hi[i + 1] = s
                        lo[i + 1] = lo[i] + e
                    }
                    if hi[len].isFinite && lo[len].isFinite || scale != 1 { break }
                    scale = 0x1p-64
                }
                for i in 0..<len {
                    let row = rows[rows.startIndex + i]
                    let s = starts[i], e = ends[i]
                    if s > e { empty[row] = true; continue }
                    let (d, err) = AggregationTable.twoSum(hi[e + 1], -hi[s])
                    let total = (d + (err + (lo[e + 1] - lo[s]))) / scale
                    out[row] = f == .avg ? total / Double(e - s + 1) : total
                }
                return
            }
            var present = [Int](repeating: 0, count: len + 1)
            var nan = [Int32](repeating: 0, count: len + 1), up = [Int32](repeating: 0, count: len + 1), down = [Int32](repeating: 0, count: len + 1)
            while true {
                for (i, r) in rows.enumerated() {
                    let isNull = value.isNull(r)
                    let v = isNull ? 0 : values[r]
                    present[i + 1] = present[i] + (isNull ? 0 : 1)
                    nan[i + 1] = nan[i] + (v.isNaN ? 1 : 0)
                    up[i + 1] = up[i] + (v == .infinity ? 1 : 0)
                    down[i + 1] = down[i] + (v == -.infinity ? 1 : 0)
                    let finite = v.isFinite ? v * scale : 0
                    let (s, e) = AggregationTable.twoSum(hi[i], finite)
                    hi[i + 1] = s
                    lo[i + 1] = lo[i] + e
                }
                if hi[len].isFinite && lo[len].isFinite || scale != 1 { break }
                scale = 0x1p-64
            }
            for i in 0..<len {
                let row = rows[rows.startIndex + i]
                let s = starts[i], e = ends[i]
                let count = s <= e ? present[e + 1] - present[s] : 0
                if count == 0 { empty[row] = true; continue }
                var total: Double
                let nans = nan[e + 1] - nan[s], ups = up[e + 1] - up[s], downs = down[e + 1] - down[s]
                if nans > 0 || (ups > 0 && downs > 0) {
                    total = .nan
                } else if ups > 0 {
                    total = .infinity
                } else if downs > 0 {
                    total = -.infinity
                } else {
                    let (d, err) = AggregationTable.twoSum(hi[e + 1], -hi[s])
                    total = (d + (err + (lo[e + 1] - lo[s]))) / scale
                }
                out[row] = f == .avg ? total / Double(count) : total
            }
        }
        return ColumnData(type: .double, storage: .double(out.array()), validity: nulls(empty, n))
    }

    private static func nulls(_ empty: SharedBuffer<Bool>, _ n: Int) -> ValidityBitmap? {
        var validity: ValidityBitmap? = nil
        for i in 0..<n where empty[i] {
            if validity == nil { validity = ValidityBitmap(allValid: n) }
            validity!.setValid(i, false)
        }
        return validity
    }

    /// MIN / MAX per frame: the input row holding the best value, from a segment tree over
    /// the partition's positions (NULLs never best).
    private static func extremes<O: ValueOrder>(_ order: O, _ value: ColumnData, _ frame: WindowFrameBounds, _ key: WindowFrames.RangeKey?,
                                                _ sorted: SortedPartitions, _ best: SharedBuffer<Int>) throws(SQLError) {
        try WindowKernels.forEachPartition(sorted, peers: WindowFrames.needsPeers(frame)) { positions, peers in
            let rows = Array(sorted.order[positions])
            let len = rows.count
            var starts: [Int] = [], ends: [Int] = []
            WindowFrames.ranges(frame, count: len, peers: peers, key: key, positions: positions, sorted: sorted, starts: &starts, ends: &ends)
            // Leaves at [size, 2 * size): input rows, -1 for NULL or padding; inner nodes the
            // better of their children.
            var size = 1
            while size < len { size <<= 1 }
            var tree = [Int](repeating: -1, count: 2 * size)
            for i in 0..<len where !value.isNull(rows[i]) { tree[size + i] = rows[i] }
            func better(_ a: Int, _ b: Int) -> Int {
                if a < 0 { return b }
                if b < 0 { return a }
                return order.better(b, than: a) ? b : a
            }
            if size > 1 { for node in stride(from: size - 1, through: 1, by: -1) { tree[node] = better(tree[2 * node], tree[2 * node + 1]) } }
            for i in 0..<len {
                let s = starts[i], e = ends[i]
                guard s <= e else { continue }
                var l = s + size, r = e + size + 1
                var result = -1
                while l < r {
                    if l & 1 == 1 { result = better(result, tree[l]); l += 1 }
                    if r & 1 == 1 { r -= 1; result = better(result, tree[r]) }
                    l >>= 1
                    r >>= 1
                }
                best[rows[i]] = result
            }
        }
    }
}

/// Which of two input rows holds the better value for MIN or MAX.
protocol ValueOrder: Sendable {
    func better(_ a: Int, than b: Int) -> Bool
}

struct IntegerOrder: ValueOrder {
    let values: [Int64]
    let greatest: Bool
    @inline(__always) func better(_ a: Int, than b: Int) -> Bool { greatest ? values[a] > values[b] : values[a] < values[b] }
}

/// Doubles in SQL's total order (NaN greatest).
struct DoubleOrder: ValueOrder {
    let values: [Double]
    let greatest: Bool
    @inline(__always) func better(_ a: Int, than b: Int) -> Bool {
        let c = ExpressionEvaluator.totalOrder(values[a], values[b])
        return greatest ? c > 0 : c < 0
    }
}

struct TextOrder: ValueOrder, @unchecked Sendable {
    let texts: StringArray
    let greatest: Bool
    @inline(__always) func better(_ a: Int, than b: Int) -> Bool {
        let c = texts.withValueBytes(a) { x in texts.withValueBytes(b) { y in ExpressionEvaluator.compareBytes(x, y) } }
        return greatest ? c > 0 : c < 0
    }
}
