// `moviecol query`: run SQL from -c, -f or standard input, or interactively as a REPL.

import ArgumentParser
import CSupport
import Columnar
import Engine
import Foundation
import Pipeline

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run SQL against the warehouse: SQL as an argument or -c SQL, -f FILE, SQL on standard input, or an interactive prompt.",
        discussion: """
            Statements end with ';': SELECT, WITH, VALUES, EXPLAIN [ANALYZE], SHOW, DESCRIBE, \
            SUMMARIZE, CREATE TABLE|VIEW|SCHEMA|INDEX, ALTER TABLE, INSERT, UPDATE, DELETE, MERGE, \
            TRUNCATE, DROP, COPY, BEGIN / COMMIT / ROLLBACK, USE (docs/sql.md). \
            A --db directory that does not exist becomes a new, empty warehouse; --db :memory: \
            is a throw-away one. Interactive dot-commands: .tables, .schema [name], \
            .mode table|box|csv|json|markdown|line, .timer on|off, .read FILE, .output FILE, \
            .once FILE, .help, .quit. Scripted runs stop at the first error with a non-zero exit status.
            """)

    @OptionGroup var warehouse: WarehouseOptions

    @Option(name: .shortAndLong, help: ArgumentHelp("SQL to run.", valueName: "sql"))
    var command: String?

    @Argument(help: ArgumentHelp("SQL to run (the same as -c).", valueName: "sql"))
    var positionalSQL: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("A file of SQL statements to run.", valueName: "file"))
    var file: String?

    @Option(name: .long, help: "Output format: table, box, csv, json, markdown, line.")
    var format: ResultFormat?

    @Option(name: .long, help: "Worker threads for parallel aggregation (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Role: loader, transform or reporter (default: transform). A reporter reads granted serving objects only.", valueName: "role"))
    var role: Role = .transform

    @Option(name: .long, help: ArgumentHelp("Stop a statement after this many seconds (default: no limit).", valueName: "seconds"))
    var timeLimit: Double?

    @Option(name: .long, help: ArgumentHelp("Memory one statement may hold, e.g. 4GB or 512MiB (default: 80% of the machine's); past it the statement stops with an error.", valueName: "size"))
    var memoryLimit: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if let memoryLimit, ByteCount.parse(memoryLimit) == nil { throw ValidationError("--memory-limit: '\(memoryLimit)' is not a size (4GB, 512MiB, bytes)") }
        guard [command, positionalSQL, file].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("give the SQL once: as an argument, with -c or with -f")
        }
    }

    func run() throws {
        moviecol_keep_freed_memory()
        let w: Warehouse
        do { w = try Self.openOrCreate(warehouse.path) } catch { fail(error.description) }
        let engine = QueryEngine(warehouse: w, threads: threads, policy: role.policy)
        engine.limits = QueryContext.Limits(time: timeLimit, memoryBytes: memoryLimit.flatMap(ByteCount.parse) ?? ByteCount.defaultMemoryLimit)
        // USE ROLE may switch to the session's role and drop to reporter, never up: a session
        // started as reporter stays one.
        engine.availableRoles = Dictionary(uniqueKeysWithValues: Set([role, .reporter]).map { ($0.rawValue, $0.policy) })
        var session = QuerySession(engine: engine, format: format ?? .table)
        if let command = command ?? positionalSQL {
            guard session.runScript(command) else { throw ExitCode.failure }
            session.warnIfTransactionOpen()
            return
        }
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { fail("cannot read \(file)") }
            let text: String
            do { text = try SQLText.decode(Array(data)) } catch { fail("\(file): \(error.message)") }
            guard session.runScript(text) else { throw ExitCode.failure }
            session.warnIfTransactionOpen()
            return
        }
        if isatty(0) != 0 {
            if format == nil { session.format = .box }
            var repl = Repl(session: session)
            repl.run()
            repl.session.warnIfTransactionOpen()
            return
        }
        let input: String
        do { input = try SQLText.decode(Array(FileHandle.standardInput.readDataToEndOfFile())) } catch {
            fail("standard input: \(error.message)")
        }
        guard session.runScript(input) else { throw ExitCode.failure }
        session.warnIfTransactionOpen()
    }
}

extension QueryCommand {
    /// The warehouse `--db` names; a directory that does not exist yet becomes a new, empty
    /// warehouse (as DuckDB creates a database file), and `:memory:` is a throw-away one in a
    /// temporary directory, removed when the process exits.
    static func openOrCreate(_ path: String) throws(StorageError) -> Warehouse {
        if path == ":memory:" {
            // mkdtemp replaces the trailing six placeholder characters with a unique suffix.
            var template = Array((NSTemporaryDirectory() + "/moviecol-memory-" + String(repeating: "X", count: 6)).utf8CString)
            guard let made = mkdtemp(&template) else { throw StorageError(.io, "cannot create a temporary warehouse", path: NSTemporaryDirectory()) }
            memoryWarehouse = String(cString: made)
            atexit { if let p = memoryWarehouse { try? FileManager.default.removeItem(atPath: p) } }
            return try Warehouse.open(memoryWarehouse!)
        }
        if !FileManager.default.fileExists(atPath: path) { try FileIO.makeDirectories(path) }
        return try Warehouse.open(path)
    }
}

/// The temporary directory of a `--db :memory:` session.
nonisolated(unsafe) private var memoryWarehouse: String?

extension ResultFormat: ExpressibleByArgument {}

/// Runs statements and writes their results: shared by scripted runs and the REPL.
struct QuerySession {
    var engine: QueryEngine
    var format: ResultFormat
    var timer = false
    /// Where results go (stdout unless .output / .once say otherwise).
    var output: FileHandle = .standardOutput
    var onceOutput: FileHandle? = nil

    /// Runs every statement of `sql`; false after the first error (already reported).
    /// The input ended between BEGIN and COMMIT: nothing of the transaction is kept (as in
    /// psql and the DuckDB CLI), and the user is told so rather than left to find out.
    func warnIfTransactionOpen() {
        guard engine.inTransaction else { return }
        Terminal.error("warning: the input ended inside a transaction (BEGIN without COMMIT or ROLLBACK): its changes are not kept")
    }

    mutating func runScript(_ sql: String) -> Bool {
        let statements: [Statement]
        do { statements = try engine.statements(sql) } catch {
            Terminal.error(error.render(in: sql))
            return false
        }
        for s in statements {
            guard run(s, sql: sql) else { return false }
        }
        return true
    }

    mutating func run(_ statement: Statement, sql: String) -> Bool {
        let start = DispatchTime.now().uptimeNanoseconds
        let target = onceOutput ?? output
        defer {
            if let once = onceOutput { try? once.close(); onceOutput = nil }
        }
        do {
            // Each statement reads the newest committed version (another process may have
            // committed since the last one; superseded versions are not kept forever).
            try engine.reload()
            let context = engine.makeContext()
            RunningStatement.shared.set(context)
            defer { RunningStatement.shared.set(nil) }
            let cursor = try engine.run(statement, context: context)
            if let text = cursor.explainText {
                write(text, to: target)
            } else {
                var formatter = ResultFormatter(format: format, columns: cursor.columns)
                write(formatter.header(), to: target)
                while let chunk = try cursor.next() {
                    let text = formatter.rows(chunk)
                    if !text.isEmpty { write(text, to: target) }
                }
                write(formatter.footer(), to: target)
            }
        } catch {
            Terminal.error(error.render(in: sql))
            return false
        }
        if timer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            Terminal.error(String(format: "Run Time: %.3f s", seconds))
        }
        return true
    }

    func write(_ text: String, to handle: FileHandle) {
        // Standard output goes through stdio, like every other print, so output stays in order.
        if handle === FileHandle.standardOutput { print(text, terminator: ""); return }
        fflush(nil)
        handle.write(Data(text.utf8))
    }
}
