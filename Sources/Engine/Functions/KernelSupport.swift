// Building blocks the scalar kernels share: a text column under construction that stops at
// the per-batch text budget, a per-row choice among columns (COALESCE, GREATEST, NULLIF),
// and UTF-8 helpers that count characters as Unicode code points.

import Columnar

/// A text result under construction, one value per row, in one byte buffer.
struct TextBuilder {
    /// The longest text a single value may hold (Snowflake's VARCHAR limit): padding and
    /// repetition past it are errors rather than runaway allocations.
    static let maxValueBytes = 16 << 20
    /// The most text one batch of a function's results may hold (the offsets are 32-bit).
    static let maxBatchBytes = 256 << 20

    private(set) var strings = StringArray()
    private var validity: ValidityBitmap?
    let function: String
    let count: Int

    init(function: String, count: Int, reserving bytes: Int = 0) {
        self.function = function
        self.count = count
        strings.offsets.reserveCapacity(count + 1)
        strings.bytes.reserveCapacity(bytes)
    }

    /// Ends the current row's value.
    @inline(__always)
    mutating func endValue() throws(SQLError) {
        guard strings.bytes.count <= Self.maxBatchBytes else {
            throw SQLError(.runtime, "\(function.uppercased()) produced more than \(Self.maxBatchBytes >> 20) MiB of text in one batch of \(count) rows")
        }
        strings.offsets.append(UInt32(strings.bytes.count))
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) { strings.bytes.append(contentsOf: bytes) }

    /// `bytes` `times` times: the first copy, then the copies made so far doubled (memcpy,
    /// not one append per copy).
    mutating func append(_ bytes: UnsafeRawBufferPointer, times: Int) {
        guard times > 0, !bytes.isEmpty else { return }
        let start = strings.bytes.count, total = bytes.count * times
        strings.bytes.append(contentsOf: [UInt8](repeating: 0, count: total))
        strings.bytes.withUnsafeMutableBytes { all in
            let out = all.baseAddress! + start
            out.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            var written = bytes.count
            while written < total {
                let take = min(written, total - written)
                (out + written).copyMemory(from: out, byteCount: take)
                written += take
            }
        }
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) { strings.bytes.append(byte) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { strings.bytes.append(contentsOf: $0) }
    }

    /// Ends the current row as NULL.
    mutating func endNull() {
        if validity == nil { validity = ValidityBitmap(allValid: count) }
        validity!.setValid(strings.count, false)
        strings.offsets.append(UInt32(strings.bytes.count))
    }

    func finish() -> ColumnData {
        ColumnData(type: .varchar, storage: .varchar(strings), validity: validity)
    }
}

extension KernelInput {
    /// Argument `i` as text (its parameter type is VARCHAR).
    func text(_ i: Int) -> StringArray { ColumnAccess.strings(arguments[i]) }

    /// The text every row of argument `i` holds, when it is the same on every row (a
    /// constant pattern, separator or unit).
    func constantText(_ i: Int) -> String? { arguments[i].constantText(rows: count) }

    /// The integer every row of argument `i` holds, when it is the same non-NULL value.
    func constantInt(_ i: Int) -> Int64? {
        guard count > 0, arguments[i].validity == nil else { return nil }
        let v = ColumnAccess.int64s(arguments[i])
        return v.allSatisfy { $0 == v[0] } ? v[0] : nil
    }
}

extension ColumnData {
    /// Row by row, the value of `columns[choice[r]]` (all of type `type`), or NULL where the
    /// choice is negative.
    static func choosing(from columns: [ColumnData], _ choice: [Int32], type: LogicalType) -> ColumnData {
        let n = choice.count
        var validity: ValidityBitmap? = nil
        for r in 0..<n where choice[r] < 0 {
            if validity == nil { validity = ValidityBitmap(allValid: n) }
            validity!.setValid(r, false)
        }
        func pick<T>(_ arrays: [[T]], zero: T) -> [T] {
            var out = [T](repeating: zero, count: n)
            for r in 0..<n where choice[r] >= 0 { out[r] = arrays[Int(choice[r])][r] }
            return out
        }
        let flat = columns.map { $0.flattened() }
        switch type {
        case .int32, .date:
            return ColumnData(type: type, storage: .int32(pick(flat.map { $0.int32s }, zero: 0)), validity: validity)
        case .int64, .timestamp:
            return ColumnData(type: type, storage: .int64(pick(flat.map(ColumnAccess.int64s), zero: 0)), validity: validity)
        case .double:
            return ColumnData(type: type, storage: .double(pick(flat.map(ColumnAccess.doubles), zero: 0)), validity: validity)
        case .boolean:
            return ColumnData(type: type, storage: .boolean(pick(flat.map(ColumnAccess.bools), zero: false)), validity: validity)
        case .varchar:
            let texts = flat.map(ColumnAccess.strings)
            var out = StringArray()
            out.offsets.reserveCapacity(n + 1)
            for r in 0..<n {
                if choice[r] >= 0 { texts[Int(choice[r])].withValueBytes(r) { out.bytes.append(contentsOf: $0) } }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: type, storage: .varchar(out), validity: validity)
        case .listVarchar:
            var b = ColumnBuilder(type: type, capacity: n)
            for r in 0..<n { if choice[r] >= 0 { b.append(from: flat[Int(choice[r])], row: r) } else { b.appendNull() } }
            return b.finish()
        }
    }

    /// The values of an INT or DATE column.
    var int32s: [Int32] {
        if case .int32(let a) = flattened().storage { return a }
        return ColumnAccess.int64s(self).map { Int32(truncatingIfNeeded: $0) }
    }
}

/// Characters as Unicode code points over UTF-8 bytes (as Snowflake and DuckDB count them
/// in LENGTH, SUBSTR, LEFT and the padding functions).
enum UTF8Text {
    @inline(__always)
    static func isASCII(_ b: UnsafeRawBufferPointer) -> Bool {
        var acc: UInt8 = 0
        for byte in b { acc |= byte }
        return acc < 0x80
    }

    /// The number of code points.
    @inline(__always)
    static func count(_ b: UnsafeRawBufferPointer) -> Int {
        var n = 0
        for byte in b where byte & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// The byte offset of each code point, in `starts` (cleared first).
    @inline(__always)
    static func starts(_ b: UnsafeRawBufferPointer, into starts: inout [Int]) {
        starts.removeAll(keepingCapacity: true)
        for (k, byte) in b.enumerated() where byte & 0xC0 != 0x80 { starts.append(k) }
    }

    /// Bytes `range` of `b` as a buffer.
    @inline(__always)
    static func slice(_ b: UnsafeRawBufferPointer, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: b[range])
    }

    /// Where `needle` first occurs in `hay` at or after `from`, by bytes (UTF-8 matches on
    /// code point boundaries only).
    static func find(_ needle: UnsafeRawBufferPointer, in hay: UnsafeRawBufferPointer, from: Int = 0) -> Int? {
        let m = needle.count, n = hay.count
        guard m > 0 else { return from <= n ? from : nil }
        guard m <= n else { return nil }
        let first = needle[0]
        var i = from
        while i + m <= n {
            if hay[i] == first && memcmp(hay.baseAddress! + i, needle.baseAddress!, m) == 0 { return i }
            i += 1
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
