// Versions, checksums and the writer lock: committed data reads back, a flipped byte is a
// checksum error naming the file, a second writer is refused with the holder's name, and a
// rolled-back transaction leaves no trace.

import Columnar
import Foundation
import Testing
import TestSupport

@Suite struct StorageTests {
    static func writeTable(_ db: String, rows: Int, version label: String = "t") throws {
        let tx = try WarehouseTransaction(root: db, holder: "test")
        let file = try tx.newDataFile(label: label)
        var groups: [RowGroupMetadata] = []
        for g in 0..<3 {
            let ids = ColumnData(type: .int64, storage: .int64((0..<rows).map { Int64(g * rows + $0) }))
            let names = ColumnData(type: .varchar, storage: .varchar(StringArray((0..<rows).map { "name \($0 % 17)" })))
            groups.append(RowGroupMetadata(rowCount: rows, segments: [try file.append(SegmentCodec.encode(ids)),
                                                                      try file.append(SegmentCodec.encode(names))]))
        }
        tx.putTable(TableMetadata(schema: "raw", name: label, columns: [.init("id", .int64), .init("name", .varchar)], rowGroups: groups))
        try tx.commit()
    }

    @Test func committedTablesReadBack() throws {
        let db = TestEnvironment.temporaryDirectory("commit")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 1000)
        let w = try Warehouse.open(db)
        #expect(w.manifest.version == 1)
        let t = try #require(w.table("raw", "t"))
        #expect(t.rowCount == 3000)
        let ids = try w.segmentReader().readColumn(t, column: 0)
        #expect(ids[2].render(999) == "2999")
        #expect(t.rowGroups[1].segments[0].stats.min == .int(1000))
        #expect(t.rowGroups[1].segments[0].stats.max == .int(1999))
    }

    @Test func flippedByteIsAChecksumErrorNamingTheFile() throws {
        let db = TestEnvironment.temporaryDirectory("flip")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 5000)
        let w = try Warehouse.open(db)
        let t = try #require(w.table("raw", "t"))
        let segment = t.rowGroups[1].segments[1]
        let path = db + "/" + segment.file
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        // Every byte of the block, header and checksum included, is covered.
        for offset in stride(from: segment.offset, to: segment.offset + segment.length, by: max(1, segment.length / 23)) {
            bytes[offset] ^= 0x10
            TestEnvironment.writeBytes(bytes, to: path)
            do throws(StorageError) {
                _ = try Warehouse.open(db).segmentReader().read(segment, type: .varchar)
                Issue.record("a flipped byte at \(offset) went unnoticed")
            } catch {
                #expect(error.code == .checksumMismatch || error.code == .corrupt)
                #expect(error.description.contains(segment.file))
            }
            bytes[offset] ^= 0x10
        }
        TestEnvironment.writeBytes(bytes, to: path)
        #expect(throws: Never.self) { _ = try Warehouse.open(db).segmentReader().read(segment, type: .varchar) }
    }

    @Test func corruptedManifestIsDetected() throws {
        let db = TestEnvironment.temporaryDirectory("manifest")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 10)
        let name = String(try String(contentsOfFile: db + "/CURRENT", encoding: .utf8).split(separator: " ")[0])
        var bytes = [UInt8](FileManager.default.contents(atPath: db + "/" + name)!)
        bytes[bytes.count / 2] ^= 1
        TestEnvironment.writeBytes(bytes, to: db + "/" + name)
        #expect(throws: StorageError.self) { _ = try Warehouse.open(db) }
    }

    @Test func secondWriterIsRefusedWithTheHolder() throws {
        let db = TestEnvironment.temporaryDirectory("lock")
        defer { TestEnvironment.remove(db) }
        let first = try WarehouseTransaction(root: db, holder: "moviecol ingest big.zip")
        do {
            _ = try WarehouseTransaction(root: db, holder: "second")
            Issue.record("a second writer got the lock")
        } catch {
            #expect(error.code == .locked)
            #expect(error.description.contains("moviecol ingest big.zip"))
            #expect(error.description.contains("pid \(ProcessInfo.processInfo.processIdentifier)"))
        }
        first.rollback()
        #expect(throws: Never.self) { try WarehouseTransaction(root: db, holder: "third").rollback() }
    }

    @Test func rollbackLeavesNoFilesAndKeepsTheVersion() throws {
        let db = TestEnvironment.temporaryDirectory("rollback")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 10)
        let before = try FileManager.default.contentsOfDirectory(atPath: db + "/data").sorted()
        let tx = try WarehouseTransaction(root: db, holder: "test")
        let f = try tx.newDataFile(label: "x")
        _ = try f.append(SegmentCodec.encode(ColumnData(type: .int32, storage: .int32([1, 2, 3]))))
        tx.rollback()
        #expect(try FileManager.default.contentsOfDirectory(atPath: db + "/data").sorted() == before)
        #expect(try Warehouse.open(db).manifest.version == 1)
    }

    @Test func newVersionReplacesAndCleansUp() throws {
        let db = TestEnvironment.temporaryDirectory("versions")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 10)
        try Self.writeTable(db, rows: 20)
        try Self.writeTable(db, rows: 30)  // its writer removes what version 2 no longer needs
        let w = try Warehouse.open(db)
        #expect(w.manifest.version == 3)
        #expect(w.table("raw", "t")?.rowCount == 90)
        let files = try FileManager.default.contentsOfDirectory(atPath: db + "/data")
        #expect(files.count <= 2)
    }
}
