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
            let sorted = try SortedPartitions(input, partitionBy: spec.partitionBy, orderBy: spec.orderBy, context: context)
            for i in group.members {
                results[i] = try WindowKernels.evaluate(windows[i], over: sorted, input: input, context: context)
            }
            try context.check()
        }
        return results.map { $0! }
    }
}

/// The input's rows grouped into partitions and sorted in window order: `order` lists input
/// row numbers, partitions are ranges of it. The rows are split into buckets by the hash of
/// their partition key; each bucket is sorted on its own (in parallel), and a partition never
/// spans buckets.
struct SortedPartitions: @unchecked Sendable {
    /// Input rows in (bucket, partition, window order) order.
    let order: [Int]
    /// Each partition's range of `order`.
    let partitions: [Range<Int>]
    /// Buckets as ranges of `partitions`, for parallel kernels.
    let buckets: [Range<Int>]
    /// Compares two input rows by the ORDER BY keys (0: peers).
    let comparators: [SortOperator.KeyComparator]

    init(_ input: DataChunk, partitionBy: [BoundExpr], orderBy: [SortKey], context: QueryContext) throws(SQLError) {
        let n = input.count
        var orderColumns: [ColumnData] = []
        for k in orderBy { orderColumns.append(try ExpressionEvaluator.evaluate(k.expr, input)) }
        let comparators = zip(orderColumns, orderBy).map { SortOperator.KeyComparator(column: $0, key: $1) }
        self.comparators = comparators
        guard !partitionBy.isEmpty else {
            // One partition: every row, sorted by the order keys.
            var order = Array(0..<n)
            if !comparators.isEmpty { Self.sort(&order, comparators) }
            self.order = order
            partitions = n > 0 ? [0..<n] : []
            buckets = [0..<partitions.count]
            return
        }
        var keyColumns: [ColumnData] = []
        for p in partitionBy { keyColumns.append(try ExpressionEvaluator.evaluate(p, input)) }
        let keys = EncodedKeys.encode(keyColumns, rows: n)
        var hashes = [UInt64](repeating: 0, count: n)
        for r in 0..<n { hashes[r] = keys.withKey(r) { GroupHashTable.hash($0) } }
        // More buckets than workers, so that one large partition does not leave the others idle.
        let bucketCount = n < 50_000 ? 1 : max(1, context.threads * 8)
        var members = [[Int]](repeating: [], count: bucketCount)
        for r in 0..<n { members[Int(hashes[r] % UInt64(bucketCount))].append(r) }
        let shared = UncheckedSendable((keys, hashes, comparators))
        let sortedBuckets = BucketResults(count: bucketCount)
        let input = UncheckedSendable(members)
        try Workers.run(bucketCount) { (b) throws(SQLError) in
            let (keys, hashes, comparators) = shared.value
            var rows = input.value[b]
            rows.sort { x, y in
                if hashes[x] != hashes[y] { return hashes[x] < hashes[y] }
                let c = keys.withKey(x) { a in keys.withKey(y) { b in ExpressionEvaluator.compareBytes(a, b) } }
                if c != 0 { return c < 0 }
                for cmp in comparators {
                    let r = cmp.compare(x, y)
                    if r != 0 { return r < 0 }
                }
                return x < y
            }
            sortedBuckets.set(b, rows)
        }
        var order: [Int] = []
        order.reserveCapacity(n)
        var partitions: [Range<Int>] = []
        var buckets: [Range<Int>] = []
        for b in 0..<bucketCount {
            let rows = sortedBuckets.get(b)
            let firstPartition = partitions.count
            var start = order.count
            for (i, r) in rows.enumerated() {
                if i > 0 {
                    let previous = rows[i - 1]
                    let same = hashes[previous] == hashes[r]
                        && keys.withKey(previous, { a in keys.withKey(r) { b in a.elementsEqual(b) } })
                    if !same {
                        partitions.append(start..<order.count)
                        start = order.count
                    }
                }
                order.append(r)
            }
            if order.count > start { partitions.append(start..<order.count) }
            buckets.append(firstPartition..<partitions.count)
        }
        self.order = order
        self.partitions = partitions
        self.buckets = buckets
    }

    private static func sort(_ order: inout [Int], _ comparators: [SortOperator.KeyComparator]) {
        order.sort { x, y in
            for c in comparators {
                let r = c.compare(x, y)
                if r != 0 { return r < 0 }
            }
            return x < y
        }
    }

    /// Whether input rows `a` and `b` have equal order keys.
    @inline(__always)
    func peers(_ a: Int, _ b: Int) -> Bool {
        for c in comparators where c.compare(a, b) != 0 { return false }
        return true
    }

    /// Sorted buckets, each written by its own worker.
    final class BucketResults: @unchecked Sendable {
        private var rows: [[Int]]
        private let lock = NSLock()
        init(count: Int) { rows = Array(repeating: [], count: count) }
        func set(_ b: Int, _ r: [Int]) { lock.lock(); rows[b] = r; lock.unlock() }
        func get(_ b: Int) -> [Int] { lock.lock(); defer { lock.unlock() }; return rows[b] }
    }
}

import Foundation
