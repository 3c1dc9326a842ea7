// Typed values straight from the bytes of a field: no String per field. Integers check
// overflow; doubles take an exact fast path (Clinger: a mantissa below 2^53 divided by an
// exact power of ten rounds correctly) and fall back to strtod for anything longer.

#if canImport(Glibc)
import Glibc
#endif

/// Why a field failed to parse.
package enum FieldFailure: Error {
    case notANumber
    case outOfRange
    case invalidValue(String)
}

/// Parsers of typed values from raw field bytes.
package enum FieldParsing {
    @inline(__always)
    package static func parseInt64(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int64, FieldFailure> {
        var i = 0
        var negative = false
        if n > 0 && (p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+")) {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        guard i < n else { return .failure(.notANumber) }
        var acc: UInt64 = 0
        while i < n {
            let d = p[i] &- UInt8(ascii: "0")
            guard d < 10 else { return .failure(.notANumber) }
            let (m, o1) = acc.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return .failure(.outOfRange) }
            acc = a
            i += 1
        }
        if negative {
            guard acc <= UInt64(Int64.max) + 1 else { return .failure(.outOfRange) }
            return .success(acc == UInt64(Int64.max) + 1 ? Int64.min : -Int64(acc))
        }
        guard acc <= UInt64(Int64.max) else { return .failure(.outOfRange) }
        return .success(Int64(acc))
    }

    @inline(__always)
    package static func parseInt32(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, FieldFailure> {
        // Short unsigned fields (ids) are the common case: no sign, at most 9 digits.
        if n > 0 && n <= 9 {
            var acc: Int32 = 0
            var ok = true
            for i in 0..<n {
                let d = p[i] &- UInt8(ascii: "0")
                if d >= 10 { ok = false; break }
                acc = acc &* 10 &+ Int32(d)
            }
            if ok { return .success(acc) }
        }
        switch parseInt64(p, n) {
        case .success(let v):
            guard let r = Int32(exactly: v) else { return .failure(.outOfRange) }
            return .success(r)
        case .failure(let f):
            return .failure(f)
        }
    }

    static let exactPowers: [Double] = (0...22).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }

    @inline(__always)
    package static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Double, FieldFailure> {
        guard n > 0 else { return .failure(.notANumber) }
        var i = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") {
            negative = p[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fracDigits = 0
        var sawDigit = false
        while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
            mantissa = mantissa &* 10 &+ UInt64(d)
            digits += 1
            sawDigit = true
            i += 1
        }
        if i < n && p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, case let d = p[i] &- UInt8(ascii: "0"), d < 10 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                digits += 1
                fracDigits += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else {
            // nan, inf, infinity (any case, signed), as COPY ... TO and DuckDB write them.
            let word = String(decoding: UnsafeBufferPointer(start: p + i, count: n - i), as: UTF8.self).lowercased()
            switch word {
            case "nan": return .success(.nan)
            case "inf", "infinity": return .success(negative ? -.infinity : .infinity)
            default: return .failure(.notANumber)
            }
        }
        if i == n && digits <= 15 && fracDigits <= 22 {
            let v = Double(mantissa) / exactPowers[fracDigits]
            return .success(negative ? -v : v)
        }
        // Exponents, long mantissas: validate the shape, then let strtod round exactly.
        if i < n {
            guard p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") else { return .failure(.notANumber) }
            i += 1
            if i < n && (p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")) { i += 1 }
            guard i < n else { return .failure(.notANumber) }
            while i < n {
                guard p[i] &- UInt8(ascii: "0") < 10 else { return .failure(.notANumber) }
                i += 1
            }
        }
        var buf = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buf[k] = CChar(bitPattern: p[k]) }
        let v = strtod(buf, nil)
        guard v.isFinite else { return .failure(.outOfRange) }
        return .success(v)
    }

    package static func parseBoolean(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Bool, FieldFailure> {
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).lowercased()
        switch s {
        case "true", "t", "1", "yes": return .success(true)
        case "false", "f", "0", "no": return .success(false)
        default: return .failure(.invalidValue("expected true or false"))
        }
    }

    package static func parseDate(_ p: UnsafePointer<UInt8>, _ n: Int) -> Result<Int32, FieldFailure> {
        let s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        guard let d = CivilTime.parseDate(Substring(s)) else { return .failure(.invalidValue("expected a date YYYY-MM-DD")) }
        return .success(d)
    }

    /// Offset of the first invalid UTF-8 sequence, or nil when `bytes` is valid UTF-8.
    package static func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = 0
        while i < n {
            // ASCII fast path, eight bytes at a time.
            while i + 8 <= n && UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            let len: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; upper = 0x9F
            case 0xF0: len = 4; lower = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; upper = 0x8F
            default: return i
            }
            guard i + len <= n else { return i }
            guard p[i + 1] >= lower && p[i + 1] <= upper else { return i }
            for k in 2..<len where p[i + k] & 0xC0 != 0x80 { return i }
            i += len
        }
        return nil
    }
}
