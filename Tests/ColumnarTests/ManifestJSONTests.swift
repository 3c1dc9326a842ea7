// The hand-written manifest JSON agrees with Foundation's Codable JSON both ways, for
// manifests with every statistic kind, awkward strings and empty parts.

import Foundation
import Testing
@testable import Columnar

@Suite struct ManifestJSONTests {
    func sample(seed: UInt64) -> Manifest {
        var x = seed
        func next(_ n: UInt64) -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return (x >> 33) % n }
        let texts = ["", "plain", "quote \" back \\ slash / tab \t nl \n cr \r", "Amélie ☕️ 𝄞", "\u{1}\u{1f}", "data/v1-2-3-t.col"]
        let stats: [StatValue?] = [nil, .int(-9_223_372_036_854_775_807), .int(42), .double(0.1), .double(-1e-300), .double(1.7976931348623157e308),
                                   .double(-0.0), .double(3), .string(texts[2]), .string(texts[3])]
        var tables: [TableMetadata] = []
        for t in 0..<Int(next(4)) {
            let columns = (0..<Int(next(4))).map { c in ColumnDefinition(texts[Int(next(UInt64(texts.count)))] + "\(c)", LogicalType.allCases[Int(next(UInt64(LogicalType.allCases.count)))]) }
            let groups = (0..<Int(next(3))).map { _ in
                RowGroupMetadata(rowCount: Int(next(200_000)), segments: columns.map { _ in
                    var s = SegmentStats(rowCount: Int(next(1000)), nullCount: Int(next(10)))
                    s.min = stats[Int(next(UInt64(stats.count)))]
                    s.max = stats[Int(next(UInt64(stats.count)))]
                    return SegmentMetadata(file: texts[5], offset: Int(next(1 << 40)), length: Int(next(1 << 20)), encoding: EncodingKind.allCases[Int(next(UInt64(EncodingKind.allCases.count)))],
                                           compression: next(2) == 0 ? .none : .zlib, rawLength: Int(next(1 << 20)), stats: s)
                })
            }
            var properties: [String: String] = [:]
            for p in 0..<Int(next(4)) { properties[texts[Int(next(UInt64(texts.count)))] + "\(p)"] = texts[Int(next(UInt64(texts.count)))] }
            tables.append(TableMetadata(schema: "s\(t)", name: texts[Int(next(UInt64(texts.count)))], columns: columns, rowGroups: groups, properties: properties))
        }
        return Manifest(version: Int64(next(1000)), committedAt: "2026-11-29 12:00:00", tables: tables)
    }

    func foundation(_ m: Manifest) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return try e.encode(m)
    }

    @Test func agreesWithCodable() throws {
        for seed in 0..<200 as Range<UInt64> {
            let m = sample(seed: seed)
            let expected = try foundation(m)
            // Ours written, Foundation read; Foundation written, ours read.
            let ours = try ManifestJSON.encode(m)
            #expect(try foundation(JSONDecoder().decode(Manifest.self, from: Data(ours))) == expected, "seed \(seed)")
            #expect(try foundation(ManifestJSON.decode(Array(expected))) == expected, "seed \(seed)")
            #expect(try ManifestJSON.encode(ManifestJSON.decode(ours)) == ours, "seed \(seed)")
        }
    }

    @Test func badTextIsAnError() {
        for text in ["", "{", "{\"formatVersion\":1", "{\"formatVersion\":1,\"tables\":[{]}", "{\"formatVersion\":1} x", "{\"tables\":[]}",
                     "{\"formatVersion\":99999999999999999999}"] {
            #expect(throws: StorageError.self, "\(text)") { try ManifestJSON.decode(Array(text.utf8)) }
        }
    }
}
