// Versions, checksums and the writer lock: committed data reads back, a flipped byte is a
// checksum error naming the file, a second writer is refused with the holder's name, and a
// rolled-back transaction leaves no trace.

import Columnar
import Foundation
import Testing
import TestSupport

@Suite struct StorageTests {
    static func writeTable(_ db: String, rows: Int, version label: String = "t", retention: Retention.Policy? = nil) throws {
        let tx = try WarehouseTransaction(root: db, holder: "test", retention: retention)
        let writer = tx.rowGroupWriter(label: label)
        var groups: [RowGroupMetadata] = []
        for g in 0..<3 {
            let ids = ColumnData(type: .int64, storage: .int64((0..<rows).map { Int64(g * rows + $0) }))
            let names = ColumnData(type: .varchar, storage: .varchar(StringArray((0..<rows).map { "name \($0 % 17)" })))
            groups.append(try writer.write([ids, names]))
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
        _ = try tx.rowGroupWriter(label: "x").write([ColumnData(type: .int32, storage: .int32([1, 2, 3]))])
        tx.rollback()
        #expect(try FileManager.default.contentsOfDirectory(atPath: db + "/data").sorted() == before)
        #expect(try Warehouse.open(db).manifest.version == 1)
    }

    @Test func newVersionReplacesAndCleansUp() throws {
        let db = TestEnvironment.temporaryDirectory("versions")
        defer { TestEnvironment.remove(db) }
        let keepOne = Retention.Policy(keepVersions: 1, retentionSeconds: 0)
        try Self.writeTable(db, rows: 10, retention: keepOne)
        try Self.writeTable(db, rows: 20, retention: keepOne)
        try Self.writeTable(db, rows: 30, retention: keepOne)  // its writer removes what version 2 no longer needs
        let w = try Warehouse.open(db)
        #expect(w.manifest.version == 3)
        #expect(w.table("raw", "t")?.rowCount == 90)  // each version replaces the table
        let files = try FileManager.default.contentsOfDirectory(atPath: db + "/data")
        #expect(files.count <= 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: db).filter { $0.hasPrefix("manifest-") }.count == 1)
    }

    /// A reader that opened an older version keeps reading it while writers commit newer
    /// ones, whatever the retention: its pin keeps the version's files; once it is done, the
    /// next commit removes them.
    @Test func pinnedVersionsStayReadable() throws {
        let db = TestEnvironment.temporaryDirectory("retained")
        defer { TestEnvironment.remove(db) }
        let keepTwo = Retention.Policy(keepVersions: 2, retentionSeconds: 0)
        try Self.writeTable(db, rows: 10, retention: keepTwo)
        var old: Warehouse? = try Warehouse.open(db)
        for rows in [20, 30, 40, 50] { try Self.writeTable(db, rows: rows, retention: keepTwo) }
        let table = try #require(old?.table("raw", "t"))
        let ids = try #require(old).segmentReader().readColumn(table, column: 0)
        #expect(ids.reduce(0) { $0 + $1.count } == 30)
        var manifests = try FileManager.default.contentsOfDirectory(atPath: db).filter { $0.hasPrefix("manifest-") }.sorted()
        #expect(manifests == ["manifest-00000001.bin", "manifest-00000004.bin", "manifest-00000005.bin"])
        // The reader is done: its pin goes, and the next commit removes version 1.
        old = nil
        try Self.writeTable(db, rows: 60, retention: keepTwo)
        manifests = try FileManager.default.contentsOfDirectory(atPath: db).filter { $0.hasPrefix("manifest-") }.sorted()
        #expect(manifests == ["manifest-00000005.bin", "manifest-00000006.bin"])
        var stillReferenced = Set<String>()
        for m in manifests { stillReferenced.formUnion(try #require(ManifestStore.read(root: db, name: m)).referencedFiles) }
        let onDisk = Set(try FileManager.default.contentsOfDirectory(atPath: db + "/data").map { "data/" + $0 })
        #expect(onDisk == stillReferenced)
        #expect(try FileManager.default.contentsOfDirectory(atPath: db + "/pins").filter { $0.hasSuffix(".pin") }.isEmpty)
    }

    /// A reader that died (kill -9) leaves its pin file unlocked: the next collection removes
    /// it and the version it pinned.
    @Test func aDeadReadersPinExpires() throws {
        let db = TestEnvironment.temporaryDirectory("dead-pin")
        defer { TestEnvironment.remove(db) }
        let keepOne = Retention.Policy(keepVersions: 1, retentionSeconds: 0)
        try Self.writeTable(db, rows: 10, retention: keepOne)
        // What a dead reader leaves: a pin naming version 1 that no process locks.
        try Data("1\n".utf8).write(to: URL(fileURLWithPath: db + "/pins/99999-1.pin"))
        try Self.writeTable(db, rows: 20, retention: keepOne)
        #expect(!FileManager.default.fileExists(atPath: db + "/pins/99999-1.pin"))
        #expect(!FileManager.default.fileExists(atPath: db + "/manifest-00000001.bin"))
    }

    /// A manifest above the version CURRENT names was never committed (its writer died between
    /// writing it and switching CURRENT): time travel, the history and the check do not see
    /// it, and the next commit's collection removes it.
    @Test func anUncommittedManifestIsNoVersion() throws {
        let db = TestEnvironment.temporaryDirectory("uncommitted")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 10)
        let stray = Manifest(version: 2, committedAt: "2026-12-06 08:00:00", tables: [])
        try Data(stray.encoded()).write(to: URL(fileURLWithPath: db + "/manifest-00000002.bin"))
        #expect(throws: StorageError.self) { try Warehouse.open(db, version: 2) }
        #expect(Warehouse.history(db).map(\.version) == [1])
        #expect(Warehouse.verify(db).versions == [1])
        try Self.writeTable(db, rows: 20)  // commits version 2 over the stray manifest
        #expect(try Warehouse.open(db, version: 2).table("raw", "t")?.rowCount == 60)
    }

    /// Time travel opens any retained version, and names the oldest when asked for one gone.
    @Test func retainedVersionsOpenByNumberAndTime() throws {
        let db = TestEnvironment.temporaryDirectory("travel")
        defer { TestEnvironment.remove(db) }
        for rows in [10, 20, 30] { try Self.writeTable(db, rows: rows) }
        #expect(try Warehouse.open(db, version: 1).table("raw", "t")?.rowCount == 30)
        #expect(try Warehouse.open(db, version: 2).table("raw", "t")?.rowCount == 60)
        let second = try Warehouse.open(db, version: 2).manifest.commitMicros
        #expect(try Warehouse.version(db, at: second, before: false) == 2)
        #expect(try Warehouse.version(db, at: second, before: true) == 1)
        #expect(throws: StorageError.self) { try Warehouse.version(db, at: 0, before: false) }
        do {
            _ = try Warehouse.open(db, version: 7)
            Issue.record("version 7 opened")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.contains("oldest retained version is 1"))
        }
        let history = Warehouse.history(db)
        #expect(history.map(\.version) == [3, 2, 1])
        #expect(history[0].isCurrent && history[0].changed == ["raw.t"] && history[2].changed == nil)
        #expect(history[0].operation == "test")
    }

    /// A damaged CURRENT is reported as a damaged CURRENT, not as a missing manifest.
    @Test func flippedByteInCurrentIsCorruption() throws {
        let db = TestEnvironment.temporaryDirectory("current-flip")
        defer { TestEnvironment.remove(db) }
        try Self.writeTable(db, rows: 10)
        let original = try Array(Data(contentsOf: URL(fileURLWithPath: db + "/CURRENT")))
        for i in 0..<original.count {
            var damaged = original
            damaged[i] ^= 0x04
            try Data(damaged).write(to: URL(fileURLWithPath: db + "/CURRENT"))
            do {
                _ = try Warehouse.open(db)
                Issue.record("byte \(i) flipped in CURRENT was not detected")
            } catch {
                #expect(error.code == .checksumMismatch || error.code == .corrupt, "byte \(i): \(error)")
                #expect(error.description.contains("CURRENT"), "byte \(i): \(error)")
            }
        }
        // A CURRENT written before the line checksum (three fields) still opens.
        let fields = String(decoding: original, as: UTF8.self).split(separator: " ").prefix(3).joined(separator: " ") + "\n"
        try Data(fields.utf8).write(to: URL(fileURLWithPath: db + "/CURRENT"))
        #expect(try Warehouse.open(db).manifest.version == 1)
    }
}
