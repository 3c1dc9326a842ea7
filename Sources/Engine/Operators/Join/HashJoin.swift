// Hash join: the build input is read into a hash table (key bytes -> chain of rows), the
// probe input streams through and probes it. Inner, left outer (unmatched probe rows kept),
// right outer (unmatched build rows emitted after the probe, so a small dimension LEFT JOIN
// a large fact never hashes the fact), semi and anti joins; a residual condition (the
// non-equality part of ON) filters candidate pairs. NULL keys never match. Which input is
// built is the optimizer's choice (`Optimizer.chooseBuildSides`).
//
//   build: drain build input -> encode keys -> table[key] = first row, next[row] = chain
//   probe: per probe batch -> encode keys -> pairs (probe row, build row) -> gather -> residual
//
// A probe batch can have far more partners than rows (a cross join pairs each row with the
// whole build side), so the pairs come out in pieces of at most `pairLimit` candidates: the
// probe remembers its row and its place in that row's chain, and resumes there on the next
// call. Memory stays bounded, and cancellation and time limits are checked between pieces.

import Columnar

final class HashJoinOperator: PhysicalOperator {
    let name: String
    let probeInput: PhysicalOperator, buildInput: PhysicalOperator
    var children: [PhysicalOperator] { [probeInput, buildInput] }
    private let kind: JoinKind
    private let probeKeys: [BoundExpr], buildKeys: [BoundExpr]
    private let residual: BoundExpr?
    private let buildTypes: [LogicalType]
    /// Build outer: every build row that found no partner comes out at the end, with NULLs
    /// for the probe side's columns (`probeTypes`).
    private let emitUnmatchedBuild: Bool
    private let probeTypes: [LogicalType]
    private var buildMatched: [Bool] = []
    private var unmatchedEmitted = false
    /// Shared by the parallel pipelines that each run a copy of this join.
    private let outerState: OuterMatchState?

    private var built = false
    private var build = DataChunk(columns: [], count: 0)
    private var table = GroupHashTable(capacity: 16)
    /// An integer first key (the common movieId / userId join) skips byte keys; further keys
    /// are then compared on the candidates (`extraBuildKeys`).
    private var integerIndex: IntegerGroupIndex?
    private var extraBuildKeys: [JoinKeyColumn] = []
    /// Several integer keys whose build-side ranges fit 64 bits together are packed into one
    /// (`IntegerKeyPacking`): (userId, movieId) then finds its row directly instead of
    /// walking every row of the user.
    private var packing: IntegerKeyPacking?
    private var first: [Int] = []
    private var nextRow: [Int] = []
    private var buildHasNullKey = false
    /// Where this join publishes its first build key's range for its probe-side scan.
    var keyRange: KeyRangeFilter?
    var probeWidth: Int { probeTypes.count }
    private var splitter = ChunkSplitter()

    deinit { context.release(reserved) }
    /// The probe batch being paired, when its pairs come out over several calls.
    private var probing: ProbeState?
    /// The query's context: stop requests and limits, checked between pieces; the join's
    /// row count and the bytes its build side holds.
    private let context: QueryContext
    private var reserved = 0

    /// Candidate pairs examined per piece of output.
    static var pairLimit: Int { max(8 * BatchSize.rows, 1024) }

    /// Where the probe of one left batch stands.
    private struct ProbeState {
        var chunk: DataChunk
        var found: [Int]
        var probeNull: [Bool]
        var extraProbeKeys: [JoinKeyColumn]
        /// The next probe row to pair, and (when `inChain`) the next build row of its chain.
        var row = 0
        var chainNext = -1
        var inChain = false
        /// Probe rows that found a partner (outer, semi and anti joins decide at the end).
        var matched: [Bool]
    }

    init(probe: PhysicalOperator, build: PhysicalOperator, kind: JoinKind, probeKeys: [BoundExpr], buildKeys: [BoundExpr],
         residual: BoundExpr?, buildTypes: [LogicalType], probeTypes: [LogicalType], outerState: OuterMatchState? = nil,
         context: QueryContext) {
        self.context = context
        // A right join is an inner join that also emits the build rows without a partner; a
        // full join is a left join that does.
        let emitUnmatchedBuild = kind == .right || kind == .full
        let kind = kind == .right ? JoinKind.inner : kind == .full ? JoinKind.left : kind
        self.emitUnmatchedBuild = emitUnmatchedBuild
        self.outerState = outerState
        self.probeTypes = probeTypes
        self.probeInput = probe
        self.buildInput = build
        self.kind = kind
        self.probeKeys = probeKeys
        self.buildKeys = buildKeys
        self.residual = residual
        self.buildTypes = buildTypes
        name = "HASH_JOIN \(emitUnmatchedBuild ? (kind == .left ? "FULL" : "RIGHT") : kind.rawValue.uppercased())" + (probeKeys.isEmpty ? "" : " ON " + zip(probeKeys, buildKeys).map { "\($0) = \($1)" }.joined(separator: " AND "))
    }

    private func buildTable() throws(SQLError) {
        build = try buildInput.drain(types: buildTypes)
        try context.reserve(build.byteSize)
        reserved = build.byteSize
        nextRow = [Int](repeating: -1, count: build.count)
        if emitUnmatchedBuild { buildMatched = [Bool](repeating: false, count: build.count) }
        var keyColumns: [ColumnData] = []
        for k in buildKeys { keyColumns.append(try ExpressionEvaluator.evaluate(k, build)) }
        // Rows are chained newest first; walking the chain then yields them in reverse, so
        // insert from the end to keep build order.
        let n = build.count
        var ids = [Int](repeating: 0, count: n)
        var inserted = [Bool](repeating: false, count: n)
        var isNull = [Bool](repeating: false, count: n)
        let extrasSupported = zip(probeKeys, buildKeys).dropFirst().allSatisfy { JoinKeyColumn.supports($0.type, $1.type) }
        if buildKeys.count >= 2, zip(probeKeys, buildKeys).allSatisfy({ $0.type.isInteger && $1.type.isInteger }),
           let packing = IntegerKeyPacking(buildKeys: keyColumns) {
            self.packing = packing
            let (values, nulls) = packing.pack(keyColumns)
            let first = ColumnAccess.int64s(keyColumns[0])
            keyRange?.publish(first.min().flatMap { lo in first.max().map { lo...$0 } })
            let index = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: n, range: packing.range))
            let reversed = Array(values.reversed())
            var revIds = [Int](repeating: 0, count: n), revInserted = [Bool](repeating: false, count: n)
            index.ids(reversed, validity: nil, ids: &revIds, inserted: &revInserted)
            for r in 0..<n { ids[r] = revIds[n - 1 - r]; inserted[r] = revInserted[n - 1 - r]; isNull[r] = nulls[r] }
            integerIndex = index
        } else if !buildKeys.isEmpty && buildKeys[0].type.isInteger && probeKeys[0].type.isInteger && extrasSupported,
           case let extras = keyColumns.dropFirst().compactMap(JoinKeyColumn.init), extras.count == buildKeys.count - 1 {
            extraBuildKeys = extras
            let values = ColumnAccess.int64s(keyColumns[0])
            let range = values.min().flatMap { lo in values.max().map { lo...$0 } }
            keyRange?.publish(range)
            // Sized from the build side's own key range: no regrowth while inserting.
            let index = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: n, range: range))
            let reversed = Array(values.reversed())
            var revIds = [Int](repeating: 0, count: n), revInserted = [Bool](repeating: false, count: n)
            index.ids(reversed, validity: nil, ids: &revIds, inserted: &revInserted)
            for r in 0..<n { ids[r] = revIds[n - 1 - r]; inserted[r] = revInserted[n - 1 - r] }
            for c in keyColumns { if let v = c.validity { for r in 0..<n where !v.isValid(r) { isNull[r] = true } } }
            integerIndex = index
        } else {
            let keys = EncodedKeys.encode(keyColumns, rows: n)
            table = GroupHashTable(capacity: min(n, 1 << 20))
            for r in stride(from: n - 1, through: 0, by: -1) {
                if !keys.hasNull.isEmpty && keys.hasNull[r] { isNull[r] = true; continue }
                let (id, new) = keys.withKey(r) { table.findOrInsert($0) }
                ids[r] = id
                inserted[r] = new
            }
        }
        first = [Int](repeating: -1, count: max(integerIndex?.count ?? table.count, 0))
        for r in stride(from: n - 1, through: 0, by: -1) {
            if isNull[r] { buildHasNullKey = true; continue }
            let id = ids[r]
            if first[id] >= 0 { nextRow[r] = first[id] }
            first[id] = r
        }
        built = true
    }

    func next() throws(SQLError) -> DataChunk? {
        if !built { try buildTable() }
        while true {
            if let c = splitter.next() { return c }
            if probing != nil {
                // A join can multiply rows far past what its scans read: stop requests are
                // checked per piece here too.
                try context.check()
                if let out = try continueProbe(), out.count > 0 { splitter.load(out) }
                continue
            }
            guard let chunk = try probeInput.next() else {
                guard emitUnmatchedBuild && !unmatchedEmitted else { return nil }
                unmatchedEmitted = true
                var matched = buildMatched
                if let outerState {
                    guard let all = outerState.finish(buildMatched) else { return nil }  // another worker emits
                    matched = all
                }
                let rows = matched.indices.filter { !matched[$0] }
                guard !rows.isEmpty else { return nil }
                let nulls = probeTypes.map { ColumnData.constant(.null, type: $0, count: rows.count) }
                splitter.load(DataChunk(columns: nulls + buildColumns(rows), count: rows.count))
                continue
            }
            if let out = try probe(chunk), out.count > 0 { splitter.load(out) }
        }
    }

    private func buildColumns(_ rows: [Int]) -> [ColumnData] { build.joinedColumns(at: rows) }

    /// The keys after the first agree between probe row `r` and build row `b`.
    @inline(__always) private func extrasMatch(_ probeKeys: [JoinKeyColumn], _ r: Int, _ b: Int) -> Bool {
        for k in 0..<probeKeys.count where !probeKeys[k].equals(r, extraBuildKeys[k], b) { return false }
        return true
    }

    private func probe(_ chunk: DataChunk) throws(SQLError) -> DataChunk? {
        try context.check()
        let n = chunk.count
        var keyColumns: [ColumnData] = []
        for k in probeKeys { keyColumns.append(try ExpressionEvaluator.evaluate(k, chunk)) }
        let found: [Int]
        var probeNull = [Bool](repeating: false, count: n)
        var extraProbeKeys: [JoinKeyColumn] = []
        if let integerIndex, let packing {
            let (values, outside) = packing.pack(keyColumns)
            // Only rows that may match are looked up.
            let candidates = (0..<n).filter { !outside[$0] }
            var lookedUp = [Int](repeating: -1, count: n)
            if candidates.count == n {
                lookedUp = integerIndex.lookup(values, validity: nil)
            } else if !candidates.isEmpty {
                let found = integerIndex.lookup(candidates.map { values[$0] }, validity: nil)
                for (i, r) in candidates.enumerated() { lookedUp[r] = found[i] }
            }
            for c in keyColumns { if let v = c.validity { for r in 0..<n where !v.isValid(r) { probeNull[r] = true } } }
            found = lookedUp
        } else if let integerIndex {
            found = integerIndex.lookup(ColumnAccess.int64s(keyColumns[0]), validity: keyColumns[0].validity)
            for c in keyColumns { if let v = c.validity { for r in 0..<n where !v.isValid(r) { probeNull[r] = true } } }
            extraProbeKeys = keyColumns.dropFirst().compactMap(JoinKeyColumn.init)
        } else {
            let keys = EncodedKeys.encode(keyColumns, rows: n)
            found = table.find(keys)
            if !keys.hasNull.isEmpty { probeNull = keys.hasNull }
        }
        if kind.keepsProbeOnly {
            if kind == .nullAwareAnti {
                if build.count == 0 { return chunk }     // x NOT IN (empty) holds even for NULL x
                if buildHasNullKey { return nil }         // x NOT IN (..., NULL) is never true
            }
            if probeKeys.isEmpty && residual == nil {
                // EXISTS / NOT EXISTS of an uncorrelated subquery.
                return (build.count > 0) == (kind == .semi) ? chunk : nil
            }
        }
        if kind.keepsProbeOnly && residual == nil {
            // Membership only: no pairs to build.
            // A probe row with a NULL key has no partner: NOT EXISTS keeps it, NOT IN does not.
            let keepNull = kind == .anti
            var keep: [Int] = []
            keep.reserveCapacity(kind == .semi ? n : n / 8)
            if extraBuildKeys.isEmpty {
                for r in 0..<n {
                    if probeNull[r] { if keepNull { keep.append(r) }; continue }
                    if (found[r] >= 0 && first[found[r]] >= 0) == (kind == .semi) { keep.append(r) }
                }
            } else {
                for r in 0..<n {
                    if probeNull[r] { if keepNull { keep.append(r) }; continue }
                    var b = found[r] >= 0 ? first[found[r]] : -1
                    while b >= 0 && !extrasMatch(extraProbeKeys, r, b) { b = nextRow[b] }
                    if (b >= 0) == (kind == .semi) { keep.append(r) }
                }
            }
            if keep.count == n { return chunk }
            return keep.isEmpty ? nil : chunk.gather(keep)
        }
        probing = ProbeState(chunk: chunk, found: found, probeNull: probeNull, extraProbeKeys: extraProbeKeys,
                             matched: [Bool](repeating: false, count: kind == .inner || kind == .cross ? 0 : n))
        return try continueProbe()
    }

    /// The next piece of the current probe batch's output: up to `pairLimit` candidate pairs,
    /// filtered by the residual. When the batch is done, outer, semi and anti joins add the
    /// rows they decide on at the end, and the probe state is cleared.
    private func continueProbe() throws(SQLError) -> DataChunk? {
        guard var state = probing else { return nil }
        let n = state.chunk.count
        let limit = Self.pairLimit
        var leftRows: [Int] = []
        var rightRows: [Int] = []
        leftRows.reserveCapacity(min(limit, 2 * n))
        rightRows.reserveCapacity(min(limit, 2 * n))
        var examined = 0
        // The chains in locals: no exclusivity check of the operator's properties per pair.
        let first = self.first, nextRow = self.nextRow, noExtras = extraBuildKeys.isEmpty
        while state.row < n && examined < limit {
            let r = state.row
            var b: Int
            if state.inChain {
                b = state.chainNext
            } else {
                let id = state.found[r]
                b = state.probeNull[r] || id < 0 ? -1 : first[id]
            }
            while b >= 0 && examined < limit {
                if noExtras || extrasMatch(state.extraProbeKeys, r, b) {
                    leftRows.append(r)
                    rightRows.append(b)
                }
                examined += 1
                b = nextRow[b]
            }
            if b >= 0 {
                state.inChain = true
                state.chainNext = b
            } else {
                state.inChain = false
                state.row += 1
            }
        }
        let done = state.row >= n
        let chunk = state.chunk
        // Candidate pairs, then the residual condition.
        var pairs = DataChunk(columns: chunk.gather(leftRows).columns + buildColumns(rightRows), count: leftRows.count)
        if let residual, pairs.count > 0 {
            let keep = FilterOperator.selected(try ExpressionEvaluator.evaluate(residual, pairs))
            if keep.count != pairs.count {
                pairs = pairs.gather(keep)
                leftRows = keep.map { leftRows[$0] }
                rightRows = keep.map { rightRows[$0] }
            }
        }
        try context.addJoinRows(kind.keepsProbeOnly ? 0 : pairs.count)
        if emitUnmatchedBuild { for b in rightRows { buildMatched[b] = true } }
        if !state.matched.isEmpty { for r in leftRows { state.matched[r] = true } }
        probing = done ? nil : state
        switch kind {
        case .inner, .cross, .right, .full, .asof, .asofLeft:  // no ASOF kind reaches a hash join
            return pairs
        case .semi, .anti, .nullAwareAnti:
            guard done else { return nil }
            let keep = (0..<n).filter { r in
                switch kind {
                case .semi: state.matched[r]
                case .nullAwareAnti: !state.matched[r] && !state.probeNull[r]
                default: !state.matched[r]
                }
            }
            return keep.isEmpty ? nil : chunk.gather(keep)
        case .left:
            guard done else { return pairs }
            let unmatched = (0..<n).filter { !state.matched[$0] }
            guard !unmatched.isEmpty else { return pairs }
            let lonely = chunk.gather(unmatched)
            let nulls = buildTypes.map { ColumnData.constant(.null, type: $0, count: unmatched.count) }
            let extra = DataChunk(columns: lonely.columns + nulls, count: unmatched.count)
            if pairs.count == 0 { return extra }
            return DataChunk(columns: zip(pairs.columns, extra.columns).map { ColumnData.concatenate([$0, $1], type: $0.type) },
                             count: pairs.count + extra.count)
        }
    }
}
