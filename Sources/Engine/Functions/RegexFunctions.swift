// REGEXP_SUBSTR: the first match of a POSIX extended pattern (Snowflake's dialect, see
// `PosixRegex`), NULL where there is none. The pattern is compiled once per batch when it
// is constant, once per distinct pattern otherwise; without a UTF-8 C locale Swift's Regex
// does the matching.

import Columnar

enum RegexFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("regexp_substr", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar), kernel: substr),
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.int64), .type(.int64), .type(.varchar), .type(.int64)],
                              optional: 3, returns: .type(.varchar), kernel: RegexFamily.substr),
        ]),
    ]

    /// A compiled pattern of either kind.
    enum Matcher {
        case posix(PosixRegex)
        case swift(Regex<AnyRegexOutput>)

        init(_ pattern: String) throws(SQLError) {
            if let p = try PosixRegex(pattern) { self = .posix(p); return }
            do {
                self = .swift(try Regex(pattern))
            } catch {
                throw SQLError(.runtime, "invalid regular expression '\(pattern)'")
            }
        }

        func firstMatch(_ b: UnsafeRawBufferPointer) -> Range<Int>? {
            switch self {
            case .posix(let p): return p.firstMatch(b)
            case .swift(let r):
                let text = String(decoding: b, as: UTF8.self)
                guard let m = text.firstMatch(of: r) else { return nil }
                let utf8 = text.utf8
                return utf8.distance(from: utf8.startIndex, to: m.range.lowerBound)..<utf8.distance(from: utf8.startIndex, to: m.range.upperBound)
            }
        }

        /// Whether the pattern matches somewhere in `text`.
        func matches(_ text: String) throws(SQLError) -> Bool {
            var text = text
            return try run { () throws(SQLError) in text.withUTF8 { firstMatch(UnsafeRawBufferPointer($0)) != nil } }
        }

        func run<T>(_ body: () throws(SQLError) -> T) throws(SQLError) -> T {
            if case .posix(let p) = self { return try p.withLocale(body) }
            return try body()
        }
    }

    private static func substr(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let s = input.text(0), patterns = input.text(1), n = input.count
        var out = TextBuilder(function: "regexp_substr", count: n)
        var current: (pattern: String, matcher: Matcher)? = nil
        for i in 0..<n {
            if input.skips(i) { try out.endValue(); continue }
            let pattern = patterns[i]
            if current?.pattern != pattern { current = (pattern, try Matcher(pattern)) }
            let matcher = current!.matcher
            let match = try matcher.run { () throws(SQLError) in s.withValueBytes(i) { b in matcher.firstMatch(b).map { Array(b[$0]) } } }
            if let match {
                match.withUnsafeBytes { out.append($0) }
                try out.endValue()
            } else {
                out.endNull()
            }
        }
        return out.finish()
    }
}
