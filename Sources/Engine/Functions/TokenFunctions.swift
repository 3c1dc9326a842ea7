// Text split into tokens and searched by position, as Snowflake writes it: SPLIT_PART (one
// part by a separator string, negative counting from the end), STRTOK (tokens between any of
// a set of delimiter characters, empty ones skipped), CHARINDEX / POSITION (1-based, 0 when
// absent) and TRANSLATE (characters mapped one for one, or dropped). Work is on UTF-8 bytes;
// positions and character sets count Unicode code points.

import Columnar

enum TokenFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("split_part", [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64)], returns: .type(.varchar), kernel: splitPart),
        ]),
        ScalarFunction("strtok", [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64)], optional: 2, returns: .type(.varchar), kernel: strtok),
        ]),
        ScalarFunction("charindex", [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64)], optional: 1, returns: .type(.int64), kernel: charindex),
        ]),
        ScalarFunction("translate", [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar)], returns: .type(.varchar), kernel: translate),
        ]),
    ]

    /// SPLIT_PART(text, separator, n): part n (1-based; negative from the end; 0 as 1), '' when
    /// there is no such part. An empty separator leaves the text whole (one part).
    private static func splitPart(_ input: KernelInput) -> ColumnData {
        let text = input.text(0), separators = input.text(1), index = ColumnAccess.int64s(input.arguments[2])
        var out = StringArray()
        for r in 0..<input.count {
            if input.skips(r) { out.append(""); continue }
            let s = Array(text[r].utf8), sep = Array(separators[r].utf8)
            var parts: [Range<Int>] = []
            if sep.isEmpty {
                parts = [0..<s.count]
            } else {
                var start = 0, i = 0
                while i + sep.count <= s.count {
                    if s[i..<(i + sep.count)].elementsEqual(sep) {
                        parts.append(start..<i)
                        i += sep.count
                        start = i
                    } else {
                        i += 1
                    }
                }
                parts.append(start..<s.count)
            }
            var n = Int(clamping: index[r])
            if n == 0 { n = 1 }
            let k = n > 0 ? n - 1 : parts.count + n
            if k >= 0 && k < parts.count {
                s[parts[k]].withUnsafeBytes { out.append(bytes: $0) }
            } else {
                out.append("")
            }
        }
        return ColumnData(type: .varchar, storage: .varchar(out))
    }

    /// STRTOK(text [, delimiters [, n]]): token n (1-based) between any of the delimiter
    /// characters (default a space), empty tokens skipped; NULL when there is no such token.
    private static func strtok(_ input: KernelInput) -> ColumnData {
        let text = input.text(0)
        let delimiters = input.arguments.count > 1 ? input.text(1) : nil
        let index = input.arguments.count > 2 ? ColumnAccess.int64s(input.arguments[2]) : nil
        var out = StringArray()
        var validity = ValidityBitmap(allValid: input.count)
        for r in 0..<input.count {
            if input.skips(r) { out.append(""); continue }
            let set = Set((delimiters?[r] ?? " ").unicodeScalars)
            let n = index.map { Int(clamping: $0[r]) } ?? 1
            let tokens = text[r].unicodeScalars.split(whereSeparator: { set.contains($0) })
            if n >= 1 && n <= tokens.count {
                out.append(String(String.UnicodeScalarView(tokens[n - 1])))
            } else {
                out.append("")
                validity.setValid(r, false)
            }
        }
        return ColumnData(type: .varchar, storage: .varchar(out), validity: validity)
    }

    /// CHARINDEX(needle, text [, start]): the 1-based character position of needle in text at
    /// or after `start`, 0 when absent.
    private static func charindex(_ input: KernelInput) -> ColumnData {
        let needles = input.text(0), texts = input.text(1)
        let starts = input.arguments.count > 2 ? ColumnAccess.int64s(input.arguments[2]) : nil
        var out = [Int64](repeating: 0, count: input.count)
        for r in 0..<input.count where !input.skips(r) {
            let text = Array(texts[r].unicodeScalars), needle = Array(needles[r].unicodeScalars)
            let start = starts?[r] ?? 1
            let from = start <= 1 ? 0 : Int(clamping: start - 1)
            if needle.isEmpty { out[r] = Int64(min(from, text.count) + 1); continue }
            guard text.count >= needle.count, from <= text.count - needle.count else { continue }
            for i in from...(text.count - needle.count) where text[i..<(i + needle.count)].elementsEqual(needle) {
                out[r] = Int64(i + 1)
                break
            }
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// TRANSLATE(text, from, to): each character of `from` becomes the character at the same
    /// place in `to`, or is dropped where `to` is shorter.
    private static func translate(_ input: KernelInput) -> ColumnData {
        let texts = input.text(0), froms = input.text(1), tos = input.text(2)
        var out = StringArray()
        for r in 0..<input.count {
            if input.skips(r) { out.append(""); continue }
            let from = Array(froms[r].unicodeScalars), to = Array(tos[r].unicodeScalars)
            var map: [Unicode.Scalar: Unicode.Scalar?] = [:]
            for (i, c) in from.enumerated() where map[c] == nil { map[c] = i < to.count ? to[i] : .some(nil) }
            var result = String.UnicodeScalarView()
            for c in texts[r].unicodeScalars {
                if let mapped = map[c] { if let m = mapped { result.append(m) } } else { result.append(c) }
            }
            out.append(String(result))
        }
        return ColumnData(type: .varchar, storage: .varchar(out))
    }
}
