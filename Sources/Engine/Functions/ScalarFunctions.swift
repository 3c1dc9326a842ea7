// The scalar functions SQL can call: their result types (checked when binding) and their
// batch implementations. String functions work per value, which strings require; numeric
// and date ones are plain loops over arrays.

import Columnar
import Foundation

/// Binding and evaluation of scalar functions.
public enum ScalarFunctions {
    static let aliases: [String: String] = [
        "len": "length", "char_length": "length", "character_length": "length", "substring": "substr",
        "to_timestamp_ltz": "to_timestamp", "to_timestamp_ntz": "to_timestamp", "string_split": "split",
        "str_split": "split", "ifnull": "coalesce", "nvl": "coalesce", "ceiling": "ceil", "array_length": "array_size",
        "datepart": "date_part", "lcase": "lower", "ucase": "upper", "now": "current_timestamp",
    ]

    public static let names: Set<String> = [
        "lower", "upper", "initcap", "trim", "ltrim", "rtrim", "length", "substr", "concat", "replace", "split",
        "array_size", "array_contains", "round", "abs", "floor", "ceil", "coalesce", "nullif", "iff", "year", "month",
        "day", "hour", "minute", "second", "date_part", "date_trunc", "to_timestamp", "to_date", "md5",
        "regexp_substr", "current_timestamp", "greatest", "least", "left", "right", "starts_with", "contains", "sqrt",
        "power", "ln", "log10", "exp", "sign", "reverse", "lpad", "rpad", "if", "hash",
    ]

    public static func canonicalName(_ name: String) -> String { aliases[name] ?? name }

    /// Functions that never raise an error for a row (so CASE branches and the right side of
    /// AND / OR that call them need not run lazily).
    static let cannotFail: Set<String> = [
        "lower", "upper", "initcap", "trim", "ltrim", "rtrim", "length", "substr", "concat", "split", "array_size",
        "array_contains", "round", "floor", "ceil", "coalesce", "nullif", "year", "month", "day", "hour", "minute",
        "second", "md5", "current_timestamp", "greatest", "least", "left", "right", "starts_with", "contains", "sqrt",
        "power", "ln", "log10", "exp", "sign", "reverse", "hash",
    ]

    /// The result type of `name(args)`, or a binder error.
    static func returnType(_ name: String, _ args: [LogicalType], at position: Int) throws(SQLError) -> LogicalType {
        func arity(_ range: ClosedRange<Int>) throws(SQLError) {
            guard range.contains(args.count) else {
                throw SQLError(.binder, "\(name.uppercased()) takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") arguments, got \(args.count)", at: position)
            }
        }
        func numeric(_ i: Int) throws(SQLError) {
            guard TypeRules.isNumeric(args[i]) else {
                throw SQLError(.type, "\(name.uppercased()) expects a number, got \(args[i])", at: position)
            }
        }
        func temporal(_ i: Int) throws(SQLError) {
            guard args[i] == .date || args[i] == .timestamp else {
                throw SQLError(.type, "\(name.uppercased()) expects a DATE or TIMESTAMP, got \(args[i])", at: position)
            }
        }
        switch name {
        case "lower", "upper", "initcap", "md5", "reverse": try arity(1...1); return .varchar
        case "trim", "ltrim", "rtrim": try arity(1...2); return .varchar
        case "length": try arity(1...1); return .int64
        case "hash": try arity(1...64); return .int64
        case "substr": try arity(2...3); return .varchar
        case "left", "right": try arity(2...2); return .varchar
        case "lpad", "rpad": try arity(3...3); return .varchar
        case "concat": try arity(1...64); return .varchar
        case "replace": try arity(2...3); return .varchar
        case "starts_with", "contains": try arity(2...2); return .boolean
        case "split": try arity(2...2); return .listVarchar
        case "array_size": try arity(1...1); return .int64
        case "array_contains": try arity(2...2); return .boolean
        case "regexp_substr": try arity(2...2); return .varchar
        case "round":
            try arity(1...2); try numeric(0)
            return args[0] == .double ? .double : (args.count == 1 ? .int64 : .double)
        case "abs", "sign": try arity(1...1); try numeric(0); return args[0] == .double ? .double : .int64
        case "floor", "ceil": try arity(1...1); try numeric(0); return args[0] == .double ? .double : .int64
        case "sqrt", "ln", "log10", "exp": try arity(1...1); try numeric(0); return .double
        case "power": try arity(2...2); try numeric(0); try numeric(1); return .double
        case "coalesce", "greatest", "least":
            try arity(1...64)
            var t = args[0]
            for a in args.dropFirst() {
                guard let c = TypeRules.common(t, a) else { throw SQLError(.type, "\(name.uppercased()) arguments have types \(t) and \(a)", at: position) }
                t = c
            }
            return t
        case "nullif": try arity(2...2); return args[0]
        case "iff", "if":
            try arity(3...3)
            guard let t = TypeRules.common(args[1], args[2]) else { throw SQLError(.type, "IFF branches have types \(args[1]) and \(args[2])", at: position) }
            return t
        case "year", "month", "day", "hour", "minute", "second": try arity(1...1); try temporal(0); return .int64
        case "date_part": try arity(2...2); try temporal(1); return .int64
        case "date_trunc": try arity(2...2); try temporal(1); return args[1]
        case "to_timestamp": try arity(1...1); return .timestamp
        case "to_date": try arity(1...1); return .date
        case "current_timestamp": try arity(0...0); return .timestamp
        default:
            throw SQLError(.binder, "unknown function \(name.uppercased())", at: position)
        }
    }

    static func evaluate(_ name: String, _ a: [ColumnData], type t: LogicalType, count n: Int) throws(SQLError) -> ColumnData {
        if let fast = vectorized(name, a, type: t, count: n) { return fast }
        if name == "regexp_substr", a.count == 2, n > 0, let pattern = a[1].constantText(rows: n), case .varchar(let texts) = a[0].storage,
           let regex = try PosixRegex(pattern) {
            // One compiled pattern for the whole batch, matched over the batch's bytes.
            var out = StringArray()
            out.offsets.reserveCapacity(n + 1)
            var validity = ValidityBitmap(allValid: n)
            var nulls = 0
            try regex.withLocale { () throws(SQLError) in
                for i in 0..<n {
                    if a[0].isNull(i) {
                        validity.setValid(i, false)
                        nulls += 1
                    } else {
                        texts.withValueBytes(i) { bytes in
                            if let m = regex.firstMatch(UnsafeRawBufferPointer(bytes)) {
                                out.bytes.append(contentsOf: bytes[m])
                            } else {
                                validity.setValid(i, false)
                                nulls += 1
                            }
                        }
                    }
                    out.offsets.append(UInt32(out.bytes.count))
                }
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: nulls == 0 ? nil : validity)
        }
        var b = ColumnBuilder(type: t, capacity: n)
        var textBytes = 0
        let nullIfAnyNull = !["coalesce", "concat", "greatest", "least", "nullif", "iff", "if", "current_timestamp", "array_contains"].contains(name)
        let values: [[Value]] = a.map { c in (0..<n).map { c.value(at: $0) } }
        for i in 0..<n {
            let args = values.map { $0[i] }
            if nullIfAnyNull && args.contains(.null) { b.appendNull(); continue }
            let v = try apply(name, args, t)
            if case .string(let text) = v {
                // A batch's text lives in one buffer with 32-bit offsets: results that would
                // pass it (a padded column) stop with an error, not a crash or exhausted memory.
                textBytes += text.utf8.count
                if textBytes > maxBatchTextBytes {
                    throw SQLError(.runtime, "\(name.uppercased()) produced more than \(maxBatchTextBytes >> 20) MiB of text in one batch of \(n) rows")
                }
            }
            b.append(v)
        }
        return b.finish()
    }

    /// Batch implementations of the functions that run over every row of large tables:
    /// plain loops over arrays, no per-row `Value`. Nil means "use the row-at-a-time path".
    static func vectorized(_ name: String, _ a: [ColumnData], type t: LogicalType, count n: Int) -> ColumnData? {
        switch name {
        case "hash":
            // A 64-bit hash of the arguments as one key (equal values hash equal: NULLs, 0.0 and
            // -0.0, INT and BIGINT), the same in every process and on every machine.
            let keys = EncodedKeys.encode(a, rows: n)
            var out = [Int64](repeating: 0, count: n)
            for r in 0..<n { out[r] = keys.withKey(r) { Int64(bitPattern: GroupHashTable.hash($0)) } }
            return ColumnData(type: .int64, storage: .int64(out))
        case "substr" where n > 0 && a[0].type == .varchar && a.dropFirst().allSatisfy({ $0.type.isInteger && $0.validity == nil }):
            // SUBSTR(text, start[, length]) with constant positions, counted in characters
            // (code points) over the UTF-8 bytes: the release year out of every title.
            guard case .varchar(let texts) = a[0].storage else { return nil }
            let positions = a.dropFirst().map(ColumnAccess.int64s)
            guard positions.allSatisfy({ p in p.allSatisfy { $0 == p[0] } }) else { return nil }
            let start0 = Int(positions[0][0]), length: Int? = positions.count > 1 ? Int(positions[1][0]) : nil
            var out = StringArray()
            out.offsets.reserveCapacity(n + 1)
            var starts: [Int] = []  // byte offset of each character, reused per row
            for i in 0..<n {
                if !a[0].isNull(i) {
                    texts.withValueBytes(i) { b in
                        starts.removeAll(keepingCapacity: true)
                        for (k, byte) in b.enumerated() where byte & 0xC0 != 0x80 { starts.append(k) }
                        let count = starts.count
                        let r = substringRange(count: count, start: start0, length: length)
                        let lo = r.lowerBound, hi = r.upperBound
                        if lo < hi {
                            let from = starts[lo], to = hi < count ? starts[hi] : b.count
                            out.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[from..<to]))
                        }
                    }
                }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: a[0].validity)
        case "coalesce" where t == .varchar && a.allSatisfy({ $0.type == .varchar }):
            // The first non-NULL argument per row, copied byte-wise.
            guard !a.isEmpty else { return nil }
            var out = StringArray()
            out.offsets.reserveCapacity(n + 1)
            var validity: ValidityBitmap? = nil
            let arrays = a.map(ColumnAccess.strings)
            for i in 0..<n {
                if let j = a.firstIndex(where: { !$0.isNull(i) }) {
                    arrays[j].withValueBytes(i) { out.bytes.append(contentsOf: $0) }
                } else {
                    if validity == nil { validity = ValidityBitmap(allValid: n) }
                    validity!.setValid(i, false)
                }
                out.offsets.append(UInt32(out.bytes.count))
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: validity)
        case "round" where t == .double && a[0].type == .double && (a.count == 1 || a[1].type.isInteger):
            guard case .double(let x) = a[0].storage else { return nil }
            var digits = 0
            if a.count == 2 {
                guard n > 0, a[1].validity == nil else { return nil }
                let d = ColumnAccess.int64s(a[1])
                guard d.allSatisfy({ $0 == d[0] }) else { return nil }
                digits = Int(d[0])
            }
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n { out[i] = roundHalfAway(x[i], digits: digits) }
            return ColumnData(type: .double, storage: .double(out), validity: a[0].validity)
        case "md5" where a.count == 1 && a[0].type == .varchar:
            guard case .varchar(let s) = a[0].storage else { return nil }
            var out = StringArray()
            out.bytes = [UInt8](repeating: 0, count: n * 32)
            out.offsets = (0...n).map { UInt32($0 * 32) }
            out.bytes.withUnsafeMutableBufferPointer { o in
                for i in 0..<n { s.withValueBytes(i) { MD5.hex($0, into: o.baseAddress! + i * 32) } }
            }
            return ColumnData(type: .varchar, storage: .varchar(out), validity: a[0].validity)
        case "to_timestamp" where a.count == 1 && (a[0].type == .int32 || a[0].type == .int64):
            // Unix seconds; a value outside the TIMESTAMP range falls to the row path, which
            // names it in its error.
            let v = ColumnAccess.int64s(a[0])
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n where !a[0].isNull(i) {
                guard let m = CivilTime.micros(epochSeconds: v[i]) else { return nil }
                out[i] = m
            }
            return ColumnData(type: .timestamp, storage: .int64(out), validity: a[0].validity)
        case let f where ["year", "month", "day", "hour", "minute", "second"].contains(f) && a.count == 1:
            let micros = ColumnAccess.micros(a[0])
            var out = [Int64](repeating: 0, count: n)
            // Consecutive rows often fall on the same day: reuse the last civil date.
            var lastDay = Int64.min
            var civil = (year: 0, month: 0, day: 0)
            for i in 0..<n {
                let m = micros[i]
                var day = m / 86_400_000_000
                var rem = m % 86_400_000_000
                if rem < 0 { rem += 86_400_000_000; day -= 1 }
                switch name {
                case "hour": out[i] = rem / 3_600_000_000; continue
                case "minute": out[i] = rem / 60_000_000 % 60; continue
                case "second": out[i] = rem / 1_000_000 % 60; continue
                default: break
                }
                if day != lastDay { civil = CivilTime.civil(days: Int32(truncatingIfNeeded: day)); lastDay = day }
                out[i] = Int64(name == "year" ? civil.year : name == "month" ? civil.month : civil.day)
            }
            return ColumnData(type: .int64, storage: .int64(out), validity: a[0].validity)
        case "split" where a.count == 2 && a[0].type == .varchar && a[1].type == .varchar && a[1].validity == nil:
            guard case .varchar(let s) = a[0].storage, case .varchar(let seps) = a[1].storage, n > 0 else { return nil }
            let sep = Array(seps.withValueBytes(0) { Array($0) })
            // The separator must be the same on every row (the common, constant case).
            for i in 1..<n where seps.length(i) != sep.count || !seps.withValueBytes(i, { $0.elementsEqual(sep) }) { return nil }
            guard !sep.isEmpty else { return nil }
            var offsets: [UInt32] = [0]
            offsets.reserveCapacity(n + 1)
            var values = StringArray()
            values.bytes.reserveCapacity(s.bytes.count)
            s.bytes.withUnsafeBytes { heap in
                for i in 0..<n {
                    let lo = Int(s.offsets[i]), hi = Int(s.offsets[i + 1])
                    var start = lo
                    var j = lo
                    while j + sep.count <= hi {
                        if heap[j] == sep[0] && (sep.count == 1 || heap[j..<(j + sep.count)].elementsEqual(sep)) {
                            values.append(bytes: UnsafeRawBufferPointer(rebasing: heap[start..<j]))
                            j += sep.count
                            start = j
                        } else {
                            j += 1
                        }
                    }
                    values.append(bytes: UnsafeRawBufferPointer(rebasing: heap[start..<hi]))
                    offsets.append(UInt32(values.count))
                }
            }
            return ColumnData(type: .listVarchar, storage: .listVarchar(StringListArray(offsets: offsets, values: values)),
                              validity: a[0].validity)
        case let f where ["lower", "upper", "initcap", "length", "trim", "ltrim", "rtrim"].contains(f) && a.count == 1 && a[0].type == .varchar:
            guard case .varchar(let s) = a[0].storage else { return nil }
            return asciiStrings(name, s, validity: a[0].validity, count: n)
        default:
            return nil
        }
    }

    /// Byte-level LOWER, UPPER, INITCAP, LENGTH and TRIM for ASCII values (most of them);
    /// a value with a non-ASCII byte takes the Unicode-aware row path.
    static func asciiStrings(_ name: String, _ s: StringArray, validity: ValidityBitmap?, count n: Int) -> ColumnData {
        if name == "length" {
            var out = [Int64](repeating: 0, count: n)
            for i in 0..<n {
                out[i] = s.withValueBytes(i) { b in
                    b.allSatisfy { $0 < 0x80 } ? Int64(b.count) : Int64(String(decoding: b, as: UTF8.self).count)
                }
            }
            return ColumnData(type: .int64, storage: .int64(out), validity: validity)
        }
        var result = StringArray()
        result.bytes.reserveCapacity(s.bytes.count)
        var scratch: [UInt8] = []
        for i in 0..<n {
            s.withValueBytes(i) { b in
                guard b.allSatisfy({ $0 < 0x80 }) else {
                    let text = String(decoding: b, as: UTF8.self)
                    let converted: String
                    switch name {
                    case "lower": converted = text.lowercased()
                    case "upper": converted = text.uppercased()
                    case "initcap": converted = Initcap.apply(text)
                    default:
                        var v = Substring(text)
                        if name != "rtrim" { while v.first == " " { v.removeFirst() } }
                        if name != "ltrim" { while v.last == " " { v.removeLast() } }
                        converted = String(v)
                    }
                    result.append(converted)
                    return
                }
                scratch.removeAll(keepingCapacity: true)
                switch name {
                case "lower": for c in b { scratch.append(c >= 65 && c <= 90 ? c + 32 : c) }
                case "upper": for c in b { scratch.append(c >= 97 && c <= 122 ? c - 32 : c) }
                case "initcap":
                    var startOfWord = true
                    for c in b {
                        let isLetterOrDigit = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
                        let separator = !isLetterOrDigit && (Initcap.asciiSeparators[Int(c)])
                        if separator { scratch.append(c); startOfWord = true; continue }
                        if startOfWord { scratch.append(c >= 97 && c <= 122 ? c - 32 : c) } else { scratch.append(c >= 65 && c <= 90 ? c + 32 : c) }
                        startOfWord = false
                    }
                default:
                    var lo = 0, hi = b.count
                    if name != "rtrim" { while lo < hi && b[lo] == 32 { lo += 1 } }
                    if name != "ltrim" { while hi > lo && b[hi - 1] == 32 { hi -= 1 } }
                    scratch.append(contentsOf: b[lo..<hi])
                }
                scratch.withUnsafeBytes { result.append(bytes: $0) }
            }
        }
        return ColumnData(type: .varchar, storage: .varchar(result), validity: validity)
    }

    // MARK: One row

    static func apply(_ name: String, _ args: [Value], _ t: LogicalType) throws(SQLError) -> Value {
        func str(_ i: Int) -> String { if case .string(let s) = args[i] { return s }; return args[i].description }
        func dbl(_ i: Int) -> Double {
            switch args[i] { case .int(let x): return Double(x); case .double(let x): return x; case .bool(let b): return b ? 1 : 0; default: return 0 }
        }
        func int(_ i: Int) -> Int64 {
            switch args[i] {
            case .int(let x): return x
            case .double(let x): return x.isNaN ? 0 : x >= 9.2e18 ? Int64.max : x <= -9.2e18 ? Int64.min : Int64(x)
            case .bool(let b): return b ? 1 : 0
            default: return 0
            }
        }
        func micros(_ i: Int) -> Int64 {
            switch args[i] { case .timestamp(let x): return x; case .date(let d): return Int64(d) * 86_400_000_000; default: return 0 }
        }
        switch name {
        case "lower": return .string(str(0).lowercased())
        case "upper": return .string(str(0).uppercased())
        case "initcap": return .string(Initcap.apply(str(0)))
        case "reverse": return .string(String(str(0).reversed()))
        case "md5": return .string(MD5.hex(str(0).utf8))
        case "trim", "ltrim", "rtrim":
            let chars = args.count > 1 ? Set(str(1).unicodeScalars) : [" "]
            var s = Substring.UnicodeScalarView(str(0).unicodeScalars)
            if name != "rtrim" { while let f = s.first, chars.contains(f) { s.removeFirst() } }
            if name != "ltrim" { while let l = s.last, chars.contains(l) { s.removeLast() } }
            return .string(String(String.UnicodeScalarView(s)))
        case "length": return .int(Int64(str(0).count))
        case "substr":
            let s = Array(str(0))
            let r = substringRange(count: s.count, start: Int(int(1)), length: args.count > 2 ? Int(int(2)) : nil)
            return .string(String(s[r]))
        case "left": let s = Array(str(0)); return .string(String(s.prefix(max(0, Int(int(1))))))
        case "right": let s = Array(str(0)); return .string(String(s.suffix(max(0, Int(int(1))))))
        case "lpad", "rpad":
            var s = Array(str(0)); let width = Int(int(1)); let pad = Array(str(2))
            guard width > 0 else { return .string("") }
            guard width <= maxTextLength else {
                throw SQLError(.runtime, "\(name.uppercased()) to \(width) characters passes the longest text a value may hold (\(maxTextLength) bytes)")
            }
            if s.count >= width || pad.isEmpty { return .string(String(s.prefix(width))) }
            var fill: [Character] = []
            while fill.count < width - s.count { fill.append(pad[fill.count % pad.count]) }
            s = name == "lpad" ? fill + s : s + fill
            return .string(String(s))
        case "concat":
            if args.contains(.null) { return .null }
            return .string(args.map { $0.description }.joined())
        case "replace": return .string(str(0).replacingOccurrences(of: str(1), with: args.count > 2 ? str(2) : ""))
        case "starts_with": return .bool(str(0).hasPrefix(str(1)))
        case "contains": return .bool(str(1).isEmpty || str(0).contains(str(1)))
        case "split":
            let sep = str(1)
            if sep.isEmpty { return .list([str(0)]) }
            return .list(str(0).components(separatedBy: sep))
        case "array_size":
            if case .list(let l) = args[0] { return .int(Int64(l.count)) }
            return .null
        case "array_contains":
            guard case .list(let l) = args[1] else { return .null }
            if args[0] == .null { return .null }
            return .bool(l.contains(str(0)))
        case "regexp_substr":
            if let regex = try PosixRegex(str(1)) {
                var text = str(0)
                return try regex.withLocale { () throws(SQLError) -> Value in
                    text.withUTF8 { bytes in
                        regex.firstMatch(UnsafeRawBufferPointer(bytes)).map { .string(String(decoding: bytes[$0], as: UTF8.self)) } ?? .null
                    }
                }
            }
            do {
                try PosixRegex.checkNesting(str(1))
                let regex = try Regex(str(1))
                if let m = str(0).firstMatch(of: regex) { return .string(String(m.output[0].substring ?? "")) }
                return .null
            } catch {
                throw SQLError(.runtime, "invalid regular expression '\(str(1))'")
            }
        case "round":
            if t != .double { return .int(int(0)) }
            return .double(roundHalfAway(dbl(0), digits: args.count > 1 ? Int(int(1)) : 0))
        case "abs":
            if t == .double { return .double(abs(dbl(0))) }
            guard int(0) != Int64.min else { throw SQLError(.runtime, "integer overflow in ABS(\(int(0))) (out of range for BIGINT)") }
            return .int(abs(int(0)))
        case "sign": return t == .double ? .double(dbl(0) > 0 ? 1 : dbl(0) < 0 ? -1 : 0) : .int(int(0).signum())
        case "floor": return t == .double ? .double(dbl(0).rounded(.down)) : .int(int(0))
        case "ceil": return t == .double ? .double(dbl(0).rounded(.up)) : .int(int(0))
        case "sqrt": return .double(dbl(0).squareRoot())
        case "ln": return .double(log(dbl(0)))
        case "log10": return .double(log10(dbl(0)))
        case "exp": return .double(exp(dbl(0)))
        case "power": return .double(pow(dbl(0), dbl(1)))
        case "coalesce": return convert(args.first { !$0.isNull } ?? .null, to: t)
        case "greatest", "least":
            let present = args.filter { !$0.isNull }
            guard !present.isEmpty else { return .null }
            let converted = present.map { convert($0, to: t) }
            return converted.dropFirst().reduce(converted[0]) { best, v in
                (name == "greatest") == (compare(v, best) > 0) ? v : best
            }
        case "nullif": return args[0] == args[1] || (compare(args[0], args[1]) == 0 && !args[1].isNull) ? .null : args[0]
        case "iff", "if":
            let condition: Bool
            switch args[0] { case .bool(let x): condition = x; case .null: condition = false; default: condition = int(0) != 0 }
            return convert(condition ? args[1] : args[2], to: t)
        case "year", "month", "day", "hour", "minute", "second": return .int(try part(name, micros(0)))
        case "date_part": return .int(try part(str(0).lowercased(), micros(1)))
        case "date_trunc":
            let m = try truncate(str(0).lowercased(), micros(1))
            if t == .date { return .date(Int32(CivilTime.day(micros: m))) }
            return .timestamp(m)
        case "to_timestamp":
            switch args[0] {
            case .int(let s):
                guard let m = CivilTime.micros(epochSeconds: s) else { throw Self.epochOutOfRange(args[0]) }
                return .timestamp(m)
            case .double(let s):
                guard let m = CivilTime.micros(epochSeconds: s) else { throw Self.epochOutOfRange(args[0]) }
                return .timestamp(m)
            case .timestamp: return args[0]
            case .date(let d): return .timestamp(Int64(d) * CivilTime.microsPerDay)
            default: return try ExpressionEvaluator.parse(str(0), as: .timestamp)
            }
        case "to_date":
            switch args[0] {
            case .timestamp(let m): return .date(Int32(CivilTime.day(micros: m)))
            case .date: return args[0]
            default: return try ExpressionEvaluator.parse(str(0), as: .date)
            }
        case "current_timestamp":
            return .timestamp(Int64(Date().timeIntervalSince1970 * 1_000_000))
        default:
            throw SQLError(.binder, "unknown function \(name.uppercased())")
        }
    }

    /// The longest text a single value may hold (Snowflake's VARCHAR limit): padding and
    /// repetition past it are errors rather than runaway allocations.
    static let maxTextLength = 16 << 20

    /// The most text one batch of a function's results may hold.
    static let maxBatchTextBytes = 256 << 20

    /// The characters `SUBSTR(text, start, length)` takes from a text of `count` characters:
    /// positions from 1, a negative start counting from the end, 0 read as 1; computed without
    /// overflow for any start and length.
    static func substringRange(count: Int, start: Int, length: Int?) -> Range<Int> {
        var first = start  // 1-based
        if first < 0 { first = count + first + 1 } else if first == 0 { first = 1 }
        let lo = min(max(first - 1, 0), count)
        guard let length else { return lo..<count }
        guard length > 0 else { return lo..<lo }
        // The end is start - 1 + length, clamped: computed so that neither step overflows.
        let end = first - 1 > count - length ? count : max(first - 1 + length, lo)
        return lo..<min(max(end, lo), count)
    }

    static func convert(_ v: Value, to t: LogicalType) -> Value {
        switch (v, t) {
        case (.int(let x), .double): return .double(Double(x))
        case (.date(let d), .timestamp): return .timestamp(Int64(d) * 86_400_000_000)
        case (.bool(let b), .int64), (.bool(let b), .int32): return .int(b ? 1 : 0)
        default: return v
        }
    }

    static func compare(_ a: Value, _ b: Value) -> Int {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.double(let x), .double(let y)): return ExpressionEvaluator.totalOrder(x, y)
        case (.int(let x), .double(let y)): return ExpressionEvaluator.totalOrder(Double(x), y)
        case (.double(let x), .int(let y)): return ExpressionEvaluator.totalOrder(x, Double(y))
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : x == y ? 0 : 1
        case (.timestamp(let x), .timestamp(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.date(let x), .date(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.bool(let x), .bool(let y)): return x == y ? 0 : x ? 1 : -1
        default: return 0
        }
    }

    /// ROUND(x, d) half away from zero on the exact binary value of x: the product x * 10^d
    /// is split into its rounded value and the exact error (fma), which decides true ties.
    static func roundHalfAway(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        // Past 10^±400 every double rounds to itself or to zero.
        if digits < -400 { return 0 }
        if digits < 0 {
            let p = pow(10.0, Double(-digits))
            return (x / p).rounded(.toNearestOrAwayFromZero) * p
        }
        guard digits <= 22 else { return x }
        let p = pow(10.0, Double(digits))
        let y = x * p
        guard y.isFinite, abs(y) < 1e300 else { return x }
        let error = fma(x, p, -y)
        var r = y.rounded(.toNearestOrAwayFromZero)
        if abs(y - y.rounded(.towardZero)) == 0.5 {
            // y is exactly halfway in floating point; the exact product decides.
            if y > 0 && error < 0 { r = y.rounded(.down) }
            if y < 0 && error > 0 { r = y.rounded(.up) }
        }
        return r / p
    }

    static func epochOutOfRange(_ v: Value) -> SQLError {
        SQLError(.runtime, "Conversion Error: epoch seconds \(v) are out of range for TIMESTAMP (years 290000 BC to 290000 AD)")
    }

    /// The parts DATE_PART / EXTRACT know (Snowflake's names and common abbreviations).
    static let partNames: Set<String> = [
        "year", "years", "yyyy", "yy", "y", "month", "months", "mm", "mon", "day", "days", "dd", "d", "dayofmonth",
        "hour", "hours", "hh", "h", "minute", "minutes", "mi", "m", "second", "seconds", "ss", "s", "quarter", "quarters", "q",
        "epoch", "epoch_second", "epoch_seconds", "epoch_millisecond", "epoch_milliseconds", "epoch_microsecond",
        "epoch_microseconds", "dow", "dayofweek", "weekday", "dw", "doy", "dayofyear", "yearday", "dy",
        "millisecond", "milliseconds", "ms", "microsecond", "microseconds", "us",
    ]

    /// The units DATE_TRUNC knows.
    static let truncUnits: Set<String> = [
        "year", "years", "yyyy", "yy", "y", "quarter", "quarters", "q", "month", "months", "mm", "mon", "week", "weeks", "w",
        "day", "days", "dd", "d", "hour", "hours", "hh", "h", "minute", "minutes", "mi", "m", "second", "seconds", "ss", "s",
    ]

    /// Checks a DATE_PART part or DATE_TRUNC unit given as a constant, when binding.
    static func checkUnit(function: String, _ unit: String, at position: Int) throws(SQLError) {
        let known = function == "date_trunc" ? truncUnits : partNames
        guard !known.contains(unit.lowercased()) else { return }
        var message = "\(function.uppercased()) does not know the \(function == "date_trunc" ? "unit" : "part") '\(unit)'"
        if let near = NameSuggestion.nearest(to: unit, in: known.sorted()) { message += "; did you mean '\(near)'?" }
        throw SQLError(.binder, message, at: position)
    }

    /// Part `name` of a valid instant (see `CivilTime.isValid`).
    static func part(_ name: String, _ micros: Int64) throws(SQLError) -> Int64 {
        let days = CivilTime.day(micros: micros)
        let rem = micros - days * CivilTime.microsPerDay
        let c = CivilTime.civil(days: Int32(days))
        switch name {
        case "year", "years", "yyyy", "yy", "y": return Int64(c.year)
        case "month", "months", "mm", "mon": return Int64(c.month)
        case "day", "days", "dd", "d", "dayofmonth": return Int64(c.day)
        case "hour", "hours", "hh", "h": return rem / 3_600_000_000
        case "minute", "minutes", "mi", "m": return rem / 60_000_000 % 60
        case "second", "seconds", "ss", "s": return rem / 1_000_000 % 60
        case "millisecond", "milliseconds", "ms": return rem / 1_000 % 60_000
        case "microsecond", "microseconds", "us": return rem % 60_000_000
        case "quarter", "quarters", "q": return Int64((c.month - 1) / 3 + 1)
        // Whole Unix seconds (floored), as Snowflake's EPOCH_SECOND.
        case "epoch", "epoch_second", "epoch_seconds": return days * CivilTime.secondsPerDay + rem / 1_000_000
        case "epoch_millisecond", "epoch_milliseconds": return days * 86_400_000 + rem / 1_000
        case "epoch_microsecond", "epoch_microseconds": return micros
        case "dow", "dayofweek", "weekday", "dw": return ((days % 7) + 11) % 7
        case "doy", "dayofyear", "yearday", "dy": return days - Int64(CivilTime.days(year: c.year, month: 1, day: 1)) + 1
        default: throw SQLError(.runtime, "DATE_PART does not know the part '\(name)'")
        }
    }

    /// `micros` truncated to the start of its `unit`; an error when that start lies before
    /// the TIMESTAMP range.
    static func truncate(_ unit: String, _ micros: Int64) throws(SQLError) -> Int64 {
        let days = CivilTime.day(micros: micros)
        let rem = micros - days * CivilTime.microsPerDay
        let c = CivilTime.civil(days: Int32(days))
        let dayStart = days * CivilTime.microsPerDay
        let result: Int64
        switch unit {
        case "year", "years", "yyyy", "yy", "y": result = Int64(CivilTime.days(year: c.year, month: 1, day: 1)) * CivilTime.microsPerDay
        case "quarter", "quarters", "q":
            result = Int64(CivilTime.days(year: c.year, month: (c.month - 1) / 3 * 3 + 1, day: 1)) * CivilTime.microsPerDay
        case "month", "months", "mm", "mon": result = Int64(CivilTime.days(year: c.year, month: c.month, day: 1)) * CivilTime.microsPerDay
        case "week", "weeks", "w": result = (days - ((days % 7) + 10) % 7) * CivilTime.microsPerDay
        case "day", "days", "dd", "d": result = dayStart
        case "hour", "hours", "hh", "h": result = dayStart + rem / 3_600_000_000 * 3_600_000_000
        case "minute", "minutes", "mi", "m": result = dayStart + rem / 60_000_000 * 60_000_000
        case "second", "seconds", "ss", "s": result = dayStart + rem / 1_000_000 * 1_000_000
        default: throw SQLError(.runtime, "DATE_TRUNC does not know the unit '\(unit)'")
        }
        guard CivilTime.isValid(micros: result) else {
            throw SQLError(.runtime, "DATE_TRUNC('\(unit)', ...) falls before the TIMESTAMP range")
        }
        return result
    }
}
