// The SIMD structural scanner against the scalar reference, and the full chunk parser
// against an independent RFC 4180 reader, on quirky, random and adversarial input.

import Columnar
import Testing
import TestSupport

@Suite struct StructuralScannerTests {
    static let alphabet: [UInt8] = Array("ab,\"\n\r1é".utf8) + [0]

    @Test(arguments: 0..<200)
    func simdMatchesScalarOnRandomBytes(seed: Int) {
        var rng = RandomColumns.Rng(UInt64(seed))
        let length = rng.below(400)
        let bytes = (0..<length).map { _ in Self.alphabet[rng.below(Self.alphabet.count)] }
        expectSameIndex(bytes)
    }

    @Test func simdMatchesScalarAcrossBlockBoundaries() {
        // A quoted field opening in one 64-byte block and closing in the next, at every offset.
        for offset in 0..<130 {
            var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: offset)
            bytes += Array("\"a,\nb\"\"c\",d\n".utf8)
            bytes += [UInt8](repeating: UInt8(ascii: ","), count: 70)
            expectSameIndex(bytes)
            expectSameIndex(Array(bytes.prefix(offset + 3)))  // ends inside quotes
        }
    }

    @Test func simdMatchesScalarOnGeneratedMovieLensFiles() throws {
        let dir = TestEnvironment.temporaryDirectory("scan")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.generateMovieLens(ratings: 20_000, seed: 3, to: dir)
        for file in ["movies.csv", "ratings.csv", "tags.csv", "links.csv", "genome-tags.csv"] {
            let bytes = Array(try String(contentsOfFile: dir + "/" + file, encoding: .utf8).utf8)
            expectSameIndex(bytes)
        }
    }

    @Test(arguments: 0..<300)
    func chunkParserAgreesWithReferenceReader(seed: Int) {
        var rng = RandomColumns.Rng(UInt64(seed) &+ 1000)
        // Rows of three text fields built from quirky pieces; some rows broken on purpose.
        let pieces = ["a", "", "\"q\"", "\"a,b\"", "\"x\"\"y\"", "\"multi\nline\"", "é", "\"\"", "b\"c", "\"open", "\"q\"x", " sp "]
        var text = ""
        for _ in 0..<rng.below(12) {
            let n = 3 + (rng.below(10) == 0 ? rng.below(3) - 1 : 0)
            text += (0..<n).map { _ in pieces[rng.below(pieces.count)] }.joined(separator: ",")
            text += rng.below(4) == 0 ? "\r\n" : "\n"
        }
        if rng.below(3) == 0 { text = String(text.dropLast()) }
        let bytes = Array(text.utf8)
        let schema = CSVSchema(fileName: "t.csv", schema: "raw", table: "t", header: ["a", "b", "c"],
                               columns: [.init("a", .varchar), .init("b", .varchar), .init("c", .varchar)])
        let parsed = bytes.withUnsafeBytes { ChunkParser.parse($0, schema: schema, fileName: "t.csv", mode: .continue) }
        switch ReferenceCSV.parse(bytes) {
        case .rows(let rows):
            let wellFormed = rows.filter { $0.count == 3 }
            #expect(parsed.rowCount == wellFormed.count, "input: \(text.debugDescription)")
            #expect(parsed.problems.count == rows.count - wellFormed.count, "input: \(text.debugDescription)")
            if parsed.rowCount == wellFormed.count {
                for (r, row) in wellFormed.enumerated() {
                    for c in 0..<3 {
                        let got: [UInt8]? = parsed.columns[c].isNull(r) ? nil : {
                            guard case .varchar(let s) = parsed.columns[c].storage else { return nil }
                            return Array(s[r].utf8)
                        }()
                        #expect(got == row[c], "row \(r) column \(c) of \(text.debugDescription)")
                    }
                }
            }
        case .error:
            #expect(!parsed.problems.isEmpty, "reference rejects \(text.debugDescription), parser accepted it")
        }
    }

    private func expectSameIndex(_ bytes: [UInt8]) {
        let simd = bytes.withUnsafeBytes { StructuralScanner.scan($0) }
        let scalar = bytes.withUnsafeBytes { ScalarStructuralScanner.scan($0) }
        #expect(simd == scalar, "input: \(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
}
