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
        case "generate_series", "range":
            guard named.isEmpty else { throw SQLError(.binder, "\(name) takes no named options", at: position) }
            let (first, step, count, type) = try series(args, inclusive: name == "generate_series", name: name, at: position)
            let column = PlanColumn(name: name, type: type, qualifier: alias ?? name)
            return (.series(first: first, step: step, count: count, column: column), Scope(columns: [column]))
        case "generator":
            // Snowflake's GENERATOR(ROWCOUNT => n): n rows without columns (SEQ4() numbers them).
            guard args.isEmpty, named.count == 1, named[0].name == "rowcount" else {
                throw SQLError(.binder, "GENERATOR takes ROWCOUNT => n (TIMELIMIT is not supported)", at: position)
            }
            let bound = Self.fold(try constantExpression(named[0].value))
            guard case .constant(let v, let t) = bound, t.isInteger, case .int(let n) = v, n >= 0 else {
                throw SQLError(.binder, "GENERATOR's ROWCOUNT must be a constant integer of 0 or more", at: named[0].value.position)
            }
            guard n <= 1 << 30 else { throw SQLError(.binder, "GENERATOR makes at most 2^30 rows, not \(n)", at: named[0].value.position) }
            let column = PlanColumn(name: "\u{1}generator", type: .int64, qualifier: alias ?? name)
            return (.series(first: 0, step: 1, count: Int(n), column: column), Scope(columns: [column], hidden: [true]))
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

    /// The most rows a series makes (8 GB of BIGINTs).
    static let maxSeriesRows = 1 << 30

    /// DuckDB's `range(stop)`, `range(start, stop [, step])` (stop excluded) and
    /// `generate_series(...)` (stop included): BIGINTs, or DATEs / TIMESTAMPs stepped by an
    /// INTERVAL of fixed length (days and weeks for dates; hours, minutes, seconds too for
    /// timestamps), read from constants.
    private func series(_ args: [Expr], inclusive: Bool, name: String, at position: Int) throws(SQLError) -> (Int64, Int64, Int, LogicalType) {
        guard (1...3).contains(args.count) else {
            throw SQLError(.binder, "\(name) takes (stop), (start, stop) or (start, stop, step)", at: position)
        }
        func constant(_ e: Expr) throws(SQLError) -> BoundExpr {
            let bound = Self.fold(try constantExpression(e))
            guard case .constant = bound else { throw SQLError(.binder, "\(name)'s arguments must be constants", at: e.position) }
            return bound
        }
        var bounds: [BoundExpr] = []
        for a in (args.count == 1 ? [] : [args[0]]) + [args[args.count == 1 ? 0 : 1]] { bounds.append(try constant(a)) }
        if args.count == 1 { bounds.insert(.constant(.int(0), .int64), at: 0) }
        // A text start or stop next to a date reads as one.
        let temporal = bounds.first { $0.type == .date || $0.type == .timestamp }?.type
        if let temporal {
            bounds = try bounds.map { (b) throws(SQLError) in b.type == temporal ? b : try Self.coerce(b, to: temporal) }
        }
        let type = temporal ?? .int64
        func value(_ b: BoundExpr) throws(SQLError) -> Int64 {
            switch b {
            case .constant(.int(let v), _): return v
            case .constant(.date(let d), _): return Int64(d)
            case .constant(.timestamp(let t), _): return t
            case .constant(.null, _): throw SQLError(.binder, "\(name)'s bounds must not be NULL", at: position)
            default: throw SQLError(.type, "\(name) counts BIGINTs, DATEs or TIMESTAMPs, not \(b.type)", at: position)
            }
        }
        if type == .int64, bounds.contains(where: { !$0.type.isInteger && !Self.isNullConstant($0) }) {
            throw SQLError(.type, "\(name) counts BIGINTs, DATEs or TIMESTAMPs", at: position)
        }
        let start = try value(bounds[0]), stop = try value(bounds[1])
        var step: Int64 = 1
        if args.count == 3 {
            if let parts = Parser.intervalParts(args[2]) {
                guard temporal != nil else { throw SQLError(.type, "an INTERVAL step needs DATE or TIMESTAMP bounds", at: args[2].position) }
                let micros = try Self.fixedLength(parts, of: "\(name)'s step", hint: "for months use DATEADD(month, range, start) over range(n)",
                                                  at: args[2].position)
                if type == .date {
                    guard micros % CivilTime.microsPerDay == 0 else {
                        throw SQLError(.binder, "a DATE series steps by whole days", at: args[2].position)
                    }
                    step = micros / CivilTime.microsPerDay
                } else {
                    step = micros
                }
            } else {
                guard temporal == nil else { throw SQLError(.type, "a DATE or TIMESTAMP series steps by an INTERVAL", at: args[2].position) }
                step = try value(try constant(args[2]))
            }
        } else if temporal != nil {
            throw SQLError(.binder, "a DATE or TIMESTAMP series needs its step: \(name)(start, stop, INTERVAL '1 day')", at: position)
        }
        guard step != 0 else { throw SQLError(.binder, "\(name)'s step must not be 0", at: position) }
        // Values from start toward stop (stop itself when inclusive and on a step), counted in
        // 128 bits so that bounds at BIGINT's ends do not overflow.
        let span = Int128(stop) - Int128(start), stride = Int128(step)
        var count: Int128 = 0
        if span == 0 {
            count = inclusive ? 1 : 0
        } else if (span > 0) == (stride > 0) {
            let steps = span / stride  // whole steps from start to at most stop
            count = steps + (inclusive || steps * stride != span ? 1 : 0)
        }
        guard count <= Int128(Self.maxSeriesRows) else {
            throw SQLError(.limit, "\(name) would make \(count) rows (at most \(Self.maxSeriesRows))", at: position)
        }
        return (start, step, Int(count), type)
    }

    private func constantText(_ e: Expr, what: String) throws(SQLError) -> String {
        guard case .literal(.string(let s)) = e.kind else { throw SQLError(.binder, "\(what) must be a text constant", at: e.position) }
        return s
    }
}
