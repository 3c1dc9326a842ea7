// The one way row groups are written: ingest, CREATE TABLE AS, INSERT, seeds and the
// pipeline all hand columns to a writer the transaction gives out. Each column becomes a
// segment under the transaction's encoding policy (so `MOVIECOL_FORCE_ENCODING` reaches every
// table), appended to the writer's own data file, created on first use. Several threads may
// write through one writer: they encode in parallel and append in turn.

import Foundation

public final class RowGroupWriter: @unchecked Sendable {
    private let tx: WarehouseTransaction
    private let label: String
    private let lock = NSLock()
    private var file: DataFileWriter?

    init(tx: WarehouseTransaction, label: String) {
        self.tx = tx
        self.label = label
    }

    /// Writes `columns` (equal lengths) as one row group and returns its metadata.
    public func write(_ columns: [ColumnData]) throws(StorageError) -> RowGroupMetadata {
        let rows = columns.first?.count ?? 0
        guard columns.allSatisfy({ $0.count == rows }) else {
            throw StorageError(.invalidArgument, "a row group's columns differ in length (\(label))")
        }
        guard rows <= SegmentCodec.maxRows else {
            throw StorageError(.invalidArgument, "a row group of \(rows) rows is over the \(SegmentCodec.maxRows) a segment holds (\(label))")
        }
        let policy = tx.encoding
        let encoded = columns.map { SegmentCodec.encode($0, policy: policy) }
        lock.lock()
        defer { lock.unlock() }
        if file == nil || file!.isFinished { file = try tx.newDataFile(label: label) }
        var segments: [SegmentMetadata] = []
        for e in encoded { segments.append(try file!.append(e)) }
        return RowGroupMetadata(rowCount: rows, segments: segments)
    }

    /// Writes one column as a lone segment (a deletion vector, a column added to a table).
    public func writeSegment(_ column: ColumnData) throws(StorageError) -> SegmentMetadata {
        let encoded = SegmentCodec.encode(column, policy: tx.encoding)
        lock.lock()
        defer { lock.unlock() }
        if file == nil || file!.isFinished { file = try tx.newDataFile(label: label) }
        return try file!.append(encoded)
    }

    /// Makes the file durable now (the transaction does it at commit otherwise), so that
    /// several writers' fsyncs can run in parallel.
    public func finish() throws(StorageError) {
        lock.lock()
        defer { lock.unlock() }
        try file?.finish()
    }
}
