// Time travel by commit time and offset, UNDROP while the dropped table is retained, and
// vacuum freeing its files once retention lets it go.

import Columnar
@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct TimeTravelTests {
    static func count(_ engine: QueryEngine, _ sql: String) throws -> Int64 {
        let (_, chunk) = try engine.query(sql)
        guard case .int(let n) = chunk.columns[0].value(at: 0) else { throw SQLError(.internal, "not a count") }
        return n
    }

    @Test func timestampsAndOffsetsNameTheVersionCurrentThen() throws {
        let db = TestEnvironment.temporaryDirectory("travel-time")
        defer { TestEnvironment.remove(db) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try engine.query("CREATE TABLE t AS SELECT * FROM range(10) r(i)")
        Thread.sleep(forTimeInterval: 0.01)
        _ = try engine.query("INSERT INTO t SELECT * FROM range(5)")
        let history = Warehouse.history(db)
        let first = try #require(history.last { $0.version == 1 }).committedAt
        let second = try #require(history.first { $0.version == 2 }).committedAt
        #expect(try Self.count(engine, "SELECT count(*) FROM t AT(TIMESTAMP => '\(first)')") == 10)
        #expect(try Self.count(engine, "SELECT count(*) FROM t AT(TIMESTAMP => '\(second)'::TIMESTAMP)") == 15)
        #expect(try Self.count(engine, "SELECT count(*) FROM t BEFORE(TIMESTAMP => '\(second)')") == 10)
        #expect(try Self.count(engine, "SELECT count(*) FROM t AT(OFFSET => 0)") == 15)
        #expect(throws: SQLError.self) { try engine.query("SELECT count(*) FROM t AT(OFFSET => -86400)") }
    }

    @Test func undropUntilVacuumFreesTheFiles() throws {
        let db = TestEnvironment.temporaryDirectory("travel-vacuum")
        defer { TestEnvironment.remove(db) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try engine.query("CREATE TABLE keep AS SELECT * FROM range(10) r(i)")
        _ = try engine.query("CREATE TABLE big AS SELECT i, i * 2 AS j FROM range(200000) r(i)")
        let bigFiles = try #require(engine.warehouse.table("main", "big")).rowGroups.flatMap { $0.segments.map(\.file) }
        _ = try engine.query("DROP TABLE big")
        // Retained (a day by default): nothing to remove, and UNDROP brings it back whole.
        let kept = try Retention.vacuum(root: db, policy: .default, dryRun: false)
        #expect(kept.removedFiles.isEmpty)
        _ = try engine.query("UNDROP TABLE big")
        #expect(try Self.count(engine, "SELECT count(*) FROM big WHERE j = 2 * i") == 200_000)
        _ = try engine.query("DROP TABLE big")
        // Retention of nothing: the dropped table's files go, the live table's stay.
        let freed = try Retention.vacuum(root: db, policy: Retention.Policy(keepVersions: 1, retentionSeconds: 0), dryRun: false)
        #expect(Set(bigFiles).isSubset(of: Set(freed.removedFiles)) && freed.freedBytes > 0)
        #expect(freed.retainedVersions == [try Warehouse.open(db).manifest.version])
        #expect(throws: SQLError.self) { try engine.query("UNDROP TABLE big") }
        #expect(try Self.count(engine, "SELECT count(*) FROM keep") == 10)
        #expect(Warehouse.verify(db).ok)
    }
}
