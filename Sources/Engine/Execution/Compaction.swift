// Keeps a changed table cheap to read. Deletion vectors make a DELETE, UPDATE or MERGE cost
// what it changes, but a row group that is mostly deleted still costs a full decode per
// scan, and small changes leave small row groups behind (an UPDATE of one row appends a row
// group of one row). After each change, the row groups past these thresholds are rewritten
// into full ones with only their live rows; the rest are not touched.

import Columnar

enum Compaction {
    /// A row group with at least this fraction deleted is rewritten.
    static let deletedFraction = 0.5
    /// Row groups of fewer live rows than this count as small ...
    static let smallRows = TableWriter.rowGroupRows / 8
    /// ... and this many small ones are merged into full ones.
    static let smallGroups = 8

    /// The positions of `table`'s row groups worth rewriting.
    static func candidates(_ table: TableMetadata) -> [Int] {
        let small = table.rowGroups.indices.filter { table.rowGroups[$0].liveRowCount < smallRows }
        var chosen = Set<Int>()
        if small.count >= smallGroups { chosen.formUnion(small) }
        for (i, g) in table.rowGroups.enumerated() where Double(g.deletedCount) >= deletedFraction * Double(g.rowCount) {
            chosen.insert(i)
        }
        // Rewriting one lone small row group would only copy it.
        if chosen.count == 1, let only = chosen.first, table.rowGroups[only].deletedCount == 0 { return [] }
        return chosen.sorted()
    }

    /// `table` with the row groups `candidates` picks rewritten (their live rows, in order,
    /// after the row groups kept).
    static func compact(_ table: TableMetadata, reader: SegmentReader, tx: WarehouseTransaction) throws(SQLError) -> TableMetadata {
        let chosen = candidates(table)
        guard !chosen.isEmpty else { return table }
        do { try tx.finishFiles() } catch { throw SQLError(error) }
        let writer = TableWriter(tx: tx, types: table.columns.map(\.type), label: table.name)
        for i in chosen {
            let rows: DataChunk
            do { rows = try liveRows(table, table.rowGroups[i], reader) } catch { throw SQLError(error) }
            try writer.append(rows)
        }
        var result = table
        let drop = Set(chosen)
        result.rowGroups = table.rowGroups.indices.filter { !drop.contains($0) }.map { table.rowGroups[$0] } + (try writer.finish())
        return result
    }

    /// Every column of `group`, its deleted rows left out.
    static func liveRows(_ table: TableMetadata, _ group: RowGroupMetadata, _ reader: SegmentReader) throws(StorageError) -> DataChunk {
        let deleted = try reader.deletedRows(group)
        var columns: [ColumnData] = []
        for (c, def) in table.columns.enumerated() { columns.append(try reader.read(group.segments[c], type: def.type)) }
        let chunk = DataChunk(columns: columns, count: group.rowCount)
        return deleted.isEmpty ? chunk : chunk.gather(DeletionVector.live(rowCount: group.rowCount, deleted: deleted))
    }
}
