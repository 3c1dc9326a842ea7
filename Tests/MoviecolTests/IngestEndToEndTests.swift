// The `moviecol` binary end to end: generate, ingest from a folder, a zip and .csv.gz files,
// row counts equal to the data lines of each CSV, tables/describe, and a lock held against
// a second writer.

import Columnar
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct IngestEndToEndTests {
    static let files = ["movies.csv", "ratings.csv", "tags.csv", "genome-scores.csv", "genome-tags.csv", "links.csv"]
    static let tables = ["movies.csv": "raw_movies", "ratings.csv": "raw_ratings", "tags.csv": "raw_tags",
                         "genome-scores.csv": "raw_genome_scores", "genome-tags.csv": "raw_genome_tags", "links.csv": "raw_links"]

    /// Data lines of a CSV: physical lines minus the header, minus the newlines inside quotes.
    static func dataLines(_ path: String) throws -> Int {
        let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        var lines = 0, quoted = false
        for b in bytes {
            if b == UInt8(ascii: "\"") { quoted.toggle() } else if b == 10 && !quoted { lines += 1 }
        }
        return lines - 1
    }

    static func rowCounts(_ db: String) throws -> [String: Int] {
        let w = try Warehouse.open(db)
        return Dictionary(uniqueKeysWithValues: w.tables.map { ($0.name, $0.rowCount) })
    }

    @Test(arguments: [3_000, 40_000])
    func rowCountsEqualDataLines(ratings: Int) throws {
        let dir = TestEnvironment.temporaryDirectory("e2e")
        defer { TestEnvironment.remove(dir) }
        let gen = try TestEnvironment.moviecol(["generate", "--out", dir + "/csv", "--ratings", String(ratings), "--seed", "9"])
        #expect(gen.status == 0, "\(gen.stderr)")
        // Small chunks so even this data crosses many chunk boundaries.
        let ing = try TestEnvironment.moviecol(["ingest", dir + "/csv", "--db", dir + "/db"], environment: ["MOVIECOL_CHUNK_BYTES": "65536"])
        #expect(ing.status == 0, "\(ing.stderr)")
        #expect(ing.stdout.contains("committed version 1"))
        let counts = try Self.rowCounts(dir + "/db")
        for f in Self.files {
            #expect(counts[Self.tables[f]!] == (try Self.dataLines(dir + "/csv/" + f)), "\(f)")
        }
        #expect(counts["raw_ratings"] == ratings)
    }

    @Test func zipAndGzipLoadTheSameRows() throws {
        let dir = TestEnvironment.temporaryDirectory("zip")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/ml-test", "--ratings", "20000"])
        // As GroupLens ships it: one zip, the files under a top folder.
        let zip = try TestEnvironment.run("/usr/bin/env", ["zip", "-q", "-r", "ml-test.zip", "ml-test"], directory: dir)
        try #require(zip.status == 0, "zip failed: \(zip.stderr)")
        try FileManager.default.createDirectory(atPath: dir + "/gz", withIntermediateDirectories: true)
        for f in Self.files {
            try FileManager.default.copyItem(atPath: dir + "/ml-test/" + f, toPath: dir + "/gz/" + f)
            let gz = try TestEnvironment.run("/usr/bin/env", ["gzip", dir + "/gz/" + f])
            try #require(gz.status == 0)
        }
        let expected = try Self.rowCounts({
            _ = try TestEnvironment.moviecol(["ingest", dir + "/ml-test", "--db", dir + "/db-folder"])
            return dir + "/db-folder"
        }())
        let fromZip = try TestEnvironment.moviecol(["ingest", dir + "/ml-test.zip", "--db", dir + "/db-zip"])
        #expect(fromZip.status == 0, "\(fromZip.stderr)")
        #expect(try Self.rowCounts(dir + "/db-zip") == expected)
        let gzFiles = Self.files.map { dir + "/gz/" + $0 + ".gz" }
        let fromGz = try TestEnvironment.moviecol(["ingest"] + gzFiles + ["--db", dir + "/db-gz"])
        #expect(fromGz.status == 0, "\(fromGz.stderr)")
        #expect(try Self.rowCounts(dir + "/db-gz") == expected)
        #expect(expected["raw_ratings"] == 20_000)

        // A truncated .gz is an error, and the warehouse keeps its version.
        let data = FileManager.default.contents(atPath: gzFiles[1])!
        TestEnvironment.writeBytes([UInt8](data.prefix(data.count / 2)), to: gzFiles[1])
        let broken = try TestEnvironment.moviecol(["ingest", gzFiles[1], "--db", dir + "/db-gz"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("ratings.csv.gz"))
        #expect(try Warehouse.open(dir + "/db-gz").manifest.version == 1)
    }

    @Test func appendAddsRowsAsANewVersion() throws {
        let dir = TestEnvironment.temporaryDirectory("append")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/csv", "--ratings", "5000"])
        try TestEnvironment.moviecol(["ingest", dir + "/csv", "--db", dir + "/db"])
        TestEnvironment.write("userId,movieId,rating,timestamp\n1,1,4.5,1600000000\n2,1,3.0,1600000001\n", to: dir + "/ratings.csv")
        let r = try TestEnvironment.moviecol(["ingest", "--append", dir + "/ratings.csv", "--db", dir + "/db"])
        #expect(r.status == 0, "\(r.stderr)")
        let counts = try Self.rowCounts(dir + "/db")
        #expect(counts["raw_ratings"] == 5002)
        #expect(counts["raw_movies"] == (try Self.dataLines(dir + "/csv/movies.csv")))
        #expect(try Warehouse.open(dir + "/db").manifest.version == 2)
    }

    @Test func tablesAndDescribeShowStorage() throws {
        let dir = TestEnvironment.temporaryDirectory("describe")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/csv", "--ratings", "5000"])
        try TestEnvironment.moviecol(["ingest", dir + "/csv", "--db", dir + "/db"])
        let tables = try TestEnvironment.moviecol(["tables", "--db", dir + "/db"])
        #expect(tables.status == 0)
        #expect(tables.stdout.contains("raw_ratings") && tables.stdout.contains("5000"))
        let describe = try TestEnvironment.moviecol(["describe", "--db", dir + "/db", "raw.raw_ratings"])
        #expect(describe.status == 0)
        for column in ["userId", "movieId", "rating", "timestamp"] { #expect(describe.stdout.contains(column)) }
        #expect(describe.stdout.contains("rle") || describe.stdout.contains("delta"))
        let typo = try TestEnvironment.moviecol(["describe", "--db", dir + "/db", "raw_rating"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("did you mean 'raw_ratings'"))
    }

    @Test func generateIsDeterministic() throws {
        let dir = TestEnvironment.temporaryDirectory("determinism")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/a", "--ratings", "8000", "--seed", "5", "--threads", "1"])
        try TestEnvironment.moviecol(["generate", "--out", dir + "/b", "--ratings", "8000", "--seed", "5", "--threads", "2"])
        try TestEnvironment.moviecol(["generate", "--out", dir + "/c", "--ratings", "8000", "--seed", "6"])
        for f in Self.files {
            #expect(FileManager.default.contents(atPath: dir + "/a/" + f) == FileManager.default.contents(atPath: dir + "/b/" + f), "\(f)")
        }
        #expect(FileManager.default.contents(atPath: dir + "/a/ratings.csv") != FileManager.default.contents(atPath: dir + "/c/ratings.csv"))
    }
}
