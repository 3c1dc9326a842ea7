// Deletion vectors: which rows of an immutable row group a DELETE, UPDATE or MERGE removed.
// A vector is stored like any segment (an INT column of the deleted positions, sorted, so
// delta and FOR coding make it small, framed and checksummed as a block) in a data file of
// the transaction that wrote it; the row group's manifest entry points at it. A later change
// to the same row group writes a new vector holding the union, never modifies the old one:
// versions stay immutable and a reader of an older version keeps its rows. Delta Lake's and
// Iceberg's deletion vectors are the same idea (docs/storage-format.md).

extension RowGroupWriter {
    /// Writes the deletion vector of a row group of `rowCount` rows whose deleted positions
    /// are `rows` (sorted, distinct, each below `rowCount`).
    public func writeDeletionVector(_ rows: [Int32], rowCount: Int) throws(StorageError) -> SegmentMetadata {
        guard DeletionVector.isValid(rows, rowCount: rowCount) else {
            throw StorageError(.invalidArgument, "a deletion vector must hold sorted, distinct positions below \(rowCount)")
        }
        return try writeSegment(ColumnData(type: .int32, storage: .int32(rows)))
    }
}

public enum DeletionVector {
    static func isValid(_ rows: [Int32], rowCount: Int) -> Bool {
        var previous: Int32 = -1
        for r in rows {
            guard r > previous, Int(r) < rowCount else { return false }
            previous = r
        }
        return true
    }

    /// The union of two sorted, distinct position lists.
    public static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// `keep` (sorted positions) without the `deleted` ones.
    public static func subtract(_ deleted: [Int32], from keep: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(keep.count)
        var j = 0
        for k in keep {
            while j < deleted.count && Int(deleted[j]) < k { j += 1 }
            if j < deleted.count && Int(deleted[j]) == k { continue }
            out.append(k)
        }
        return out
    }

    /// The positions of a row group's rows that are not deleted, in order.
    public static func live(rowCount: Int, deleted: [Int32]) -> [Int] {
        let count = rowCount - deleted.count
        return [Int](unsafeUninitializedCapacity: max(0, count)) { keep, n in
            var at = 0, next = 0
            deleted.withUnsafeBufferPointer { del in
                for d in del {
                    let d = Int(d)
                    while next < d { keep[at] = next; at += 1; next += 1 }
                    next = d + 1
                }
            }
            while next < rowCount { keep[at] = next; at += 1; next += 1 }
            n = at
        }
    }
}

extension SegmentReader {
    /// The deleted positions of `group` (empty when it has no deletion vector), checked
    /// against the row group: a damaged vector is reported, never applied.
    public func deletedRows(_ group: RowGroupMetadata) throws(StorageError) -> [Int32] {
        guard let meta = group.deletes else { return [] }
        let column = try read(meta, type: .int32)
        guard case .int32(let rows) = column.storage, column.validity == nil, rows.count == meta.stats.rowCount,
              DeletionVector.isValid(rows, rowCount: group.rowCount) else {
            throw StorageError(.corrupt, "deletion vector at byte offset \(meta.offset) is not valid for its row group", path: root + "/" + meta.file)
        }
        return rows
    }
}
