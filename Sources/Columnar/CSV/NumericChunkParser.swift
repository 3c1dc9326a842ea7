// The optimistic fast path for files whose columns are all numbers (ratings, genome scores,
// links): one pass over the bytes that finds each field's end and its value together, eight
// bytes at a time. Anything it does not expect (a quote, a sign, an exponent, a wrong field
// count, a blank line) makes it give up on the chunk, and the general two-pass parser, which
// knows how to report errors, takes the chunk instead. So it never decides what is an error.

/// Single-pass parsing of all-numeric chunks; nil means "use the general parser".
package enum NumericChunkParser {
    /// Whether `schema` is all INT, BIGINT and DOUBLE columns.
    package static func applies(to schema: CSVSchema) -> Bool {
        schema.columns.allSatisfy { $0.type == .int32 || $0.type == .int64 || $0.type == .double }
    }

    private static let kindInt32: UInt8 = 0, kindInt64: UInt8 = 1, kindDouble: UInt8 = 2

    /// Parses `bytes`, which must be followed by at least 16 readable bytes.
    package static func parse(_ bytes: UnsafeRawBufferPointer, schema: CSVSchema,
                              scratch: ParseScratch = ParseScratch()) -> ParsedChunk? {
        guard bytes.count > 0 else { return nil }
        let ncols = schema.columns.count
        let delimiter = schema.delimiter
        // A row takes at least one byte per field (a delimiter or the line end).
        let capacity = bytes.count / ncols + 1
        let values = scratch.values(capacity * ncols)
        let kinds = schema.columns.map { c -> UInt8 in
            c.type == .double ? kindDouble : (c.type == .int32 ? kindInt32 : kindInt64)
        }
        var nulls: [(column: Int, row: Int)] = []
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        var rows = 0
        var pos = 0
        var endedWithNewline = false
        let ok: Bool = kinds.withUnsafeBufferPointer { kind in
            while pos < n {
                for f in 0..<ncols {
                    let p = base + pos
                    let x = load(p)
                    let available = n &- pos
                    var length = digitRun(x)
                    var y: UInt64 = 0
                    if length == 8 {
                        y = load(p + 8)
                        length = 8 &+ digitRun(y)
                        guard length < 16 || available < 16 else { return false }
                    }
                    // Digits past the input are leftovers in the padding: not ours.
                    length = Swift.min(length, available)
                    var value: UInt64 = length == 0 ? 0 : length <= 8 ? convert(x, length)
                        : convert(x, 8) &* pow10(length &- 8) &+ convert(y, length &- 8)
                    var terminator: UInt8 = length < available ? p[length] : 0
                    var end = pos &+ length
                    let k = kind[f]
                    var bits: Int64
                    if k == kindDouble {
                        var fraction = 0
                        if terminator == UInt8(ascii: ".") {
                            let z = load(base + end + 1)
                            fraction = Swift.min(digitRun(z), n &- end &- 1)
                            guard fraction > 0 && fraction < 8 && length &+ fraction <= 15 else { return false }
                            value = value &* pow10(fraction) &+ convert(z, fraction)
                            end &+= 1 &+ fraction
                            terminator = end < n ? UInt8(truncatingIfNeeded: z >> UInt64(fraction &* 8)) : 0
                        }
                        // The same arithmetic as the general parser, so the same bits.
                        bits = Int64(bitPattern: (Double(value) / powerOfTen(fraction)).bitPattern)
                    } else {
                        guard length <= 18 else { return false }
                        if k == kindInt32 { guard value <= UInt64(Int32.max) else { return false } }
                        bits = Int64(value)
                    }
                    if end == pos {
                        // An empty field is NULL, unless it would make an empty line.
                        guard !(f == 0 && (terminator == UInt8(ascii: "\n") || terminator == UInt8(ascii: "\r") || end >= n)) else { return false }
                        nulls.append((f, rows))
                    }
                    if end >= n {
                        // The input ends here (the last row of a file without a final newline).
                        guard f == ncols - 1 else { return false }
                        endedWithNewline = false
                    } else if f == ncols - 1 {
                        if terminator == UInt8(ascii: "\r") {
                            guard end &+ 1 < n && base[end &+ 1] == UInt8(ascii: "\n") else { return false }
                            end &+= 1
                        } else {
                            guard terminator == UInt8(ascii: "\n") else { return false }
                        }
                        endedWithNewline = true
                    } else {
                        guard terminator == delimiter else { return false }
                    }
                    values[f &* capacity &+ rows] = bits
                    pos = end &+ 1
                }
                rows &+= 1
            }
            return true
        }
        guard ok, pos >= n else { return nil }
        var columns: [ColumnData] = []
        for (f, column) in schema.columns.enumerated() {
            let src = UnsafeBufferPointer(start: values + f * capacity, count: rows)
            var validity: ValidityBitmap? = nil
            for (c, r) in nulls where c == f {
                if validity == nil { validity = ValidityBitmap(allValid: rows) }
                validity!.setValid(r, false)
            }
            let storage: ColumnData.Storage
            switch column.type {
            case .int32: storage = .int32([Int32](unsafeUninitializedCapacity: rows) { b, c in
                for i in 0..<rows { b[i] = Int32(truncatingIfNeeded: src[i]) }
                c = rows
            })
            case .double: storage = .double([Double](unsafeUninitializedCapacity: rows) { b, c in
                for i in 0..<rows { b[i] = Double(bitPattern: UInt64(bitPattern: src[i])) }
                c = rows
            })
            default: storage = .int64(Array(src))
            }
            columns.append(ColumnData(type: column.type, storage: storage, validity: validity))
        }
        return ParsedChunk(columns: columns, rowCount: rows, newlineCount: endedWithNewline ? rows : rows - 1, problems: [])
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    /// Number of leading ASCII digits in the word (8 if all are digits).
    @inline(__always)
    static func digitRun(_ x: UInt64) -> Int {
        let below = x &- 0x3030_3030_3030_3030
        let above = x &+ 0x4646_4646_4646_4646
        let nonDigit = (below | above) & 0x8080_8080_8080_8080
        return nonDigit == 0 ? 8 : nonDigit.trailingZeroBitCount &>> 3
    }

    /// The value of the first `n` (1...8) bytes of `x`, known to be digits.
    @inline(__always)
    static func convert(_ x: UInt64, _ n: Int) -> UInt64 {
        let y = (x &<< UInt64(8 &* (8 &- n))) | (n == 8 ? 0 : 0x3030_3030_3030_3030 &>> UInt64(8 &* n))
        var t = y &- 0x3030_3030_3030_3030
        t = (t &* 10) &+ (t &>> 8)
        return (((t & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 &<< 32)))
            &+ (((t &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 &<< 32)))) &>> 32
    }

    @inline(__always)
    static func pow10(_ e: Int) -> UInt64 {
        var r: UInt64 = 1
        var k = e
        while k > 0 { r &*= 10; k &-= 1 }
        return r
    }
}
