// `moviecol ingest`: find the MovieLens files in a source (folder, GroupLens zip, .csv.gz
// files), load each into its raw table and commit everything as one new version. Any
// error before the commit rolls back: the warehouse stays at its previous version.

import Foundation

/// Where MovieLens files come from.
public struct IngestSource: Sendable {
    /// One input file found in the source.
    public struct File: Sendable {
        public var schema: CSVSchema
        /// How to show it in messages (`ml-25m.zip!ml-25m/ratings.csv`).
        public var displayName: String
        let open: @Sendable () throws(StorageError) -> ByteStream
        /// Compressed or plain size in the source.
        public var size: Int
    }

    public var files: [File]
    /// Paths the user named.
    public var description: String

    /// Resolves folders, `.zip` archives and `.csv` / `.csv.gz` files.
    public static func resolve(_ paths: [String]) throws(StorageError) -> IngestSource {
        var files: [File] = []
        for path in paths {
            if FileIO.isDirectory(path) {
                for name in FileIO.listDirectory(path) {
                    let full = path + "/" + name
                    if let f = try plainOrGzip(full, name: name) { files.append(f) }
                }
            } else if path.lowercased().hasSuffix(".zip") {
                let archive = try ZipArchive(path: path)
                for entry in archive.entries {
                    guard let schema = MovieLens.all.first(where: { $0.fileName == entry.fileName }) else { continue }
                    files.append(File(schema: schema, displayName: "\(path)!\(entry.path)",
                                      open: { () throws(StorageError) in try archive.open(entry) }, size: entry.compressedSize))
                }
            } else if FileIO.exists(path) {
                let name = String(path.split(separator: "/").last ?? Substring(path))
                guard let f = try plainOrGzip(path, name: name) else {
                    throw StorageError(.invalidArgument, "not a MovieLens file (expected one of \(MovieLens.all.map(\.fileName).joined(separator: ", ")), optionally .gz)", path: path)
                }
                files.append(f)
            } else {
                throw StorageError(.notFound, "no such file or folder", path: path)
            }
        }
        var seen = Set<String>()
        for f in files where !seen.insert(f.schema.fileName).inserted {
            throw StorageError(.invalidArgument, "\(f.schema.fileName) appears more than once in the source (\(f.displayName))")
        }
        return IngestSource(files: files, description: paths.joined(separator: " "))
    }

    private static func plainOrGzip(_ path: String, name: String) throws(StorageError) -> File? {
        if let schema = MovieLens.all.first(where: { $0.fileName == name }) {
            let size = FileIO.fileSize(path) ?? 0
            return File(schema: schema, displayName: path, open: { () throws(StorageError) in try FileByteStream(path: path) }, size: size)
        }
        if name.hasSuffix(".gz"), let schema = MovieLens.all.first(where: { $0.fileName + ".gz" == name }) {
            let size = FileIO.fileSize(path) ?? 0
            return File(schema: schema, displayName: path, open: { () throws(StorageError) in
                try InflatingByteStream(source: try FileByteStream(path: path), format: .gzip, name: path)
            }, size: size)
        }
        return nil
    }
}

/// What happened to one table during an ingest.
public struct TableLoadSummary: Sendable {
    public var table: String
    public var source: String?
    public var rows: Int
    public var inputBytes: Int
    public var storedBytes: Int
    public var rejected: Int
    public var seconds: Double
    public var notice: String?

    public var compressionRatio: Double { storedBytes > 0 ? Double(inputBytes) / Double(storedBytes) : 0 }
}

/// Options of `moviecol ingest`.
public struct IngestOptions: Sendable {
    public var append: Bool
    public var load: LoadOptions
    public init(append: Bool = false, load: LoadOptions = LoadOptions()) {
        self.append = append
        self.load = load
    }
}

/// Events an ingest reports while it runs.
public enum IngestEvent: Sendable {
    case tableStarted(table: String, source: String, size: Int)
    case progress(table: String, LoadProgress)
    case tableFinished(TableLoadSummary)
    case notice(String)
}

/// A whole ingest: every MovieLens file of a source into `raw`, one commit.
public enum IngestJob {
    public struct Result: Sendable {
        public var version: Int64
        public var tables: [TableLoadSummary]
        public var rejected: Int
    }

    public static func run(source: IngestSource, warehouse root: String, options: IngestOptions,
                           holder: String = "moviecol ingest",
                           events: (@Sendable (IngestEvent) -> Void)? = nil) throws(IngestError) -> Result {
        let tx: WarehouseTransaction
        do { tx = try WarehouseTransaction(root: root, holder: holder) } catch { throw .storage(error) }
        defer { tx.rollback() }  // no-op after a commit
        let loadVersion = tx.base.version + 1
        var summaries: [TableLoadSummary] = []
        var allProblems: [CSVProblem] = []
        for schema in MovieLens.all {
            let existing = tx.table(schema.schema, schema.table)
            if let existing, existing.columns != schema.columns {
                throw .storage(StorageError(.invalidArgument, "\(existing.qualifiedName) has columns \(existing.columns.map { "\($0.name) \($0.type)" }) but the loader expects \(schema.columns.map { "\($0.name) \($0.type)" })", path: root))
            }
            guard let file = source.files.first(where: { $0.schema == schema }) else {
                if options.append {
                    if existing == nil { tx.putTable(TableMetadata(schema: schema.schema, name: schema.table, columns: schema.columns)) }
                    continue
                }
                let notice = "\(schema.fileName) is not in \(source.description): \(schema.schema).\(schema.table) is empty"
                events?(.notice(notice))
                tx.putTable(TableMetadata(schema: schema.schema, name: schema.table, columns: schema.columns,
                                          properties: ["loaded_from": "", "notice": notice]))
                summaries.append(TableLoadSummary(table: "\(schema.schema).\(schema.table)", source: nil, rows: 0, inputBytes: 0,
                                                  storedBytes: 0, rejected: 0, seconds: 0, notice: notice))
                continue
            }
            let started = DispatchTime.now().uptimeNanoseconds
            let qualified = "\(schema.schema).\(schema.table)"
            events?(.tableStarted(table: qualified, source: file.displayName, size: file.size))
            let stream: ByteStream
            do { stream = try file.open() } catch { throw .storage(error) }
            let result = try TableLoader.load(stream, schema: schema, fileName: file.displayName, into: tx, options: options.load) { p in
                events?(.progress(table: qualified, p))
            }
            var notice: String? = nil
            if result.inputBytes == 0 {
                notice = "\(file.displayName) is empty (0 bytes): \(qualified) is empty"
                events?(.notice(notice!))
            }
            var groups = result.rowGroups
            if options.append, let existing { groups = existing.rowGroups + groups }
            tx.putTable(TableMetadata(schema: schema.schema, name: schema.table, columns: schema.columns, rowGroups: groups,
                                      properties: ["loaded_from": file.displayName, "loaded_in_version": String(loadVersion)]))
            allProblems += result.problems
            let summary = TableLoadSummary(table: qualified, source: file.displayName, rows: result.rows, inputBytes: result.inputBytes,
                                           storedBytes: result.storedBytes, rejected: result.problems.count,
                                           seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9, notice: notice)
            summaries.append(summary)
            events?(.tableFinished(summary))
        }
        do {
            try recordRejects(allProblems, version: loadVersion, tx: tx, policy: options.load.policy)
            let version = try tx.commit()
            return Result(version: version, tables: summaries, rejected: allProblems.count)
        } catch {
            throw .storage(error)
        }
    }

    /// Appends rejected rows to `raw.load_rejects` (created on first use).
    private static func recordRejects(_ problems: [CSVProblem], version: Int64, tx: WarehouseTransaction,
                                      policy: EncodingPolicy) throws(StorageError) {
        var table = tx.table("raw", "load_rejects") ?? MovieLens.rejectsTable
        guard !problems.isEmpty else {
            if tx.table("raw", "load_rejects") == nil { tx.putTable(table) }
            return
        }
        let columns: [ColumnData] = [
            ColumnData(type: .int64, storage: .int64(Array(repeating: version, count: problems.count))),
            ColumnData(type: .varchar, storage: .varchar(StringArray(problems.map(\.error.file)))),
            ColumnData(type: .int64, storage: .int64(problems.map { Int64($0.error.line) })),
            ColumnData(type: .int64, storage: .int64(problems.map { Int64($0.byteOffset) })),
            ColumnData(type: .varchar, storage: .varchar(StringArray(problems.map { $0.error.field ?? "" }))),
            ColumnData(type: .varchar, storage: .varchar(StringArray(problems.map { $0.error.message }))),
            ColumnData(type: .varchar, storage: .varchar(StringArray(problems.map(\.rawText)))),
        ]
        let file = try tx.newDataFile(label: "load_rejects")
        var segments: [SegmentMetadata] = []
        for c in columns { segments.append(try file.append(SegmentCodec.encode(c, policy: policy))) }
        table.rowGroups.append(RowGroupMetadata(rowCount: problems.count, segments: segments))
        tx.putTable(table)
    }
}
