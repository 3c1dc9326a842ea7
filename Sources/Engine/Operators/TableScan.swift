// Reads a table's row groups: only the columns the query needs (projection pushdown), and
// not at all the row groups whose segment min/max rule out a pushed-down comparison.

import Columnar
import Synchronization

/// Hands out a table's row groups to the scans of parallel pipelines, each exactly once.
final class MorselSource: Sendable {
    let count: Int
    private let nextIndex = Atomic<Int>(0)
    /// Pipelines sharing this source (build-outer joins count them down).
    let workers: Int
    private let outerStates = Mutex<[Int: OuterMatchState]>([:])
    private let rowNotInBuilds = Mutex<[Int: RowNotInBuild]>([:])

    init(count: Int, workers: Int = 1) {
        self.count = count
        self.workers = workers
    }

    /// The shared match state of the `ordinal`-th build-outer join of the pipelines.
    func outerState(_ ordinal: Int) -> OuterMatchState {
        outerStates.withLock { states in
            if let s = states[ordinal] { return s }
            let s = OuterMatchState(workers: workers)
            states[ordinal] = s
            return s
        }
    }

    /// The build side the copies of the `ordinal`-th row NOT IN share: built once.
    func rowNotInBuild(_ ordinal: Int) -> RowNotInBuild {
        rowNotInBuilds.withLock { builds in
            if let b = builds[ordinal] { return b }
            let b = RowNotInBuild()
            builds[ordinal] = b
            return b
        }
    }

    /// The next row group to scan, or nil when all are taken.
    func next() -> Int? {
        let i = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < count ? i : nil
    }
}

/// Scans a stored table: the rows of each row group its deletion vector does not remove.
final class TableScan: PhysicalOperator {
    /// In `columns`, the row's position in the table (stored rows before it, deleted ones
    /// counted: stable until the table is rewritten) as a BIGINT. Only DELETE, UPDATE and
    /// MERGE read it, to find the rows they change.
    static let rowIdColumn = -1

    let name: String
    var children: [PhysicalOperator] { [] }
    private let table: TableMetadata
    private let columns: [Int]
    private let predicates: [ScanPredicate]
    /// Key ranges of the joins this scan feeds the probe side of (see `KeyRangeFilter`).
    var keyRanges: [KeyRangeFilter] = []

    /// The table column behind output column `i`.
    func tableColumn(_ i: Int) -> Int? { i < columns.count && columns[i] >= 0 ? columns[i] : nil }
    private let reader: SegmentReader
    private let morsels: MorselSource?
    var morselsInUse: Bool { morsels != nil }
    private var rowGroup = 0
    /// The row group the last batch came from (parallel writers keep table order by it).
    private(set) var currentMorsel = -1
    /// Whether the morsel source ran dry for this scan (later rows of its pipeline come from
    /// operators that emit after their input ends).
    private(set) var exhausted = false
    private var splitter = ChunkSplitter()
    /// Row id of each row group's first row.
    private let firstRow: [Int]
    private(set) var skipped = 0

    /// The query: stop requests between row groups, rows scanned for progress.
    private let context: QueryContext
    /// Late decoding: a filter over the scan's output, evaluated on the row group's filter
    /// columns first (`filterInputs`, positions in `columns`); the other columns are decoded
    /// only for row groups with a match, and only the matching rows go on.
    private let filter: BoundExpr?
    private let filterInputs: [Int]

    init(warehouse: Warehouse, table: TableMetadata, columns: [Int], predicates: [ScanPredicate], morsels: MorselSource? = nil,
         context: QueryContext, filter: BoundExpr? = nil) {
        self.morsels = morsels
        self.context = context
        if let filter {
            filterInputs = filter.columnsUsed.sorted()
            self.filter = filter.remapped(Dictionary(uniqueKeysWithValues: filterInputs.enumerated().map { ($1, $0) }))
        } else {
            filterInputs = []
            self.filter = nil
        }
        self.table = table
        self.columns = columns
        self.predicates = predicates
        reader = warehouse.segmentReader()
        var start = 0
        firstRow = table.rowGroups.map { g in defer { start += g.rowCount }; return start }
        name = "SCAN \(table.qualifiedName)" + (filter.map { " FILTER \($0)" } ?? "")
    }

    func next() throws(SQLError) -> DataChunk? {
        while true {
            if let chunk = splitter.next() { return chunk }
            try context.check()
            let index: Int
            if let morsels {
                guard let i = morsels.next() else { exhausted = true; return nil }
                index = i
                currentMorsel = i
            } else {
                guard rowGroup < table.rowGroups.count else { return nil }
                index = rowGroup
                rowGroup += 1
            }
            let group = table.rowGroups[index]
            if predicates.contains(where: { !Self.mayMatch($0, group.segments[$0.column].stats) })
                || keyRanges.contains(where: { !$0.mayMatch(group.segments[$0.column].stats) }) {
                skipped += 1
                continue
            }
            context.addScanned(group.rowCount)
            let deleted: [Int32]
            do { deleted = try reader.deletedRows(group) } catch { throw SQLError(error) }
            if let filter {
                var early: [Int: ColumnData] = [:]
                for p in filterInputs { early[p] = try decode(group, index, columns[p]) }
                let mask = try ExpressionEvaluator.evaluate(filter, DataChunk(columns: filterInputs.map { early[$0]! }, count: group.rowCount))
                var keep = FilterOperator.selected(mask)
                if !deleted.isEmpty { keep = DeletionVector.subtract(deleted, from: keep) }
                if keep.isEmpty { continue }
                var decoded: [ColumnData] = []
                for (p, c) in columns.enumerated() {
                    if let column = early[p] { decoded.append(column) } else { decoded.append(try decode(group, index, c)) }
                }
                let chunk = DataChunk(columns: decoded, count: group.rowCount)
                splitter.load(keep.count == group.rowCount ? chunk : chunk.gather(keep))
                continue
            }
            if deleted.count == group.rowCount { continue }
            var decoded: [ColumnData] = []
            for c in columns { decoded.append(try decode(group, index, c)) }
            let chunk = DataChunk(columns: decoded, count: group.rowCount)
            splitter.load(deleted.isEmpty ? chunk : chunk.gather(DeletionVector.live(rowCount: group.rowCount, deleted: deleted)))
        }
    }

    private func decode(_ group: RowGroupMetadata, _ index: Int, _ column: Int) throws(SQLError) -> ColumnData {
        if column == Self.rowIdColumn {
            let first = Int64(firstRow[index])
            return ColumnData(type: .int64, storage: .int64((0..<Int64(group.rowCount)).map { first + $0 }))
        }
        do {
            // Dictionary-coded text stays codes: filters and expressions then work per
            // distinct value, and a table written from it keeps the dictionary.
            return try reader.read(group.segments[column], type: table.columns[column].type, keepCodes: true)
        } catch {
            throw SQLError(error)
        }
    }

    /// Whether a segment with `stats` may hold a row where `column op value` is true.
    static func mayMatch(_ p: ScanPredicate, _ stats: SegmentStats) -> Bool {
        guard case .compare(let op, let value) = p.test else { return stats.nullCount > 0 }
        if stats.nullCount == stats.rowCount { return false }
        guard let lo = stats.min, let hi = stats.max, let v = statValue(value) else { return true }
        // NaN sorts after every number (SQL's total order), which min/max statistics of doubles
        // do not record: a NaN on either side decides nothing.
        if case .double(let x) = v, x.isNaN { return true }
        if case .double(let x) = lo, x.isNaN { return true }
        if case .double(let x) = hi, x.isNaN { return true }
        switch op {
        case .equal: return !(v < lo) && !(hi < v)
        case .less: return lo < v
        case .lessOrEqual: return !(v < lo)
        case .greater: return v < hi
        case .greaterOrEqual: return !(hi < v)
        case .notEqual: return true
        }
    }

    static func statValue(_ v: Value) -> StatValue? {
        switch v {
        case .int(let x): return .int(x)
        case .double(let x): return .double(x)
        case .string(let s): return .string(s)
        case .date(let d): return .int(Int64(d))
        case .timestamp(let t): return .int(t)
        case .bool(let b): return .int(b ? 1 : 0)
        default: return nil
        }
    }
}

/// Which build rows of a build-outer join found a partner in any worker. Each worker merges
/// its flags when its probe side runs out; the last one emits the unmatched rows, once.
final class OuterMatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var matched: [Bool] = []
    private var remaining: Int

    init(workers: Int) { remaining = workers }

    /// Merges `flags`; returns every worker's flags when the caller is the last worker, else nil.
    func finish(_ flags: [Bool]) -> [Bool]? {
        lock.lock()
        defer { lock.unlock() }
        if matched.isEmpty { matched = flags } else { for i in flags.indices where flags[i] { matched[i] = true } }
        remaining -= 1
        return remaining == 0 ? matched : nil
    }
}

extension PhysicalOperator {
    /// The scan fed by a morsel source in this pipeline (its streamed path), if any.
    var morselScan: TableScan? {
        if let scan = self as? TableScan { return scan.currentMorselSource ? scan : nil }
        for c in children { if let s = c.morselScan { return s } }
        return nil
    }
}

extension TableScan {
    var currentMorselSource: Bool { morselsInUse }
}

import Foundation
