// Typed views of columns for kernels: integers widened to Int64, numbers as Double,
// validity merged. One conversion per batch, then tight loops over plain arrays.

import Columnar

enum ColumnAccess {
    static func int64s(_ c: ColumnData) -> [Int64] {
        let c = c.flattened()
        switch c.storage {
        case .int64(let a): return a
        case .int32(let a): return a.map { Int64($0) }
        case .boolean(let a): return a.map { $0 ? 1 : 0 }
        // Doubles truncate, saturating at Int64's ends (NaN is 0): a bound type reads doubles
        // as integers only where the binder cast them, so this never loses a value it needs.
        case .double(let a): return a.map { $0.isNaN ? 0 : $0 >= 9.223372036854775808e18 ? .max : $0 < -9.223372036854775808e18 ? .min : Int64($0) }
        default: return [Int64](repeating: 0, count: c.count)
        }
    }

    static func doubles(_ c: ColumnData) -> [Double] {
        let c = c.flattened()
        switch c.storage {
        case .double(let a): return a
        case .int32(let a): return a.map { Double($0) }
        case .int64(let a): return a.map { Double($0) }
        case .boolean(let a): return a.map { $0 ? 1 : 0 }
        default: return [Double](repeating: 0, count: c.count)
        }
    }

    static func bools(_ c: ColumnData) -> [Bool] {
        let c = c.flattened()
        if case .boolean(let a) = c.storage { return a }
        return int64s(c).map { $0 != 0 }
    }

    static func strings(_ c: ColumnData) -> StringArray {
        let c = c.flattened()
        if case .varchar(let s) = c.storage { return s }
        var out = StringArray()
        for i in 0..<c.count { out.append(c.isNull(i) ? "" : c.value(at: i).description) }
        return out
    }

    /// Timestamps in microseconds; dates widened to midnight.
    static func micros(_ c: ColumnData) -> [Int64] {
        let c = c.flattened()
        if c.type == .date, case .int32(let a) = c.storage { return a.map { Int64($0) * 86_400_000_000 } }
        return int64s(c)
    }

    /// Rows valid in both.
    static func merge(_ a: ValidityBitmap?, _ b: ValidityBitmap?) -> ValidityBitmap? {
        guard let a else { return b }
        guard let b else { return a }
        return ValidityBitmap(words: zip(a.words, b.words).map { $0 & $1 }, count: a.count)
    }

    static func merge(_ columns: [ColumnData]) -> ValidityBitmap? {
        columns.reduce(nil) { merge($0, $1.validity) }
    }
}

extension ColumnData {
    /// The text every one of the first `rows` rows holds, when they all hold the same non-NULL
    /// string (a constant argument such as a pattern); nil otherwise.
    func constantText(rows: Int) -> String? {
        guard type == .varchar, rows > 0, validity == nil, case .varchar(let s) = storage else { return nil }
        let first = s.withValueBytes(0) { Array($0) }
        for i in 1..<rows where s.length(i) != first.count || !s.withValueBytes(i, { $0.elementsEqual(first) }) { return nil }
        return String(decoding: first, as: UTF8.self)
    }
}
