// A column whose rows are indexes (codes) into another column of values: what a hash join
// makes of its build side's strings (each output row points at its build row instead of
// copying the bytes) and what grouping can key on without hashing every row's text.
// Operators that understand codes keep them; everything else calls `flattened()`.

/// Codes into a flat column of values.
public struct DictionaryVector: Sendable, Hashable {
    /// The values the codes index; flat (never itself a dictionary).
    public var values: ColumnData
    /// One code per row, each below `values.count`.
    public var codes: [UInt32]

    public init(values: ColumnData, codes: [UInt32]) {
        precondition(values.dictionary == nil, "a dictionary's values must be flat")
        self.values = values
        self.codes = codes
    }
}

extension ColumnData {
    /// A column of `codes` into `values`. Its validity is that of the values it points at, so
    /// code that only looks at NULLs needs no special case.
    public static func dictionary(values: ColumnData, codes: [UInt32]) -> ColumnData {
        var validity: ValidityBitmap? = nil
        if let v = values.validity, v.nullCount > 0 {
            var out = ValidityBitmap(allValid: codes.count)
            for (r, c) in codes.enumerated() where !v.isValid(Int(c)) { out.setValid(r, false) }
            validity = out
        }
        return ColumnData(type: values.type, storage: .dictionary(DictionaryVector(values: values, codes: codes)), validity: validity)
    }

    /// The dictionary form, if this column is one.
    public var dictionary: DictionaryVector? {
        if case .dictionary(let d) = storage { return d }
        return nil
    }

    /// This column with every row's value in place (a copy only for a dictionary).
    public func flattened() -> ColumnData {
        guard case .dictionary(let d) = storage else { return self }
        return d.values.selecting(d.codes.map { Int($0) })
    }
}

extension DictionaryVector {
    /// Whether `other` indexes the very same values (the same buffers, not merely equal
    /// contents): the batches a join produces all point into its one build column, and their
    /// codes can then be concatenated without looking at the values.
    public func sharesValues(with other: DictionaryVector) -> Bool {
        guard values.count == other.values.count, values.type == other.values.type else { return false }
        func same<T>(_ a: [T], _ b: [T]) -> Bool {
            a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress && x.count == y.count } }
        }
        switch (values.storage, other.values.storage) {
        case (.varchar(let a), .varchar(let b)):
            return same(a.offsets, b.offsets) && same(a.bytes, b.bytes)
        case (.listVarchar(let a), .listVarchar(let b)):
            return same(a.offsets, b.offsets) && same(a.values.offsets, b.values.offsets) && same(a.values.bytes, b.values.bytes)
        default:
            return false
        }
    }
}
