// Splits SQL text into tokens: identifiers (bare ones compare case-insensitively, quoted
// ones keep their case), keywords, numbers, strings ('' escapes), operators and comments.

/// A token and where it starts.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case identifier(String)   // bare: compared case-insensitively
        case quotedIdentifier(String)
        case keyword(String)      // upper-cased
        case integer(String)
        case decimal(String)
        case string(String)
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var position: Int
}

/// The SQL tokenizer.
public enum Lexer {
    static let keywords: Set<String> = [
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "AS", "AND", "OR", "NOT",
        "NULL", "IS", "IN", "BETWEEN", "LIKE", "ILIKE", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST", "DISTINCT",
        "ALL", "UNION", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "USING", "WITH", "ASC", "DESC",
        "NULLS", "FIRST", "LAST", "TRUE", "FALSE", "EXISTS", "LATERAL", "EXPLAIN", "ANALYZE", "CREATE", "OR", "REPLACE",
        "VIEW", "TABLE", "INSERT", "INTO", "DROP", "IF", "INTERVAL", "EXTRACT", "DATE", "TIMESTAMP", "SEMI", "ANTI",
    ]

    public static func tokenize(_ sql: String) throws(SQLError) -> [Token] {
        let b = Array(sql.utf8)
        // As in PostgreSQL, text never holds NUL: C clients and files would cut it there.
        if let nul = b.firstIndex(of: 0) {
            throw SQLError(.syntax, "the statement contains a NUL character (U+0000), which SQL text may not hold; write CHR(0) for one",
                           at: nul, reason: .invalidText)
        }
        var tokens: [Token] = []
        var i = 0
        func isIdentStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c >= 0x80 }
        func isIdentPart(_ c: UInt8) -> Bool { isIdentStart(c) || (c >= 48 && c <= 57) || c == 36 }
        while i < b.count {
            let c = b[i]
            let start = i
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if c == UInt8(ascii: "-") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "-") {
                while i < b.count && b[i] != 10 { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < b.count && !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                guard i + 1 < b.count else { throw SQLError(.syntax, "unterminated comment", at: start) }
                i += 2
                continue
            }
            if isIdentStart(c) {
                while i < b.count && isIdentPart(b[i]) { i += 1 }
                let word = String(decoding: b[start..<i], as: UTF8.self)
                let upper = word.uppercased()
                tokens.append(Token(kind: keywords.contains(upper) ? .keyword(upper) : .identifier(word), position: start))
                continue
            }
            if c == UInt8(ascii: "\"") {
                var text: [UInt8] = []
                i += 1
                while true {
                    guard i < b.count else { throw SQLError(.syntax, "unterminated quoted identifier", at: start) }
                    if b[i] == UInt8(ascii: "\"") {
                        if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") { text.append(b[i]); i += 2; continue }
                        i += 1
                        break
                    }
                    text.append(b[i]); i += 1
                }
                tokens.append(Token(kind: .quotedIdentifier(String(decoding: text, as: UTF8.self)), position: start))
                continue
            }
            if c == UInt8(ascii: "'") {
                var text: [UInt8] = []
                i += 1
                while true {
                    guard i < b.count else { throw SQLError(.syntax, "unterminated string literal", at: start) }
                    if b[i] == UInt8(ascii: "'") {
                        if i + 1 < b.count && b[i + 1] == UInt8(ascii: "'") { text.append(b[i]); i += 2; continue }
                        i += 1
                        break
                    }
                    if b[i] == UInt8(ascii: "\\") && i + 1 < b.count {
                        i = Self.escape(b, at: i, into: &text)
                        continue
                    }
                    text.append(b[i]); i += 1
                }
                tokens.append(Token(kind: .string(String(decoding: text, as: UTF8.self)), position: start))
                continue
            }
            if c == UInt8(ascii: "$") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "$") {
                // $$...$$: the text as written, no escapes (Snowflake).
                var j = i + 2
                while j + 1 < b.count && !(b[j] == UInt8(ascii: "$") && b[j + 1] == UInt8(ascii: "$")) { j += 1 }
                guard j + 1 < b.count else { throw SQLError(.syntax, "unterminated $$ string", at: start) }
                tokens.append(Token(kind: .string(String(decoding: b[(i + 2)..<j], as: UTF8.self)), position: start))
                i = j + 2
                continue
            }
            if (c >= 48 && c <= 57) || (c == UInt8(ascii: ".") && i + 1 < b.count && b[i + 1] >= 48 && b[i + 1] <= 57) {
                var isDecimal = false
                while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
                if i < b.count && b[i] == UInt8(ascii: ".") {
                    isDecimal = true
                    i += 1
                    while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
                }
                if i < b.count && (b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E")) {
                    var j = i + 1
                    if j < b.count && (b[j] == UInt8(ascii: "+") || b[j] == UInt8(ascii: "-")) { j += 1 }
                    if j < b.count && b[j] >= 48 && b[j] <= 57 {
                        isDecimal = true
                        i = j
                        while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
                    }
                }
                let text = String(decoding: b[start..<i], as: UTF8.self)
                tokens.append(Token(kind: isDecimal ? .decimal(text) : .integer(text), position: start))
                continue
            }
            // DuckDB's JSON `->>` (and `->` among the two-character symbols).
            if i + 2 < b.count && b[i] == UInt8(ascii: "-") && b[i + 1] == UInt8(ascii: ">") && b[i + 2] == UInt8(ascii: ">") {
                tokens.append(Token(kind: .symbol("->>"), position: start))
                i += 3
                continue
            }
            // PostgreSQL's (and DuckDB's) regular-expression match `!~*`, `!~`, `~*`, `~`.
            if i + 2 < b.count && b[i] == UInt8(ascii: "!") && b[i + 1] == UInt8(ascii: "~") && b[i + 2] == UInt8(ascii: "*") {
                tokens.append(Token(kind: .symbol("!~*"), position: start))
                i += 3
                continue
            }
            let two = i + 1 < b.count ? String(decoding: b[i...(i + 1)], as: UTF8.self) : ""
            if ["<=", ">=", "<>", "!=", "||", "::", "=>", "**", "//", "!~", "~*", "^@", "->"].contains(two) {
                tokens.append(Token(kind: .symbol(two == "!=" ? "<>" : two), position: start))
                i += 2
                continue
            }
            let one = String(UnicodeScalar(c))
            if "(),.;*+-/%=<>[]^~:".contains(one) {
                tokens.append(Token(kind: .symbol(one), position: start))
                i += 1
                continue
            }
            throw SQLError(.syntax, "unexpected character '\(String(decoding: [c], as: UTF8.self))'", at: start)
        }
        tokens.append(Token(kind: .end, position: b.count))
        return tokens
    }

    /// A backslash escape in a single-quoted string, as Snowflake reads it: `\'`, `\"`, `\\`,
    /// `\b`, `\f`, `\n`, `\r`, `\t`, `\0`, octal `\ooo`, `\xhh`, `\uhhhh`; before any other
    /// character the backslash is dropped. Returns the index after the escape.
    static func escape(_ b: [UInt8], at start: Int, into text: inout [UInt8]) -> Int {
        let c = b[start + 1]
        func hex(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= b.count else { return nil }
            var v: UInt32 = 0
            for k in from..<(from + count) {
                guard let d = Character(UnicodeScalar(b[k])).hexDigitValue else { return nil }
                v = v * 16 + UInt32(d)
            }
            return v
        }
        func scalar(_ v: UInt32) { if let u = UnicodeScalar(v) { text.append(contentsOf: Array(String(Character(u)).utf8)) } }
        switch c {
        case UInt8(ascii: "n"): text.append(10)
        case UInt8(ascii: "t"): text.append(9)
        case UInt8(ascii: "r"): text.append(13)
        case UInt8(ascii: "b"): text.append(8)
        case UInt8(ascii: "f"): text.append(12)
        case UInt8(ascii: "x"):
            if let v = hex(start + 2, 2) { scalar(v); return start + 4 }
            text.append(c)
        case UInt8(ascii: "u"):
            if let v = hex(start + 2, 4) { scalar(v); return start + 6 }
            text.append(c)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            // Up to three octal digits (`\0` is NUL).
            var v: UInt32 = 0, k = start + 1
            while k < b.count && k < start + 4 && b[k] >= UInt8(ascii: "0") && b[k] <= UInt8(ascii: "7") { v = v * 8 + UInt32(b[k] - 48); k += 1 }
            scalar(v)
            return k
        default:
            text.append(c)  // \\ \' \" and any other character stand for themselves
        }
        return start + 2
    }
}
