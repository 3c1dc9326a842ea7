// ALTER TABLE and USE: statements that change the catalog or the session, not rows.

extension Parser {
    /// ALTER TABLE or USE, or nil when the next word starts neither.
    mutating func catalogStatement() throws(SQLError) -> Statement? {
        if accept(word: "USE") {
            var target = UseTarget.unspecified
            if accept(word: "DATABASE") { target = .database }
            else if accept(word: "SCHEMA") { target = .schema }
            else if accept(word: "WAREHOUSE") { target = .warehouse }
            else if accept(word: "ROLE") { target = .role }
            return .use(target, name: try qualifiedName())
        }
        if accept(word: "COPY") {
            let query: SelectStatement?
            var table: [String] = []
            if accept(symbol: "(") {
                query = try selectStatement()
                try expect(symbol: ")")
            } else {
                let position = peek.position
                table = try qualifiedName()
                var core = SelectCore()
                core.items = [(Expr(.star(qualifier: nil), at: position), nil)]
                core.from = .table(name: table, alias: nil, position: position)
                query = table.isEmpty ? nil : SelectStatement(body: .select(core))
            }
            let to = accept(word: "TO")
            if !to { try expect(keyword: "FROM") }
            guard case .string(let path) = peek.kind else { throw error("expected the file's path as a string") }
            at += 1
            let options = try copyOptions()
            if to {
                guard let query else { throw error("expected a table or (query)") }
                return .copyTo(query, path: path, options: options)
            }
            guard !table.isEmpty else { throw error("COPY ... FROM copies into a table, not a query") }
            return .copyFrom(table: table, path: path, options: options)
        }
        if accept(word: "ALTER") {
            try expect(keyword: "TABLE")
            var ifExists = false
            if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
            let name = try qualifiedName()
            let action: AlterTableAction
            if accept(word: "RENAME") {
                if accept(word: "TO") || accept(keyword: "AS") {
                    action = .renameTo(try qualifiedName())
                } else {
                    _ = accept(word: "COLUMN")
                    let from = try identifier()
                    guard accept(word: "TO") else { throw error("expected TO") }
                    action = .renameColumn(from: from, to: try identifier())
                }
            } else if accept(word: "ADD") {
                _ = accept(word: "COLUMN")
                var ifNotExists = false
                if accept(keyword: "IF") { try expect(keyword: "NOT"); try expect(keyword: "EXISTS"); ifNotExists = true }
                action = .addColumn(try columnSpec(), ifNotExists: ifNotExists)
            } else if accept(keyword: "DROP") {
                _ = accept(word: "COLUMN")
                var ifExists = false
                if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
                action = .dropColumn(try identifier(), ifExists: ifExists)
            } else {
                throw error("expected RENAME, ADD or DROP")
            }
            return .alterTable(name: name, ifExists: ifExists, action: action)
        }
        return nil
    }

    /// `[WITH] (HEADER [true|false], DELIMITER ',', FORMAT csv)`; options as DuckDB writes them.
    private mutating func copyOptions() throws(SQLError) -> CopyOptions {
        var options = CopyOptions()
        _ = accept(keyword: "WITH")
        guard accept(symbol: "(") else { return options }
        repeat {
            let position = peek.position
            let key = try identifier().uppercased()
            switch key {
            case "HEADER":
                if accept(keyword: "TRUE") || accept(symbol: "1") { options.header = true }
                else if accept(keyword: "FALSE") { options.header = false }
                else if case .integer(let n) = peek.kind { at += 1; options.header = n != "0" }
                else { options.header = true }
            case "DELIMITER", "DELIM", "SEP":
                guard case .string(let d) = peek.kind else { throw error("expected the delimiter as a string: DELIMITER ';'") }
                at += 1
                options.delimiter = d
            case "FORMAT":
                let format = (try? identifier()) ?? ""
                guard format.lowercased() == "csv" else {
                    throw SQLError(.unsupported, "COPY reads and writes CSV (FORMAT csv); \(format) is not supported yet", at: position)
                }
            default:
                throw SQLError(.unsupported, "COPY option \(key) is not supported (HEADER, DELIMITER, FORMAT csv are)", at: position)
            }
        } while accept(symbol: ",")
        try expect(symbol: ")")
        return options
    }
}
