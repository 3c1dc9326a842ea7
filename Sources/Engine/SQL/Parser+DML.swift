// DELETE, UPDATE, MERGE and TRUNCATE: the statements that change rows of a table.

extension Parser {
    /// A data-changing statement, or nil when the next word starts none.
    mutating func dataChangeStatement() throws(SQLError) -> Statement? {
        if accept(word: "DELETE") {
            try expect(keyword: "FROM")
            let target = try dmlTarget()
            let using = accept(keyword: "USING") ? try fromClause() : nil
            let condition = accept(keyword: "WHERE") ? try expression() : nil
            return .delete(DeleteStatement(target: target, using: using, condition: condition))
        }
        if accept(word: "UPDATE") {
            let target = try dmlTarget()
            guard accept(word: "SET") else { throw error("expected SET") }
            let assignments = try assignmentList()
            let from = accept(keyword: "FROM") ? try fromClause() : nil
            let condition = accept(keyword: "WHERE") ? try expression() : nil
            return .update(UpdateStatement(target: target, assignments: assignments, from: from, condition: condition))
        }
        if accept(word: "MERGE") {
            try expect(keyword: "INTO")
            let target = try dmlTarget()
            try expect(keyword: "USING")
            let source = try tableItem()
            try expect(keyword: "ON")
            let on = try expression()
            var clauses: [MergeClause] = []
            while accept(keyword: "WHEN") {
                let matched = !accept(keyword: "NOT")
                guard accept(word: "MATCHED") else { throw error("expected MATCHED") }
                // Snowflake and DuckDB: WHEN NOT MATCHED [BY TARGET]; BY SOURCE is not supported.
                if accept(keyword: "BY") {
                    guard accept(word: "TARGET") else {
                        throw SQLError(.unsupported, "WHEN NOT MATCHED BY SOURCE is not supported", at: peek.position)
                    }
                }
                let condition = accept(keyword: "AND") ? try expression() : nil
                try expect(keyword: "THEN")
                let action: MergeClause.Action
                if accept(word: "UPDATE") {
                    guard matched else { throw error("WHEN NOT MATCHED can only INSERT") }
                    guard accept(word: "SET") else { throw error("expected SET") }
                    action = .update(try assignmentList())
                } else if accept(word: "DELETE") {
                    guard matched else { throw error("WHEN NOT MATCHED can only INSERT") }
                    action = .delete
                } else if accept(keyword: "INSERT") {
                    guard !matched else { throw error("WHEN MATCHED can UPDATE or DELETE, not INSERT") }
                    var columns: [String]? = nil
                    if accept(symbol: "(") { columns = try namesToParenthesis() }
                    guard accept(word: "VALUES") else { throw error("expected VALUES") }
                    try expect(symbol: "(")
                    var values: [Expr] = []
                    repeat { values.append(try expression()) } while accept(symbol: ",")
                    try expect(symbol: ")")
                    action = .insert(columns: columns, values: values)
                } else {
                    throw error("expected UPDATE, DELETE or INSERT")
                }
                clauses.append(MergeClause(matched: matched, condition: condition, action: action))
            }
            guard !clauses.isEmpty else { throw error("expected WHEN MATCHED or WHEN NOT MATCHED") }
            return .merge(MergeStatement(target: target, source: source, on: on, clauses: clauses))
        }
        if accept(word: "BEGIN") || (isWord("START") && isWord("TRANSACTION", 1) && accept(word: "START")) {
            _ = accept(word: "TRANSACTION") || accept(word: "WORK")
            return .transaction(.begin)
        }
        if accept(word: "COMMIT") || accept(keyword: "END") {
            _ = accept(word: "TRANSACTION") || accept(word: "WORK")
            return .transaction(.commit)
        }
        if accept(word: "ROLLBACK") || accept(word: "ABORT") {
            _ = accept(word: "TRANSACTION") || accept(word: "WORK")
            return .transaction(.rollback)
        }
        if accept(word: "TRUNCATE") {
            _ = accept(keyword: "TABLE")
            var ifExists = false
            if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
            return .truncate(name: try qualifiedName(), ifExists: ifExists)
        }
        return nil
    }

    private mutating func dmlTarget() throws(SQLError) -> DMLTarget {
        let position = peek.position
        let name = try qualifiedName()
        return DMLTarget(name: name, alias: try optionalAlias(), position: position)
    }

    /// `col = expr, ...` (a column may be written `alias.col`).
    private mutating func assignmentList() throws(SQLError) -> [(column: String, value: Expr)] {
        var list: [(column: String, value: Expr)] = []
        repeat {
            var column = try identifier()
            while accept(symbol: ".") { column = try identifier() }
            try expect(symbol: "=")
            list.append((column, try expression()))
        } while accept(symbol: ",")
        return list
    }
}

extension Parser {
    /// A row-changing statement with the CTEs of the WITH clause before it.
    static func attaching(_ ctes: [(name: String, query: SelectStatement)], to statement: Statement) throws(SQLError) -> Statement {
        switch statement {
        case .insert(let name, let columns, var query):
            query.ctes = ctes + query.ctes
            return .insert(name: name, columns: columns, query: query)
        case .delete(var d): d.ctes = ctes; return .delete(d)
        case .update(var u): u.ctes = ctes; return .update(u)
        case .merge(var m): m.ctes = ctes; return .merge(m)
        default: throw SQLError(.syntax, "WITH comes before SELECT, INSERT, UPDATE, DELETE or MERGE")
        }
    }
}
