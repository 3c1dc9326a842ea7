// A recursive CTE run in rounds (semi-naive evaluation, as PostgreSQL and DuckDB do): the
// anchor's rows are round 0; each next round runs the step over the rows the round before
// added (the work table) and ends the recursion when it adds none. With UNION (not ALL) a
// round keeps only rows not produced before, which also ends cycles in a graph walk. A step
// that always adds rows stops at the query's memory or time limit, or after `maxRounds`.

import Columnar

/// The rows of the previous round of each recursive CTE of a statement, by id.
final class WorkTables: @unchecked Sendable {
    private var tables: [Int: WorkTable] = [:]

    func table(_ id: Int) -> WorkTable {
        if let t = tables[id] { return t }
        let t = WorkTable()
        tables[id] = t
        return t
    }
}

/// One recursive CTE's previous round.
final class WorkTable: @unchecked Sendable {
    var rows = DataChunk(columns: [], count: 0)
}

/// Scans the previous round's rows.
final class WorkTableScanOperator: PhysicalOperator {
    let name = "RECURSIVE CTE PREVIOUS ROUND"
    var children: [PhysicalOperator] { [] }
    private let table: WorkTable
    private var splitter: ChunkSplitter?

    init(_ table: WorkTable) { self.table = table }

    func next() throws(SQLError) -> DataChunk? {
        if splitter == nil {
            splitter = ChunkSplitter()
            splitter!.load(table.rows)
        }
        return splitter!.next()
    }
}

final class RecursiveCTEOperator: PhysicalOperator {
    let name = "RECURSIVE CTE"
    var children: [PhysicalOperator] { [anchor] }
    /// Rounds past this end the query with an error: a recursion that needs more is almost
    /// always one that never ends.
    static let maxRounds = 100_000

    private let anchor: PhysicalOperator
    private let makeStep: () -> PhysicalOperator
    private let table: WorkTable
    private let distinct: Bool
    private let types: [LogicalType]
    private let context: QueryContext
    private var seen = Set<[UInt8]>()
    private var round: DataChunk?
    private var rounds = 0
    private var pending = ChunkSplitter()
    private var finished = false
    private var reserved = 0

    init(anchor: PhysicalOperator, makeStep: @escaping () -> PhysicalOperator, table: WorkTable, distinct: Bool,
         types: [LogicalType], context: QueryContext) {
        self.anchor = anchor
        self.makeStep = makeStep
        self.table = table
        self.distinct = distinct
        self.types = types
        self.context = context
    }

    deinit { context.release(reserved) }

    func next() throws(SQLError) -> DataChunk? {
        while true {
            if let chunk = pending.next() { return chunk }
            if finished { return nil }
            try runRound()
        }
    }

    /// Runs the anchor (first) or one step round; its new rows become both the output and
    /// the next round's work table.
    private func runRound() throws(SQLError) {
        try context.check()
        let source: PhysicalOperator
        if round == nil {
            source = anchor
        } else {
            rounds += 1
            guard rounds <= Self.maxRounds else {
                throw SQLError(.limit, "recursive CTE ran \(Self.maxRounds) rounds and was still adding rows; does its step have a condition that ends it?")
            }
            table.rows = round!
            source = makeStep()
        }
        let drained = try source.drain(types: types, context: context)
        reserved += drained.bytes
        let added = distinct ? newRows(drained.chunk) : drained.chunk
        round = added
        if added.count == 0 {
            finished = true
            table.rows = DataChunk(columns: [], count: 0)
            return
        }
        pending.load(added)
    }

    /// The rows of `chunk` not produced before (nor earlier in `chunk`).
    private func newRows(_ chunk: DataChunk) -> DataChunk {
        guard chunk.count > 0 else { return chunk }
        let keys = EncodedKeys.encode(chunk.columns, rows: chunk.count)
        var kept: [Int] = []
        for r in 0..<chunk.count where keys.withKey(r, { seen.insert(Array($0)).inserted }) { kept.append(r) }
        if kept.count == chunk.count { return chunk }
        return DataChunk(columns: chunk.columns.map { $0.selecting(kept) }, count: kept.count)
    }
}
