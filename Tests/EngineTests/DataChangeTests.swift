// Row-level changes on deletion vectors: what the storage looks like after them (compaction
// keeps row groups few and mostly live), and that a reader of an older version keeps
// reading it while changes commit.

import Columnar
@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct DataChangeTests {
    func value(_ engine: QueryEngine, _ sql: String) throws -> Value {
        try engine.query(sql).rows.columns[0].value(at: 0)
    }

    @Test func manySmallChangesAreCompacted() throws {
        let dir = TestEnvironment.temporaryDirectory("dml-compact")
        defer { TestEnvironment.remove(dir) }
        let engine = QueryEngine(warehouse: try Warehouse.open(dir), threads: 1)
        _ = try engine.query("CREATE TABLE t (id INTEGER, v VARCHAR)")
        for i in 0..<30 { _ = try engine.query("INSERT INTO t VALUES (\(i), 'x')") }
        for i in 0..<30 where i % 3 == 0 { _ = try engine.query("UPDATE t SET v = 'y' WHERE id = \(i)") }
        let table = try #require(engine.warehouse.table("main", "t"))
        // Thirty inserts and ten updates of one row each: a handful of row groups, not forty.
        #expect(table.rowGroups.count < Compaction.smallGroups + 1, "\(table.rowGroups.count) row groups")
        #expect(try value(engine, "SELECT count(*) FROM t") == .int(30))
        #expect(try value(engine, "SELECT count(*) FROM t WHERE v = 'y'") == .int(10))
        #expect(try value(engine, "SELECT string_agg(CAST(id AS VARCHAR), ',' ORDER BY id) FROM t WHERE v = 'y'")
                == .string("0,3,6,9,12,15,18,21,24,27"))
    }

    @Test func mostlyDeletedRowGroupsAreRewritten() throws {
        let db = try Fixtures.warehouseCopy("dml-rewrite")
        defer { TestEnvironment.remove((db as NSString).deletingLastPathComponent) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try engine.query("CREATE TABLE d AS SELECT a.x * 1000 + b.x AS i FROM (SELECT movieId AS x FROM raw_movies) a, (SELECT movieId AS x FROM raw_movies) b")
        let rows = try value(engine, "SELECT count(*) FROM d")
        _ = try engine.query("DELETE FROM d WHERE i % 10 <> 0")
        let table = try #require(engine.warehouse.table("main", "d"))
        for g in table.rowGroups { #expect(Double(g.deletedCount) < Compaction.deletedFraction * Double(g.rowCount)) }
        #expect(try value(engine, "SELECT count(*) FROM d") == .int(Int64(table.rowCount)))
        _ = try engine.query("DELETE FROM d WHERE i % 20 = 0")
        #expect(try value(engine, "SELECT count(*) FROM d") == .int(Int64(engine.warehouse.table("main", "d")!.rowCount)))
        #expect(rows != .int(0))
    }

    /// A reader holding version v keeps its rows while DELETE, UPDATE and MERGE commit v+1 ...:
    /// deletion vectors are new files, and the files v reads stay (retention).
    @Test func aReaderOfAnOlderVersionKeepsSeeingIt() throws {
        let db = try Fixtures.warehouseCopy("dml-reader")
        defer { TestEnvironment.remove((db as NSString).deletingLastPathComponent) }
        let writer = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try writer.query("CREATE TABLE r AS SELECT * FROM raw_ratings")
        let old = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        let sql = "SELECT count(*) || '/' || sum(rating) || '/' || min(movieId) FROM r"
        let before = try value(old, sql)
        _ = try writer.query("DELETE FROM r WHERE rating >= 4")
        _ = try writer.query("UPDATE r SET rating = 0.5 WHERE userId = 1")
        _ = try writer.query("MERGE INTO r USING raw_movies m ON r.movieId = m.movieId WHEN MATCHED THEN DELETE")
        #expect(try value(old, sql) == before)
        let left = try value(writer, "SELECT count(*) FROM raw_ratings WHERE rating < 4 AND movieId NOT IN (SELECT movieId FROM raw_movies)")
        #expect(try value(writer, "SELECT count(*) FROM r") == left)
        #expect(try value(QueryEngine(warehouse: try Warehouse.open(db), threads: 1), "SELECT count(*) FROM r") == left)
    }

    /// A damaged deletion vector is reported with its file, never applied.
    @Test func aDamagedDeletionVectorIsAnError() throws {
        let db = try Fixtures.warehouseCopy("dml-damaged")
        defer { TestEnvironment.remove((db as NSString).deletingLastPathComponent) }
        let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try engine.query("CREATE TABLE r AS SELECT * FROM raw_ratings")
        _ = try engine.query("DELETE FROM r WHERE rating < 3")
        let dv = try #require(engine.warehouse.table("main", "r")?.rowGroups.compactMap(\.deletes).first)
        let path = db + "/" + dv.file
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[dv.offset + dv.length / 2] ^= 0x55
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect { _ = try engine.query("SELECT count(*) FROM r") } throws: { error in
            let e = error as? SQLError
            return e?.code == .storage && (e?.message.contains(dv.file) ?? false)
        }
    }
}

extension DataChangeTests {
    /// A temporary table is the session's own: another session on the same warehouse never
    /// sees it, and its files go with the session.
    @Test func temporaryTablesStayInTheirSession() throws {
        let db = try Fixtures.warehouseCopy("dml-temp")
        defer { TestEnvironment.remove((db as NSString).deletingLastPathComponent) }
        var first: QueryEngine? = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        let second = QueryEngine(warehouse: try Warehouse.open(db), threads: 1)
        _ = try first!.query("CREATE TEMP TABLE mine AS SELECT * FROM raw_ratings WHERE userId = 1")
        _ = try first!.query("DELETE FROM mine WHERE rating < 4")
        #expect(try value(first!, "SELECT count(*) FROM mine") == value(second, "SELECT count(*) FROM raw_ratings WHERE userId = 1 AND rating >= 4"))
        #expect { _ = try second.query("SELECT count(*) FROM mine") } throws: { ($0 as? SQLError)?.reason == .undefinedTable }
        #expect { _ = try second.query("SELECT count(*) FROM temp.mine") } throws: { ($0 as? SQLError)?.reason == .undefinedTable }
        let shown = try second.query("SHOW TABLES").rows
        #expect(!(0..<shown.count).contains { shown.columns[1].value(at: $0) == .string("mine") })
        // Nothing of it is in the warehouse's versions.
        #expect(try Warehouse.open(db).tables.allSatisfy { $0.schema != "temp" })
        let directory = db + "/" + first!.tempDirectory
        #expect(FileManager.default.fileExists(atPath: directory))
        first = nil
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
