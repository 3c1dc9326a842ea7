// A single SQL value: literals in plans, constants in expressions, cells when results are
// printed. Hot paths never hold these per row; they work on column buffers.

import Columnar

/// One SQL value of any type, or NULL.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case double(Double)
    case string(String)
    case bool(Bool)
    /// Days since 1970-01-01.
    case date(Int32)
    /// Microseconds since 1970-01-01 UTC.
    case timestamp(Int64)
    case list([String])

    public var isNull: Bool { self == .null }

    /// The text form used in results: timestamps as `YYYY-MM-DD HH:MM:SS`, lists as JSON.
    public var description: String {
        switch self {
        case .null: "NULL"
        case .int(let v): String(v)
        case .double(let v): Value.format(v)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .date(let d): CivilTime.formatDate(days: d)
        case .timestamp(let t): CivilTime.formatTimestamp(micros: t)
        case .list(let l): "[" + l.map(Value.jsonString).joined(separator: ",") + "]"
        }
    }

    /// Shortest text that reads back as the same double (`4.0`, `3.5`, `0.1`).
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return v.description
    }

    /// The value as JSON: numbers as numbers, NULL as null, lists as arrays, everything else
    /// (text, dates, timestamps) as a string. JSON has no NaN or infinity: those are the
    /// strings "NaN", "Infinity" and "-Infinity" (as PostgreSQL's to_json writes them), so
    /// they are not mistaken for NULL.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .int(let x): return String(x)
        case .double(let x):
            if x.isNaN { return "\"NaN\"" }
            if x.isInfinite { return x > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
            return Value.format(x)
        case .bool(let b): return b ? "true" : "false"
        case .list: return description
        default: return Value.jsonString(description)
        }
    }

    /// A JSON string literal.
    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

extension ColumnData {
    /// Row `row` as a `Value` (for printing and tests, not for hot loops).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch storage {
        case .int32(let v): return type == .date ? .date(v[row]) : .int(Int64(v[row]))
        case .int64(let v): return type == .timestamp ? .timestamp(v[row]) : .int(v[row])
        case .double(let v): return .double(v[row])
        case .boolean(let v): return .bool(v[row])
        case .varchar(let s): return .string(s[row])
        case .listVarchar(let l): return .list(l[row])
        case .dictionary(let d): return d.values.value(at: Int(d.codes[row]))
        }
    }
}
