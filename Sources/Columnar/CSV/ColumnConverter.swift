// Pass 2 of chunk parsing: one column's field spans to typed values. Each call handles one
// column of one chunk; the parser for the type is a generic parameter, so the loop below is
// specialized per type with the number parsing inlined. Unquoted empty fields are NULL;
// quoted fields are unescaped (`""` -> `"`).

/// A parser of one typed value from field bytes.
protocol FieldValueParser {
    associatedtype Value
    static var zero: Value { get }
    static var expected: String { get }
    /// The value, or nil with `failure` set.
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Value?
    /// As `parse`, for a field that may be read up to 8 bytes past its end.
    static func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Value?
}

extension FieldValueParser {
    @inline(__always)
    static func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Value? {
        parse(p, n, failure: &failure)
    }
}

/// SWAR decimal parsing: up to eight ASCII digits in a handful of 64-bit operations.
enum SWARDigits {
    /// The value of the `n` (1...8) digits at `p`, or nil if one is not a digit. Reads 8 bytes.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64? {
        let x = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
        // Move the digits to the end of the word and fill the front with '0' characters.
        let shift = UInt64(8 &* (8 &- n))
        let y = (x &<< shift) | (n == 8 ? 0 : 0x3030_3030_3030_3030 &>> UInt64(8 &* n))
        let digitsOK = ((y & 0xF0F0_F0F0_F0F0_F0F0) | (((y &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) &>> 4)) == 0x3333_3333_3333_3333
        guard digitsOK else { return nil }
        var t = y &- 0x3030_3030_3030_3030
        t = (t &* 10) &+ (t &>> 8)
        t = (((t & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 &<< 32)))
            &+ (((t &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 &<< 32)))) &>> 32
        return t
    }
}

enum Int32Field: FieldValueParser {
    static let zero: Int32 = 0
    static let expected = "an integer (INT)"
    @inline(__always)
    static func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Int32? {
        if n >= 1 && n <= 8, let v = SWARDigits.parse(p, n) { return Int32(truncatingIfNeeded: v) }
        return parse(p, n, failure: &failure)
    }
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Int32? {
        if n > 0 && n <= 9 {
            var acc: Int32 = 0
            var i = 0
            while i < n {
                let d = p[i] &- 48
                if d >= 10 { break }
                acc = acc &* 10 &+ Int32(d)
                i += 1
            }
            if i == n { return acc }
        }
        switch FieldParsing.parseInt32(p, n) {
        case .success(let v): return v
        case .failure(let f): failure = f; return nil
        }
    }
}

enum Int64Field: FieldValueParser {
    static let zero: Int64 = 0
    static let expected = "an integer (BIGINT)"
    @inline(__always)
    static func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Int64? {
        if n >= 1 && n <= 8, let v = SWARDigits.parse(p, n) { return Int64(v) }
        if n > 8 && n <= 16, let hi = SWARDigits.parse(p, n - 8), let lo = SWARDigits.parse(p + (n - 8), 8) {
            return Int64(hi &* 100_000_000 &+ lo)
        }
        return parse(p, n, failure: &failure)
    }
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Int64? {
        if n > 0 && n <= 18 {
            var acc: Int64 = 0
            var i = 0
            while i < n {
                let d = p[i] &- 48
                if d >= 10 { break }
                acc = acc &* 10 &+ Int64(d)
                i += 1
            }
            if i == n { return acc }
        }
        switch FieldParsing.parseInt64(p, n) {
        case .success(let v): return v
        case .failure(let f): failure = f; return nil
        }
    }
}

enum DoubleField: FieldValueParser {
    static let zero: Double = 0
    static let expected = "a number (DOUBLE)"
    @inline(__always)
    static func parsePadded(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Double? {
        // `d.d`, as every MovieLens rating is written.
        if n == 3 && p[1] == UInt8(ascii: ".") {
            let a = p[0] &- 48, b = p[2] &- 48
            if a < 10 && b < 10 { return Double(Int(a) &* 10 &+ Int(b)) / 10 }
        }
        return parse(p, n, failure: &failure)
    }
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Double? {
        // `d.d` (ratings) and short decimals without sign or exponent: exact fast path.
        if n >= 3 && n <= 16 {
            var mantissa: UInt64 = 0
            var i = 0
            var point = -1
            while i < n {
                let b = p[i]
                let d = b &- 48
                if d < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                } else if b == UInt8(ascii: ".") && point < 0 && i > 0 {
                    point = i
                } else {
                    break
                }
                i += 1
            }
            if i == n && point > 0 && point < n - 1 {
                return Double(mantissa) / powerOfTen(n - 1 - point)
            }
        }
        switch FieldParsing.parseDouble(p, n) {
        case .success(let v): return v
        case .failure(let f): failure = f; return nil
        }
    }
}

/// 10^e for e in 0...15, exact, without a global table (no lazy-init check in the loop).
@inline(__always)
func powerOfTen(_ e: Int) -> Double {
    var p = 1.0
    var k = e
    var b = 10.0
    while k > 0 {
        if k & 1 != 0 { p *= b }
        b *= b
        k >>= 1
    }
    return p
}

enum BooleanField: FieldValueParser {
    static let zero = false
    static let expected = "a boolean"
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Bool? {
        switch FieldParsing.parseBoolean(p, n) {
        case .success(let v): return v
        case .failure(let f): failure = f; return nil
        }
    }
}

enum DateField: FieldValueParser {
    static let zero: Int32 = 0
    static let expected = "a date"
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, failure: inout FieldFailure?) -> Int32? {
        switch FieldParsing.parseDate(p, n) {
        case .success(let v): return v
        case .failure(let f): failure = f; return nil
        }
    }
}

/// Converts one column of a chunk from its field spans.
package enum ColumnConverter {
    typealias Report = (_ row: Int, _ position: Int, _ code: CSVError.Code, _ message: String) -> Void

    /// Where field `f` of each row starts and ends.
    struct Spans {
        let base: UnsafePointer<UInt8>
        /// Bytes in the chunk; an 8-byte load at `s` is safe when `s + 8 <= count`.
        let count: Int
        let ends: UnsafeBufferPointer<UInt32>
        let rowStarts: UnsafeBufferPointer<UInt32>
        let ncols: Int
        let f: Int

        @inline(__always)
        func span(_ r: Int) -> (Int, Int) {
            let mask = ~StructuralIndex.newlineFlag
            let start = f == 0 ? Int(rowStarts[r]) : Int(ends[r &* ncols &+ f &- 1] & mask) &+ 1
            var end = Int(ends[r &* ncols &+ f] & mask)
            if f == ncols - 1 && end > start && base[end &- 1] == UInt8(ascii: "\r") { end &-= 1 }
            return (start, end)
        }
    }

    static func convert(bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<UInt32>, rowStarts: UnsafeBufferPointer<UInt32>,
                        rows: Int, ncols: Int, field f: Int, type: LogicalType, report: Report) -> ColumnData {
        let spans = Spans(base: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: bytes.count, ends: ends, rowStarts: rowStarts,
                          ncols: ncols, f: f)
        var validity: ValidityBitmap? = nil
        switch type {
        case .int32:
            let v = fixed(Int32Field.self, spans, rows, &validity, report)
            return ColumnData(type: type, storage: .int32(v), validity: validity)
        case .int64:
            let v = fixed(Int64Field.self, spans, rows, &validity, report)
            return ColumnData(type: type, storage: .int64(v), validity: validity)
        case .double:
            let v = fixed(DoubleField.self, spans, rows, &validity, report)
            return ColumnData(type: type, storage: .double(v), validity: validity)
        case .boolean:
            let v = fixed(BooleanField.self, spans, rows, &validity, report)
            return ColumnData(type: type, storage: .boolean(v), validity: validity)
        case .date:
            let v = fixed(DateField.self, spans, rows, &validity, report)
            return ColumnData(type: type, storage: .int32(v), validity: validity)
        case .timestamp:
            // Unix seconds, as MovieLens writes them; outside TIMESTAMP's range is a bad value.
            var v = fixed(Int64Field.self, spans, rows, &validity, report)
            for r in 0..<rows {
                let seconds = v[r]
                if let m = CivilTime.micros(epochSeconds: seconds) { v[r] = m; continue }
                v[r] = 0
                report(r, spans.span(r).0, .numberOutOfRange, "\(seconds) seconds since 1970 is outside TIMESTAMP's range (290000 BC to 290000 AD)")
            }
            return ColumnData(type: type, storage: .int64(v), validity: validity)
        case .varchar:
            return ColumnData(type: type, storage: .varchar(strings(spans, rows, &validity, report)), validity: validity)
        case .listVarchar:
            // A list column from CSV: the field split on '|'.
            let s = strings(spans, rows, &validity, report)
            var lists = StringListArray()
            for r in 0..<rows { lists.append(s[r].split(separator: "|", omittingEmptySubsequences: false).map(String.init)) }
            return ColumnData(type: type, storage: .listVarchar(lists), validity: validity)
        }
    }

    @inline(__always)
    private static func setNull(_ r: Int, _ rows: Int, _ validity: inout ValidityBitmap?) {
        if validity == nil { validity = ValidityBitmap(allValid: rows) }
        validity!.setValid(r, false)
    }

    private static func fixed<P: FieldValueParser>(_: P.Type, _ spans: Spans, _ rows: Int, _ validity: inout ValidityBitmap?,
                                                   _ report: Report) -> [P.Value] {
        var scratch: [UInt8] = []
        return [P.Value](unsafeUninitializedCapacity: rows) { out, n in
            let base = spans.base
            for r in 0..<rows {
                let (s, e) = spans.span(r)
                var failure: FieldFailure? = nil
                if e > s && base[s] != UInt8(ascii: "\"") {
                    let parsed = s &+ 8 <= spans.count ? P.parsePadded(base + s, e - s, failure: &failure)
                                                       : P.parse(base + s, e - s, failure: &failure)
                    if let v = parsed {
                        out[r] = v
                        continue
                    }
                } else if s == e {
                    out[r] = P.zero
                    setNull(r, rows, &validity)
                    continue
                } else if unquote(spans.base, s, e, into: &scratch, row: r, report) {
                    let parsed = scratch.withUnsafeBufferPointer { b in P.parse(b.baseAddress ?? base, b.count, failure: &failure) }
                    if let v = parsed { out[r] = v; continue }
                } else {
                    out[r] = P.zero
                    continue
                }
                out[r] = P.zero
                if let failure { numericFailure(spans.base, r, s, e, failure, P.expected, report) }
            }
            n = rows
        }
    }

    private static func strings(_ spans: Spans, _ rows: Int, _ validity: inout ValidityBitmap?, _ report: Report) -> StringArray {
        let base = spans.base
        var offsets = [UInt32](repeating: 0, count: rows + 1)
        var heap = [UInt8]()
        var scratch: [UInt8] = []
        heap.reserveCapacity(rows * 16)
        for r in 0..<rows {
            let (s, e) = spans.span(r)
            defer { offsets[r + 1] = UInt32(heap.count) }
            if s == e { setNull(r, rows, &validity); continue }
            if base[s] == UInt8(ascii: "\"") {
                guard unquote(base, s, e, into: &scratch, row: r, report) else { continue }
                let bad = scratch.withUnsafeBufferPointer { FieldParsing.firstInvalidUTF8($0.baseAddress ?? base, $0.count) }
                if bad != nil {
                    report(r, s + 1, .invalidUTF8, "invalid UTF-8 byte sequence")
                    continue
                }
                heap.append(contentsOf: scratch)
                continue
            }
            let len = e - s
            if let q = UnsafeBufferPointer(start: base + s, count: len).firstIndex(of: UInt8(ascii: "\"")) {
                report(r, s + q, .badQuote, "'\"' inside an unquoted field (quote the whole field and write the quote as \"\")")
                continue
            }
            if let bad = FieldParsing.firstInvalidUTF8(base + s, len) {
                report(r, s + bad, .invalidUTF8, "invalid UTF-8 byte sequence")
                continue
            }
            heap.append(contentsOf: UnsafeBufferPointer(start: base + s, count: len))
        }
        return StringArray(offsets: offsets, bytes: heap)
    }

    /// Unescapes the quoted field `[s, e)` into `out`; false after reporting a problem.
    private static func unquote(_ base: UnsafePointer<UInt8>, _ s: Int, _ e: Int, into out: inout [UInt8], row r: Int,
                                _ report: Report) -> Bool {
        out.removeAll(keepingCapacity: true)
        var i = s + 1
        while i < e {
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                if i + 1 < e && base[i + 1] == UInt8(ascii: "\"") {
                    out.append(b)
                    i += 2
                    continue
                }
                if i == e - 1 { return true }
                report(r, i + 1, .badQuote, "unexpected character after a closing quote (expected the delimiter or a line end)")
                return false
            }
            out.append(b)
            i += 1
        }
        report(r, s, .badQuote, "quoted field is not closed before the delimiter")
        return false
    }

    private static func numericFailure(_ base: UnsafePointer<UInt8>, _ r: Int, _ s: Int, _ e: Int, _ failure: FieldFailure,
                                       _ what: String, _ report: Report) {
        let text = String(decoding: UnsafeBufferPointer(start: base + s, count: min(e - s, 40)), as: UTF8.self)
        switch failure {
        case .notANumber: report(r, s, .invalidNumber, "expected \(what), found \"\(text)\"")
        case .outOfRange: report(r, s, .numberOutOfRange, "\(text) is out of range for \(what)")
        case .invalidValue(let m): report(r, s, .invalidValue, "\(m), found \"\(text)\"")
        }
    }
}
