// JSON held as text (DuckDB's JSON type is the same: VARCHAR underneath), read in place: a
// scanner that validates a document, skips values without building them and walks a path
// to the bytes of one element. PARSE_JSON, the `:` path operator, JSON_EXTRACT_PATH_TEXT and
// DuckDB's JSON_EXTRACT run on it; no value is materialized as a tree.

/// One step of a path: an object's key or an array's index.
enum JSONPathStep: Equatable {
    case key([UInt8])
    case index(Int)
}

enum JSONText {
    /// Nesting deeper than this is refused (a document is not a stack overflow).
    static let maxDepth = 512

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inline(__always) static func skipSpace(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        var i = i
        while i < b.count && isSpace(b[i]) { i += 1 }
        return i
    }

    /// The end of the value starting at `i` (after any spaces), or nil when it is not valid JSON.
    static func skipValue(_ b: UnsafeRawBufferPointer, _ i: Int, depth: Int = 0) -> Int? {
        var i = skipSpace(b, i)
        guard i < b.count, depth < maxDepth else { return nil }
        switch b[i] {
        case quote: return skipString(b, i)
        case UInt8(ascii: "{"):
            i = skipSpace(b, i + 1)
            if i < b.count && b[i] == UInt8(ascii: "}") { return i + 1 }
            while true {
                guard i < b.count, b[i] == quote, let k = skipString(b, i) else { return nil }
                i = skipSpace(b, k)
                guard i < b.count, b[i] == UInt8(ascii: ":"), let v = skipValue(b, i + 1, depth: depth + 1) else { return nil }
                i = skipSpace(b, v)
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "}") { return i + 1 }
                guard b[i] == UInt8(ascii: ",") else { return nil }
                i = skipSpace(b, i + 1)
            }
        case UInt8(ascii: "["):
            i = skipSpace(b, i + 1)
            if i < b.count && b[i] == UInt8(ascii: "]") { return i + 1 }
            while true {
                guard let v = skipValue(b, i, depth: depth + 1) else { return nil }
                i = skipSpace(b, v)
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "]") { return i + 1 }
                guard b[i] == UInt8(ascii: ",") else { return nil }
                i += 1
            }
        case UInt8(ascii: "t"): return word(b, i, "true")
        case UInt8(ascii: "f"): return word(b, i, "false")
        case UInt8(ascii: "n"): return word(b, i, "null")
        default: return skipNumber(b, i)
        }
    }

    private static func word(_ b: UnsafeRawBufferPointer, _ i: Int, _ w: StaticString) -> Int? {
        let n = w.utf8CodeUnitCount
        guard i + n <= b.count else { return nil }
        for k in 0..<n where b[i + k] != w.utf8Start[k] { return nil }
        return i + n
    }

    /// `"..."` with its escapes checked; the index after the closing quote.
    static func skipString(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        var i = i + 1
        while i < b.count {
            let c = b[i]
            if c == quote { return i + 1 }
            if c < 0x20 { return nil }
            if c == backslash {
                guard i + 1 < b.count else { return nil }
                switch b[i + 1] {
                case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"),
                     UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 5 < b.count, (2...5).allSatisfy({ hexValue(b[i + $0]) != nil }) else { return nil }
                    i += 6
                default: return nil
                }
                continue
            }
            i += 1
        }
        return nil
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private static func skipNumber(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int? {
        var i = i
        func digits() -> Bool {
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            return i > start
        }
        if i < b.count && b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count else { return nil }
        if b[i] == UInt8(ascii: "0") { i += 1 } else if !digits() { return nil }
        if i < b.count && b[i] == UInt8(ascii: ".") { i += 1; guard digits() else { return nil } }
        if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() else { return nil }
        }
        return i
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: UInt32(c - 0x30)
        case 0x41...0x46: UInt32(c - 0x41 + 10)
        case 0x61...0x66: UInt32(c - 0x61 + 10)
        default: nil
        }
    }

    /// Whether `b` is one JSON value (spaces around it allowed).
    static func isValid(_ b: UnsafeRawBufferPointer) -> Bool {
        guard let end = skipValue(b, 0) else { return false }
        return skipSpace(b, end) == b.count
    }

    /// A valid value's bytes without the spaces between tokens (Snowflake shows
    /// `PARSE_JSON('{ "a" : 1 }')` as `{"a":1}`).
    static func minified(_ b: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == quote {
                let end = skipString(b, i) ?? b.count
                out.append(contentsOf: b[i..<end])
                i = end
            } else {
                if !isSpace(c) { out.append(c) }
                i += 1
            }
        }
    }

    /// The string at `i` (a valid one) without its quotes, escapes decoded to UTF-8.
    static func unescaped(_ b: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [UInt8]) {
        var i = range.lowerBound + 1
        let end = range.upperBound - 1
        while i < end {
            let c = b[i]
            guard c == backslash else { out.append(c); i += 1; continue }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(b, i)
                i += 4
                // A surrogate pair is one character; a lone surrogate becomes U+FFFD.
                if (0xD800..<0xDC00).contains(scalar), i + 5 < end + 1, b[i] == backslash, b[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(b, i + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 4 | (hexValue(b[i + $1]) ?? 0) }
    }

    /// The bytes of the element `path` leads to in the valid document `b`, or nil when a step
    /// finds no such key or index (or a value of another kind).
    static func find(_ b: UnsafeRawBufferPointer, _ path: [JSONPathStep]) -> Range<Int>? {
        var start = skipSpace(b, 0)
        guard start < b.count else { return nil }
        var scratch: [UInt8] = []
        for step in path {
            guard start < b.count else { return nil }
            switch step {
            case .key(let wanted):
                guard b[start] == UInt8(ascii: "{") else { return nil }
                var i = skipSpace(b, start + 1)
                var found: Int? = nil
                while i < b.count && b[i] == quote {
                    guard let k = skipString(b, i) else { return nil }
                    scratch.removeAll(keepingCapacity: true)
                    unescaped(b, i..<k, into: &scratch)
                    let valueStart = skipSpace(b, skipSpace(b, k) + 1)
                    // The last of repeated keys wins, as in Snowflake and DuckDB.
                    if scratch == wanted { found = valueStart }
                    guard let v = skipValue(b, valueStart) else { return nil }
                    i = skipSpace(b, v)
                    if i < b.count && b[i] == UInt8(ascii: ",") { i = skipSpace(b, i + 1) }
                }
                guard let found else { return nil }
                start = found
            case .index(let wanted):
                guard b[start] == UInt8(ascii: "["), wanted >= 0 else { return nil }
                var i = skipSpace(b, start + 1), n = 0
                var found: Int? = nil
                while i < b.count && b[i] != UInt8(ascii: "]") {
                    if n == wanted { found = i; break }
                    guard let v = skipValue(b, i) else { return nil }
                    i = skipSpace(b, v)
                    if i < b.count && b[i] == UInt8(ascii: ",") { i = skipSpace(b, i + 1) }
                    n += 1
                }
                guard let found else { return nil }
                start = found
            }
        }
        guard let end = skipValue(b, start) else { return nil }
        return start..<end
    }

    /// A path as Snowflake and DuckDB write it: `a.b[0]`, `a['b c']`, `"b c"`, or JSONPath's
    /// `$.a.b[0]` / `$['a']`; nil when it is not one.
    static func path(_ text: String) -> [JSONPathStep]? {
        let b = Array(text.utf8)
        var i = 0, steps: [JSONPathStep] = []
        if i < b.count && b[i] == UInt8(ascii: "$") { i += 1 }
        var first = true
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "[") {
                i += 1
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "'") || b[i] == quote {
                    let q = b[i]
                    var key: [UInt8] = []
                    i += 1
                    // A quote is written twice inside the key: ['it''s'].
                    while i < b.count && (b[i] != q || (i + 1 < b.count && b[i + 1] == q)) {
                        key.append(b[i])
                        i += b[i] == q ? 2 : 1
                    }
                    guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "]") else { return nil }
                    steps.append(.key(key))
                    i += 2
                } else {
                    var n = 0, any = false
                    // A negative index is a step that finds nothing (Snowflake: NULL).
                    let negative = b[i] == UInt8(ascii: "-")
                    if negative { i += 1 }
                    while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 {
                        n = n * 10 + Int(b[i] - 0x30)
                        guard n < 1 << 40 else { return nil }
                        any = true
                        i += 1
                    }
                    guard any, i < b.count, b[i] == UInt8(ascii: "]") else { return nil }
                    steps.append(.index(negative ? -1 : n))
                    i += 1
                }
            } else {
                if c == UInt8(ascii: ".") { i += 1 } else if !first { return nil }
                guard i < b.count else { return nil }
                var key: [UInt8] = []
                if b[i] == quote {
                    i += 1
                    while i < b.count && b[i] != quote { key.append(b[i]); i += 1 }
                    guard i < b.count else { return nil }
                    i += 1
                } else {
                    while i < b.count && b[i] != UInt8(ascii: ".") && b[i] != UInt8(ascii: "[") { key.append(b[i]); i += 1 }
                }
                guard !key.isEmpty else { return nil }
                steps.append(.key(key))
            }
            first = false
        }
        return steps
    }
}
