// The single-pass numeric parser must agree with the general two-pass parser on every
// chunk it accepts, and must give up (never guess) on anything unusual.

import Columnar
import Testing
import TestSupport

@Suite struct NumericFastPathTests {
    /// The ratings file's layout (MovieLens defines it; the loader only needs a schema).
    static let schema = CSVSchema(
        fileName: "ratings.csv", schema: "raw", table: "raw_ratings", header: ["userId", "movieId", "rating", "timestamp"],
        columns: [.init("userId", .int32), .init("movieId", .int32), .init("rating", .double), .init("timestamp", .int64)])

    /// Parses with the fast path over a padded copy of `text`.
    static func fast(_ text: String) -> [ColumnData]? {
        var bytes = Array(text.utf8)
        let count = bytes.count
        bytes += [UInt8](repeating: UInt8(ascii: "7"), count: 64)  // padding that looks like digits
        return bytes.withUnsafeBytes { raw in
            NumericChunkParser.parse(UnsafeRawBufferPointer(rebasing: raw[0..<count]), schema: schema)?.columns
        }
    }

    static func general(_ text: String) -> ParsedChunkSummary {
        let bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeBytes { ChunkParser.parse($0, schema: schema, fileName: "r.csv", mode: .continue) }
        return ParsedChunkSummary(columns: parsed.columns, problems: parsed.problems.count)
    }

    struct ParsedChunkSummary {
        var columns: [ColumnData]
        var problems: Int
    }

    @Test(arguments: 0..<400)
    func agreesWithTheGeneralParser(seed: Int) {
        var rng = RandomColumns.Rng(UInt64(seed) &* 7919)
        let fields: [() -> String] = [
            { String(rng.below(200_000)) }, { String(rng.below(99)) }, { "" }, { "\(rng.below(6)).\(rng.below(10))" },
            { "\(rng.below(2)).\(rng.below(100_000))" }, { String(1_000_000_000 + rng.below(600_000_000)) },
            { "12345678901234567" }, { "-3" }, { "1e5" }, { "\"7\"" }, { "3000000000" }, { "0.123456789" }, { "4." }, { ".5" },
        ]
        var text = ""
        for _ in 0..<(1 + rng.below(30)) {
            let normal = rng.below(8) != 0
            let n = normal ? 4 : 3 + rng.below(3)
            text += (0..<n).map { k in
                normal && rng.below(10) != 0 ? [String(rng.below(200_000)), String(rng.below(60_000)),
                                                 "\(rng.below(5)).\(rng.below(2) * 5)", String(900_000_000 + rng.below(700_000_000))][k]
                                              : fields[rng.below(fields.count)]()
            }.joined(separator: ",")
            text += rng.below(6) == 0 ? "\r\n" : "\n"
        }
        if rng.below(4) == 0 { text.removeLast() }
        if rng.below(10) == 0 { text += "\n" }
        let reference = Self.general(text)
        guard let fast = Self.fast(text) else { return }  // giving up is always allowed
        #expect(reference.problems == 0, "fast path accepted what the general parser rejects: \(text.debugDescription)")
        #expect(fast.count == reference.columns.count)
        for (a, b) in zip(fast, reference.columns) {
            #expect(a.sameValues(as: b), "\(text.debugDescription)")
        }
    }

    @Test func takesTheCommonCaseAndGivesUpOnTheUnusual() {
        #expect(Self.fast("1,296,5.0,1147880044\n1,306,3.5,1147868817\n") != nil)
        #expect(Self.fast("1,296,5.0,1147880044\r\n1,306,3.5,1147868817") != nil)
        #expect(Self.fast("1,\"296\",5.0,1147880044\n") == nil)
        #expect(Self.fast("1,296,5.0\n") == nil)
        #expect(Self.fast("1,296,5.0,1,2\n") == nil)
        #expect(Self.fast("1,296,5.0,1147880044\n\n") == nil)
        #expect(Self.fast("1,-296,5.0,1147880044\n") == nil)
        #expect(Self.fast("1,296,5e0,1147880044\n") == nil)
    }
}
