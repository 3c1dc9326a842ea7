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
}
