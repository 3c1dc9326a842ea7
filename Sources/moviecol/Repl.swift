// The interactive prompt of `moviecol query`: statements accumulate over lines until a ';',
// dot-commands configure the session.

import Columnar
import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Repl {
    var session: QuerySession
    /// Ctrl-C, delivered on a dispatch queue (not in signal context, so it may take a lock).
    private var interrupts: DispatchSourceSignal?

    init(session: QuerySession) { self.session = session }

    mutating func run() {
        print("moviecol SQL on \(session.engine.warehouse.root) (version \(session.engine.warehouse.manifest.version)). Enter .help for help; statements end with ';'.")
        // Ctrl-C while a query runs cancels that query, not the session.
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { RunningStatement.shared.cancel() }
        source.resume()
        interrupts = source
        let editor = LineEditor()
        var buffer = ""
        while true {
            guard let line = editor.readLine(prompt: buffer.isEmpty ? "moviecol> " : "     ...> ") else { print(""); return }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if buffer.isEmpty && trimmed.hasPrefix(".") {
                if !dotCommand(trimmed) { return }
                continue
            }
            buffer += line + "\n"
            if trimmed.hasSuffix(";") {
                let progress = ProgressLine()
                _ = session.runScript(buffer)
                progress.stop()
                buffer = ""
            }
        }
    }

    /// Handles a dot-command; false means quit.
    mutating func dotCommand(_ line: String) -> Bool {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch parts[0] {
        case ".quit", ".exit":
            return false
        case ".help":
            print("""
                .tables              list tables
                .schema [name]       columns of every table, or of one
                .mode FORMAT         table, box, csv, json, markdown or line
                .timer on|off        print each statement's run time
                .read FILE           run the SQL in FILE
                .output [FILE]       send results to FILE (no FILE: back to the terminal)
                .once FILE           send the next result to FILE
                .quit                leave
                Statements: SELECT, WITH, VALUES, EXPLAIN [ANALYZE], SHOW, DESCRIBE, SUMMARIZE,
                CREATE TABLE|VIEW|SCHEMA|INDEX, ALTER TABLE, INSERT, UPDATE, DELETE, MERGE, TRUNCATE,
                DROP, COPY, BEGIN / COMMIT / ROLLBACK, USE (docs/sql.md).
                """)
        case ".tables":
            for t in session.engine.catalog.tables { print(t.qualifiedName) }
        case ".schema":
            let tables = parts.count > 1 ? (try? session.engine.catalog.resolve(parts[1])).map { [$0] } ?? [] : session.engine.catalog.tables
            if tables.isEmpty { Terminal.error("no such table: \(parts.count > 1 ? parts[1] : "")") }
            for t in tables {
                print("CREATE TABLE \(t.qualifiedName)(" + t.columns.map { c in
                    "\(c.name) \(c.type)" + (c.notNull ? " NOT NULL" : "") + (c.defaultSQL.map { " DEFAULT \($0)" } ?? "")
                }.joined(separator: ", ") + ");")
            }
        case ".mode":
            guard parts.count > 1, let f = ResultFormat(rawValue: parts[1]) else {
                Terminal.error("usage: .mode \(ResultFormat.allCases.map(\.rawValue).joined(separator: "|"))")
                return true
            }
            session.format = f
        case ".timer":
            session.timer = parts.count > 1 && parts[1] == "on"
        case ".read":
            guard parts.count > 1, let data = FileManager.default.contents(atPath: parts[1]) else {
                Terminal.error("usage: .read FILE (a readable file)")
                return true
            }
            do { _ = session.runScript(try SQLText.decode(Array(data))) } catch {
                Terminal.error("\(parts[1]): \(error.message)")
            }
        case ".output", ".once":
            if parts.count < 2 {
                session.output = .standardOutput
                return true
            }
            _ = FileManager.default.createFile(atPath: parts[1], contents: nil)
            guard let handle = FileHandle(forWritingAtPath: parts[1]) else {
                Terminal.error("cannot write \(parts[1])")
                return true
            }
            if parts[0] == ".once" { session.onceOutput = handle } else { session.output = handle }
        default:
            Terminal.error("unknown command \(parts[0]); enter .help")
        }
        return true
    }
}

/// The statement the prompt is running, for Ctrl-C and the progress line.
final class RunningStatement: @unchecked Sendable {
    static let shared = RunningStatement()
    private let lock = NSLock()
    private var context: QueryContext?

    func set(_ context: QueryContext?) {
        lock.lock()
        self.context = context
        lock.unlock()
    }

    func cancel() {
        lock.lock()
        context?.cancel()
        lock.unlock()
    }

    var rowsScanned: Int {
        lock.lock()
        defer { lock.unlock() }
        return context?.rowsScanned ?? 0
    }
}

/// After a second, shows on stderr how long the running statement has taken and how many
/// rows it has scanned; erased when the statement ends.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var shown = false

    init() {
        guard Terminal.stderrIsTerminal else { return }
        let start = Date()
        Thread.detachNewThread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.25)
                lock.lock()
                defer { lock.unlock() }
                if done { return }
                let elapsed = Date().timeIntervalSince(start)
                guard elapsed >= 1 else { continue }
                shown = true
                Terminal.writeStderr(String(format: "\r[running %.1f s, %@ rows scanned; Ctrl-C cancels]\u{1B}[K",
                                            elapsed, ByteCount.count(Double(RunningStatement.shared.rowsScanned))))
            }
        }
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        done = true
        if shown { Terminal.writeStderr("\r\u{1B}[K") }
    }
}
