// Text functions over whole values: case mapping, trimming, length, reversal, joining,
// replacing and searching. ASCII values (most of them) take byte loops; a value with a
// non-ASCII byte goes through Swift's Unicode-aware String for that value only.

import Columnar

enum StringFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("lower", aliases: ["lcase"], [text { CaseMapping.lower.apply($0) }]),
        ScalarFunction("upper", aliases: ["ucase"], [text { CaseMapping.upper.apply($0) }]),
        ScalarFunction("initcap", [
            text { CaseMapping.initcap.apply($0) },
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar)) { input throws(SQLError) in
                let texts = input.text(0), delimiters = input.text(1)
                var out = TextBuilder(function: "initcap", count: input.count)
                var last: (text: String, set: Set<Unicode.Scalar>)? = nil
                for r in 0..<input.count {
                    if !input.skips(r) {
                        let d = delimiters[r]
                        if last?.text != d { last = (d, Set(d.unicodeScalars)) }
                        out.append(Initcap.apply(texts[r], delimiters: last!.set))
                    }
                    try out.endValue()
                }
                return out.finish()
            },
        ]),
        ScalarFunction("trim", [trimSignature(left: true, right: true)]),
        ScalarFunction("ltrim", [trimSignature(left: true, right: false)]),
        ScalarFunction("rtrim", [trimSignature(left: false, right: true)]),
        ScalarFunction("length", aliases: ["len", "char_length", "character_length"],
                       [FunctionSignature([.type(.varchar)], returns: .type(.int64), kernel: length),
                        // DuckDB's LENGTH / LEN of a list: its elements.
                        FunctionSignature([.type(.listVarchar)], returns: .type(.int64), kernel: ListFunctions.size)]),
        ScalarFunction("reverse", [text(reverse)]),
        ScalarFunction("concat", [FunctionSignature([.type(.varchar)], variadic: true, returns: .type(.varchar), kernel: concat)]),
        ScalarFunction("replace", [FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar)], optional: 1,
                                                     returns: .type(.varchar), kernel: replace)]),
        ScalarFunction("starts_with", aliases: ["startswith", "prefix"], [FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.boolean),
                                                         kernel: { search($0, prefixOnly: true) })]),
        ScalarFunction("ends_with", aliases: ["endswith", "suffix"], [FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.boolean),
                                                                                       kernel: endsWith)]),
        ScalarFunction("ascii", [FunctionSignature([.type(.varchar)], returns: .type(.int64), kernel: ascii)]),
        ScalarFunction("chr", aliases: ["char"], canFail: true, [FunctionSignature([.type(.int64)], returns: .type(.varchar), kernel: chr)]),
        ScalarFunction("repeat", canFail: true, [FunctionSignature([.type(.varchar), .type(.int64)], returns: .type(.varchar), kernel: repeated)]),
        // UNICODE / ORD: the first character's code point, -1 for empty text (DuckDB).
        ScalarFunction("unicode", aliases: ["ord"], [FunctionSignature([.type(.varchar)], returns: .type(.int64)) { input in
            let s = input.text(0)
            return ColumnData(type: .int64, storage: .int64((0..<input.count).map { i in Int64(s[i].unicodeScalars.first?.value ?? UInt32.max) }
                .map { $0 == Int64(UInt32.max) ? -1 : $0 }))
        }]),
        // STRLEN / OCTET_LENGTH: the UTF-8 bytes (LENGTH counts characters).
        ScalarFunction("strlen", aliases: ["octet_length"], [FunctionSignature([.type(.varchar)], returns: .type(.int64)) { input in
            let s = input.text(0)
            return ColumnData(type: .int64, storage: .int64((0..<input.count).map { i in Int64(s.withValueBytes(i) { $0.count }) }))
        }]),
        ScalarFunction("contains", [FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.boolean),
                                                      kernel: { search($0, prefixOnly: false) })]),
    ]

    /// VARCHAR -> VARCHAR through `kernel`.
    private static func text(_ kernel: @escaping ScalarKernel) -> FunctionSignature {
        FunctionSignature([.type(.varchar)], returns: .type(.varchar), kernel: kernel)
    }

    /// `TRIM(text[, characters])`: spaces, or any of the given characters, off the ends.
    private static func trimSignature(left: Bool, right: Bool) -> FunctionSignature {
        FunctionSignature([.type(.varchar), .type(.varchar)], optional: 1, returns: .type(.varchar)) { input throws(SQLError) in
            if input.arguments.count == 1 { return CaseMapping.trim(left: left, right: right).apply(input) }
            return try trimCharacters(input, left: left, right: right)
        }
    }

    /// The transforms that keep an ASCII value's length: a byte loop each.
    enum CaseMapping {
        case lower, upper, initcap
        case trim(left: Bool, right: Bool)

        func apply(_ input: KernelInput) -> ColumnData {
            let s = input.text(0), n = input.count
            var result = StringArray()
            result.bytes.reserveCapacity(s.bytes.count)
            result.offsets.reserveCapacity(n + 1)
            for i in 0..<n {
                s.withValueBytes(i) { b in
                    if UTF8Text.isASCII(b) { appendASCII(b, to: &result.bytes) } else { result.bytes.append(contentsOf: unicode(b).utf8) }
                }
                result.offsets.append(UInt32(result.bytes.count))
            }
            return ColumnData(type: .varchar, storage: .varchar(result), validity: nil)
        }

        private func appendASCII(_ b: UnsafeRawBufferPointer, to out: inout [UInt8]) {
            switch self {
            case .lower: for c in b { out.append(c >= 65 && c <= 90 ? c + 32 : c) }
            case .upper: for c in b { out.append(c >= 97 && c <= 122 ? c - 32 : c) }
            case .initcap:
                var startOfWord = true
                for c in b {
                    let isLetterOrDigit = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)
                    if !isLetterOrDigit && Initcap.asciiSeparators[Int(c)] { out.append(c); startOfWord = true; continue }
                    if startOfWord { out.append(c >= 97 && c <= 122 ? c - 32 : c) } else { out.append(c >= 65 && c <= 90 ? c + 32 : c) }
                    startOfWord = false
                }
            case .trim(let left, let right):
                // A space is one byte in UTF-8 and never part of another character.
                var lo = 0, hi = b.count
                if left { while lo < hi && b[lo] == 32 { lo += 1 } }
                if right { while hi > lo && b[hi - 1] == 32 { hi -= 1 } }
                out.append(contentsOf: UTF8Text.slice(b, lo..<hi))
            }
        }

        private func unicode(_ b: UnsafeRawBufferPointer) -> String {
            let text = String(decoding: b, as: UTF8.self)
            switch self {
            case .lower: return text.lowercased()
            case .upper: return text.uppercased()
            case .initcap: return Initcap.apply(text)
            case .trim:
                var out: [UInt8] = []
                appendASCII(b, to: &out)
                return String(decoding: out, as: UTF8.self)
            }
        }
    }

    /// `TRIM(text, characters)`: any of `characters` (code points) off the ends.
    private static func trimCharacters(_ input: KernelInput, left: Bool, right: Bool) throws(SQLError) -> ColumnData {
        let s = input.text(0), chars = input.text(1), n = input.count
        var out = TextBuilder(function: left && right ? "trim" : left ? "ltrim" : "rtrim", count: n, reserving: s.bytes.count)
        var lastSet: (bytes: [UInt8], set: Set<Unicode.Scalar>) = ([], [])
        for i in 0..<n {
            if !input.skips(i) {
                chars.withValueBytes(i) { c in
                    if !c.elementsEqual(lastSet.bytes) { lastSet = (Array(c), Set(String(decoding: c, as: UTF8.self).unicodeScalars)) }
                }
                let text = s[i]
                var v = Substring.UnicodeScalarView(text.unicodeScalars)
                if left { while let f = v.first, lastSet.set.contains(f) { v.removeFirst() } }
                if right { while let l = v.last, lastSet.set.contains(l) { v.removeLast() } }
                out.append(String(String.UnicodeScalarView(v)))
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// Characters (code points).
    private static func length(_ input: KernelInput) -> ColumnData {
        let s = input.text(0), n = input.count
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n { out[i] = Int64(s.withValueBytes(i) { UTF8Text.count($0) }) }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// The characters in reverse order (a letter and its combining marks stay together, as
    /// in DuckDB).
    private static func reverse(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let s = input.text(0), n = input.count
        var out = TextBuilder(function: "reverse", count: n, reserving: s.bytes.count)
        for i in 0..<n {
            s.withValueBytes(i) { b in
                if UTF8Text.isASCII(b) {
                    for k in stride(from: b.count - 1, through: 0, by: -1) { out.append(b[k]) }
                } else {
                    out.append(String(String(decoding: b, as: UTF8.self).reversed()))
                }
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// The arguments joined (NULL when any is NULL, as Snowflake's CONCAT).
    private static func concat(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let parts = input.arguments.map(ColumnAccess.strings), n = input.count
        var out = TextBuilder(function: "concat", count: n, reserving: parts.reduce(0) { $0 + $1.bytes.count })
        for i in 0..<n {
            if !input.skips(i) { for p in parts { p.withValueBytes(i) { out.append($0) } } }
            try out.endValue()
        }
        return out.finish()
    }

    /// `REPLACE(text, from[, to])`: every occurrence of `from`, left to right, by `to` (by
    /// default nothing); an empty `from` changes nothing.
    private static func replace(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let s = input.text(0), from = input.text(1), n = input.count
        let to = input.arguments.count > 2 ? input.text(2) : StringArray(offsets: [UInt32](repeating: 0, count: n + 1), bytes: [])
        var out = TextBuilder(function: "replace", count: n, reserving: s.bytes.count)
        for i in 0..<n {
            if !input.skips(i) {
                s.withValueBytes(i) { hay in
                    from.withValueBytes(i) { needle in
                        to.withValueBytes(i) { replacement in
                            guard needle.count > 0 else { out.append(hay); return }
                            var at = 0
                            while let k = UTF8Text.find(needle, in: hay, from: at) {
                                out.append(UTF8Text.slice(hay, at..<k))
                                out.append(replacement)
                                at = k + needle.count
                            }
                            out.append(UTF8Text.slice(hay, at..<hay.count))
                        }
                    }
                }
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// STARTS_WITH / CONTAINS, by bytes (an empty needle is found in every text).
    /// ENDS_WITH(text, suffix), by bytes (a UTF-8 suffix ends on a character boundary).
    private static func endsWith(_ input: KernelInput) -> ColumnData {
        let s = input.text(0), needle = input.text(1), n = input.count
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n {
            out[i] = s.withValueBytes(i) { hay in
                needle.withValueBytes(i) { k in
                    k.count <= hay.count && (k.count == 0 || memcmp(hay.baseAddress! + hay.count - k.count, k.baseAddress!, k.count) == 0)
                }
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out))
    }

    /// ASCII(text): the code point of the first character, 0 for ''.
    private static func ascii(_ input: KernelInput) -> ColumnData {
        let s = input.text(0)
        return ColumnData(type: .int64, storage: .int64((0..<input.count).map { i in
            Int64(s[i].unicodeScalars.first?.value ?? 0)
        }))
    }

    /// CHR(n): the character with code point n.
    private static func chr(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let codes = ColumnAccess.int64s(input.arguments[0])
        var out = TextBuilder(function: "chr", count: input.count)
        for i in 0..<input.count {
            if !input.skips(i) {
                guard let v = UInt32(exactly: codes[i]), let u = Unicode.Scalar(v) else {
                    throw SQLError(.runtime, "CHR(\(codes[i])): not a Unicode code point", reason: .numericOutOfRange)
                }
                out.append(String(Character(u)))
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// REPEAT(text, n): the text n times ('' for n <= 0), within the value size limit.
    private static func repeated(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let s = input.text(0), counts = ColumnAccess.int64s(input.arguments[1])
        var out = TextBuilder(function: "repeat", count: input.count)
        for i in 0..<input.count {
            if !input.skips(i), counts[i] > 0 {
                let length = s.withValueBytes(i) { $0.count }
                let (total, overflow) = length.multipliedReportingOverflow(by: Int(clamping: counts[i]))
                guard !overflow, total <= TextBuilder.maxValueBytes else {
                    throw SQLError(.runtime, "REPEAT would make a value of more than \(TextBuilder.maxValueBytes >> 20) MiB")
                }
                s.withValueBytes(i) { bytes in out.append(bytes, times: Int(counts[i])) }
            }
            try out.endValue()
        }
        return out.finish()
    }

    private static func search(_ input: KernelInput, prefixOnly: Bool) -> ColumnData {
        let s = input.text(0), needle = input.text(1), n = input.count
        var out = [Bool](repeating: false, count: n)
        for i in 0..<n {
            out[i] = s.withValueBytes(i) { hay in
                needle.withValueBytes(i) { k in
                    if prefixOnly { return k.count <= hay.count && (k.count == 0 || memcmp(hay.baseAddress!, k.baseAddress!, k.count) == 0) }
                    return UTF8Text.find(k, in: hay) != nil
                }
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out))
    }
}

#if canImport(Glibc)
import Glibc
#endif
