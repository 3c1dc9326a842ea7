// A batch of rows as columns: the unit every operator consumes and produces. Columns are
// Columnar's `ColumnData` (flat arrays + validity), so a scanned segment becomes a batch
// without conversion.

import Columnar

/// A batch of rows, one `ColumnData` per column, all of `count` rows.
public struct DataChunk: Sendable {
    public var columns: [ColumnData]
    public var count: Int

    public init(columns: [ColumnData], count: Int) {
        precondition(columns.allSatisfy { $0.count == count }, "chunk columns differ in length")
        self.columns = columns
        self.count = count
    }

    /// Rows at `indices`, in that order. Text and list columns are not copied: they become
    /// dictionary vectors whose codes are `indices` (one array shared by all of them), the
    /// selection vector of a filter or sort. When few rows survive, they are copied instead,
    /// so a small result does not keep a large batch alive.
    public func gather(_ indices: [Int]) -> DataChunk {
        var selection: [UInt32]? = nil
        return DataChunk(columns: columns.map { c in
            guard c.type == .varchar || c.type == .listVarchar, c.dictionary == nil, indices.count * 4 >= c.count else {
                return c.selecting(indices)
            }
            if selection == nil { selection = indices.map { UInt32(truncatingIfNeeded: $0) } }
            return .dictionary(values: c, codes: selection!)
        }, count: indices.count)
    }

    /// The bytes the chunk's values take in memory (for the query's memory accounting; a
    /// dictionary's values shared by several chunks count in each).
    public var byteSize: Int { columns.reduce(0) { $0 + $1.byteSize } }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> DataChunk {
        if range.lowerBound == 0 && range.upperBound == count { return self }
        return DataChunk(columns: columns.map { $0.slice(range) }, count: range.count)
    }
}

/// How many rows operators put in a batch. Tests run at 1, 3 and the default, each in its
/// own task (`BatchSize.$rows.withValue(3) { ... }`).
public enum BatchSize {
    public static let standard = 2048
    @TaskLocal public static var rows = standard
}

extension ColumnData {
    /// Rows `range` of this column.
    public func slice(_ range: Range<Int>) -> ColumnData {
        if range.lowerBound == 0 && range.upperBound == count { return self }
        if case .dictionary(let d) = storage { return .dictionary(values: d.values, codes: Array(d.codes[range])) }
        var v: ValidityBitmap? = nil
        if let validity {
            var nv = ValidityBitmap(allValid: range.count)
            for (i, r) in range.enumerated() where !validity.isValid(r) { nv.setValid(i, false) }
            v = nv
        }
        switch storage {
        case .int32(let a): return ColumnData(type: type, storage: .int32(Array(a[range])), validity: v)
        case .int64(let a): return ColumnData(type: type, storage: .int64(Array(a[range])), validity: v)
        case .double(let a): return ColumnData(type: type, storage: .double(Array(a[range])), validity: v)
        case .boolean(let a): return ColumnData(type: type, storage: .boolean(Array(a[range])), validity: v)
        case .varchar(let s):
            let lo = Int(s.offsets[range.lowerBound]), hi = Int(s.offsets[range.upperBound])
            let offsets = s.offsets[range.lowerBound...range.upperBound].map { $0 - UInt32(lo) }
            return ColumnData(type: type, storage: .varchar(StringArray(offsets: offsets, bytes: Array(s.bytes[lo..<hi]))), validity: v)
        case .listVarchar:
            return selecting(Array(range))
        case .dictionary:
            preconditionFailure("sliced above")
        }
    }
}

extension ColumnData {
    /// The bytes the column's values take in memory.
    public var byteSize: Int {
        let bitmap = validity.map { $0.words.count * 8 } ?? 0
        switch storage {
        case .int32(let v): return v.count * 4 + bitmap
        case .int64(let v): return v.count * 8 + bitmap
        case .double(let v): return v.count * 8 + bitmap
        case .boolean(let v): return v.count + bitmap
        case .varchar(let s): return s.bytes.count + s.offsets.count * 4 + bitmap
        case .listVarchar(let l): return l.values.bytes.count + l.values.offsets.count * 4 + l.offsets.count * 4 + bitmap
        case .dictionary(let d): return d.codes.count * 4 + d.values.byteSize + bitmap
        }
    }
}
