// `moviecol ingest`: MovieLens CSVs into the raw tables, as one atomic new version.

import MovieLens
import ArgumentParser
import Columnar
import CSupport
import Foundation
import Pipeline

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load MovieLens CSVs (a folder, a GroupLens .zip, or .csv/.csv.gz files) into raw.raw_* tables.",
        discussion: """
            Every file found is loaded; a file missing from the source makes its table empty (with \
            a notice) unless --append is given. All tables are committed together as one new \
            version: on any error the warehouse stays as it was.
            """)

    @OptionGroup var warehouse: WarehouseOptions

    @Argument(help: ArgumentHelp("Folder, .zip, or .csv / .csv.gz files.", valueName: "source"))
    var sources: [String]

    @Flag(name: .long, help: "Add the rows to the existing raw tables instead of replacing them.")
    var append = false

    @Option(name: .customLong("on-error"), help: "abort: stop at the first bad row, change nothing. continue: load good rows, record bad ones in raw.load_rejects.")
    var onError: OnErrorArgument = .abort

    @Option(name: .long, help: "Parse threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Progress display: auto (when stderr is a terminal), on, off.")
    var progress: ProgressMode = .auto

    @Option(name: .long, help: ArgumentHelp("Role: loader, transform or reporter (default: loader); only a role that writes raw may ingest.", valueName: "role"))
    var role: Role = .loader

    func validate() throws {
        guard !sources.isEmpty else { throw ValidationError("give at least one source") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        moviecol_keep_freed_memory()
        guard role.policy.canWrite(schema: "raw") else {
            fail("permission denied: role \(role.rawValue) may not write raw (\(role.summary))")
        }
        let source: IngestSource
        do { source = try IngestSource.resolve(sources) } catch { fail(error.description) }
        // MOVIECOL_FORCE_ENCODING / MOVIECOL_COMPRESSION reach the transaction's writers.
        var load = LoadOptions(threads: threads, onError: onError.value)
        if let chunk = ProcessInfo.processInfo.environment["MOVIECOL_CHUNK_BYTES"].flatMap(Int.init) { load.chunkSize = chunk }
        let bar = ProgressBar(enabled: progress.enabled)
        let result: IngestJob.Result
        do {
            result = try IngestJob.run(source: source, warehouse: warehouse.path, options: IngestOptions(append: append, load: load),
                                       holder: "moviecol ingest \(sources.joined(separator: " "))") { event in bar.handle(event) }
        } catch {
            bar.clear()
            fail("\(error.description)\nthe warehouse was not changed")
        }
        bar.clear()
        let rows = result.tables.map { t in
            [t.table, String(t.rows), ByteCount.format(t.inputBytes), ByteCount.format(t.storedBytes),
             t.storedBytes > 0 ? String(format: "%.1fx", t.compressionRatio) : "-", String(t.rejected),
             String(format: "%.2f", t.seconds)]
        }
        print(TextTable.render(header: ["table", "rows", "input", "stored", "ratio", "rejected", "seconds"], rows: rows,
                               rightAligned: [1, 2, 3, 4, 5, 6]))
        print("committed version \(result.version) of \(warehouse.path)" + (result.rejected > 0 ? "; \(result.rejected) rejected rows are in raw.load_rejects" : ""))
    }
}

enum OnErrorArgument: String, ExpressibleByArgument, CaseIterable {
    case abort, `continue`
    var value: OnError { self == .abort ? .abort : .continue }
}

enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
    case auto, on, off
    var enabled: Bool {
        switch self {
        case .auto: Terminal.stderrIsTerminal
        case .on: true
        case .off: false
        }
    }
}
