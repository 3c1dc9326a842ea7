// Bad input gets a clear error that names file, line and column, and loses nothing: after
// every failed ingest the warehouse is still at its previous version, byte for byte.

import Columnar
import MovieLens
import Foundation
import Testing
import TestSupport

@Suite struct IngestErrorTests {
    static let goodRatings = "userId,movieId,rating,timestamp\n1,10,4.0,1000\n1,20,3.5,1001\n2,10,5.0,1002\n"
    static let goodMovies = "movieId,title,genres\n10,\"Heat (1995)\",Action\n20,\"American President, The (1995)\",Comedy|Drama\n"

    struct BadCase: Sendable, CustomStringConvertible {
        var name: String
        var file: String
        var bytes: [UInt8]
        var code: CSVError.Code
        var line: Int
        var column: Int
        var description: String { name }
    }

    static let cases: [BadCase] = [
        BadCase(name: "unterminated quote", file: "movies.csv",
                bytes: Array("movieId,title,genres\n10,Heat (1995),Action\n11,\"Toy Story,Comedy\n".utf8), code: .unterminatedQuote, line: 3, column: 4),
        BadCase(name: "too few fields", file: "ratings.csv",
                bytes: Array("userId,movieId,rating,timestamp\n1,10,4.0,1000\n1,20,3.5\n".utf8), code: .tooFewFields, line: 3, column: 9),
        BadCase(name: "too many fields", file: "ratings.csv",
                bytes: Array("userId,movieId,rating,timestamp\n1,10,4.0,1000,7\n".utf8), code: .tooManyFields, line: 2, column: 14),
        BadCase(name: "non-numeric", file: "ratings.csv",
                bytes: Array("userId,movieId,rating,timestamp\n1,10,4.0,1000\n1,2x,3.5,1001\n".utf8), code: .invalidNumber, line: 3, column: 3),
        BadCase(name: "integer overflow", file: "ratings.csv",
                bytes: Array("userId,movieId,rating,timestamp\n3000000000,10,4.0,1000\n".utf8), code: .numberOutOfRange, line: 2, column: 1),
        BadCase(name: "invalid UTF-8", file: "movies.csv",
                bytes: Array("movieId,title,genres\n10,Ok,Drama\n11,Bad ".utf8) + [0xC3, 0x28] + Array(" title,Drama\n".utf8),
                code: .invalidUTF8, line: 3, column: 8),
        BadCase(name: "NUL byte", file: "ratings.csv",
                bytes: Array("userId,movieId,rating,timestamp\n1,10,4.0,1000\n1,20,3.5,10".utf8) + [0] + Array("01\n".utf8),
                code: .nulByte, line: 3, column: 12),
        BadCase(name: "wrong header", file: "ratings.csv",
                bytes: Array("user,movie,rating,timestamp\n1,10,4.0,1000\n".utf8), code: .wrongHeader, line: 1, column: 1),
        BadCase(name: "stray quote", file: "movies.csv",
                bytes: Array("movieId,title,genres\n10,He said \"hi\",Drama\n".utf8), code: .badQuote, line: 2, column: 12),
    ]

    @Test(arguments: cases)
    func badInputAbortsAndLeavesTheWarehouseUnchanged(bad: BadCase) throws {
        let root = TestEnvironment.temporaryDirectory("bad")
        defer { TestEnvironment.remove(root) }
        let db = root + "/db"
        try ingest(files: ["ratings.csv": Array(Self.goodRatings.utf8), "movies.csv": Array(Self.goodMovies.utf8)], root: root, db: db)
        let before = try snapshot(db)

        let source = root + "/bad"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        TestEnvironment.writeBytes(bad.bytes, to: source + "/" + bad.file)
        do {
            _ = try IngestJob.run(source: IngestSource.resolve([source]), warehouse: db, options: IngestOptions())
            Issue.record("\(bad.name) was accepted")
        } catch {
            guard case .csv(let e)? = error as? IngestError else { Issue.record("expected a CSV error, got \(error)"); return }
            #expect(e.code == bad.code, "\(e)")
            #expect(e.line == bad.line, "\(e)")
            #expect(e.column == bad.column, "\(e)")
            #expect(e.file.hasSuffix(bad.file))
            #expect(e.description.contains("\(bad.file):\(bad.line):"))
        }
        #expect(try snapshot(db) == before, "the warehouse changed after a failed ingest")
    }

    @Test(arguments: cases.filter { $0.code != .wrongHeader && $0.code != .unterminatedQuote })
    func continueModeLoadsGoodRowsAndRecordsRejects(bad: BadCase) throws {
        let root = TestEnvironment.temporaryDirectory("continue")
        defer { TestEnvironment.remove(root) }
        let source = root + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        TestEnvironment.writeBytes(bad.bytes, to: source + "/" + bad.file)
        let result = try IngestJob.run(source: IngestSource.resolve([source]), warehouse: root + "/db",
                                       options: IngestOptions(load: LoadOptions(onError: .continue)))
        #expect(result.rejected == 1)
        let text = String(decoding: bad.bytes, as: UTF8.self)
        let dataLines = text.split(separator: "\n", omittingEmptySubsequences: true).count - 1
        let table = result.tables.first { $0.table.hasSuffix(bad.file == "movies.csv" ? "raw_movies" : "raw_ratings") }!
        #expect(table.rows == dataLines - 1)
        let w = try Warehouse.open(root + "/db")
        let rejects = w.table("raw", "load_rejects")!
        #expect(rejects.rowCount == 1)
        let reader = w.segmentReader()
        let line = try reader.readColumn(rejects, column: 2)[0]
        #expect(line.render(0) == String(bad.line))
        let reason = try reader.readColumn(rejects, column: 5)[0]
        #expect(!reason.render(0).isEmpty)
    }

    @Test func emptyAndHeaderOnlyFilesAreEmptyTables() throws {
        let root = TestEnvironment.temporaryDirectory("empty")
        defer { TestEnvironment.remove(root) }
        let notices = Notices()
        let result = try ingestResult(files: ["ratings.csv": [], "movies.csv": Array("movieId,title,genres\n".utf8),
                                              "tags.csv": Array("\u{FEFF}userId,movieId,tag,timestamp\r\n".utf8)],
                                      root: root, db: root + "/db") { event in
            if case .notice(let n) = event { notices.add(n) }
        }
        for t in result.tables { #expect(t.rows == 0, "\(t.table)") }
        #expect(notices.all.contains { $0.contains("ratings.csv is empty") })
        #expect(notices.all.contains { $0.contains("links.csv is not in") })
        let w = try Warehouse.open(root + "/db")
        #expect(w.tables.filter { $0.schema == "raw" }.count == 7)
    }

    @Test func quotedEmptyIsEmptyStringAndUnquotedEmptyIsNull() throws {
        let root = TestEnvironment.temporaryDirectory("nulls")
        defer { TestEnvironment.remove(root) }
        try ingest(files: ["links.csv": Array("movieId,imdbId,tmdbId\n1,0114709,\n2,0113497,8844\n".utf8),
                           "movies.csv": Array("movieId,title,genres\n1,\"\",\n".utf8)], root: root, db: root + "/db")
        let w = try Warehouse.open(root + "/db")
        let reader = w.segmentReader()
        let tmdb = try reader.readColumn(w.table("raw", "raw_links")!, column: 2)[0]
        #expect(tmdb.isNull(0) && !tmdb.isNull(1) && tmdb.render(1) == "8844")
        let imdb = try reader.readColumn(w.table("raw", "raw_links")!, column: 1)[0]
        #expect(imdb.render(0) == "114709")
        let movies = w.table("raw", "raw_movies")!
        let title = try reader.readColumn(movies, column: 1)[0]
        let genres = try reader.readColumn(movies, column: 2)[0]
        #expect(!title.isNull(0) && title.render(0) == "")
        #expect(genres.isNull(0))
    }

    @Test func errorsInLaterChunksCarryFileLineNumbers() throws {
        // Small chunks: the bad row sits many chunks in, after quoted newlines.
        var text = "movieId,title,genres\n"
        for i in 1...500 { text += "\(i),\"Title \(i)\nsecond line\",Drama\n" }
        text += "501,Fine,Drama\n502,x,Drama,extra\n"
        let root = TestEnvironment.temporaryDirectory("lines")
        defer { TestEnvironment.remove(root) }
        let source = root + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        TestEnvironment.write(text, to: source + "/movies.csv")
        do {
            _ = try IngestJob.run(source: IngestSource.resolve([source]), warehouse: root + "/db",
                                  options: IngestOptions(load: LoadOptions(threads: 3, chunkSize: 256)))
            Issue.record("accepted a row with too many fields")
        } catch {
            guard case .csv(let e)? = error as? IngestError else { Issue.record("\(error)"); return }
            #expect(e.line == 1 + 1000 + 2)
            #expect(e.code == .tooManyFields)
        }
    }

    // MARK: Helpers

    private func ingest(files: [String: [UInt8]], root: String, db: String) throws {
        _ = try ingestResult(files: files, root: root, db: db)
    }

    private func ingestResult(files: [String: [UInt8]], root: String, db: String,
                              events: (@Sendable (IngestEvent) -> Void)? = nil) throws -> IngestJob.Result {
        let source = root + "/good-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for (name, bytes) in files { TestEnvironment.writeBytes(bytes, to: source + "/" + name) }
        return try IngestJob.run(source: IngestSource.resolve([source]), warehouse: db, options: IngestOptions(), events: events)
    }

    /// The warehouse's files and their bytes (the lock file aside).
    private func snapshot(_ db: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: db)!
        while let f = e.nextObject() as? String {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: db + "/" + f, isDirectory: &isDir)
            if !isDir.boolValue && f != "LOCK" { result[f] = FileManager.default.contents(atPath: db + "/" + f) }
        }
        return result
    }
}

final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
