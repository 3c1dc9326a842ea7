// Snowflake's regular expression functions beyond REGEXP_SUBSTR's two-argument form, on the
// same POSIX extended matcher (`PosixRegex`): REGEXP_SUBSTR(subject, pattern [, position [,
// occurrence [, parameters [, group]]]]), REGEXP_REPLACE(subject, pattern [, replacement [,
// position [, occurrence [, parameters]]]]), REGEXP_LIKE / RLIKE (the whole subject matches),
// REGEXP_COUNT and REGEXP_INSTR. Positions and occurrences are 1-based and count characters;
// occurrence 0 in REGEXP_REPLACE means every match. Parameters: `c` case-sensitive (the
// default), `i` case-insensitive, `m` multi-line, `e` extract the first group (or `group`),
// `s` lets `.` match a newline (it always does unless `m`). A replacement names groups as
// `\1` ... `\9`. Patterns compile once per distinct (pattern, parameters) in a batch.

import Columnar

enum RegexFamily {
    static let all: [ScalarFunction] = [
        ScalarFunction("regexp_replace", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar), .type(.int64), .type(.int64), .type(.varchar)],
                              optional: 4, returns: .type(.varchar), kernel: replace),
            // DuckDB's REGEXP_REPLACE(subject, pattern, replacement, options): the first match
            // only unless the options say 'g'.
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar), .type(.varchar)], returns: .type(.varchar),
                              kernel: replaceWithOptions),
        ]),
        ScalarFunction("regexp_like", aliases: ["rlike"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar)], optional: 1, returns: .type(.boolean), kernel: like),
        ]),
        ScalarFunction("regexp_count", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64), .type(.varchar)], optional: 2, returns: .type(.int64),
                              kernel: count),
        ]),
        // REGEXP_SUBSTR_ALL / REGEXP_EXTRACT_ALL(subject, pattern [, position [, occurrence [,
        // parameters [, group]]]]): every match from the occurrence on, as an array (empty when
        // none). DuckDB's REGEXP_EXTRACT_ALL takes the group third; two arguments mean the same.
        ScalarFunction("regexp_substr_all", aliases: ["regexp_extract_all"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64), .type(.int64), .type(.varchar), .type(.int64)],
                              optional: 4, returns: .type(.listVarchar), kernel: substrAll),
        ]),
        // DuckDB's REGEXP_SPLIT_TO_ARRAY / STRING_SPLIT_REGEX(text, pattern [, parameters]): the
        // text between matches; an empty match splits off one character.
        ScalarFunction("regexp_split_to_array", aliases: ["string_split_regex", "str_split_regex"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.varchar)], optional: 1, returns: .type(.listVarchar), kernel: split),
        ]),
        // DuckDB's REGEXP_EXTRACT(text, pattern [, group [, parameters]]): the first match, or
        // its group; '' (not NULL) when nothing matches, as DuckDB gives.
        ScalarFunction("regexp_extract", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64), .type(.varchar)], optional: 2, returns: .type(.varchar),
                              kernel: extract),
        ]),
        ScalarFunction("regexp_instr", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64), .type(.int64), .type(.int64), .type(.varchar), .type(.int64)],
                              optional: 5, returns: .type(.int64), kernel: instr),
        ]),
    ]

    /// Compiled patterns of a batch, by pattern and parameters.
    struct Patterns {
        private var cache: [String: PosixRegex] = [:]
        let function: String

        init(function: String) { self.function = function }

        mutating func get(_ pattern: String, _ parameters: String, anchored: Bool = false) throws(SQLError) -> PosixRegex {
            let key = parameters + "\u{0}" + pattern
            if let r = cache[key] { return r }
            var insensitive = false, multiline = false, dotAll = false
            for p in parameters {
                switch p {
                case "i": insensitive = true
                case "c": insensitive = false
                case "m": multiline = true
                case "s": dotAll = true
                case "e": break
                default: throw SQLError(.runtime, "\(function.uppercased()): unknown regular expression parameter '\(p)' (expected c, i, m, e or s)")
                }
            }
            guard let r = try PosixRegex(pattern, anchored: anchored, caseInsensitive: insensitive, newlineSensitive: multiline,
                                        dotMatchesNewline: dotAll) else {
                throw SQLError(.unsupported, "\(function.uppercased()) needs the C.UTF-8 locale, which this system lacks")
            }
            cache[key] = r
            return r
        }
    }

    /// The byte offset of 1-based character `position` in `bytes` (past the end: the end).
    static func byteOffset(_ bytes: UnsafeRawBufferPointer, character position: Int64) -> Int {
        var remaining = max(0, position - 1), i = 0
        while remaining > 0 && i < bytes.count {
            i += 1
            while i < bytes.count && bytes[i] & 0xC0 == 0x80 { i += 1 }
            remaining -= 1
        }
        return i
    }

    /// The 1-based character position of byte `offset`.
    static func characterPosition(_ bytes: UnsafeRawBufferPointer, byte offset: Int) -> Int64 {
        var n: Int64 = 1
        for i in 0..<min(offset, bytes.count) where bytes[i] & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// The matches from byte `start` on, in order (an empty match moves on one character).
    static func matches(_ r: PosixRegex, _ b: UnsafeRawBufferPointer, from start: Int, limit: Int = .max) -> [[Range<Int>?]] {
        var out: [[Range<Int>?]] = []
        var at = start
        while out.count < limit, at <= b.count, let m = r.match(b, from: at), let whole = m[0] {
            out.append(m)
            if whole.isEmpty {
                var next = whole.upperBound + 1
                while next < b.count && b[next] & 0xC0 == 0x80 { next += 1 }
                at = next
            } else {
                at = whole.upperBound
            }
        }
        return out
    }

    private static func text(_ input: KernelInput, _ i: Int, _ row: Int, default value: String) -> String {
        i < input.arguments.count ? input.text(i)[row] : value
    }

    private static func int(_ input: KernelInput, _ i: Int, _ row: Int, default value: Int64) -> Int64 {
        i < input.arguments.count ? ColumnAccess.int64s(input.arguments[i])[row] : value
    }

    private static func checkPosition(_ p: Int64, _ function: String) throws(SQLError) {
        guard p >= 1 else { throw SQLError(.runtime, "\(function.uppercased()): the position must be at least 1, got \(p)") }
    }

    private static func replace(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var patternsCache = Patterns(function: "regexp_replace")
        var out = TextBuilder(function: "regexp_replace", count: input.count)
        for row in 0..<input.count {
            if input.skips(row) { try out.endValue(); continue }
            let replacement = Array(text(input, 2, row, default: "").utf8)
            let position = int(input, 3, row, default: 1), occurrence = int(input, 4, row, default: 0)
            try checkPosition(position, "regexp_replace")
            guard occurrence >= 0 else { throw SQLError(.runtime, "REGEXP_REPLACE: the occurrence must not be negative") }
            let r = try patternsCache.get(patterns[row], text(input, 5, row, default: "c"))
            var result: [UInt8] = []
            try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    let start = byteOffset(b, character: position)
                    let found = matches(r, b, from: start)
                    let chosen = occurrence == 0 ? found[...] : (Int(occurrence) <= found.count ? found[(Int(occurrence) - 1)...(Int(occurrence) - 1)] : [])
                    var at = 0
                    for m in chosen {
                        let whole = m[0]!
                        result.append(contentsOf: b[at..<whole.lowerBound])
                        var i = 0
                        while i < replacement.count {
                            let c = replacement[i]
                            if c == UInt8(ascii: "\\"), i + 1 < replacement.count {
                                let d = replacement[i + 1]
                                if d >= UInt8(ascii: "0") && d <= UInt8(ascii: "9") {
                                    let g = Int(d - UInt8(ascii: "0"))
                                    if g < m.count, let range = m[g] { result.append(contentsOf: b[range]) }
                                    i += 2
                                    continue
                                }
                                if d == UInt8(ascii: "\\") { result.append(d); i += 2; continue }
                            }
                            result.append(c)
                            i += 1
                        }
                        at = whole.upperBound
                    }
                    result.append(contentsOf: b[at...])
                }
            }
            result.withUnsafeBytes { out.append($0) }
            try out.endValue()
        }
        return out.finish()
    }

    /// DuckDB's options (`g` global, `i` / `c` case, `m` `n` `p` newline-sensitive, `s` not)
    /// as Snowflake's arguments: occurrence 0 (every match) or 1, and the parameters.
    private static func replaceWithOptions(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let options = input.text(3)
        var occurrences = [Int64](repeating: 1, count: input.count)
        var parameters = TextBuilder(function: "regexp_replace", count: input.count)
        for row in 0..<input.count {
            var snowflake = ""
            if !input.skips(row) {
                for c in options[row] {
                    switch c {
                    case "g": occurrences[row] = 0
                    case "i", "c", "s": snowflake.append(c)
                    case "m", "n", "p", " ": break  // newline-sensitive: `.` stops at a newline, the default
                    default: throw SQLError(.runtime, "REGEXP_REPLACE: unknown option '\(c)' (expected g, i, c, m, n, p or s)")
                    }
                }
            }
            parameters.append(snowflake)
            try parameters.endValue()
        }
        let positions = ColumnData(type: .int64, storage: .int64([Int64](repeating: 1, count: input.count)))
        let snowflakeInput = KernelInput(arguments: Array(input.arguments.prefix(3)) + [positions, ColumnData(type: .int64, storage: .int64(occurrences)),
                                                                                      parameters.finish()],
                                         count: input.count, type: input.type, present: input.present)
        return try replace(snowflakeInput)
    }

    private static func like(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_like")
        var out = [Bool](repeating: false, count: input.count)
        for row in 0..<input.count where !input.skips(row) {
            let r = try cache.get(patterns[row], text(input, 2, row, default: "c"), anchored: true)
            out[row] = try r.withLocale { () throws(SQLError) in subjects.withValueBytes(row) { r.match($0, from: 0) != nil } }
        }
        return ColumnData(type: .boolean, storage: .boolean(out))
    }

    private static func count(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_count")
        var out = [Int64](repeating: 0, count: input.count)
        for row in 0..<input.count where !input.skips(row) {
            let position = int(input, 2, row, default: 1)
            try checkPosition(position, "regexp_count")
            let r = try cache.get(patterns[row], text(input, 3, row, default: "c"))
            out[row] = try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in Int64(matches(r, b, from: byteOffset(b, character: position)).count) }
            }
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// REGEXP_INSTR(subject, pattern [, position [, occurrence [, option [, parameters [, group]]]]]):
    /// the character position of the match (option 0) or just after it (option 1); 0 when absent.
    private static func instr(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_instr")
        var out = [Int64](repeating: 0, count: input.count)
        for row in 0..<input.count where !input.skips(row) {
            let position = int(input, 2, row, default: 1), occurrence = int(input, 3, row, default: 1), option = int(input, 4, row, default: 0)
            try checkPosition(position, "regexp_instr")
            guard occurrence >= 1, option == 0 || option == 1 else {
                throw SQLError(.runtime, "REGEXP_INSTR: the occurrence must be at least 1 and the option 0 or 1")
            }
            let parameters = text(input, 5, row, default: "c")
            let group = Int(int(input, 6, row, default: parameters.contains("e") ? 1 : 0))
            let r = try cache.get(patterns[row], parameters)
            out[row] = try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    let found = matches(r, b, from: byteOffset(b, character: position), limit: Int(clamping: occurrence))
                    guard found.count == Int(occurrence), group < found[found.count - 1].count,
                          let range = found[found.count - 1][group] else { return 0 }
                    return characterPosition(b, byte: option == 0 ? range.lowerBound : range.upperBound)
                }
            }
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// REGEXP_SUBSTR with position, occurrence, parameters and group.
    static func substr(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_substr")
        var out = TextBuilder(function: "regexp_substr", count: input.count)
        for row in 0..<input.count {
            if input.skips(row) { try out.endValue(); continue }
            let position = int(input, 2, row, default: 1), occurrence = int(input, 3, row, default: 1)
            try checkPosition(position, "regexp_substr")
            guard occurrence >= 1 else { throw SQLError(.runtime, "REGEXP_SUBSTR: the occurrence must be at least 1") }
            let parameters = text(input, 4, row, default: "c")
            let group = Int(int(input, 5, row, default: parameters.contains("e") ? 1 : 0))
            let r = try cache.get(patterns[row], parameters)
            guard group <= r.groups else {
                throw SQLError(.runtime, "REGEXP_SUBSTR: group \(group) asked for, but the pattern has \(r.groups)")
            }
            let value: [UInt8]? = try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    let found = matches(r, b, from: byteOffset(b, character: position), limit: Int(clamping: occurrence))
                    guard found.count == Int(occurrence), let range = found[found.count - 1][group] else { return nil }
                    return Array(b[range])
                }
            }
            if let value {
                value.withUnsafeBytes { out.append($0) }
                try out.endValue()
            } else {
                out.endNull()
            }
        }
        return out.finish()
    }

    /// REGEXP_EXTRACT: the first match's group, '' without a match.
    private static func extract(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_extract")
        var out = TextBuilder(function: "regexp_extract", count: input.count)
        for row in 0..<input.count {
            if input.skips(row) { try out.endValue(); continue }
            let group = Int(clamping: int(input, 2, row, default: 0))
            let r = try cache.get(patterns[row], text(input, 3, row, default: "c"))
            guard group >= 0 && group <= r.groups else {
                throw SQLError(.runtime, "REGEXP_EXTRACT: group \(group) asked for, but the pattern has \(r.groups)")
            }
            try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    if let range = matches(r, b, from: 0, limit: 1).first?[group] { out.append(UnsafeRawBufferPointer(rebasing: b[range])) }
                }
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// REGEXP_SUBSTR_ALL: each match (or its group) from the occurrence on.
    private static func substrAll(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_substr_all")
        var out = ColumnBuilder(type: .listVarchar, capacity: input.count)
        for row in 0..<input.count {
            if input.skips(row) { out.appendNull(); continue }
            let position = int(input, 2, row, default: 1), occurrence = int(input, 3, row, default: 1)
            try checkPosition(position, "regexp_substr_all")
            guard occurrence >= 1 else { throw SQLError(.runtime, "REGEXP_SUBSTR_ALL: the occurrence must be at least 1") }
            let parameters = text(input, 4, row, default: "c")
            let group = Int(int(input, 5, row, default: parameters.contains("e") ? 1 : 0))
            let r = try cache.get(patterns[row], parameters)
            guard group >= 0 && group <= r.groups else {
                throw SQLError(.runtime, "REGEXP_SUBSTR_ALL: group \(group) asked for, but the pattern has \(r.groups)")
            }
            let parts: [String] = try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    matches(r, b, from: byteOffset(b, character: position)).dropFirst(Int(clamping: occurrence - 1)).compactMap { m in
                        m[group].map { String(decoding: UnsafeRawBufferPointer(rebasing: b[$0]), as: UTF8.self) }
                    }
                }
            }
            out.append(.list(parts))
        }
        return out.finish()
    }

    /// REGEXP_SPLIT_TO_ARRAY: the text between the matches.
    private static func split(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let subjects = input.text(0), patterns = input.text(1)
        var cache = Patterns(function: "regexp_split_to_array")
        var out = ColumnBuilder(type: .listVarchar, capacity: input.count)
        for row in 0..<input.count {
            if input.skips(row) { out.appendNull(); continue }
            let r = try cache.get(patterns[row], text(input, 2, row, default: "c"))
            let parts: [String] = try r.withLocale { () throws(SQLError) in
                subjects.withValueBytes(row) { b in
                    func piece(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[range]), as: UTF8.self) }
                    var parts: [String] = []
                    var at = 0, endedOnEmpty = false
                    // The text after the last match is a part too, unless an empty match
                    // just took the last character (DuckDB's rule).
                    while at <= b.count, let m = r.match(b, from: at), let whole = m[0] {
                        if !whole.isEmpty {
                            parts.append(piece(at..<whole.lowerBound))
                            at = whole.upperBound
                            endedOnEmpty = false
                        } else if whole.lowerBound > at {
                            parts.append(piece(at..<whole.lowerBound))
                            at = whole.lowerBound
                            endedOnEmpty = false
                            if at == b.count { break }
                        } else {
                            // An empty match where the text resumes: one character is a part.
                            guard at < b.count else { break }
                            var next = at + 1
                            while next < b.count && b[next] & 0xC0 == 0x80 { next += 1 }
                            parts.append(piece(at..<next))
                            at = next
                            endedOnEmpty = at == b.count
                        }
                    }
                    if !endedOnEmpty { parts.append(piece(at..<b.count)) }
                    return parts
                }
            }
            out.append(.list(parts))
        }
        return out.finish()
    }
}
