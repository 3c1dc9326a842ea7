// DuckDB's PRINTF(format, ...) (C's `%[flags][width][.precision]type`) and FORMAT(format, ...)
// (the fmt library's `{[index][:[[fill]align][sign][#][0][width][,][.precision][type]]}`): both
// read into one `Spec` and rendered by one routine. A NULL argument makes the result NULL, as
// DuckDB's; a specifier that does not fit its value (`%d` of a DOUBLE) is an error naming both.

import Columnar
import Foundation

enum PrintfFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("printf", aliases: ["sprintf"], canFail: true, [
            FunctionSignature([.type(.varchar), .any], variadic: true, returns: .type(.varchar)) { (input) throws(SQLError) in
                try run(input, function: "printf", parse: parsePrintf)
            },
        ]),
        ScalarFunction("format", canFail: true, [
            FunctionSignature([.type(.varchar), .any], variadic: true, returns: .type(.varchar)) { (input) throws(SQLError) in
                try run(input, function: "format", parse: parseFormat)
            },
        ]),
    ]

    /// One placeholder: which argument it takes and how to render it.
    struct Spec {
        var argument = 0
        var fill: Character = " "
        var align: Character? = nil
        var sign: Character? = nil
        var alternate = false
        var zero = false
        var width = 0
        var grouping = false
        var precision: Int? = nil
        var type: Character? = nil
    }

    /// A format string read once: literal text and placeholders, in order.
    enum Piece { case text(String), value(Spec) }

    private typealias Parser = (_ format: String, _ function: String) throws(SQLError) -> [Piece]

    private static func run(_ input: KernelInput, function: String, parse: Parser) throws(SQLError) -> ColumnData {
        let formats = input.text(0)
        let arguments = Array(input.arguments.dropFirst())
        // Text of every argument, for `%s` / `{}` of dates, timestamps and arrays.
        var texts: [StringArray?] = Array(repeating: nil, count: arguments.count)
        var cache: [String: [Piece]] = [:]
        var out = TextBuilder(function: function, count: input.count)
        for row in 0..<input.count {
            if input.skips(row) { out.endNull(); continue }
            let format = formats[row]
            let pieces: [Piece]
            if let p = cache[format] { pieces = p } else { pieces = try parse(format, function); cache[format] = pieces }
            var line = ""
            for piece in pieces {
                switch piece {
                case .text(let s): line += s
                case .value(let spec):
                    guard spec.argument < arguments.count else {
                        throw SQLError(.runtime, "\(function.uppercased()): the format asks for argument \(spec.argument + 1), but there are \(arguments.count)")
                    }
                    let column = arguments[spec.argument]
                    let value: Value
                    switch column.type {
                    case .int32, .int64, .double, .boolean, .varchar: value = column.value(at: row)
                    default:
                        if texts[spec.argument] == nil { texts[spec.argument] = ColumnAccess.strings(try ExpressionEvaluator.cast(column, to: .varchar)) }
                        value = .string(texts[spec.argument]![row])
                    }
                    line += try render(value, spec, function: function)
                }
            }
            out.append(line)
            try out.endValue()
        }
        return out.finish()
    }

    // MARK: Reading formats

    private static func parsePrintf(_ format: String, _ function: String) throws(SQLError) -> [Piece] {
        var pieces: [Piece] = [], text = "", next = 0
        var i = format.startIndex
        func bad(_ why: String) -> SQLError { SQLError(.runtime, "PRINTF: the format \(format.debugDescription) \(why)") }
        while i < format.endIndex {
            let c = format[i]
            i = format.index(after: i)
            guard c == "%" else { text.append(c); continue }
            guard i < format.endIndex else { throw bad("ends with '%'") }
            if format[i] == "%" { text.append("%"); i = format.index(after: i); continue }
            var spec = Spec(argument: next)
            next += 1
            while i < format.endIndex, "-+ 0#".contains(format[i]) {
                switch format[i] {
                case "-": spec.align = "<"
                case "+": spec.sign = "+"
                case " ": if spec.sign == nil { spec.sign = " " }
                case "0": spec.zero = true
                default: spec.alternate = true
                }
                i = format.index(after: i)
            }
            while i < format.endIndex, let d = format[i].wholeNumberValue { spec.width = min(spec.width * 10 + d, 1 << 20); i = format.index(after: i) }
            if i < format.endIndex, format[i] == "." {
                i = format.index(after: i)
                var p = 0
                while i < format.endIndex, let d = format[i].wholeNumberValue { p = min(p * 10 + d, 1 << 10); i = format.index(after: i) }
                spec.precision = p
            }
            // Length modifiers (%ld, %lld) change nothing here.
            while i < format.endIndex, "lhqjzt".contains(format[i]) { i = format.index(after: i) }
            guard i < format.endIndex, "diuxXofFeEgGsc".contains(format[i]) else { throw bad("has a '%' without a known type (d, i, x, X, o, f, e, g, s or c)") }
            spec.type = format[i] == "i" || format[i] == "u" ? "d" : format[i]
            if spec.align == "<" { spec.zero = false }
            i = format.index(after: i)
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
            pieces.append(.value(spec))
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    private static func parseFormat(_ format: String, _ function: String) throws(SQLError) -> [Piece] {
        var pieces: [Piece] = [], text = "", next = 0
        let chars = Array(format)
        var i = 0
        func bad(_ why: String) -> SQLError { SQLError(.runtime, "FORMAT: the format \(format.debugDescription) \(why)") }
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else { throw bad("has a '}' without its '{' (write '}}' for one)") }
                text.append("}"); i += 2; continue
            }
            guard c == "{" else { text.append(c); i += 1; continue }
            if i + 1 < chars.count, chars[i + 1] == "{" { text.append("{"); i += 2; continue }
            guard let close = chars[(i + 1)...].firstIndex(of: "}") else { throw bad("has a '{' without its '}'") }
            let inside = String(chars[(i + 1)..<close])
            i = close + 1
            let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            var spec = Spec()
            if parts[0].isEmpty { spec.argument = next; next += 1 } else {
                guard let n = Int(parts[0]), n >= 0 else { throw bad("has the placeholder {\(inside)}: expected an argument number") }
                spec.argument = n
            }
            if parts.count == 2 { try readFormatSpec(Array(parts[1]), into: &spec, bad: bad) }
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
            pieces.append(.value(spec))
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// `[[fill]align][sign][#][0][width][,][.precision][type]`.
    private static func readFormatSpec(_ s: [Character], into spec: inout Spec, bad: (String) -> SQLError) throws(SQLError) {
        var i = 0
        if s.count >= 2, "<>^".contains(s[1]) { spec.fill = s[0]; spec.align = s[1]; i = 2 } else if !s.isEmpty, "<>^".contains(s[0]) {
            spec.align = s[0]; i = 1
        }
        if i < s.count, "+- ".contains(s[i]) { spec.sign = s[i] == "-" ? nil : s[i]; i += 1 }
        if i < s.count, s[i] == "#" { spec.alternate = true; i += 1 }
        if i < s.count, s[i] == "0" { spec.zero = true; i += 1 }
        while i < s.count, let d = s[i].wholeNumberValue { spec.width = min(spec.width * 10 + d, 1 << 20); i += 1 }
        if i < s.count, s[i] == "," { spec.grouping = true; i += 1 }
        if i < s.count, s[i] == "." {
            i += 1
            var p = 0, digits = 0
            while i < s.count, let d = s[i].wholeNumberValue { p = min(p * 10 + d, 1 << 10); i += 1; digits += 1 }
            guard digits > 0 else { throw bad("has a '.' without a precision") }
            spec.precision = p
        }
        if i < s.count, "dxXobeEfFgGsc".contains(s[i]) { spec.type = s[i]; i += 1 }
        guard i == s.count else { throw bad("has the specification :\(String(s)) that is not one FORMAT reads") }
    }

    // MARK: Rendering

    static func render(_ value: Value, _ spec: Spec, function: String) throws(SQLError) -> String {
        func mismatch(_ kind: String) -> SQLError {
            SQLError(.runtime, "\(function.uppercased()): the type specifier '\(spec.type.map(String.init) ?? "")' does not format a \(kind)")
        }
        var sign = "", body = ""
        var numeric = true
        switch value {
        case .int(let v):
            let type = spec.type ?? "d"
            if v < 0 { sign = "-" } else if let s = spec.sign { sign = String(s) }
            switch type {
            case "d": body = group(String(v.magnitude), spec.grouping)
            case "x": body = (spec.alternate ? "0x" : "") + String(v.magnitude, radix: 16)
            case "X": body = (spec.alternate ? "0X" : "") + String(v.magnitude, radix: 16, uppercase: true)
            case "o": body = (spec.alternate ? "0" : "") + String(v.magnitude, radix: 8)
            case "b": body = (spec.alternate ? "0b" : "") + String(v.magnitude, radix: 2)
            case "c":
                guard let u = Unicode.Scalar(UInt32(clamping: v)) else { throw mismatch("code point \(v)") }
                body = String(Character(u)); sign = ""; numeric = false
            case "s":
                body = String(v.magnitude); if v >= 0 { sign = "" }
            case "f", "F", "e", "E", "g", "G":
                // Integers format as doubles where the format asks (PRINTF('%.1f', 2)).
                return try render(.double(Double(v)), spec, function: function)
            default: throw mismatch("integer")
            }
        case .bool(let b):
            guard spec.type == nil || spec.type == "s" else { throw mismatch("boolean") }
            body = b ? "true" : "false"; numeric = false
        case .double(let x):
            let type = spec.type.map(String.init) ?? "g!"
            if x.sign == .minus && !x.isNaN { sign = "-" } else if let s = spec.sign { sign = String(s) }
            let m = abs(x)
            switch type {
            case "f", "F", "e", "E", "g", "G":
                guard m.isFinite else { body = m.isNaN ? "nan" : "inf"; break }
                body = String(format: "%\(spec.alternate ? "#" : "").\(spec.precision ?? 6)\(type)", m)
                if spec.grouping && (type == "f" || type == "F") {
                    let dot = body.firstIndex(of: ".") ?? body.endIndex
                    body = group(String(body[..<dot]), true) + body[dot...]
                }
            case "g!", "s":
                // Without a type: the shortest digits that read back as the value.
                body = m.isNaN ? "nan" : m.isInfinite ? "inf" : "\(m)"
                if let p = spec.precision, type == "g!" { body = String(format: "%.\(p)g", m) }
                if spec.grouping { let dot = body.firstIndex(of: ".") ?? body.endIndex; body = group(String(body[..<dot]), true) + body[dot...] }
            default: throw mismatch("DOUBLE")
            }
        case .string(let s):
            guard spec.type == nil || spec.type == "s" else { throw mismatch("text") }
            body = spec.precision.map { String(s.prefix($0)) } ?? s
            numeric = false
        default:
            body = value.description; numeric = false
        }
        // Padding to the width: zeros after the sign, or the fill on the aligned side.
        let length = sign.count + body.count
        guard spec.width > length else { return sign + body }
        let pad = spec.width - length
        if spec.zero && numeric && spec.align == nil { return sign + String(repeating: "0", count: pad) + body }
        let fill = String(spec.fill)
        switch spec.align ?? (numeric ? Character(">") : Character("<")) {
        case "<": return sign + body + String(repeating: fill, count: pad)
        case "^": return String(repeating: fill, count: pad / 2) + sign + body + String(repeating: fill, count: pad - pad / 2)
        default: return String(repeating: fill, count: pad) + sign + body
        }
    }

    /// Digits with a comma every three from the right.
    private static func group(_ digits: String, _ on: Bool) -> String {
        guard on, digits.count > 3 else { return digits }
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
