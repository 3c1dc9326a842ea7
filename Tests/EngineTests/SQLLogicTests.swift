// Runs the golden SQL files under Tests/SQL in the sqllogictest format, each at batch sizes
// 1, 3 and the default (files that say `# batch: standard`: the default only). MOVIECOL_SQLLOGIC_REWRITE=1 rewrites the expected results (review
// the diff before committing).
//
// Each file also runs once with every encoding forced (on the fixture's tables and on every
// table its statements write), so that every encoding meets every query.
//
//   statement ok | statement error [substring]   a statement and what must happen
//   query <types> [rowsort]                     a query, then ----, then tab-separated rows

import Columnar
import Engine
import Foundation
import Testing
import TestSupport

@Suite struct SQLLogicTests {
    static let files: [String] = {
        let root = Fixtures.sqlDirectory
        let e = FileManager.default.enumerator(atPath: root)!
        var found: [String] = []
        while let f = e.nextObject() as? String { if f.hasSuffix(".test") { found.append(f) } }
        return found.sorted()
    }()

    @Test(arguments: files)
    func goldenFile(_ file: String) async throws {
        let rewrite = ProcessInfo.processInfo.environment["MOVIECOL_SQLLOGIC_REWRITE"] == "1"
        try Self.check(file, encoding: nil, batches: rewrite || Self.standardBatchOnly(file) ? [BatchSize.standard] : [1, 3, BatchSize.standard],
                       rewrite: rewrite)
    }

    @Test(arguments: files, EncodingKind.allCases)
    func goldenFileWithEncodingForced(_ file: String, _ encoding: EncodingKind) throws {
        try EncodingPolicy.$current.withValue(EncodingPolicy(forcedEncoding: encoding)) { () throws -> Void in
            try Self.check(file, encoding: encoding, batches: [BatchSize.standard], rewrite: false)
        }
    }

    /// Files of many rows say `# batch: standard` on a line of their own: at batch size 1 they
    /// would take most of the suite's time, and the other files cover small batches.
    static func standardBatchOnly(_ file: String) -> Bool {
        ((try? String(contentsOfFile: Fixtures.sqlDirectory + "/" + file, encoding: .utf8)) ?? "")
            .split(separator: "\n").contains { $0 == "# batch: standard" }
    }

    static func check(_ file: String, encoding: EncodingKind?, batches: [Int], rewrite: Bool) throws {
        let path = Fixtures.sqlDirectory + "/" + file
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let records = SQLLogicRecord.parse(text)
        #expect(!records.isEmpty, "\(file) has no records")
        let label = encoding.map { " [\($0) forced]" } ?? ""
        var rewritten: [SQLLogicRecord] = []
        for batch in batches {
            // Each file and batch size on its own copy: files that write run in parallel with
            // the others, and every batch size starts from the same tables.
            let db = try Fixtures.warehouseCopy("golden", encoding: encoding)
            defer { TestEnvironment.remove((db as NSString).deletingLastPathComponent) }
            let engine = QueryEngine(warehouse: try Warehouse.open(db))
            if let encoding {
                let used = Set(engine.warehouse.tables.flatMap { $0.rowGroups.flatMap { $0.segments.map(\.encoding) } })
                #expect(used.contains(encoding), "the fixture written with \(encoding) forced uses \(used)")
            }
            BatchSize.$rows.withValue(batch) {
                for record in records {
                    let outcome = Self.run(record, engine)
                    if rewrite && batch == BatchSize.standard {
                        var r = record
                        if case .query = record.kind, case .success(let rows) = outcome { r.expected = rows }
                        rewritten.append(r)
                        continue
                    }
                    switch (record.kind, outcome) {
                    case (.statementOK, .failure(let e)):
                        Issue.record("\(file):\(record.line) [batch \(batch)]\(label) failed: \(e)")
                    case (.statementError, .success):
                        Issue.record("\(file):\(record.line) [batch \(batch)]\(label) succeeded but should fail")
                    case (.statementError, .failure(let e)):
                        if let want = record.expected.first, !want.isEmpty {
                            #expect(e.description.lowercased().contains(want.lowercased()), "\(file):\(record.line): error '\(e)' lacks '\(want)'")
                        }
                    case (.query, .failure(let e)):
                        Issue.record("\(file):\(record.line) [batch \(batch)]\(label) failed: \(e)")
                    case (.query, .success(let rows)):
                        #expect(rows == record.expected, "\(file):\(record.line) [batch \(batch)]\(label)\n\(record.sql)")
                    default:
                        break
                    }
                }
            }
        }
        if rewrite { try SQLLogicRecord.render(rewritten).write(toFile: path, atomically: true, encoding: .utf8) }
    }

    static func run(_ record: SQLLogicRecord, _ engine: QueryEngine) -> Result<[String], SQLError> {
        do {
            let (_, chunk) = try engine.query(record.sql)
            var lines: [String] = []
            for r in 0..<chunk.count {
                lines.append(chunk.columns.map { format($0.value(at: r)) }.joined(separator: "\t"))
            }
            if record.rowsort { lines.sort() }
            return .success(lines)
        } catch {
            return .failure(error)
        }
    }

    static func format(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .string(let s): return s.isEmpty ? "(empty)" : s
        case .double(let d):
            // Nine decimals: stable across summation orders, precise enough to catch errors
            // (past 1e15 a double has no decimals to round, and d * 1e9 could overflow).
            let r = abs(d) < 1e15 ? (d * 1e9).rounded() / 1e9 : d
            return Value.format(r == 0 ? 0 : r)
        default: return v.description
        }
    }
}

/// One record of a sqllogictest file.
struct SQLLogicRecord {
    enum Kind { case statementOK, statementError, query(String) }
    var kind: Kind
    var sql: String
    var rowsort = false
    var expected: [String] = []
    var line: Int
    var comments: [String] = []

    static func parse(_ text: String) -> [SQLLogicRecord] {
        let lines = text.components(separatedBy: "\n")
        var records: [SQLLogicRecord] = []
        var i = 0
        var comments: [String] = []
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty {
                if line.hasPrefix("#") { comments.append(line) }
                i += 1
                continue
            }
            let header = line.split(separator: " ").map(String.init)
            let start = i + 1
            i += 1
            var sql: [String] = []
            while i < lines.count && lines[i] != "----" && !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                sql.append(lines[i]); i += 1
            }
            var expected: [String] = []
            if i < lines.count && lines[i] == "----" {
                i += 1
                while i < lines.count && !lines[i].isEmpty { expected.append(lines[i]); i += 1 }
            }
            var record: SQLLogicRecord
            switch header.first {
            case "query":
                record = SQLLogicRecord(kind: .query(header.count > 1 ? header[1] : ""), sql: sql.joined(separator: "\n"), line: start)
                record.rowsort = header.contains("rowsort")
            case "statement" where header.count > 1 && header[1] == "error":
                record = SQLLogicRecord(kind: .statementError, sql: sql.joined(separator: "\n"), line: start)
            default:
                record = SQLLogicRecord(kind: .statementOK, sql: sql.joined(separator: "\n"), line: start)
            }
            record.expected = expected
            record.comments = comments
            comments = []
            records.append(record)
        }
        return records
    }

    static func render(_ records: [SQLLogicRecord]) -> String {
        var out: [String] = []
        for r in records {
            out += r.comments
            switch r.kind {
            case .statementOK: out.append("statement ok")
            case .statementError: out.append("statement error")
            case .query(let types): out.append("query \(types)" + (r.rowsort ? " rowsort" : ""))
            }
            out.append(r.sql)
            if case .query = r.kind { out.append("----"); out += r.expected }
            else if case .statementError = r.kind, !r.expected.isEmpty { out.append("----"); out += r.expected }
            out.append("")
        }
        return out.joined(separator: "\n")
    }
}
