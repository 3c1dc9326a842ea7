// `moviecol ingest`: load each MovieLens file of a source into its raw table and commit
// everything as one new version. A file missing from the source leaves its table empty with
// a notice. Any error before the commit rolls back: the warehouse stays at its previous
// version.

import Columnar
import Foundation

/// What happened to one table during an ingest.
package struct TableLoadSummary: Sendable {
    package var table: String
    package var source: String?
    package var rows: Int
    package var inputBytes: Int
    package var storedBytes: Int
    package var rejected: Int
    package var seconds: Double
    package var notice: String?

    package var compressionRatio: Double { storedBytes > 0 ? Double(inputBytes) / Double(storedBytes) : 0 }
}

/// Options of `moviecol ingest`.
package struct IngestOptions: Sendable {
    package var append: Bool
    package var load: LoadOptions
    package init(append: Bool = false, load: LoadOptions = LoadOptions()) {
        self.append = append
        self.load = load
    }
}

/// Events an ingest reports while it runs.
package enum IngestEvent: Sendable {
    case tableStarted(table: String, source: String, size: Int)
    case progress(table: String, LoadProgress)
    case tableFinished(TableLoadSummary)
    case notice(String)
}

/// A whole ingest: every MovieLens file of a source into `raw`, one commit.
package enum IngestJob {
    package struct Result: Sendable {
        package var version: Int64
        package var tables: [TableLoadSummary]
        package var rejected: Int
    }

    package static func run(source: IngestSource, warehouse root: String, options: IngestOptions,
                           holder: String = "moviecol ingest",
                           events: (@Sendable (IngestEvent) -> Void)? = nil) throws(IngestError) -> Result {
        let tx: WarehouseTransaction
        do { tx = try WarehouseTransaction(root: root, holder: holder) } catch { throw .storage(error) }
        defer { tx.rollback() }  // no-op after a commit
        let loadVersion = tx.base.version + 1
        var summaries: [TableLoadSummary] = []
        var allProblems: [CSVProblem] = []
        for schema in MovieLensFiles.all {
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
            try recordRejects(allProblems, version: loadVersion, tx: tx)
            let version = try tx.commit()
            return Result(version: version, tables: summaries, rejected: allProblems.count)
        } catch {
            throw .storage(error)
        }
    }

    /// Appends rejected rows to `raw.load_rejects` (created on first use).
    private static func recordRejects(_ problems: [CSVProblem], version: Int64, tx: WarehouseTransaction) throws(StorageError) {
        var table = tx.table("raw", "load_rejects") ?? MovieLensFiles.rejectsTable
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
        table.rowGroups.append(try tx.rowGroupWriter(label: "load_rejects").write(columns))
        tx.putTable(table)
    }
}
