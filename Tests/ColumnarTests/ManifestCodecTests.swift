// The manifest on disk: format 5 (binary) round-trips every field (deletion vectors, column
// constraints and precisions, commit time and operation included), refuses damaged bytes
// with an error (never a crash), and format 1 (JSON) still reads, its property keys becoming
// typed fields.

import Foundation
import Testing
@testable import Columnar

@Suite struct ManifestCodecTests {
    func sample(seed: UInt64) -> Manifest {
        var x = seed
        func next(_ n: UInt64) -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return (x >> 33) % n }
        let texts = ["", "plain", "quote \" back \\ slash / tab \t nl \n cr \r", "Amélie ☕️ 𝄞", "\u{0}\u{1f}", "data/v1-2-3-t.col"]
        func text() -> String { texts[Int(next(UInt64(texts.count)))] }
        let stats: [StatValue?] = [nil, .int(.min), .int(.max), .int(-1), .int(42), .double(0.1), .double(-1e-300), .double(.nan),
                                   .double(-0.0), .double(.infinity), .string(texts[2]), .string(texts[3])]
        var tables: [TableMetadata] = []
        for t in 0..<Int(next(5)) {
            let columns = (0..<Int(next(4))).map { c in
                var column = ColumnDefinition(text() + "\(c)", LogicalType.allCases[Int(next(UInt64(LogicalType.allCases.count)))],
                                              description: next(2) == 0 ? nil : text(), notNull: next(2) == 0, defaultSQL: next(2) == 0 ? nil : text())
                if next(3) == 0 {
                    let precision = Int(next(38)) + 1
                    column.numeric = NumericPrecision(precision: precision, scale: Int(next(UInt64(precision + 1))))
                }
                return column
            }
            let groups = (0..<Int(next(3))).map { _ in
                let rows = Int(next(200_000)) + 1
                let deletes = next(2) == 0 ? nil : SegmentMetadata(file: "data/d\(next(3)).col", offset: Int(next(1 << 30)), length: 40,
                                                                   encoding: .delta, compression: .none, rawLength: 9,
                                                                   stats: SegmentStats(rowCount: Int(next(UInt64(rows))), nullCount: 0))
                return RowGroupMetadata(rowCount: rows, segments: columns.map { _ in
                    var s = SegmentStats(rowCount: Int(next(1000)), nullCount: Int(next(10)))
                    s.min = stats[Int(next(UInt64(stats.count)))]
                    s.max = stats[Int(next(UInt64(stats.count)))]
                    return SegmentMetadata(file: "data/f\(next(3)).col", offset: Int(next(1 << 40)), length: Int(next(1 << 20)),
                                           encoding: EncodingKind.allCases[Int(next(UInt64(EncodingKind.allCases.count)))],
                                           compression: next(2) == 0 ? .none : .zlib, rawLength: Int(next(1 << 20)), stats: s)
                }, deletes: deletes)
            }
            var properties: [String: String] = [:]
            for p in 0..<Int(next(4)) { properties[text() + "\(p)"] = text() }
            tables.append(TableMetadata(schema: "s\(t)", name: text(), kind: next(3) == 0 ? .view(sql: "select " + text()) : .table,
                                        columns: columns, rowGroups: groups, description: next(2) == 0 ? nil : text(),
                                        grants: Set((0..<Int(next(3))).map { "role\($0)" }), properties: properties))
        }
        return Manifest(version: Int64(next(1000)), committedAt: "2026-12-06 08:00:00", tables: tables,
                        committedMicros: Int64(next(1 << 52)), operation: text())
    }

    /// Every field, compared as text (NaN statistics included).
    func fields(_ m: Manifest) -> String {
        var out = "\(m.version) \(m.committedAt) \(m.committedMicros) \(m.operation.debugDescription)\n"
        for t in m.tables {
            out += "\(t.schema).\(t.name) \(t.kind) \(t.description.debugDescription) \(t.grants.sorted()) \(t.properties.sorted { $0.key < $1.key })\n"
            for c in t.columns { out += "  \(c.name) \(c.type) \(c.description.debugDescription) \(c.notNull) \(c.defaultSQL.debugDescription) \(c.numeric.map { "\($0)" } ?? "-")\n" }
            for g in t.rowGroups { out += "  \(g.rowCount) \(g.segments.map { "\($0)" }) \(g.deletes.map { "\($0)" } ?? "-")\n" }
        }
        return out
    }

    @Test func roundTripsEveryField() throws {
        for seed in 0..<300 as Range<UInt64> {
            let m = sample(seed: seed)
            let bytes = m.encoded()
            let back = try Manifest.decode(bytes)
            #expect(fields(back) == fields(m), "seed \(seed)")
            #expect(back.encoded() == bytes, "seed \(seed)")
            #expect(back.formatVersion == 5)
        }
    }

    /// CURRENT names a manifest by its checksum: two manifests must not share it (a CRC32 over
    /// bytes that end with their own CRC32 is one constant, so the trailer is left out).
    @Test func manifestsHaveDistinctIdentities() {
        let identities = Set((0..<50 as Range<UInt64>).map { ManifestCodec.identity(sample(seed: $0).encoded()) })
        #expect(identities.count == 50)
    }

    @Test func damagedBytesAreAnError() {
        let bytes = sample(seed: 7).encoded()
        // Every truncation, and a flipped byte at every position: an error or a manifest,
        // never a trap or a runaway allocation.
        for n in 0..<bytes.count {
            #expect(throws: StorageError.self, "first \(n) bytes") { try Manifest.decode(Array(bytes.prefix(n))) }
        }
        // Format 4 carries its own checksum: every flipped byte is an error.
        for i in 0..<bytes.count {
            var damaged = bytes
            damaged[i] ^= 0xFF
            #expect(throws: StorageError.self, "byte \(i) flipped") { try Manifest.decode(damaged) }
        }
        #expect(throws: StorageError.self) { try Manifest.decode(Array("MCAT".utf8) + [9, 0]) }
        #expect(throws: StorageError.self) { try Manifest.decode(Array("{\"formatVersion\":1".utf8)) }
    }

    /// A format-1 manifest's properties that carried meaning become typed fields.
    @Test func formatOneStillReads() throws {
        let json = """
        {"committedAt":"2026-11-29 12:00:00","formatVersion":1,"tables":[{"columns":[{"name":"id","type":2},{"name":"t","type":5}],\
        "name":"v","properties":{"description":"A view.","description.id":"The id.","grants_select":"reporter, Transform",\
        "materialization":"view","view_sql":"select 1 as id, 'a' as t"},"rowGroups":[],"schema":"staging"},\
        {"columns":[{"name":"x","type":3}],"name":"t","properties":{"loaded_from":"t.csv"},"rowGroups":[{"rowCount":2,\
        "segments":[{"compression":0,"encoding":0,"file":"data/a.col","length":40,"offset":0,"rawLength":16,\
        "stats":{"max":{"double":{"_0":2.5}},"min":{"int":{"_0":-1}},"nullCount":0,"rowCount":2}}]}],"schema":"raw"}],"version":3}
        """
        let m = try Manifest.decode(Array(json.utf8))
        #expect(m.formatVersion == 1 && m.version == 3)
        let v = try #require(m.table(schema: "staging", name: "v"))
        #expect(v.viewSQL == "select 1 as id, 'a' as t")
        #expect(v.description == "A view.")
        #expect(v.columns[0].description == "The id." && v.columns[1].description == nil)
        #expect(v.grants == ["reporter", "transform"])
        #expect(v.properties == ["materialization": "view"])
        let t = try #require(m.table(schema: "raw", name: "t"))
        #expect(t.kind == .table && t.properties == ["loaded_from": "t.csv"])
        #expect(t.rowGroups[0].segments[0].stats.min == .int(-1) && t.rowGroups[0].segments[0].stats.max == .double(2.5))
    }
}
