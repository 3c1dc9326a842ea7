// Kill -9 a script of row-level changes at random moments; the warehouse must always open at
// one of the versions its statements commit, with every block and deletion vector valid.

import Columnar
import Engine
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct DataChangeCrashTests {
    /// The state of table r a kill may leave: its rows' fingerprint (reading every column,
    /// deletion vectors included).
    static func fingerprint(_ db: String) throws -> String {
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        let (_, rows) = try engine.query("SELECT count(*), sum(rating), sum(userId * 100000 + movieId), max(timestamp) FROM main.r")
        return rows.columns.map { $0.value(at: 0).description }.joined(separator: "|")
    }

    /// Kill -9 a script of UPDATE, DELETE and MERGE (three commits) at random moments: the
    /// warehouse always opens at one of the versions the statements commit in order, every
    /// block and deletion vector reads with a valid checksum.
    @Test func killedDataChangesLeaveAWholeVersion() throws {
        try killRounds(transaction: false)
    }

    /// The same statements between BEGIN and COMMIT: one commit, so a kill leaves either none
    /// of them or all of them.
    @Test func aKilledTransactionLeavesAllOrNothing() throws {
        try killRounds(transaction: true)
    }

    private func killRounds(transaction: Bool) throws {
        let dir = TestEnvironment.temporaryDirectory("crash-dml")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["generate", "--out", dir + "/csv", "--ratings", "30000", "--seed", "3"])
        try #require(try TestEnvironment.moviecol(["ingest", dir + "/csv", "--db", dir + "/db"]).status == 0)
        _ = try QueryEngine(warehouse: try Warehouse.open(dir + "/db"), threads: 1).query("CREATE TABLE r AS SELECT * FROM raw.raw_ratings")

        var rng = RandomColumns.Rng(14)
        var landed = [0, 0, 0, 0]
        let rounds = Int(ProcessInfo.processInfo.environment["MOVIECOL_CRASH_ROUNDS"] ?? "") ?? 30
        for round in 0..<rounds {
            let statements = [
                "UPDATE r SET rating = rating + 0.5 WHERE userId % 7 = \(round % 7)",
                "DELETE FROM r WHERE movieId % 29 = \(round % 29)",
                "MERGE INTO r USING (SELECT * FROM raw.raw_ratings WHERE userId % 11 = \(round % 11)) s "
                    + "ON r.userId = s.userId AND r.movieId = s.movieId WHEN MATCHED AND s.rating < 2 THEN DELETE "
                    + "WHEN MATCHED THEN UPDATE SET rating = s.rating WHEN NOT MATCHED THEN INSERT VALUES (s.userId, s.movieId, s.rating, s.timestamp)",
            ]
            // The versions the script commits, one after another, computed on a copy.
            let shadow = dir + "/shadow"
            TestEnvironment.remove(shadow)
            try FileManager.default.copyItem(atPath: dir + "/db", toPath: shadow)
            var states = [try Self.fingerprint(shadow)]
            let engine = QueryEngine(warehouse: try Warehouse.open(shadow), threads: 1)
            for sql in statements {
                _ = try engine.query(sql)
                if !transaction { states.append(try Self.fingerprint(shadow)) }
            }
            if transaction { states.append(try Self.fingerprint(shadow)) }
            let script = transaction ? (["BEGIN"] + statements + ["COMMIT"]) : statements

            try TestEnvironment.killMoviecol(["query", "--db", dir + "/db", "-c", script.joined(separator: ";\n")],
                                             after: UInt32(rng.below(200_000)))

            let w = try Warehouse.open(dir + "/db")
            let reader = w.segmentReader()
            for t in w.tables {
                for i in t.columns.indices { _ = try reader.readColumn(t, column: i) }  // verifies every checksum
                for g in t.rowGroups { _ = try reader.deletedRows(g) }
            }
            let now = try Self.fingerprint(dir + "/db")
            let at = try #require(states.firstIndex(of: now), "round \(round): a state no commit made: \(now), expected one of \(states)")
            landed[at] += 1
        }
        print("crash test (DML\(transaction ? ", one transaction" : "")): kills leaving each committed state: \(landed)")
    }
}
