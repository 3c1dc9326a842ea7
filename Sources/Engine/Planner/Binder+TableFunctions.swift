// Table functions in FROM: `read_csv(path [, header = bool] [, delim = ';'])` and
// `read_csv_auto`, and DuckDB's `FROM 'file.csv'`. The file's layout is sniffed when the
// statement binds (its columns are the statement's columns); its rows are read when it runs.

import Columnar

extension Binder {
    mutating func bindTableFunction(_ name: String, _ args: [Expr], _ named: [(name: String, value: Expr)], alias: String?,
                                    at position: Int) throws(SQLError) -> (Plan, Scope) {
        switch name {
        case "read_csv", "read_csv_auto":
            try catalog.policy.checkFiles(at: position)
            guard args.count == 1 else { throw SQLError(.binder, "\(name) takes the file's path, then named options", at: position) }
            let path = try constantText(args[0], what: "\(name)'s path")
            var header: Bool? = nil
            var delimiter: UInt8? = nil
            for (key, value) in named {
                switch key {
                case "header":
                    guard case .literal(.bool(let b)) = value.kind else { throw SQLError(.binder, "header = true or false", at: value.position) }
                    header = b
                case "delim", "sep", "delimiter":
                    delimiter = try Self.delimiterByte(try constantText(value, what: key), at: value.position)
                case "auto_detect":
                    break
                default:
                    throw SQLError(.binder, "\(name) has no option \(key) (it takes header and delim)", at: value.position)
                }
            }
            let layout: CSVLayout
            do { layout = try CSVSniffer.sniff(path: path, header: header, delimiter: delimiter) } catch {
                throw SQLError(.runtime, "Invalid Input Error: \(error.description)", at: position, reason: .invalidText)
            }
            let stem = String((path.split(separator: "/").last ?? Substring(path)).split(separator: ".").first ?? "")
            let q = alias ?? stem
            let columns = zip(layout.names, layout.types).map { PlanColumn(name: $0, type: $1, qualifier: q) }
            return (.csvFile(path: path, layout: layout, columns: columns), Scope(columns: columns))
        default:
            throw SQLError(.binder, "unknown table function \(name)", at: position, reason: .undefinedFunction)
        }
    }

    /// The byte a `delim` / `DELIMITER` option names: one character (`\t` written as a tab
    /// or as the two characters backslash, t).
    static func delimiterByte(_ text: String, at position: Int? = nil) throws(SQLError) -> UInt8 {
        let resolved = text == "\\t" ? "\t" : text
        guard resolved.utf8.count == 1, let byte = resolved.utf8.first, CSVSniffer.isValidDelimiter(byte) else {
            throw SQLError(.binder, "the delimiter must be one ASCII character that is not a letter, digit, quote or line end (got '\(text)')",
                           at: position)
        }
        return byte
    }

    private func constantText(_ e: Expr, what: String) throws(SQLError) -> String {
        guard case .literal(.string(let s)) = e.kind else { throw SQLError(.binder, "\(what) must be a text constant", at: e.position) }
        return s
    }
}
