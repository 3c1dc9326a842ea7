// Writes query results into a table of the warehouse: batches are gathered into row groups
// of about 122,880 rows, each column encoded into a segment of the transaction's data file.

import Columnar

/// Appends batches as row groups of one table inside a write transaction.
final class TableWriter {
    static let rowGroupRows = 122_880
    private let tx: WarehouseTransaction
    private let types: [LogicalType]
    private let label: String
    private var file: DataFileWriter?
    private var pending: [DataChunk] = []
    private var pendingRows = 0
    private(set) var rowGroups: [RowGroupMetadata] = []
    private(set) var rows = 0

    init(tx: WarehouseTransaction, types: [LogicalType], label: String) {
        self.tx = tx
        self.types = types
        self.label = label
    }

    func append(_ chunk: DataChunk) throws(SQLError) {
        guard chunk.count > 0 else { return }
        pending.append(chunk)
        pendingRows += chunk.count
        if pendingRows >= Self.rowGroupRows { try flush() }
    }

    func finish() throws(SQLError) -> [RowGroupMetadata] {
        try flush()
        return rowGroups
    }

    private func flush() throws(SQLError) {
        guard pendingRows > 0 else { return }
        do {
            if file == nil { file = try tx.newDataFile(label: label) }
            var segments: [SegmentMetadata] = []
            for (i, t) in types.enumerated() {
                let column = ColumnData.concatenate(pending.map { $0.columns[i] }, type: t)
                segments.append(try file!.append(SegmentCodec.encode(column)))
            }
            rowGroups.append(RowGroupMetadata(rowCount: pendingRows, segments: segments))
        } catch {
            throw SQLError(.storage, error.description)
        }
        rows += pendingRows
        pending = []
        pendingRows = 0
    }
}
