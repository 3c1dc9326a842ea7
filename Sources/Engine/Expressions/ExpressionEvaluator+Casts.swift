// CAST between the types: numbers widen or are range-checked, text is parsed (and
// written) without going through a `Value` per row where the formats are fixed.

import Columnar

extension ExpressionEvaluator {

    package static func cast(_ c: ColumnData, to t: LogicalType) throws(SQLError) -> ColumnData {
        if c.type == t { return c }
        let c = c.flattened()
        let n = c.count
        switch (c.type, t) {
        case (.int32, .int64), (.boolean, .int64):
            return ColumnData(type: t, storage: .int64(ColumnAccess.int64s(c)), validity: c.validity)
        case (.int64, .int32), (.boolean, .int32):
            let v = ColumnAccess.int64s(c)
            var out = [Int32](repeating: 0, count: n)
            for i in 0..<n where !c.isNull(i) {
                guard let x = Int32(exactly: v[i]) else { throw SQLError(.runtime, "Conversion Error: \(v[i]) is out of range for INT") }
                out[i] = x
            }
            return ColumnData(type: t, storage: .int32(out), validity: c.validity)
        case (.int32, .double), (.int64, .double), (.boolean, .double):
            return ColumnData(type: t, storage: .double(ColumnAccess.doubles(c)), validity: c.validity)
        case (.double, .int32), (.double, .int64):
            let v = ColumnAccess.doubles(c)
            var out = [Int64](repeating: 0, count: n)
            // The exact bounds of the target: -2^31 ... 2^31 - 1, and -2^63 up to (not
            // including) 2^63, which are exact doubles.
            let lower = t == .int64 ? -9_223_372_036_854_775_808.0 : -2_147_483_648.0
            let upper = t == .int64 ? 9_223_372_036_854_775_808.0 : 2_147_483_648.0
            for i in 0..<n where !c.isNull(i) {
                let r = v[i].rounded(.toNearestOrAwayFromZero)
                guard r >= lower && r < upper else {
                    throw SQLError(.runtime, "Conversion Error: \(Value.format(v[i])) is out of range for \(t)")
                }
                out[i] = Int64(r)
            }
            return t == .int64 ? ColumnData(type: t, storage: .int64(out), validity: c.validity)
                : ColumnData(type: t, storage: .int32(out.map { Int32($0) }), validity: c.validity)
        case (.int32, .boolean), (.int64, .boolean), (.double, .boolean):
            return ColumnData(type: t, storage: .boolean(ColumnAccess.doubles(c).map { $0 != 0 }), validity: c.validity)
        case (.date, .timestamp):
            return ColumnData(type: t, storage: .int64(ColumnAccess.micros(c)), validity: c.validity)
        case (.timestamp, .date):
            let v = ColumnAccess.int64s(c)
            return ColumnData(type: t, storage: .int32(v.map { x in
                let d = x / 86_400_000_000
                return Int32(x < 0 && x % 86_400_000_000 != 0 ? d - 1 : d)
            }), validity: c.validity)
        case (.int32, .varchar), (.int64, .varchar):
            // Decimal digits written straight into the string heap.
            let v = ColumnAccess.int64s(c)
            var out = StringArray()
            out.bytes.reserveCapacity(n * 8)
            out.offsets.reserveCapacity(n + 1)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
                for i in 0..<n {
                    if !c.isNull(i) {
                        var x = v[i].magnitude
                        var k = 20
                        repeat { k -= 1; digits[k] = UInt8(48 + x % 10); x /= 10 } while x > 0
                        if v[i] < 0 { out.bytes.append(45) }
                        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
                    }
                    out.offsets.append(UInt32(out.bytes.count))
                }
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (.timestamp, .varchar), (.date, .varchar):
            // The text written straight into the string heap.
            let v = ColumnAccess.int64s(c)
            var out = StringArray()
            out.bytes.reserveCapacity(n * 19)
            out.offsets.reserveCapacity(n + 1)
            for i in 0..<n {
                if !c.isNull(i) {
                    if c.type == .timestamp {
                        CivilTime.appendTimestamp(micros: v[i], to: &out.bytes)
                    } else if !CivilTime.appendDate(days: Int32(truncatingIfNeeded: v[i]), to: &out.bytes) {
                        out.bytes.append(contentsOf: CivilTime.formatDate(days: Int32(truncatingIfNeeded: v[i])).utf8)
                    }
                }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (_, .varchar):
            var out = StringArray()
            for i in 0..<n { out.append(c.isNull(i) ? "" : c.value(at: i).description) }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: c.validity)
        case (.varchar, _):
            var builder = ColumnBuilder(type: t, capacity: n)
            guard case .varchar(let s) = c.storage else { break }
            for i in 0..<n {
                if c.isNull(i) { builder.appendNull(); continue }
                builder.append(try parse(s[i], as: t))
            }
            return builder.finish()
        default:
            break
        }
        throw SQLError(.type, "cannot cast \(c.type) to \(t)")
    }

    /// Parses text as a value of `t` (the string-to-type CAST).
    package static func parse(_ text: String, as t: LogicalType) throws(SQLError) -> Value {
        let s = text.trimmingCharacters(in: " ")
        switch t {
        case .int32, .int64:
            // Integers exactly; decimal text rounds half away from zero (Snowflake). Either must
            // fit the target type.
            var v = Int64(s)
            if v == nil, let d = Double(s)?.rounded(.toNearestOrAwayFromZero), d >= -9.223372036854775808e18, d < 9.223372036854775808e18 {
                v = Int64(d)
            }
            if let v, t == .int64 || Int32(exactly: v) != nil { return .int(v) }
            if v != nil || Double(s) != nil { throw SQLError(.runtime, "Conversion Error: '\(text)' is out of range for \(t)") }
        case .double:
            if let v = Double(s) { return .double(v) }
        case .boolean:
            switch s.lowercased() {
            case "true", "t", "1", "yes", "y", "on": return .bool(true)
            case "false", "f", "0", "no", "n", "off": return .bool(false)
            default: break
            }
        case .date:
            if let d = CivilTime.parseDate(Substring(s.prefix(10))), s.count == 10 || s.dropFirst(10).allSatisfy({ $0 == " " || $0 == ":" || $0.isNumber }) { return .date(d) }
        case .timestamp:
            if let t = parseTimestamp(s) { return .timestamp(t) }
        case .varchar: return .string(text)
        case .listVarchar: break
        }
        throw SQLError(.runtime, "Conversion Error: could not convert string '\(text)' to \(t)")
    }

    /// `YYYY-MM-DD[ HH:MM:SS[.ffffff]]` (also with `T`), UTC.
    static func parseTimestamp(_ s: String) -> Int64? {
        let parts = s.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let first = parts.first, let day = CivilTime.parseDate(first) else { return nil }
        var micros = Int64(day) * 86_400_000_000
        if parts.count > 1 {
            let time = parts[1].split(separator: ":")
            guard time.count >= 2, let h = Int64(time[0]), let m = Int64(time[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            var sec = 0.0
            if time.count > 2 { guard let s = Double(time[2]), s >= 0, s < 61 else { return nil }; sec = s }
            micros += (h * 3600 + m * 60) * 1_000_000 + Int64((sec * 1_000_000).rounded())
        }
        return CivilTime.isValid(micros: micros) ? micros : nil
    }
}
