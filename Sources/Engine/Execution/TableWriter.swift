// Writes query results into a table of the warehouse: batches are gathered into row groups
// of about 122,880 rows and written through the transaction's `RowGroupWriter`.

import Columnar

/// Appends batches as row groups of one table inside a write transaction.
final class TableWriter {
    static let rowGroupRows = 122_880
    private let tx: WarehouseTransaction
    private let types: [LogicalType]
    private let label: String
    private let writer: RowGroupWriter
    private var pending: [DataChunk] = []
    private var pendingRows = 0
    private(set) var rowGroups: [RowGroupMetadata] = []
    private(set) var rows = 0
    /// Columns declared NOT NULL, with the name an error gives (`table.column`).
    private var notNull: [(column: Int, name: String)] = []

    init(tx: WarehouseTransaction, types: [LogicalType], label: String) {
        self.tx = tx
        self.types = types
        self.label = label
        writer = tx.rowGroupWriter(label: label)
    }

    /// A writer of rows of `table`, checking its NOT NULL columns.
    convenience init(tx: WarehouseTransaction, table: TableMetadata) {
        self.init(tx: tx, types: table.columns.map(\.type), label: table.name)
        notNull = table.columns.enumerated().filter(\.element.notNull).map { ($0.offset, "\(table.name).\($0.element.name)") }
    }

    func append(_ chunk: DataChunk) throws(SQLError) {
        guard chunk.count > 0 else { return }
        try Self.check(chunk, types: types, label: label)
        for (i, name) in notNull where chunk.columns[i].nullCount > 0 {
            throw SQLError(.constraint, "NOT NULL constraint failed: \(name)", reason: .notNullViolation)
        }
        pending.append(chunk)
        pendingRows += chunk.count
        if pendingRows >= Self.rowGroupRows { try flush() }
    }

    func finish() throws(SQLError) -> [RowGroupMetadata] {
        try flush()
        return rowGroups
    }

    /// Refuses a batch whose columns do not have the table's types: a segment written from
    /// it would commit a table that cannot be read back. A mismatch is an engine bug; it
    /// stops the statement before anything is committed.
    static func check(_ chunk: DataChunk, types: [LogicalType], label: String) throws(SQLError) {
        guard chunk.columns.count == types.count else {
            throw SQLError(.internal, "writing \(label): a batch has \(chunk.columns.count) columns, the table \(types.count)")
        }
        for (i, t) in types.enumerated() where chunk.columns[i].type != t {
            throw SQLError(.internal, "writing \(label): column \(i + 1) holds \(chunk.columns[i].type) values, the table declares \(t)")
        }
    }

    private func flush() throws(SQLError) {
        guard pendingRows > 0 else { return }
        let columns = types.enumerated().map { i, t in ColumnData.concatenate(pending.map { $0.columns[i] }, type: t) }
        do { rowGroups.append(try writer.write(columns)) } catch { throw SQLError(error) }
        rows += pendingRows
        pending = []
        pendingRows = 0
    }
}

/// Writes the output of parallel pipelines as row groups of one table: each worker encodes
/// its own row groups (the expensive part) and only the appends to the data file take a lock.
/// Row groups are put back in the order of the input row groups they came from, so a
/// parallel CREATE TABLE AS keeps the order a single thread would produce.
final class ParallelTableWriter: @unchecked Sendable {
    private let tx: WarehouseTransaction
    private let types: [LogicalType]
    private let label: String
    private let writer: RowGroupWriter
    private let lock = NSLock()
    private var groups: [(morsel: Int, sequence: Int, group: RowGroupMetadata)] = []
    private(set) var rows = 0

    init(tx: WarehouseTransaction, types: [LogicalType], label: String) {
        self.tx = tx
        self.types = types
        self.label = label
        writer = tx.rowGroupWriter(label: label)
    }

    /// Encodes `chunks` (all from input row group `morsel`) as one row group.
    func write(_ chunks: [DataChunk], morsel: Int, sequence: Int) throws(SQLError) {
        let count = chunks.reduce(0) { $0 + $1.count }
        guard count > 0 else { return }
        for chunk in chunks { try TableWriter.check(chunk, types: types, label: label) }
        let columns = types.enumerated().map { i, t in ColumnData.concatenate(chunks.map { $0.columns[i] }, type: t) }
        let group: RowGroupMetadata
        do { group = try writer.write(columns) } catch { throw SQLError(error) }
        lock.lock()
        defer { lock.unlock() }
        groups.append((morsel, sequence, group))
        rows += count
    }

    /// The row groups in input order.
    func finish() -> [RowGroupMetadata] {
        groups.sorted { ($0.morsel, $0.sequence) < ($1.morsel, $1.sequence) }.map(\.group)
    }

    /// Runs `pipelines` on threads, writing what they produce; each worker cuts a row group
    /// when its input moves to the next row group or it has gathered a full one.
    func run(_ pipelines: [PhysicalOperator]) throws(SQLError) {
        let shared = UncheckedSendable(pipelines)
        try Workers.run(pipelines.count) { (w) throws(SQLError) in
            let pipeline = shared.value[w]
            var position = PipelinePosition(pipeline)
            var pending: [DataChunk] = []
            var pendingRows = 0, morsel = -1, sequence = 0
            while let chunk = try pipeline.next() {
                let m = position.record(rows: chunk.count).morsel
                if m != morsel || pendingRows >= TableWriter.rowGroupRows {
                    try self.write(pending, morsel: morsel, sequence: sequence)
                    sequence = m != morsel ? 0 : sequence + 1
                    pending = []
                    pendingRows = 0
                    morsel = m
                }
                pending.append(chunk)
                pendingRows += chunk.count
            }
            try self.write(pending, morsel: morsel, sequence: sequence)
        }
    }
}

import Foundation
