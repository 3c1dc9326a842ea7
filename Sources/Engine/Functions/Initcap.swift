// Snowflake's INITCAP: the first letter of each word upper case, the rest lower case. Words
// are separated by Unicode White_Space and the punctuation below (not the apostrophe, so
// "it's" becomes "It's"). Case mappings are simple one-to-one: a character whose full
// mapping is several characters (ß -> SS) stays as it is. With a second argument, exactly
// its characters separate words.

enum Initcap {
    static let separators: Set<Unicode.Scalar> = Set("!?@\"^#$&~_,.:;+-*%/|\\[](){}<>".unicodeScalars)

    /// The separators among ASCII bytes (white space included), for the byte-level path.
    static let asciiSeparators: [Bool] = (0..<128).map { b in
        let u = Unicode.Scalar(UInt8(b))
        return u.properties.isWhitespace || separators.contains(u)
    }

    static func apply(_ s: String) -> String {
        apply(s) { $0.properties.isWhitespace || separators.contains($0) }
    }

    /// Snowflake's INITCAP(text, delimiters): only the given characters start words (an
    /// empty set capitalizes the first character alone).
    static func apply(_ s: String, delimiters: Set<Unicode.Scalar>) -> String {
        apply(s) { delimiters.contains($0) }
    }

    private static func apply(_ s: String, separates: (Unicode.Scalar) -> Bool) -> String {
        var out = String.UnicodeScalarView()
        var startOfWord = true
        for u in s.unicodeScalars {
            if separates(u) {
                out.append(u)
                startOfWord = true
                continue
            }
            out.append(startOfWord ? simpleUpper(u) : simpleLower(u))
            startOfWord = false
        }
        return String(out)
    }

    static func simpleUpper(_ u: Unicode.Scalar) -> Unicode.Scalar {
        let m = u.properties.uppercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : u
    }

    static func simpleLower(_ u: Unicode.Scalar) -> Unicode.Scalar {
        let m = u.properties.lowercaseMapping.unicodeScalars
        return m.count == 1 ? m.first! : u
    }
}
