// Kill -9 an ingest at random moments; the warehouse must always open at a whole version
// (the previous one, or the new one if the commit finished), with every block's checksum
// valid and the row counts of exactly one of the two versions.

import Columnar
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct CrashRecoveryTests {
    @Test func killedIngestLeavesAWholeVersion() throws {
        let dir = TestEnvironment.temporaryDirectory("crash")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/small", "--ratings", "5000", "--seed", "1"])
        try TestEnvironment.moviecol(["generate", "--out", dir + "/big", "--ratings", "60000", "--seed", "2"])
        let first = try TestEnvironment.moviecol(["ingest", dir + "/small", "--db", dir + "/db"])
        try #require(first.status == 0, "\(first.stderr)")
        let smallCounts = try IngestEndToEndTests.rowCounts(dir + "/db")

        var rng = RandomColumns.Rng(2026)
        var outcomes = (old: 0, new: 0)
        var newCounts: [String: Int]? = nil
        let rounds = Int(ProcessInfo.processInfo.environment["MOVIECOL_CRASH_ROUNDS"] ?? "") ?? 24
        for round in 0..<rounds {
            try TestEnvironment.killMoviecol(["ingest", dir + (round % 2 == 0 ? "/big" : "/small"), "--db", dir + "/db", "--progress", "off"],
                                             after: UInt32(rng.below(900_000)), environment: ["MOVIECOL_CHUNK_BYTES": "32768"])

            let w = try Warehouse.open(dir + "/db")
            let counts = Dictionary(uniqueKeysWithValues: w.tables.map { ($0.name, $0.rowCount) })
            let reader = w.segmentReader()
            for t in w.tables {
                var rows = 0
                for (i, _) in t.columns.enumerated() {
                    let segments = try reader.readColumn(t, column: i)  // verifies every checksum
                    rows = segments.reduce(0) { $0 + $1.count }
                }
                #expect(rows == t.rowCount, "\(t.qualifiedName) after round \(round)")
            }
            if counts == smallCounts {
                outcomes.old += 1
            } else {
                if newCounts == nil { newCounts = counts }
                #expect(counts == newCounts, "round \(round): a mix of versions \(counts)")
                outcomes.new += 1
            }
        }
        // The lock died with the process: a normal ingest works afterwards.
        let after = try TestEnvironment.moviecol(["ingest", dir + "/small", "--db", dir + "/db"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try IngestEndToEndTests.rowCounts(dir + "/db") == smallCounts)
        // Leftovers of killed writers were cleaned by the next writer; what is left besides the
        // current version's files belongs to the version it superseded (kept for its readers).
        let current = try Warehouse.open(dir + "/db").manifest
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: dir + "/db/data").map { "data/" + $0 })
        #expect(current.referencedFiles.isSubset(of: present))
        for file in present.subtracting(current.referencedFiles) {
            #expect(!file.hasPrefix("data/v\(current.version)-"), "orphan \(file)")
        }
        print("crash test: \(outcomes.old) kills before the commit, \(outcomes.new) after")
    }
}
