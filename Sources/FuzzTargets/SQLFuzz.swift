// SQL input: statements through the lexer, parser, binder, optimizer and executor of one
// session on a small warehouse with a column of every type (NULLs, extremes, non-ASCII
// text). Queries run and their rows are formatted; a writing statement runs inside a
// transaction that is rolled back, so every input meets the same warehouse. A statement is
// stopped after 2 s or 256 MiB, as a signed-in user's would be, and an input's statements
// share 5 s, well inside libFuzzer's 10 s timeout for one input. File paths of COPY are
// pointed into the scratch directory: the fuzzer must not write where it runs.

import Columnar
import Engine
import Foundation

final class SQLFuzz: @unchecked Sendable {
    static let shared = SQLFuzz()
    let engine: QueryEngine

    /// The tables every input sees.
    static let setup = """
        CREATE TABLE t (i INT, b BIGINT, d DOUBLE, s VARCHAR, dt DATE, ts TIMESTAMP, f BOOLEAN);
        INSERT INTO t VALUES
            (1, 10, 1.5, 'a', DATE '2020-01-01', TIMESTAMP '2020-01-01 10:00:00', true),
            (NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (-2147483648, -9223372036854775808, -0.0, 'żółw|x', DATE '1970-01-01', TIMESTAMP '1969-12-31 23:59:59', false),
            (2147483647, 9223372036854775807, 1e308, '', DATE '9999-12-31', TIMESTAMP '2262-04-11 23:47:16', true),
            (0, 0, 'NaN'::DOUBLE, 'a\\tb\\nc', DATE '0001-01-01', TIMESTAMP '1677-09-21 00:12:44', NULL);
        CREATE TABLE u (k INT PRIMARY KEY, v VARCHAR, w DOUBLE);
        INSERT INTO u VALUES (1, 'one', 0.1), (2, 'two', 0.2), (3, NULL, NULL), (4, 'Drama|Comedy', -1);
        CREATE TABLE l AS SELECT k, SPLIT(v, '|') AS parts FROM u;
        CREATE VIEW tv AS SELECT i, s, d FROM t WHERE i IS NOT NULL;
        CREATE SCHEMA staging;
        CREATE TABLE staging.r AS SELECT k % 2 AS g, k AS userId, w AS rating FROM u;
        """

    private init() {
        let root = FuzzScratch.directory + "/sql"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        do {
            engine = QueryEngine(warehouse: try Warehouse.open(root), threads: 1)
            _ = try engine.query(Self.setup)
        } catch {
            fatalError("cannot make the SQL fuzzing warehouse: \(error)")
        }
        engine.limits = QueryContext.Limits(time: Self.secondsPerStatement, memoryBytes: 256 << 20)
    }

    static let secondsPerStatement = 2.0
    static let secondsPerInput = 5.0

    func run(_ input: [UInt8]) {
        let sql = String(decoding: input, as: UTF8.self)
        guard let statements = try? engine.statements(sql) else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        for statement in statements.prefix(8) {
            let spent = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let left = Self.secondsPerInput - spent
            if left < 0.05 { break }
            engine.limits.time = min(Self.secondsPerStatement, left)
            switch statement {
            case .transaction:
                continue
            case .select, .explain, .describe:
                execute(statement, sql)
            case .copyTo(let query, _, let options):
                rolledBack(.copyTo(query, path: FuzzScratch.directory + "/out.csv", options: options), sql)
            case .copyFrom(let table, _, let options):
                rolledBack(.copyFrom(table: table, path: FuzzScratch.directory + "/input.csv", options: options), sql)
            default:
                rolledBack(statement, sql)
            }
        }
        // USE changes the session: every input starts from the same one.
        engine.policy = .unrestricted
        engine.defaultSchema = "main"
    }

    /// Runs a writing statement in a transaction and throws its changes away.
    private func rolledBack(_ statement: Statement, _ sql: String) {
        guard (try? engine.run(.transaction(.begin)).all()) != nil else { return }
        execute(statement, sql)
        if engine.inTransaction {
            do { _ = try engine.run(.transaction(.rollback)).all() } catch { finding("ROLLBACK failed: \(error)") }
        }
    }

    /// Runs one statement and formats every row it returns.
    private func execute(_ statement: Statement, _ sql: String) {
        do throws(SQLError) {
            try engine.reload()
            let cursor = try engine.run(statement)
            if cursor.explainText != nil { return }
            var formatter = ResultFormatter(format: .table, columns: cursor.columns)
            _ = formatter.header()
            while let chunk = try cursor.next() {
                if chunk.columns.count != cursor.columns.count {
                    finding("a batch of \(chunk.columns.count) columns from a statement of \(cursor.columns.count)")
                }
                _ = formatter.rows(chunk)
            }
            _ = formatter.footer()
        } catch {
            // The error is the answer, shown as the CLI shows it (with the statement's text).
            _ = error.render(in: sql)
        }
    }
}
