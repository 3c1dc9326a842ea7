// ASOF join: each probe (left) row joins the build (right) row with equal keys whose time is
// nearest on the allowed side of its own: for `left.t >= right.t` the latest right row not
// after it. The build side is read whole, grouped by its keys and sorted by time within each
// group once; each probe row is then one key lookup and one binary search, never a pass over
// its candidates (DuckDB sorts both sides and merges; a search keeps the probe streaming, in
// its own order).
//
//   build: drain -> group id per row (keys) -> sort (group, time, row) -> per group a run of times
//   probe: per batch -> group id and time per row -> binary search in the group's run -> gather
//
// Among build rows of equal keys and time the last one read matches, so the answer is the
// same on every run. A NULL key or time matches nothing.

import Columnar

final class AsofJoinOperator: PhysicalOperator {
    let name: String
    let probeInput: PhysicalOperator, buildInput: PhysicalOperator
    var children: [PhysicalOperator] { [probeInput, buildInput] }
    private let match: AsofMatch
    private let buildTypes: [LogicalType]
    private let context: QueryContext
    private var reserved = 0

    private var built = false
    private var build = DataChunk(columns: [], count: 0)
    /// One integer key: its values to group ids directly; other keys: byte keys in `table`.
    private var integerIndex: IntegerGroupIndex?
    private var table = GroupHashTable(capacity: 16)
    /// The build rows with a non-NULL key and time, ordered by (group, time, row): group g's
    /// rows are `groupStart[g] ..< groupStart[g + 1]`, their times `times` in that order.
    private var groupStart: [Int] = []
    private var times: [Int64] = []
    private var rows: [Int32] = []
    /// ASOF LEFT JOIN: the build side's added row of NULLs, for probe rows without a match.
    private var nullRow = 0

    deinit { context.release(reserved) }

    init(probe: PhysicalOperator, build: PhysicalOperator, match: AsofMatch, buildTypes: [LogicalType], context: QueryContext) {
        self.probeInput = probe
        self.buildInput = build
        self.match = match
        self.buildTypes = buildTypes
        self.context = context
        name = "ASOF_JOIN \(match)"
    }

    /// A time as an integer in the same order: integers as they are, a double by its bits
    /// (negative ones reversed; -0 is 0), so one search serves every time type.
    @inline(__always) static func orderKey(_ d: Double) -> Int64 {
        let bits = Int64(bitPattern: (d == 0 ? 0.0 : d).bitPattern)
        return bits < 0 ? bits ^ Int64.max : bits
    }

    /// Each row's time as an order key; false where it is NULL.
    private static func orderKeys(_ c: ColumnData) -> (keys: [Int64], valid: [Bool]) {
        let flat = c.flattened()
        let keys = flat.type == .double ? ColumnAccess.doubles(flat).map(orderKey) : ColumnAccess.int64s(flat)
        var valid = [Bool](repeating: true, count: flat.count)
        if let v = flat.validity { for r in 0..<flat.count where !v.isValid(r) { valid[r] = false } }
        return (keys, valid)
    }

    /// Each row's key group (build: inserted; probe: looked up), -1 for a NULL key or, when
    /// probing, a key the build side lacks.
    private func groups(_ keyColumns: [ColumnData], rows n: Int, insert: Bool) -> [Int] {
        if keyColumns.isEmpty { return [Int](repeating: 0, count: n) }
        var out = [Int](repeating: -1, count: n)
        if let integerIndex {
            let key = keyColumns[0].flattened()
            let values = ColumnAccess.int64s(key)
            let valid = (0..<n).filter { !key.isNull($0) }
            let picked = valid.count == n ? values : valid.map { values[$0] }
            var ids = [Int](repeating: -1, count: picked.count)
            if insert {
                var inserted = [Bool](repeating: false, count: picked.count)
                integerIndex.ids(picked, validity: nil, ids: &ids, inserted: &inserted)
            } else {
                ids = integerIndex.lookup(picked, validity: nil)
            }
            for (i, r) in valid.enumerated() { out[r] = ids[i] }
            return out
        }
        let keys = EncodedKeys.encode(keyColumns, rows: n)
        if insert {
            for r in 0..<n where keys.hasNull.isEmpty || !keys.hasNull[r] { out[r] = keys.withKey(r) { table.findOrInsert($0).id } }
        } else {
            out = table.find(keys)
            if !keys.hasNull.isEmpty { for r in 0..<n where keys.hasNull[r] { out[r] = -1 } }
        }
        return out
    }

    private func buildRuns() throws(SQLError) {
        let (chunk, bytes) = try buildInput.drain(types: buildTypes, context: context)
        build = chunk
        reserved = bytes
        let n = build.count
        // The per-row work while sorting (group, time, validity, order, the key index) before
        // it is allocated; the runs kept afterwards are counted below.
        let working = n * 40
        try context.reserve(working)
        defer { context.release(working) }
        var keyColumns: [ColumnData] = []
        for k in match.buildKeys { keyColumns.append(try ExpressionEvaluator.evaluate(k, build)) }
        if keyColumns.count == 1, keyColumns[0].type.isInteger {
            let values = ColumnAccess.int64s(keyColumns[0].flattened())
            let range = values.min().flatMap { lo in values.max().map { lo...$0 } }
            integerIndex = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: n, range: range))
        }
        let group = groups(keyColumns, rows: n, insert: true)
        let (keys, valid) = Self.orderKeys(try ExpressionEvaluator.evaluate(match.buildTime, build))
        try context.check()

        // Counting sort by group, then each group's run by (time, row).
        let groupCount = match.buildKeys.isEmpty ? (n > 0 ? 1 : 0) : (integerIndex?.count ?? table.count)
        var start = [Int](repeating: 0, count: groupCount + 1)
        for r in 0..<n where group[r] >= 0 && valid[r] { start[group[r] + 1] += 1 }
        for g in 0..<groupCount { start[g + 1] += start[g] }
        var fill = start
        var order = [Int32](repeating: 0, count: start[groupCount])
        for r in 0..<n where group[r] >= 0 && valid[r] {
            order[fill[group[r]]] = Int32(truncatingIfNeeded: r)
            fill[group[r]] += 1
        }
        keys.withUnsafeBufferPointer { t in
            order.withUnsafeMutableBufferPointer { o in
                for g in 0..<groupCount where start[g + 1] - start[g] > 1 {
                    // Rows went in ascending, so (time, row) is a stable sort by time.
                    var run = UnsafeMutableBufferPointer(rebasing: o[start[g] ..< start[g + 1]])
                    run.sort { (a: Int32, b: Int32) -> Bool in
                        let ta: Int64 = t[Int(a)], tb: Int64 = t[Int(b)]
                        return ta < tb || (ta == tb && a < b)
                    }
                }
            }
        }
        times = order.map { keys[Int($0)] }
        rows = order
        groupStart = start
        if match.keepsUnmatched {
            // One row of NULLs after the others: a probe row without a match points at it, and
            // text still comes out as codes.
            build = DataChunk(columns: build.columns.map { c in
                ColumnData.concatenate([c.flattened(), ColumnData.constant(.null, type: c.type, count: 1)], type: c.type)
            }, count: n + 1)
            nullRow = n
        }
        let extra = times.count * 12 + start.count * 8
        try context.reserve(extra)
        reserved += extra
        built = true
    }

    /// The position in `lo ..< hi` of the first time at or after (`orAfter`) / after `t`.
    @inline(__always) private static func search(_ times: UnsafeBufferPointer<Int64>, _ lo: Int, _ hi: Int, _ t: Int64,
                                                 strictlyAfter: Bool) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) >> 1
            if strictlyAfter ? times[mid] <= t : times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// For each probe row, the matching build row or -1.
    private func matches(_ chunk: DataChunk) throws(SQLError) -> [Int] {
        let n = chunk.count
        var keyColumns: [ColumnData] = []
        for k in match.probeKeys { keyColumns.append(try ExpressionEvaluator.evaluate(k, chunk)) }
        let group = groups(keyColumns, rows: n, insert: false)
        let (keys, valid) = Self.orderKeys(try ExpressionEvaluator.evaluate(match.probeTime, chunk))
        let op = match.op
        var found = [Int](repeating: -1, count: n)
        times.withUnsafeBufferPointer { t in
            rows.withUnsafeBufferPointer { rowOf in
                for r in 0..<n {
                    let g = group[r]
                    guard g >= 0, g + 1 < groupStart.count, valid[r] else { continue }
                    let lo = groupStart[g], hi = groupStart[g + 1], x = keys[r]
                    var at: Int
                    switch op {
                    case .greaterOrEqual, .greater:
                        // The last time <= x (>=) or < x (>): just before the first one past it.
                        at = Self.search(t, lo, hi, x, strictlyAfter: op == .greaterOrEqual) - 1
                        if at < lo { continue }
                    default:
                        // The first time >= x (<=) or > x (<), then the last row of that time.
                        let first = Self.search(t, lo, hi, x, strictlyAfter: op == .less)
                        if first >= hi { continue }
                        at = Self.search(t, first, hi, t[first], strictlyAfter: true) - 1
                    }
                    found[r] = Int(rowOf[at])
                }
            }
        }
        return found
    }

    func next() throws(SQLError) -> DataChunk? {
        if !built { try buildRuns() }
        while let chunk = try probeInput.next() {
            try context.check()
            guard chunk.count > 0 else { continue }
            let found = try matches(chunk)
            if !match.keepsUnmatched {
                let kept = found.indices.filter { found[$0] >= 0 }
                guard !kept.isEmpty else { continue }
                let left = kept.count == chunk.count ? chunk : chunk.gather(kept)
                try context.addJoinRows(kept.count)
                return DataChunk(columns: left.columns + build.joinedColumns(at: kept.map { found[$0] }), count: kept.count)
            }
            try context.addJoinRows(chunk.count)
            return DataChunk(columns: chunk.columns + paddedColumns(found), count: chunk.count)
        }
        return nil
    }

    /// The build columns at `found`, NULL where a row has no match (-1: the NULL row).
    private func paddedColumns(_ found: [Int]) -> [ColumnData] {
        guard found.contains(where: { $0 >= 0 }) else {
            return buildTypes.map { ColumnData.constant(.null, type: $0, count: found.count) }
        }
        let nullRow = self.nullRow
        return build.joinedColumns(at: found.map { $0 >= 0 ? $0 : nullRow })
    }
}
