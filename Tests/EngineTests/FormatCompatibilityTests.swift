// Warehouses written by older moviecols (manifest format 1, JSON, and format 2, binary
// without deletion vectors; checked in under Tests/Fixtures, built from generated data by
// the default project) open and answer as they did: tables, views, descriptions and grants.
// Their next commit writes the current format, and everything still reads.

import Columnar
@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct FormatCompatibilityTests {
    static let fixture = TestEnvironment.packageRoot + "/Tests/Fixtures/warehouse-format1"

    static func answers(_ engine: QueryEngine) throws -> [String] {
        let queries = [
            "SELECT count(*), sum(rating), min(rating_timestamp), max(rating_timestamp) FROM serving.fct_ratings",
            "SELECT count(*), count(DISTINCT genre) FROM serving.mart_genre_ratings",
            "SELECT count(*), max(title) FROM staging.src_movies",
            "SELECT table_name, table_type, comment FROM information_schema.tables WHERE table_schema = 'serving' ORDER BY 1 LIMIT 3",
            "SELECT column_name, comment FROM information_schema.columns WHERE table_name = 'dim_movies' ORDER BY ordinal_position",
            "SELECT count(*) FROM snapshots.snap_tags WHERE dbt_valid_to IS NULL",
        ]
        return try queries.map { sql in
            let (_, rows) = try engine.query(sql)
            return (0..<rows.count).map { r in rows.columns.map { $0.value(at: r).description }.joined(separator: "|") }.joined(separator: "\n")
        }
    }

    @Test func aFormatOneWarehouseOpensReadsAndMovesOn() throws {
        let dir = TestEnvironment.temporaryDirectory("format1")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.copyWarehouse(Self.fixture, to: dir + "/db")
        let warehouse = try Warehouse.open(dir + "/db")
        #expect(warehouse.manifest.formatVersion == 1)
        let engine = QueryEngine(warehouse: warehouse, threads: 1)
        let before = try Self.answers(engine)
        #expect(before[0] == "3000|10868.5|1995-06-19 19:44:10|2019-11-21 00:00:00", "\(before[0])")
        #expect(before[2].hasPrefix("100|"), "\(before[2])")
        #expect(before[3].contains("dim_genome_tags|BASE TABLE|The genome tag vocabulary with display names."), "\(before[3])")
        #expect(before[4].contains("movie_id|MovieLens movie id (primary key)."), "\(before[4])")
        let src = try #require(warehouse.table("staging", "src_movies"))
        #expect(src.isView && src.properties["view_sql"] == nil)

        // Grants: the reporter reads the serving tables granted to it, not the raw ones.
        let reporter = QueryEngine(warehouse: warehouse, threads: 1,
                                   policy: AccessPolicy(role: "reporter", readableSchemas: ["serving"], readsNeedGrant: true, writableSchemas: []))
        #expect(try reporter.query("SELECT count(*) FROM serving.dim_movies").rows.columns[0].value(at: 0) == .int(100))
        #expect { _ = try reporter.query("SELECT count(*) FROM raw.raw_ratings") } throws: { ($0 as? SQLError)?.code == .permission }

        // The next commit writes the current format; every answer stays.
        _ = try engine.query("CREATE TABLE serving.extra AS SELECT 1 AS one")
        let reopened = try Warehouse.open(dir + "/db")
        #expect(reopened.manifest.formatVersion == Manifest.formatVersion)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/db").contains { $0.hasSuffix(".bin") })
        #expect(try Self.answers(QueryEngine(warehouse: reopened, threads: 1)) == before)
    }

    @Test func aFormatTwoWarehouseOpensReadsAndTakesRowChanges() throws {
        let dir = TestEnvironment.temporaryDirectory("format2")
        defer { TestEnvironment.remove(dir) }
        try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot + "/Tests/Fixtures/warehouse-format2", toPath: dir + "/db")
        let warehouse = try Warehouse.open(dir + "/db")
        #expect(warehouse.manifest.formatVersion == 2)
        let engine = QueryEngine(warehouse: warehouse, threads: 1)
        let before = try Self.answers(engine)
        #expect(before[0].hasPrefix("3000|"), "\(before[0])")
        #expect(before[4].contains("movie_id|"), "\(before[4])")

        // A DELETE writes format 3 with a deletion vector; the rest reads as before.
        _ = try engine.query("DELETE FROM raw.raw_ratings WHERE rating < 3")
        let reopened = try Warehouse.open(dir + "/db")
        #expect(reopened.manifest.formatVersion == Manifest.formatVersion)
        #expect(reopened.table("raw", "raw_ratings")!.rowGroups.contains { $0.deletes != nil })
        let after = QueryEngine(warehouse: reopened, threads: 1)
        #expect(try Self.answers(after) == before)
        #expect(try after.query("SELECT count(*) FROM raw.raw_ratings WHERE rating < 3").rows.columns[0].value(at: 0) == .int(0))
    }
}
