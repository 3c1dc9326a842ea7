// ORDER BY: drains its input, evaluates the sort keys once, and sorts row indexes with a
// comparator that switches on each key's type. With a LIMIT (top-N) it keeps only the best
// N rows of each batch and of the running result, so memory stays at N rows, not the input.

import Columnar

final class SortOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let keys: [SortKey]
    private let limit: Int?
    private let types: [LogicalType]
    private let context: QueryContext?
    /// Bytes of buffered input counted against the query's memory.
    private var reserved = 0
    private var splitter: ChunkSplitter?

    /// `context` nil: a sort inside another operator, which accounts for the rows itself.
    init(_ child: PhysicalOperator, keys: [SortKey], limit: Int?, types: [LogicalType], context: QueryContext?) {
        self.child = child
        self.context = context
        self.keys = keys
        self.limit = limit
        self.types = types
        name = (limit.map { "TOP_N \($0)" } ?? "ORDER") + " BY " + keys.map { "\($0.expr)\($0.descending ? " DESC" : "")" }.joined(separator: ", ")
    }

    deinit { context?.release(reserved) }

    func next() throws(SQLError) -> DataChunk? {
        if splitter == nil {
            splitter = ChunkSplitter()
            splitter!.load(try sortedInput())
        }
        return splitter!.next()
    }

    /// The whole input sorted (or its best `limit` rows), as one chunk.
    func sortedInput() throws(SQLError) -> DataChunk {
        guard let limit else {
            let input = try child.drain(types: types, context: context)
            reserved += input.bytes
            return try sorted(input.chunk, keep: nil)
        }
        // Top-N: sort each batch with the current best, keep N.
        var best = DataChunk(columns: types.map { ColumnData.empty($0) }, count: 0)
        var pending: [DataChunk] = []
        var pendingRows = 0
        func merge() throws(SQLError) {
            guard !pending.isEmpty else { return }
            let all = [best] + pending
            let combined = DataChunk(columns: types.indices.map { i in ColumnData.concatenate(all.map { $0.columns[i] }, type: types[i]) },
                                     count: all.reduce(0) { $0 + $1.count })
            best = try sorted(combined, keep: limit)
            pending = []
            pendingRows = 0
        }
        // Once N rows are held, the N-th row's first key is a bar: an incoming row whose first
        // key is worse cannot enter the result, so it is dropped before any sorting (a scan of
        // 25M rows for the top 10 then sorts a few thousand candidates, not every row).
        var bar: ColumnData? = nil
        while var chunk = try child.next() {
            if let bar {
                chunk = try candidates(chunk, bar: bar)
                if chunk.count == 0 { continue }
            }
            pending.append(chunk)
            pendingRows += chunk.count
            if pendingRows >= max(limit.multipliedReportingOverflow(by: 4).overflow ? Int.max : limit * 4, 32 * BatchSize.rows) {
                try merge()
                if limit > 0 && best.count >= limit { bar = try ExpressionEvaluator.evaluate(keys[0].expr, best.slice(limit - 1..<limit)) }
            }
        }
        try merge()
        return best
    }

    /// The rows of `chunk` whose first sort key is not worse than `bar` (a one-row column);
    /// NULLs and NaNs stay (they are ranked by the full comparison later).
    private func candidates(_ chunk: DataChunk, bar: ColumnData) throws(SQLError) -> DataChunk {
        guard !bar.isNull(0) else { return chunk }
        let key = try ExpressionEvaluator.evaluate(keys[0].expr, chunk)
        let descending = keys[0].descending
        var keep: [Int] = []
        keep.reserveCapacity(64)
        let validity = key.validity
        switch (key.storage, bar.storage) {
        case (.double(let v), .double(let b)):
            let limit = b[0]
            v.withUnsafeBufferPointer { p in
                for r in 0..<p.count where validity.map({ !$0.isValid(r) }) ?? false || (descending ? !(p[r] < limit) : !(p[r] > limit)) {
                    keep.append(r)
                }
            }
        case (.double, _), (_, .double), (.varchar, _), (.listVarchar, _), (.boolean, _):
            return chunk
        default:
            let v = ColumnAccess.int64s(key), limit = ColumnAccess.int64s(bar)[0]
            v.withUnsafeBufferPointer { p in
                for r in 0..<p.count where validity.map({ !$0.isValid(r) }) ?? false || (descending ? p[r] >= limit : p[r] <= limit) {
                    keep.append(r)
                }
            }
        }
        return keep.count == chunk.count ? chunk : chunk.gather(keep)
    }

    private func sorted(_ input: DataChunk, keep: Int?) throws(SQLError) -> DataChunk {
        var keyColumns: [ColumnData] = []
        for k in keys { keyColumns.append(try ExpressionEvaluator.evaluate(k.expr, input)) }
        let comparators = zip(keyColumns, keys).map { KeyComparator(column: $0, key: $1) }
        var order = Array(0..<input.count)
        order.sort { a, b in
            for c in comparators {
                let r = c.compare(a, b)
                if r != 0 { return r < 0 }
            }
            return a < b  // stable
        }
        if let keep, order.count > keep { order.removeSubrange(keep...) }
        return input.gather(order)
    }

    /// Compares two rows of one sort key.
    struct KeyComparator {
        /// INT columns stay 32-bit: a widened copy would cost 8 bytes a row.
        enum Values { case ints([Int64]), int32s([Int32]), doubles([Double]), strings(StringArray), lists(StringListArray) }
        let values: Values
        let validity: ValidityBitmap?
        let descending: Bool
        let nullsFirst: Bool

        init(column: ColumnData, key: SortKey) {
            switch column.storage {
            case .double(let d): values = .doubles(d)
            case .varchar(let s): values = .strings(s)
            case .listVarchar(let l): values = .lists(l)
            case .int32(let v): values = .int32s(v)
            default: values = .ints(ColumnAccess.int64s(column))
            }
            validity = column.validity
            descending = key.descending
            nullsFirst = key.nullsFirst
        }

        @inline(__always)
        func compare(_ a: Int, _ b: Int) -> Int {
            if let v = validity {
                let an = !v.isValid(a), bn = !v.isValid(b)
                if an || bn {
                    if an && bn { return 0 }
                    return an == nullsFirst ? -1 : 1
                }
            }
            var r: Int
            switch values {
            case .ints(let x): r = x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
            case .int32s(let x): r = x[a] < x[b] ? -1 : (x[a] > x[b] ? 1 : 0)
            case .doubles(let x):
                // A total order: NaN after every number (as DuckDB and PostgreSQL sort it).
                let p = x[a], q = x[b]
                r = p < q ? -1 : (p > q ? 1 : (p == q ? 0 : (p.isNaN ? (q.isNaN ? 0 : 1) : -1)))
            case .strings(let s): r = s.withValueBytes(a) { p in s.withValueBytes(b) { q in ExpressionEvaluator.compareBytes(p, q) } }
            case .lists(let l): r = l[a].lexicographicallyPrecedes(l[b]) ? -1 : (l[a] == l[b] ? 0 : 1)
            }
            return descending ? -r : r
        }
    }
}
