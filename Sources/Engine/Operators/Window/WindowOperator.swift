// WINDOW: computes window functions over the whole input and appends one column per window
// expression. Expressions with the same PARTITION BY and ORDER BY share one sort. Rows are
// hash-partitioned into buckets by their partition key, and the buckets are sorted and
// computed on all workers at once; inside a bucket the rows of one partition lie together,
// in window order, ties broken by input position so the answer never depends on threads.
//
//   drain input -> per spec: partition keys -> hash -> buckets
//   per bucket (in parallel): sort by (hash, key, order keys, row) -> partitions -> kernels
//   -> every window's values written at its rows' input positions

import Columnar

final class WindowOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let windows: [WindowExpression]
    private let inputTypes: [LogicalType]
    private let context: QueryContext
    private var output: ChunkSplitter?
    private var reserved = 0

    init(_ child: PhysicalOperator, windows: [WindowExpression], inputTypes: [LogicalType], context: QueryContext) {
        self.child = child
        self.windows = windows
        self.inputTypes = inputTypes
        self.context = context
        name = "WINDOW " + windows.map(\.description).joined(separator: ", ")
    }

    deinit { context.release(reserved) }

    func next() throws(SQLError) -> DataChunk? {
        if output == nil {
            let (input, bytes) = try child.drain(types: inputTypes, context: context)
            reserved += bytes
            var columns = input.columns
            columns += try compute(input)
            output = ChunkSplitter()
            output!.load(DataChunk(columns: columns, count: input.count))
        }
        return output!.next()
    }

    /// Whether a window compares rows of equal order keys (ranking, RANGE frames).
    static func comparesPeers(_ w: WindowExpression) -> Bool {
        switch w.function {
        case .window(let kind):
            switch kind {
            case .rank, .denseRank, .percentRank, .cumeDist: return true
            case .firstValue, .lastValue, .nthValue, .nthValueFromLast: return w.frame.unit != .rows
            default: return false
            }
        case .aggregate: return w.frame.unit != .rows && w.aggregate == nil
        }
    }

    /// One column per window expression, in input row order.
    private func compute(_ input: DataChunk) throws(SQLError) -> [ColumnData] {
        var results = [ColumnData?](repeating: nil, count: windows.count)
        // Windows that partition and order alike share one sort.
        var groups: [(key: String, members: [Int])] = []
        for (i, w) in windows.enumerated() {
            let key = w.partitionBy.map(\.description).joined(separator: ",") + "|"
                + w.orderBy.map { "\($0.expr) \($0.descending) \($0.nullsFirst)" }.joined(separator: ",")
            if let g = groups.firstIndex(where: { $0.key == key }) { groups[g].members.append(i) } else { groups.append((key, [i])) }
        }
        for group in groups {
            let spec = windows[group.members[0]]
            var sorted = try SortedPartitions(input, partitionBy: spec.partitionBy, orderBy: spec.orderBy, context: context)
            if group.members.allSatisfy({ !Self.comparesPeers(windows[$0]) }) { sorted.releaseOrderKeys() }
            for i in group.members {
                results[i] = try WindowKernels.evaluate(windows[i], over: sorted, input: input, context: context)
            }
            try context.check()
        }
        return results.map { $0! }
    }
}

/// The input's rows grouped into partitions and sorted in window order: `order` lists input
/// row numbers, partitions are ranges of it (in the order their first row appears). Rows get
/// dense partition ids from a hash table, are placed partition by partition by a counting
/// sort (stable), and each partition is sorted by the ORDER BY keys on its own, partitions
/// spread over the workers. Ties keep input order, so the answer does not depend on threads.
struct SortedPartitions: @unchecked Sendable {
    /// Input rows, partition by partition, each in window order.
    private(set) var order: [Int]
    /// Each partition's range of `order`.
    let partitions: [Range<Int>]
    /// Groups of partitions of about equal size, one task of the workers each.
    let buckets: [Range<Int>]
    /// Compares two input rows by the ORDER BY keys (0: peers).
    let comparators: [SortOperator.KeyComparator]
    /// One ORDER BY key of fixed width: its order as integers (NULL rank, then value), so that
    /// peers are equal pairs. Indexed by input row.
    private var encoded: EncodedOrder?
    /// Several ORDER BY keys, each of fixed width: their order codes, compared in turn (no
    /// per-key type dispatch or validity test per comparison). Indexed by key, then input row.
    private var encodedKeys: [[UInt64]]?
    /// Two ORDER BY keys (`timestamp, movieId`): the first's order codes; the second only
    /// breaks ties, read through its comparator (`comparators[1]`), not encoded.
    private var leadingKey: [UInt64]?

    /// Lets go of the order keys once sorted, for windows that never compare peers (ROWS
    /// frames, LAG, ROW_NUMBER, ...): at 25M rows each key holds 200 MB.
    mutating func releaseOrderKeys() {
        encoded = nil
        encodedKeys = nil
        leadingKey = nil
    }

    init(_ input: DataChunk, partitionBy: [BoundExpr], orderBy: [SortKey], context: QueryContext) throws(SQLError) {
        let n = input.count
        var orderColumns: [ColumnData] = []
        for k in orderBy { orderColumns.append(try ExpressionEvaluator.evaluate(k.expr, input)) }

        // Partition ids, dense, in order of first appearance.
        var ids = [Int](repeating: 0, count: n)
        var partitionCount = n > 0 ? 1 : 0
        if !partitionBy.isEmpty && n > 0 {
            var keyColumns: [ColumnData] = []
            for p in partitionBy { keyColumns.append(try ExpressionEvaluator.evaluate(p, input).flattened()) }
            if keyColumns.count == 1, let runs = Self.runs(keyColumns[0]) {
                // Input clustered by the key (ratings by user): partitions are runs already.
                try self.init(order: Array(0..<n), partitions: runs, orderColumns: orderColumns, orderBy: orderBy, context: context)
                return
            }
            var inserted = [Bool](repeating: false, count: n)
            if keyColumns.count == 1, keyColumns[0].type.isInteger || keyColumns[0].type == .date || keyColumns[0].type == .timestamp {
                let index = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: min(n, 1 << 20), range: nil))
                index.ids(ColumnAccess.int64s(keyColumns[0]), validity: keyColumns[0].validity, ids: &ids, inserted: &inserted)
                partitionCount = index.count
            } else {
                let table = GroupHashTable(capacity: min(n, 1 << 20))
                table.findOrInsert(EncodedKeys.encode(keyColumns, rows: n), ids: &ids, inserted: &inserted)
                partitionCount = table.count
            }
        }
        try self.init(ids: consume ids, partitionCount: partitionCount, orderColumns: orderColumns, orderBy: orderBy, context: context)
    }

    /// The runs of equal values of an integer key without NULLs whose values never decrease
    /// (or never increase), nil otherwise: then each partition is one run, in input order.
    static func runs(_ key: ColumnData) -> [Range<Int>]? {
        guard key.validity == nil else { return nil }
        func scan<T: FixedWidthInteger>(_ v: UnsafeBufferPointer<T>) -> [Range<Int>]? {
            guard v.count > 1 else { return v.isEmpty ? [] : [0..<1] }
            let ascending = v[v.count - 1] >= v[0]
            var runs: [Range<Int>] = []
            var start = 0
            for r in 1..<v.count where v[r] != v[r - 1] {
                if (v[r] > v[r - 1]) != ascending { return nil }
                runs.append(start..<r)
                start = r
            }
            runs.append(start..<v.count)
            return runs
        }
        switch key.storage {
        case .int32(let v): return v.withUnsafeBufferPointer { scan($0) }
        case .int64(let v): return v.withUnsafeBufferPointer { scan($0) }
        default: return nil
        }
    }

    /// Rows already given partition ids (`ids[row]` in 0 ..< `partitionCount`; partition p is
    /// `partitions[p]`, empty when no row has id p), sorted by `orderColumns` within each.
    init(ids: consuming [Int], partitionCount: Int, orderColumns: [ColumnData], orderBy: [SortKey], context: QueryContext) throws(SQLError) {
        let n = ids.count
        // A stable counting sort by partition.
        var starts = [Int](repeating: 0, count: partitionCount + 1)
        for r in 0..<n { starts[ids[r] + 1] += 1 }
        for p in 0..<partitionCount { starts[p + 1] += starts[p] }
        var next = starts
        var order = [Int](repeating: 0, count: n)
        for r in 0..<n {
            order[next[ids[r]]] = r
            next[ids[r]] += 1
        }
        ids = []  // placed: 8 bytes a row let go before the sort
        let partitions = (0..<partitionCount).map { starts[$0]..<starts[$0 + 1] }
        try self.init(order: order, partitions: partitions, orderColumns: orderColumns, orderBy: orderBy, context: context)
    }

    /// Rows placed partition by partition (`order`, each partition a range of it, rows in
    /// input order within it), then sorted by `orderColumns` within each partition.
    private init(order: [Int], partitions: [Range<Int>], orderColumns: [ColumnData], orderBy: [SortKey], context: QueryContext) throws(SQLError) {
        let n = order.count
        let partitionCount = partitions.count
        encoded = orderBy.count == 1 ? EncodedOrder(orderColumns[0], orderBy[0]) : nil
        leadingKey = orderBy.count == 2 ? EncodedOrder(orderColumns[0], orderBy[0])?.keys : nil
        if orderBy.count > 2 {
            var all: [[UInt64]] = []
            for (c, k) in zip(orderColumns, orderBy) {
                guard let e = EncodedOrder(c, k) else { break }
                all.append(e.keys)
            }
            encodedKeys = all.count == orderBy.count ? all : nil
        } else {
            encodedKeys = nil
        }
        // Comparators (and the key columns they hold) only where no encoding serves; RANGE
        // frames read the first key's.
        comparators = zip(orderColumns, orderBy).prefix(encoded != nil || encodedKeys != nil ? 1 : orderBy.count)
            .map { SortOperator.KeyComparator(column: $0, key: $1) }
        self.partitions = partitions
        // Tasks of about n / (8 x threads) rows, whole partitions each.
        let target = max(1, n / max(1, context.threads * 8))
        var buckets: [Range<Int>] = []
        var first = 0, rows = 0
        for p in 0..<partitionCount {
            rows += partitions[p].count
            if rows >= target { buckets.append(first..<(p + 1)); first = p + 1; rows = 0 }
        }
        if first < partitionCount { buckets.append(first..<partitionCount) }
        self.buckets = buckets
        self.order = order
        if !orderBy.isEmpty { try sortPartitions() }
    }

    /// Sorts every partition's rows by the ORDER BY keys, the buckets on all workers.
    /// Each partition is sorted in place (buckets own disjoint ranges of `order`).
    private mutating func sortPartitions() throws(SQLError) {
        var order = self.order
        self.order = []  // the one reference: sorting in place copies nothing
        let me = UncheckedSendable(self)
        try order.withUnsafeMutableBufferPointer { (buffer) throws(SQLError) in
            let result = UncheckedSendable(buffer)
            try Workers.run(me.value.buckets.count) { (b) throws(SQLError) in
                let s = me.value
                let result = result.value
                let o = UnsafeBufferPointer(result)
                var pairs: [(UInt64, Int)] = []
                var scratch: [(UInt64, Int)] = []
                var rows: [Int] = []
                for p in s.buckets[b] {
                    let range = s.partitions[p]
                    if range.isEmpty { continue }
                    if let encoded = s.encoded {
                        // One fixed-width key: rows already in order (ties by input position, which
                        // the counting sort kept) stay; strictly descending ones are reversed; the
                        // rest sort as (key, row) pairs, with no comparator calls.
                        var ascending = true, descending = true
                        var previous = encoded.keys[o[range.lowerBound]]
                        for i in range.dropFirst() {
                            let k = encoded.keys[o[i]]
                            if k < previous { ascending = false }
                            if k >= previous { descending = false }
                            previous = k
                            if !ascending && !descending { break }
                        }
                        if ascending {
                            // In place already.
                        } else if descending {
                            var slice = UnsafeMutableBufferPointer(rebasing: result[range])
                            slice.reverse()
                        } else {
                            pairs.removeAll(keepingCapacity: true)
                            for i in range { pairs.append((encoded.keys[o[i]], o[i])) }
                            RadixSort.sort(&pairs, scratch: &scratch)
                            for (k, pair) in pairs.enumerated() { result[range.lowerBound + k] = pair.1 }
                        }
                    } else if let a = s.leadingKey {
                        // Two keys: rows already in order stay; the rest sort by the first key's
                        // codes (radix, stable: input order), then each run of equal first keys
                        // (short: ties) is ordered by the second key's comparator.
                        let second = s.comparators[1]
                        func before(_ x: Int, _ y: Int) -> Bool {
                            let c = second.compare(x, y)
                            return c < 0 || (c == 0 && x < y)
                        }
                        var ordered = true
                        for i in range.dropFirst() {
                            let x = o[i - 1], y = o[i]
                            if a[y] < a[x] || (a[y] == a[x] && before(y, x)) { ordered = false; break }
                        }
                        if !ordered {
                            pairs.removeAll(keepingCapacity: true)
                            for i in range { pairs.append((a[o[i]], o[i])) }
                            RadixSort.sort(&pairs, scratch: &scratch)
                            var start = 0
                            while start < pairs.count {
                                var end = start + 1
                                while end < pairs.count && pairs[end].0 == pairs[start].0 { end += 1 }
                                if end - start > 32 {
                                    // Many ties (a key of few values): a sort, not insertion.
                                    pairs[start..<end].sort { x, y in before(x.1, y.1) }
                                } else if end - start > 1 {
                                    for j in (start + 1)..<end {
                                        let item = pairs[j]
                                        var k = j - 1
                                        while k >= start && before(item.1, pairs[k].1) { pairs[k + 1] = pairs[k]; k -= 1 }
                                        pairs[k + 1] = item
                                    }
                                }
                                start = end
                            }
                            for (k, pair) in pairs.enumerated() { result[range.lowerBound + k] = pair.1 }
                        }
                    } else if let keys = s.encodedKeys {
                        rows.removeAll(keepingCapacity: true)
                        rows.append(contentsOf: UnsafeBufferPointer(rebasing: o[range]))
                        rows.sort { x, y in
                            for k in keys where k[x] != k[y] { return k[x] < k[y] }
                            return x < y
                        }
                        for (k, r) in rows.enumerated() { result[range.lowerBound + k] = r }
                    } else {
                        rows.removeAll(keepingCapacity: true)
                        rows.append(contentsOf: UnsafeBufferPointer(rebasing: o[range]))
                        let comparators = s.comparators
                        rows.sort { x, y in
                            for c in comparators {
                                let r = c.compare(x, y)
                                if r != 0 { return r < 0 }
                            }
                            return x < y
                        }
                        for (k, r) in rows.enumerated() { result[range.lowerBound + k] = r }
                    }
                }
            }
        }
        self.order = order
    }

    /// Whether input rows `a` and `b` have equal order keys.
    @inline(__always)
    func peers(_ a: Int, _ b: Int) -> Bool {
        if let encoded { return encoded.keys[a] == encoded.keys[b] }
        if let leadingKey { return leadingKey[a] == leadingKey[b] && comparators[1].compare(a, b) == 0 }
        if let keys = encodedKeys {
            for k in keys where k[a] != k[b] { return false }
            return true
        }
        for c in comparators where c.compare(a, b) != 0 { return false }
        return true
    }
}

/// One ORDER BY key of an integer, date, timestamp, boolean or double column as unsigned
/// integers in window order: NULLs below or above every value as the key says, descending
/// order inverted, doubles by their total order (-0.0 as 0.0, NaN after infinity).
struct EncodedOrder {
    let keys: [UInt64]

    init?(_ column: ColumnData, _ key: SortKey) {
        let c = column.flattened()
        let n = c.count
        var keys = [UInt64](repeating: 0, count: n)
        // Values occupy 1 ... UInt64.max - 1; NULL is 0 or UInt64.max.
        switch c.storage {
        case .double(let d):
            for r in 0..<n {
                var x = d[r]
                if x == 0 { x = 0 }  // -0.0 is a peer of 0.0
                if x.isNaN { x = .nan }
                let bits = x.bitPattern
                keys[r] = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            }
        case .int32(let v):
            // Read in place: no widened copy of the column (200 MB at 25M rows).
            v.withUnsafeBufferPointer { v in
                keys.withUnsafeMutableBufferPointer { k in
                    for r in 0..<n { k[r] = UInt64(bitPattern: Int64(v[r])) ^ (1 << 63) }
                }
            }
        case .int64(let v):
            v.withUnsafeBufferPointer { v in
                keys.withUnsafeMutableBufferPointer { k in
                    for r in 0..<n { k[r] = UInt64(bitPattern: v[r]) ^ (1 << 63) }
                }
            }
        case .boolean(let v):
            for r in 0..<n { keys[r] = (v[r] ? 1 : 0) ^ (1 << 63) }
        default:
            return nil
        }
        // The extremes are kept for NULL: two values at the very ends share a key with their
        // neighbour (Int64.min with Int64.min + 1), so such columns take the general path.
        for r in 0..<n where keys[r] == 0 || keys[r] == UInt64.max {
            if !c.isNull(r) { return nil }
        }
        let nullKey: UInt64 = key.nullsFirst ? 0 : UInt64.max
        for r in 0..<n {
            if c.isNull(r) { keys[r] = nullKey; continue }
            keys[r] = key.descending ? ~keys[r] : keys[r]
        }
        self.keys = keys
    }
}
