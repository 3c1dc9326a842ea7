// Recursive-descent parser for moviecol's SQL: SELECT with CTEs, joins, subqueries,
// LATERAL FLATTEN / UNNEST, GROUP BY / HAVING, UNION, ORDER BY, LIMIT / OFFSET, and EXPLAIN.
// Statements and clauses here; expressions in Parser+Expressions.swift.

import Columnar

/// Parses SQL text into statements.
public struct Parser {
    var tokens: [Token]
    /// The statement's text, for words whose spelling matters (a JSON key after `:`).
    let source: [UInt8]
    var at = 0
    let text: [UInt8]
    /// How deeply the statement being parsed nests (expressions, subqueries, chains of
    /// operators, UNIONs and joins). Parsing, binding, planning and evaluation all recurse
    /// over these trees, so a statement nested deeper than `maxDepth` is refused with an
    /// error here rather than running out of stack later (SQLite and DuckDB also stop at 1000).
    var depth = 0
    public static let maxDepth = 1000

    public init(_ sql: String) throws(SQLError) {
        tokens = try Lexer.tokenize(sql)
        source = Array(sql.utf8)
        text = Array(sql.utf8)
    }

    /// Parses every `;`-separated statement.
    public static func parse(_ sql: String) throws(SQLError) -> [Statement] {
        var p = try Parser(sql)
        var result: [Statement] = []
        while true {
            while p.accept(symbol: ";") {}
            if p.peek.kind == .end { break }
            result.append(try p.statement())
            if p.peek.kind != .end && !p.accept(symbol: ";") {
                throw p.error("expected ';' or the end of the statement")
            }
        }
        return result
    }

    // MARK: Token helpers

    var peek: Token { tokens[at] }
    func peek(_ k: Int) -> Token { tokens[min(at + k, tokens.count - 1)] }

    mutating func advance() -> Token {
        let t = tokens[at]
        if at < tokens.count - 1 { at += 1 }
        return t
    }

    func isKeyword(_ k: String) -> Bool { peek.kind == .keyword(k) }

    /// Whether the next token is the unreserved word `w` (OVER, PARTITION, QUALIFY, ROWS ...:
    /// words SQL gives a meaning in one place that remain usable as names everywhere else).
    func isWord(_ w: String, _ k: Int = 0) -> Bool {
        if case .identifier(let s) = peek(k).kind { return s.uppercased() == w }
        return false
    }

    mutating func accept(word w: String) -> Bool {
        if isWord(w) { at += 1; return true }
        return false
    }

    mutating func expect(word w: String) throws(SQLError) {
        guard accept(word: w) else { throw error("expected \(w)") }
    }

    /// Words that end a SELECT item or a table without an `AS`, so they are not taken as aliases.
    /// Functions that return a table, in FROM.
    /// The USING list of a NATURAL JOIN until the binder knows both sides' columns.
    static let naturalJoin = "\u{1}natural"

    static let tableFunctions: Set<String> = ["read_csv", "read_csv_auto", "generate_series", "range", "generator"]
    static let clauseWords: Set<String> = ["QUALIFY", "WINDOW", "EXCEPT", "INTERSECT", "MINUS", "SET", "NATURAL"]

    /// Whether the next word starts a clause rather than naming an alias: one of
    /// `clauseWords`, or ASOF before JOIN / LEFT (`FROM trades asof` is an alias).
    func isClauseWord() -> Bool {
        guard case .identifier(let s) = peek.kind else { return false }
        let word = s.uppercased()
        if word == "ASOF" { return peek(1).kind == .keyword("JOIN") || peek(1).kind == .keyword("LEFT") }
        return Self.clauseWords.contains(word)
    }

    func isNumberToken(_ t: Token) -> Bool {
        switch t.kind {
        case .integer, .decimal: true
        default: false
        }
    }

    /// Whether `t` can begin an operand (after a binary operator).
    func startsOperand(_ t: Token) -> Bool {
        switch t.kind {
        case .integer, .decimal, .string, .identifier, .quotedIdentifier: return true
        case .symbol(let s): return s == "(" || s == "-" || s == "+"
        case .keyword(let k): return ["CASE", "CAST", "NOT", "NULL", "TRUE", "FALSE", "EXISTS"].contains(k)
        default: return false
        }
    }

    mutating func accept(keyword k: String) -> Bool {
        if isKeyword(k) { at += 1; return true }
        return false
    }

    mutating func accept(symbol s: String) -> Bool {
        if peek.kind == .symbol(s) { at += 1; return true }
        return false
    }

    mutating func expect(keyword k: String) throws(SQLError) {
        guard accept(keyword: k) else { throw error("expected \(k)") }
    }

    mutating func expect(symbol s: String) throws(SQLError) {
        guard accept(symbol: s) else { throw error("expected '\(s)'") }
    }

    /// Enters one level of nesting; balanced by `leave()`.
    mutating func enter() throws(SQLError) {
        depth += 1
        if depth > Self.maxDepth { throw tooDeep() }
        try StackGuard.check()
    }

    mutating func leave() { depth -= 1 }

    /// `e` when the tree below it, at the current nesting, stays within `maxDepth`.
    func bounded(_ e: Expr) throws(SQLError) -> Expr {
        if depth + e.height > Self.maxDepth { throw tooDeep() }
        return e
    }

    func tooDeep() -> SQLError {
        SQLError(.syntax, "statement is nested too deeply (more than \(Self.maxDepth) levels of expressions, subqueries, operators or UNIONs)", at: peek.position)
    }

    func error(_ message: String) -> SQLError {
        let found: String
        switch peek.kind {
        case .end: found = "the end of the input"
        case .identifier(let s), .quotedIdentifier(let s): found = "'\(s)'"
        case .keyword(let s): found = s
        case .integer(let s), .decimal(let s): found = s
        case .string(let s): found = "'\(s)'"
        case .symbol(let s): found = "'\(s)'"
        }
        return SQLError(.syntax, "\(message), found \(found)", at: peek.position)
    }

    mutating func identifier() throws(SQLError) -> String {
        switch peek.kind {
        case .identifier(let s), .quotedIdentifier(let s):
            at += 1
            return s
        // Keywords that are also common column names are allowed as identifiers.
        case .keyword(let k) where ["DATE", "TIMESTAMP", "FIRST", "LAST", "VIEW", "TABLE", "ANALYZE", "SEMI", "ANTI"].contains(k):
            at += 1
            return k.lowercased()
        default:
            throw error("expected a name")
        }
    }

    // MARK: Statements

    mutating func statement() throws(SQLError) -> Statement {
        if accept(keyword: "EXPLAIN") {
            let analyze = accept(keyword: "ANALYZE")
            return .explain(try selectStatement(), analyze: analyze)
        }
        if isKeyword("WITH") {
            // `WITH ... SELECT`, or CTEs for a statement that changes rows (DuckDB, PostgreSQL).
            let start = at
            let ctes = try withClause()
            if isKeyword("INSERT") || isWord("UPDATE") || isWord("DELETE") || isWord("MERGE") {
                return try Self.attaching(ctes, to: try statement())
            }
            at = start
        }
        if isKeyword("SELECT") || isKeyword("WITH") || isWord("VALUES") || peek.kind == .symbol("(") || isPivotStatement() || isKeyword("FROM") {
            return .select(try selectStatement())
        }
        if accept(keyword: "CREATE") {
            var orReplace = false
            if accept(keyword: "OR") { try expect(keyword: "REPLACE"); orReplace = true }
            let unique = accept(word: "UNIQUE")
            if accept(word: "INDEX") {
                var ifNotExists = false
                if accept(keyword: "IF") { try expect(keyword: "NOT"); try expect(keyword: "EXISTS"); ifNotExists = true }
                let index = try identifier()
                try expect(keyword: "ON")
                let table = try qualifiedName()
                if accept(keyword: "USING") { _ = try identifier() }
                try expect(symbol: "(")
                let columns = try namesToParenthesis()
                return .createIndex(name: index, table: table, columns: columns, unique: unique, ifNotExists: ifNotExists)
            }
            if unique { throw error("expected INDEX after CREATE UNIQUE") }
            if accept(word: "SCHEMA") {
                var ifNotExists = false
                if accept(keyword: "IF") { try expect(keyword: "NOT"); try expect(keyword: "EXISTS"); ifNotExists = true }
                let name = try qualifiedName()
                return .createSchema(name: name.last!, ifNotExists: ifNotExists)
            }
            if accept(keyword: "VIEW") {
                let name = try qualifiedName()
                try expect(keyword: "AS")
                let start = peek.position
                let query = try selectStatement()
                let body = String(decoding: text[start..<min(peek.position, text.count)], as: UTF8.self)
                return .createView(name: name, orReplace: orReplace, query: query, text: body.trimmingCharacters(in: " "))
            }
            // `TEMP` / `TEMPORARY` (and Snowflake's `TRANSIENT`, kept here like any table but
            // for the session only when temporary): a temporary table lives in schema temp.
            let temporary = accept(word: "TEMP") || accept(word: "TEMPORARY") || accept(word: "LOCAL") && (accept(word: "TEMP") || accept(word: "TEMPORARY"))
            _ = accept(word: "TRANSIENT")
            try expect(keyword: "TABLE")
            var ifNotExists = false
            if accept(keyword: "IF") { try expect(keyword: "NOT"); try expect(keyword: "EXISTS"); ifNotExists = true }
            var name = try qualifiedName()
            if temporary {
                guard name.count == 1 || name[name.count - 2].lowercased() == "temp" else {
                    throw SQLError(.binder, "a temporary table lives in schema temp, not \(name[name.count - 2])", at: peek.position)
                }
                name = ["temp", name[name.count - 1]]
            }
            if accept(symbol: "(") {
                var columns: [ColumnSpec] = []
                var keys: [TableKey] = []
                repeat {
                    if let key = try tableKey() { keys.append(key) } else { columns.append(try columnSpec()) }
                } while accept(symbol: ",")
                try expect(symbol: ")")
                return .createEmptyTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, columns: columns, keys: keys)
            }
            if accept(word: "CLONE") {
                guard !temporary else { throw error("a clone is a stored table, not a temporary one") }
                let source = try qualifiedName()
                return .cloneTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, source: source, point: try timeTravel())
            }
            try expect(keyword: "AS")
            return .createTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, query: try selectStatement())
        }
        if accept(keyword: "INSERT") {
            try expect(keyword: "INTO")
            let name = try qualifiedName()
            var columns: [String]? = nil
            // `(a, b)` names columns; `(SELECT ...)` is the query.
            let namesColumns: Bool
            switch peek(1).kind {
            case .identifier(let w): namesColumns = w.uppercased() != "VALUES"
            case .quotedIdentifier: namesColumns = true
            default: namesColumns = false
            }
            if isWord("DEFAULT") && isWord("VALUES", 1) {
                // Every column its default: an empty column list and one row of DEFAULTs.
                at += 2
                return .insert(name: name, columns: [], query: SelectStatement(body: .values([[Expr.defaultMarker(at: peek.position)]])))
            }
            if peek.kind == .symbol("("), namesColumns {
                at += 1
                columns = try namesToParenthesis()
            }
            return .insert(name: name, columns: columns, query: try selectStatement())
        }
        if isWord("DESCRIBE") || (isKeyword("DESC") && peek(1).kind != .symbol(";")) {
            at += 1
            if isKeyword("SELECT") || isKeyword("WITH") || isWord("VALUES") || peek.kind == .symbol("(") {
                return .describe(.query(try selectStatement()))
            }
            if isKeyword("TABLE") || isWord("TABLE") || isKeyword("VIEW") || isWord("VIEW") { at += 1 }
            return .describe(.table(try qualifiedName()))
        }
        if accept(word: "SUMMARIZE") {
            if isKeyword("SELECT") || isKeyword("WITH") || isWord("VALUES") || peek.kind == .symbol("(") {
                return .describe(.summarize(try selectStatement()))
            }
            _ = accept(keyword: "TABLE")
            let position = peek.position
            let name = try qualifiedName()
            var core = SelectCore()
            core.items = [(Expr(.star(qualifier: nil), at: position), nil)]
            core.from = .table(name: name, alias: nil, position: position)
            return .describe(.summarize(SelectStatement(body: .select(core))))
        }
        if accept(word: "SHOW") {
            if accept(word: "TABLES") { return .describe(.tables) }
            if accept(word: "SCHEMAS") { return .describe(.schemas) }
            if accept(word: "COLUMNS") {
                guard accept(keyword: "FROM") || accept(keyword: "IN") else { throw error("expected FROM after SHOW COLUMNS") }
                return .describe(.table(try qualifiedName()))
            }
            throw error("expected TABLES, SCHEMAS or COLUMNS after SHOW")
        }
        if accept(keyword: "DROP") {
            if accept(word: "INDEX") {
                var ifExists = false
                if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
                return .dropIndex(name: try qualifiedName().last!, ifExists: ifExists)
            }
            if accept(word: "SCHEMA") {
                var ifExists = false
                if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
                let name = try qualifiedName()
                let cascade = accept(word: "CASCADE")
                if !cascade { _ = accept(word: "RESTRICT") }
                return .dropSchema(name: name.last!, ifExists: ifExists, cascade: cascade)
            }
            let view = accept(keyword: "VIEW")
            if !view { try expect(keyword: "TABLE") }
            var ifExists = false
            if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
            return .drop(name: try qualifiedName(), view: view, ifExists: ifExists)
        }
        if accept(word: "UNDROP") {
            guard accept(keyword: "TABLE") else { throw error("expected TABLE after UNDROP (UNDROP TABLE name)") }
            return .undrop(name: try qualifiedName())
        }
        if let statement = try catalogStatement() { return statement }
        if let dml = try dataChangeStatement() { return dml }
        throw error("expected SELECT, WITH, VALUES, EXPLAIN, CREATE, INSERT, UPDATE, DELETE, MERGE, TRUNCATE, ALTER, DROP, UNDROP, USE, BEGIN, COMMIT, ROLLBACK, SHOW or DESCRIBE")
    }

    /// `name type [NOT NULL | NULL] [DEFAULT expr]`, the constraints in either order. Other
    /// constraints need enforcement moviecol does not have yet: refused, never ignored.
    mutating func columnSpec() throws(SQLError) -> ColumnSpec {
        let name = try identifier(), type = try typeName()
        var spec = ColumnSpec(name: name, type: type.type, numeric: type.numeric)
        while true {
            if accept(keyword: "NOT") {
                try expect(keyword: "NULL")
                spec.notNull = true
            } else if accept(keyword: "NULL") {
                spec.notNull = false
            } else if accept(word: "DEFAULT") {
                let start = peek.position
                let value = try expression()
                spec.defaultValue = value
                spec.defaultSQL = String(decoding: text[start..<min(peek.position, text.count)], as: UTF8.self).trimmingCharacters(in: " ")
            } else if accept(word: "PRIMARY") {
                guard accept(word: "KEY") else { throw error("expected KEY after PRIMARY") }
                spec.primaryKey = true
                spec.notNull = true
            } else if accept(word: "UNIQUE") {
                spec.unique = true
            } else if isWord("CHECK") || isWord("REFERENCES") || isWord("COLLATE") || isWord("IDENTITY") || isWord("AUTOINCREMENT")
                        || isWord("CONSTRAINT") || isWord("GENERATED") {
                throw SQLError(.unsupported, "column constraints other than NOT NULL, DEFAULT, PRIMARY KEY and UNIQUE (CHECK, REFERENCES, ...) are not supported yet",
                               at: peek.position)
            } else {
                return spec
            }
        }
    }

    /// A table constraint in CREATE TABLE's list, or nil at a column definition:
    /// `[CONSTRAINT name] PRIMARY KEY (a, ...)` or `UNIQUE (a, ...)`.
    mutating func tableKey() throws(SQLError) -> TableKey? {
        var name: String? = nil
        let start = at
        if accept(word: "CONSTRAINT") { name = try identifier() }
        let primary: Bool
        if isWord("PRIMARY") && isWord("KEY", 1) { at += 2; primary = true }
        else if isWord("UNIQUE") && peek(1).kind == .symbol("(") { at += 1; primary = false }
        else if isWord("FOREIGN") || isWord("CHECK") {
            throw SQLError(.unsupported, "FOREIGN KEY and CHECK constraints are not supported yet", at: peek.position)
        } else {
            at = start
            if name != nil { throw error("expected PRIMARY KEY or UNIQUE after CONSTRAINT name") }
            return nil
        }
        try expect(symbol: "(")
        let columns = try namesToParenthesis()
        return TableKey(columns: columns, primary: primary, name: name)
    }

    /// `a, b, c)`: names up to the closing parenthesis (the opening one already read).
    mutating func namesToParenthesis() throws(SQLError) -> [String] {
        var names: [String] = []
        repeat { names.append(try identifier()) } while accept(symbol: ",")
        try expect(symbol: ")")
        return names
    }

    mutating func qualifiedName() throws(SQLError) -> [String] {
        var name = [try identifier()]
        while accept(symbol: ".") { name.append(try identifier()) }
        guard name.count <= 3 else { throw error("a name has at most three parts (database.schema.table)") }
        return name
    }

    /// `WITH [RECURSIVE] name [(columns)] AS (query), ...`, or nothing.
    mutating func withClause() throws(SQLError) -> [(name: String, query: SelectStatement)] {
        var ctes: [(name: String, query: SelectStatement)] = []
        guard accept(keyword: "WITH") else { return ctes }
        // A CTE whose later UNION terms read it is recursive with or without the word
        // (as in Snowflake): see `Binder.bindRecursive`.
        _ = accept(word: "RECURSIVE")
        repeat {
            let name = try identifier()
            var aliases: [String]? = nil
            if accept(symbol: "(") { aliases = try namesToParenthesis() }
            try expect(keyword: "AS")
            try expect(symbol: "(")
            var query = try selectStatement()
            query.columnAliases = aliases
            ctes.append((name, query))
            try expect(symbol: ")")
        } while accept(symbol: ",")
        return ctes
    }

    mutating func selectStatement() throws(SQLError) -> SelectStatement {
        try enter()
        defer { leave() }
        let ctes = try withClause()
        var statement = SelectStatement(ctes: ctes, body: try queryBody())
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            if isKeyword("ALL") {
                // DuckDB's `ORDER BY ALL [DESC] [NULLS ...]`: every output column, left to right.
                let position = peek.position
                at += 1
                var item = OrderItem(expr: Expr(.star(qualifier: nil), at: position), descending: false, nullsFirst: nil)
                if accept(keyword: "DESC") { item.descending = true } else { _ = accept(keyword: "ASC") }
                if accept(keyword: "NULLS") {
                    if accept(keyword: "FIRST") { item.nullsFirst = true } else { try expect(keyword: "LAST"); item.nullsFirst = false }
                }
                statement.orderBy = [item]
            } else {
                statement.orderBy = try orderItems()
            }
        }
        if case .select(var core) = statement.body {
            Self.distinctOn(&core, orderBy: statement.orderBy)
            statement.body = .select(core)
        } else {
            statement.body = Self.distinctOnBranches(statement.body)
        }
        if accept(keyword: "LIMIT") {
            if case .symbol("%") = peek(1).kind, isNumberToken(peek), !startsOperand(peek(2)) {
                // `LIMIT 10%`: the `%` is not a modulo with nothing after it.
                statement.limit = try primary()
                at += 1
                statement.limitPercent = true
            } else {
                statement.limit = try expression()
                statement.limitPercent = accept(word: "PERCENT")
            }
            if accept(keyword: "OFFSET") { statement.offset = try expression(); _ = accept(word: "ROWS") || accept(word: "ROW") }
        } else {
            // The standard's `[OFFSET n ROWS] [FETCH {FIRST | NEXT} n {ROWS | ROW} ONLY]`.
            if accept(keyword: "OFFSET") { statement.offset = try expression(); _ = accept(word: "ROWS") || accept(word: "ROW") }
            if accept(word: "FETCH") {
                guard accept(keyword: "FIRST") || accept(word: "NEXT") else { throw error("expected FIRST or NEXT after FETCH") }
                statement.limit = isWord("ROWS") || isWord("ROW") ? Expr(.literal(.int(1)), at: peek.position) : try expression()
                guard accept(word: "ROWS") || accept(word: "ROW") else { throw error("expected ROWS after FETCH FIRST n") }
                guard accept(word: "ONLY") else { throw error("expected ONLY after FETCH FIRST n ROWS") }
            }
        }
        // `SELECT TOP n ...`: the limit of the statement, after its ORDER BY (Snowflake).
        if case .select(var core) = statement.body, let top = core.top {
            guard statement.limit == nil else { throw SQLError(.syntax, "TOP and LIMIT / FETCH are both given", at: top.position) }
            statement.limit = top
            core.top = nil
            statement.body = .select(core)
        }
        return statement
    }

    /// `expr [ASC | DESC] [NULLS FIRST | LAST], ...`
    mutating func orderItems() throws(SQLError) -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            let e = try expression()
            var descending = false
            if accept(keyword: "DESC") { descending = true } else { _ = accept(keyword: "ASC") }
            var nullsFirst: Bool? = nil
            if accept(keyword: "NULLS") {
                if accept(keyword: "FIRST") { nullsFirst = true } else { try expect(keyword: "LAST"); nullsFirst = false }
            }
            items.append(OrderItem(expr: e, descending: descending, nullsFirst: nullsFirst))
        } while accept(symbol: ",")
        return items
    }

    /// UNION and EXCEPT (MINUS) left to right; INTERSECT binds tighter (standard SQL).
    mutating func queryBody() throws(SQLError) -> QueryBody {
        var left = try intersection()
        var chain = 0
        while true {
            let except = isWord("EXCEPT") || isWord("MINUS")
            guard except || isKeyword("UNION") else { break }
            at += 1
            let all = accept(keyword: "ALL")
            if !all { _ = accept(keyword: "DISTINCT") }
            // A chain of set operations is a left-deep tree that binding recurses through.
            chain += 1
            if depth + chain > Self.maxDepth { throw tooDeep() }
            if except {
                left = .setOperation(left, try intersection(), .except, all: all)
            } else if accept(keyword: "BY") {
                try expect(word: "NAME")
                left = .unionByName(left, try intersection(), all: all)
            } else {
                left = .union(left, try intersection(), all: all)
            }
        }
        return left
    }

    mutating func intersection() throws(SQLError) -> QueryBody {
        var left = try queryTerm()
        var chain = 0
        while accept(word: "INTERSECT") {
            let all = accept(keyword: "ALL")
            if !all { _ = accept(keyword: "DISTINCT") }
            chain += 1
            if depth + chain > Self.maxDepth { throw tooDeep() }
            left = .setOperation(left, try queryTerm(), .intersect, all: all)
        }
        return left
    }

    mutating func queryTerm() throws(SQLError) -> QueryBody {
        if accept(word: "VALUES") {
            var rows: [[Expr]] = []
            repeat {
                try expect(symbol: "(")
                var row: [Expr] = []
                repeat { row.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: ")")
                rows.append(row)
            } while accept(symbol: ",")
            return .values(rows)
        }
        if accept(symbol: "(") {
            let inner = try selectStatement()
            try expect(symbol: ")")
            guard inner.orderBy.isEmpty, inner.limit == nil, inner.ctes.isEmpty else {
                // A parenthesized query with its own ORDER BY / LIMIT: keep it as a subquery.
                var core = SelectCore()
                core.items = [(Expr(.star(qualifier: nil), at: peek.position), nil)]
                core.from = .subquery(inner, alias: nil)
                return .select(core)
            }
            return inner.body
        }
        if isPivotStatement() { return try pivotStatement() }
        return .select(try selectCore())
    }

    /// DuckDB's statement forms `PIVOT t ON ...` and `UNPIVOT t ON ...`, where a query starts
    /// (the FROM clauses follow a table instead).
    func isPivotStatement() -> Bool { isWord("PIVOT") || isWord("UNPIVOT") }

    /// `PIVOT input ON column [IN (values)] [USING agg [AS a], ...] [GROUP BY columns]` or
    /// `UNPIVOT input ON column, ... [INTO NAME n VALUE v]`, read as
    /// `SELECT * FROM input PIVOT | UNPIVOT (...)`.
    mutating func pivotStatement() throws(SQLError) -> QueryBody {
        let position = peek.position
        let unpivot = accept(word: "UNPIVOT")
        if !unpivot { try expect(word: "PIVOT") }
        let input = try tablePrimary()
        try expect(keyword: "ON")
        var core = SelectCore()
        core.items = [(Expr(.star(qualifier: nil), at: position), nil)]
        if unpivot {
            var columns: [(name: String, label: String?, position: Int)] = []
            repeat { columns.append((try identifier(), nil, peek.position)) } while accept(symbol: ",")
            var name = "name", value = "value"
            if accept(keyword: "INTO") {
                try expect(word: "NAME")
                name = try identifier()
                try expect(word: "VALUE")
                value = try identifier()
            }
            core.from = .unpivot(input: input, UnpivotClause(valueColumn: value, nameColumn: name, columns: columns, includeNulls: false),
                                 alias: nil, position: position)
            return .select(core)
        }
        let columnPosition = peek.position
        var path = [try identifier()]
        while accept(symbol: ".") { path.append(try identifier()) }
        if accept(symbol: ",") { throw error("PIVOT ... ON takes one column here; combine several into one expression first") }
        var values = PivotClause.Values.any(orderBy: [])
        if accept(keyword: "IN") {
            try expect(symbol: "(")
            values = try pivotValueList()
        }
        var aggregates: [(call: Expr, alias: String?)] = []
        if accept(keyword: "USING") {
            repeat {
                let call = try expression()
                aggregates.append((call, accept(keyword: "AS") ? try identifier() : nil))
            } while accept(symbol: ",")
        } else {
            aggregates = [(Expr(.function(name: "count", args: [], distinct: false, star: true, clauses: .none), at: position), nil)]
        }
        var groupBy: [Expr]? = nil
        if accept(keyword: "GROUP") {
            try expect(keyword: "BY")
            var keys: [Expr] = []
            repeat { keys.append(try expression()) } while accept(symbol: ",")
            groupBy = keys
        }
        var clause = PivotClause(aggregates: aggregates, column: Expr(.column(path), at: columnPosition), values: values, defaultOnNull: nil)
        clause.groupBy = groupBy
        core.from = .pivot(input: input, clause, alias: nil, position: position)
        return .select(core)
    }

    mutating func selectCore() throws(SQLError) -> SelectCore {
        var core = SelectCore()
        // DuckDB's FROM-first queries: `FROM t` (all columns) and `FROM t SELECT a WHERE ...`.
        let fromFirst = isKeyword("FROM")
        if fromFirst {
            at += 1
            try fromItems(&core)
            guard isKeyword("SELECT") else {
                core.items = [(Expr(.star(qualifier: nil), at: peek.position), nil)]
                try selectClauses(&core)
                return core
            }
        }
        try expect(keyword: "SELECT")
        if accept(keyword: "DISTINCT") {
            if accept(keyword: "ON") {
                try expect(symbol: "(")
                var keys: [Expr] = []
                repeat { keys.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: ")")
                core.distinctOn = keys
            } else {
                core.distinct = true
            }
        } else {
            _ = accept(keyword: "ALL")
        }
        if isWord("TOP"), case .integer = peek(1).kind {
            at += 1
            core.top = try primary()
        }
        repeat {
            var e = try expression()
            // Snowflake's `* ILIKE 'pattern'` reads as a LIKE whose left side is the star.
            var like: (pattern: String, caseInsensitive: Bool)? = nil
            if case .like(let x, let p, let ci, false) = e.kind, case .star = x.kind, case .literal(.string(let pattern)) = p.kind {
                e = x
                like = (pattern, ci)
            }
            if case .star = e.kind, like != nil || isWord("EXCLUDE") || isWord("RENAME") || isKeyword("REPLACE") {
                var modifiers = try starModifiers() ?? StarModifiers()
                modifiers.like = like
                core.starModifiers[core.items.count] = modifiers
                core.items.append((e, nil))
                continue
            }
            var alias: String? = nil
            if accept(keyword: "AS") { alias = try identifier() }
            else if case .identifier(let s) = peek.kind, !isClauseWord() { alias = s; at += 1 }
            else if case .quotedIdentifier(let s) = peek.kind { alias = s; at += 1 }
            core.items.append((e, alias))
        } while accept(symbol: ",")
        if !fromFirst && accept(keyword: "FROM") { try fromItems(&core) }
        try selectClauses(&core)
        return core
    }

    /// The FROM clause's tables (after FROM), with DuckDB's `USING SAMPLE` over all of them.
    mutating func fromItems(_ core: inout SelectCore) throws(SQLError) {
        core.from = try fromClause()
        if isKeyword("USING") && isWord("SAMPLE", 1) {
            // DuckDB's `FROM ... USING SAMPLE 10%`: a sample of the whole FROM clause.
            let position = peek.position
            at += 2
            core.from = .sample(input: core.from!, try sampleClause(), position: position)
        }
    }

    /// WHERE, GROUP BY, HAVING, WINDOW and QUALIFY.
    mutating func selectClauses(_ core: inout SelectCore) throws(SQLError) {
        if accept(keyword: "WHERE") { core.whereClause = try expression() }
        if accept(keyword: "GROUP") {
            try expect(keyword: "BY")
            try groupByClause(&core)
        }
        if accept(keyword: "HAVING") { core.having = try expression() }
        if accept(word: "WINDOW") {
            repeat {
                let name = try identifier()
                try expect(keyword: "AS")
                try expect(symbol: "(")
                core.windows.append((name, try windowSpec()))
                try expect(symbol: ")")
            } while accept(symbol: ",")
        }
        if accept(word: "QUALIFY") { core.qualify = try expression() }
    }

    /// `SELECT DISTINCT ON (keys) ... ORDER BY o` as `... QUALIFY ROW_NUMBER() OVER
    /// (PARTITION BY keys ORDER BY o) = 1`: the first row of each key in the statement's
    /// order (ORDER BY positions and aliases read as the SELECT items they name).
    static func distinctOn(_ core: inout SelectCore, orderBy: [OrderItem]) {
        guard let keys = core.distinctOn else { return }
        core.distinctOn = nil
        let position = keys[0].position
        let order = orderBy.map { item -> OrderItem in
            var item = item
            if case .literal(.int(let k)) = item.expr.kind, k >= 1, Int(k) <= core.items.count, case let e = core.items[Int(k) - 1].expr {
                if case .star = e.kind {} else { item.expr = e }
            } else if case .column(let parts) = item.expr.kind, parts.count == 1,
                      let named = core.items.first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) {
                item.expr = named.expr
            }
            return item
        }
        let spec = WindowSpec(partitionBy: keys, orderBy: order)
        let first = Expr(.binary(op: .comparison(.equal),
                                 Expr(.window(WindowCall(name: "row_number", args: [], distinct: false, star: false, ignoreNulls: false,
                                                         over: spec, clauses: .none)), at: position),
                                 Expr(.literal(.int(1)), at: position)), at: position)
        core.qualify = core.qualify.map { Expr(.binary(op: .logical(.and), $0, first), at: position) } ?? first
    }

    /// DISTINCT ON in the SELECTs of a set operation (no ORDER BY of their own).
    static func distinctOnBranches(_ body: QueryBody) -> QueryBody {
        switch body {
        case .select(var core): distinctOn(&core, orderBy: []); return .select(core)
        case .union(let l, let r, let all): return .union(distinctOnBranches(l), distinctOnBranches(r), all: all)
        case .unionByName(let l, let r, let all): return .unionByName(distinctOnBranches(l), distinctOnBranches(r), all: all)
        case .setOperation(let l, let r, let op, let all): return .setOperation(distinctOnBranches(l), distinctOnBranches(r), op, all: all)
        case .values: return body
        }
    }

    /// `EXCLUDE`, `RENAME` and `REPLACE` after a `*`, in any order; nil when none follows.
    mutating func starModifiers() throws(SQLError) -> StarModifiers? {
        var m = StarModifiers()
        var any = false
        while true {
            if accept(word: "EXCLUDE") {
                m.exclude += try parenthesizedList { (p) throws(SQLError) in try p.identifier() }
            } else if accept(word: "RENAME") {
                m.rename += try parenthesizedList { (p) throws(SQLError) in
                    let from = try p.identifier()
                    try p.expect(keyword: "AS")
                    return (from, try p.identifier())
                }
            } else if accept(keyword: "REPLACE") {
                m.replace += try parenthesizedList { (p) throws(SQLError) in
                    let e = try p.expression()
                    try p.expect(keyword: "AS")
                    return (e, try p.identifier())
                }
            } else {
                return any ? m : nil
            }
            any = true
        }
    }

    /// `item` or `(item, item, ...)`.
    mutating func parenthesizedList<T>(_ item: (inout Parser) throws(SQLError) -> T) throws(SQLError) -> [T] {
        guard accept(symbol: "(") else { return [try item(&self)] }
        var out: [T] = []
        repeat { out.append(try item(&self)) } while accept(symbol: ",")
        try expect(symbol: ")")
        return out
    }

    /// The most grouping sets a GROUP BY may make (CUBE of 12 expressions).
    static let maxGroupingSets = 4096

    /// `GROUP BY ALL`, or a list of expressions, `ROLLUP (...)`, `CUBE (...)` and
    /// `GROUPING SETS (...)`; several items make every combination of their sets.
    mutating func groupByClause(_ core: inout SelectCore) throws(SQLError) {
        if accept(keyword: "ALL") { core.groupByAll = true; return }
        var items: [[[Expr]]] = []  // per item, its sets
        var grouped = false
        repeat {
            let p = peek.position
            if (isWord("ROLLUP") || isWord("CUBE")) && peek(1).kind == .symbol("(") {
                let cube = isWord("CUBE")
                at += 2
                var list: [Expr] = []
                repeat { list.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: ")")
                guard !cube || list.count <= 12 else { throw SQLError(.limit, "CUBE takes at most 12 expressions", at: p) }
                if cube {
                    // Every subset, the fullest first.
                    items.append((0..<(1 << list.count)).reversed().map { mask in
                        list.indices.filter { mask & (1 << (list.count - 1 - $0)) != 0 }.map { list[$0] }
                    })
                } else {
                    items.append((0...list.count).reversed().map { Array(list.prefix($0)) })
                }
                grouped = true
            } else if isWord("GROUPING") && isWord("SETS", 1) && peek(2).kind == .symbol("(") {
                at += 3
                var sets: [[Expr]] = []
                repeat {
                    if accept(symbol: "(") {
                        var set: [Expr] = []
                        if !accept(symbol: ")") {
                            repeat { set.append(try expression()) } while accept(symbol: ",")
                            try expect(symbol: ")")
                        }
                        sets.append(set)
                    } else {
                        sets.append([try expression()])
                    }
                } while accept(symbol: ",")
                try expect(symbol: ")")
                items.append(sets)
                grouped = true
            } else {
                items.append([[try expression()]])
            }
        } while accept(symbol: ",")
        guard grouped else {
            core.groupBy = items.map { $0[0][0] }
            return
        }
        var combined: [[Expr]] = [[]]
        for item in items {
            combined = combined.flatMap { prefix in item.map { prefix + $0 } }
            guard combined.count <= Self.maxGroupingSets else {
                throw SQLError(.limit, "GROUP BY makes more than \(Self.maxGroupingSets) grouping sets", at: peek.position)
            }
        }
        // Each distinct expression once in `groupBy`; the sets as positions in it.
        var keys: [String] = []
        var sets: [[Int]] = []
        for set in combined {
            var positions: [Int] = []
            for e in set {
                let key = Binder.fingerprint(e)
                let i = keys.firstIndex(of: key) ?? {
                    keys.append(key)
                    core.groupBy.append(e)
                    return keys.count - 1
                }()
                if !positions.contains(i) { positions.append(i) }
            }
            sets.append(positions)
        }
        core.groupingSets = sets
    }

    // MARK: FROM

    mutating func fromClause() throws(SQLError) -> TableRef {
        var left = try tableItem()
        var chain = 0
        while true {
            // Joins form a left-deep tree that binding recurses through.
            chain += 1
            if depth + chain > Self.maxDepth { throw tooDeep() }
            if accept(symbol: ",") {
                if isKeyword("LATERAL") || isFlattenStart() {
                    left = .join(left: left, right: try tableItem(), kind: .cross, on: nil, using: [])
                } else {
                    left = .join(left: left, right: try tableItem(), kind: .cross, on: nil, using: [])
                }
                continue
            }
            if isWord("ASOF") {
                let p = advance().position
                let keepLeft = accept(keyword: "LEFT")
                if keepLeft { _ = accept(keyword: "OUTER") }
                try expect(keyword: "JOIN")
                left = try asofJoin(left, keepLeft: keepLeft, at: p)
                continue
            }
            var kind: JoinKind? = nil
            // `NATURAL [kind] JOIN`: USING every column name both sides have.
            let natural = accept(word: "NATURAL")
            if accept(keyword: "JOIN") { kind = .inner }
            else if accept(keyword: "INNER") { try expect(keyword: "JOIN"); kind = .inner }
            else if accept(keyword: "LEFT") { _ = accept(keyword: "OUTER"); try expect(keyword: "JOIN"); kind = .left }
            else if accept(keyword: "CROSS") { try expect(keyword: "JOIN"); kind = .cross }
            else if accept(keyword: "RIGHT") { _ = accept(keyword: "OUTER"); try expect(keyword: "JOIN"); kind = .right }
            else if accept(keyword: "FULL") { _ = accept(keyword: "OUTER"); try expect(keyword: "JOIN"); kind = .full }
            guard let kind else {
                if natural { throw error("expected JOIN after NATURAL") }
                break
            }
            let right = try tableItem()
            var on: Expr? = nil
            var using: [String] = []
            if natural {
                guard kind != .cross else { throw error("NATURAL CROSS JOIN is not a join") }
                left = .join(left: left, right: right, kind: kind, on: nil, using: [Self.naturalJoin])
                continue
            }
            if kind != .cross {
                if accept(keyword: "ON") {
                    on = try expression()
                } else if accept(keyword: "USING") {
                    try expect(symbol: "(")
                    using = try namesToParenthesis()
                } else if case .flatten = right {
                    // LATERAL FLATTEN needs no condition.
                } else {
                    throw error("expected ON or USING after JOIN")
                }
            }
            left = .join(left: left, right: right, kind: kind, on: on, using: using)
        }
        return left
    }

    func isFlattenStart() -> Bool {
        if case .identifier(let s) = peek.kind, ["flatten", "unnest", "split_to_table"].contains(s.lowercased()) {
            return peek(1).kind == .symbol("(")
        }
        return false
    }

    /// The function a `SPLIT_TO_TABLE(text, delimiter)` input stands for: its elements are
    /// numbered from 1 (FLATTEN's from 0).
    static let splitToTable = "\u{1}split_to_table"

    /// `FLATTEN(input => e)`, `UNNEST(e)` or `SPLIT_TO_TABLE(text, delimiter)`, with its alias.
    mutating func flattenItem() throws(SQLError) -> TableRef {
        let position = peek.position
        guard case .identifier(let fn) = advance().kind else { throw error("expected FLATTEN or UNNEST") }
        try expect(symbol: "(")
        if fn.lowercased() == "split_to_table" {
            let text = try expression()
            try expect(symbol: ",")
            let delimiter = try expression()
            try expect(symbol: ")")
            let input = Expr(.function(name: Self.splitToTable, args: [text, delimiter], distinct: false, star: false, clauses: .none), at: position)
            return .flatten(input: input, alias: try optionalAlias(), unnest: false)
        }
        if case .identifier(let w) = peek.kind, w.lowercased() == "input", peek(1).kind == .symbol("=>") { at += 2 }
        let input = try expression()
        try expect(symbol: ")")
        return .flatten(input: input, alias: try optionalAlias(), unnest: fn.lowercased() == "unnest")
    }

    /// A table in FROM with the PIVOT and UNPIVOT clauses that follow it.
    mutating func tableItem() throws(SQLError) -> TableRef {
        var item = try tablePrimary()
        while isPivotStart() || isSampleStart() {
            if isSampleStart() {
                let position = peek.position
                at += 1
                item = .sample(input: item, try sampleClause(), position: position)
                continue
            }
            let position = peek.position
            if accept(word: "PIVOT") {
                item = .pivot(input: item, try pivotClause(), alias: nil, position: position)
            } else {
                at += 1
                item = .unpivot(input: item, try unpivotClause(), alias: nil, position: position)
            }
            let alias = try optionalAlias()
            switch item {
            case .pivot(let input, let clause, _, _): item = .pivot(input: input, clause, alias: alias, position: position)
            case .unpivot(let input, let clause, _, _): item = .unpivot(input: input, clause, alias: alias, position: position)
            default: break
            }
            item = try columnAliased(item, alias)
        }
        return item
    }

    /// SAMPLE or TABLESAMPLE as a clause after a table (both remain usable as names).
    func isSampleStart() -> Bool {
        guard isWord("SAMPLE") || isWord("TABLESAMPLE") else { return false }
        if peek(1).kind == .symbol("(") { return true }
        if case .identifier(let w) = peek(1).kind { return Self.sampleMethods.contains(w.uppercased()) }
        if isWord("TABLESAMPLE") { if case .integer = peek(1).kind { return true }; if case .decimal = peek(1).kind { return true } }
        return false
    }

    static let sampleMethods: Set<String> = ["BERNOULLI", "ROW", "SYSTEM", "BLOCK", "RESERVOIR"]

    /// After SAMPLE / TABLESAMPLE / USING SAMPLE: `[method] (n [PERCENT | ROWS]) [REPEATABLE | SEED (s)]`,
    /// or DuckDB's unparenthesized `10%`, `10 PERCENT`, `50 ROWS` with `(method[, seed])` after it.
    mutating func sampleClause() throws(SQLError) -> SampleClause {
        var method: String? = nil
        if case .identifier(let w) = peek.kind, Self.sampleMethods.contains(w.uppercased()) { method = w.uppercased(); at += 1 }
        let parenthesized = accept(symbol: "(")
        let amount = try primary()
        var rows = false
        if accept(word: "ROWS") { rows = true } else if !accept(word: "PERCENT") { _ = accept(symbol: "%") }
        if parenthesized { try expect(symbol: ")") }
        var seed: Expr? = nil
        if !parenthesized, method == nil, peek.kind == .symbol("("), case .identifier(let w) = peek(1).kind, Self.sampleMethods.contains(w.uppercased()) {
            // DuckDB: `USING SAMPLE 10% (bernoulli, 42)`.
            at += 2
            if accept(symbol: ",") { seed = try primary() }
            try expect(symbol: ")")
        }
        if accept(word: "REPEATABLE") || accept(word: "SEED") {
            try expect(symbol: "(")
            seed = try primary()
            try expect(symbol: ")")
        }
        return SampleClause(amount: amount, rows: rows, seed: seed)
    }

    /// PIVOT or UNPIVOT as a clause (both remain usable as names).
    func isPivotStart() -> Bool {
        if isWord("PIVOT") { return peek(1).kind == .symbol("(") }
        if isWord("UNPIVOT") { return peek(1).kind == .symbol("(") || isWord("INCLUDE", 1) || isWord("EXCLUDE", 1) }
        return false
    }

    /// `(agg [AS a], ... FOR column IN (values | ANY [ORDER BY ...] | query) [DEFAULT ON NULL (e)])`
    mutating func pivotClause() throws(SQLError) -> PivotClause {
        try expect(symbol: "(")
        var aggregates: [(call: Expr, alias: String?)] = []
        repeat {
            let call = try expression()
            var alias: String? = nil
            if accept(keyword: "AS") { alias = try identifier() }
            else if case .identifier(let s) = peek.kind, s.uppercased() != "FOR" { alias = s; at += 1 }
            else if case .quotedIdentifier(let s) = peek.kind { alias = s; at += 1 }
            aggregates.append((call, alias))
        } while accept(symbol: ",")
        try expect(word: "FOR")
        let columnPosition = peek.position
        var path = [try identifier()]
        while accept(symbol: ".") { path.append(try identifier()) }
        try expect(keyword: "IN")
        try expect(symbol: "(")
        let values: PivotClause.Values
        if accept(word: "ANY") {
            var orderBy: [OrderItem] = []
            if accept(keyword: "ORDER") {
                try expect(keyword: "BY")
                orderBy = try orderItems()
            }
            values = .any(orderBy: orderBy)
            try expect(symbol: ")")
        } else if isKeyword("SELECT") || isKeyword("WITH") {
            values = .query(try selectStatement())
            try expect(symbol: ")")
        } else {
            values = try pivotValueList()
        }
        var defaultOnNull: Expr? = nil
        if accept(word: "DEFAULT") {
            try expect(keyword: "ON")
            try expect(keyword: "NULL")
            try expect(symbol: "(")
            defaultOnNull = try expression()
            try expect(symbol: ")")
        }
        try expect(symbol: ")")
        return PivotClause(aggregates: aggregates, column: Expr(.column(path), at: columnPosition), values: values,
                           defaultOnNull: defaultOnNull)
    }

    /// `value [AS name], ...)`: PIVOT's listed values, after the opening parenthesis.
    mutating func pivotValueList() throws(SQLError) -> PivotClause.Values {
        var items: [(value: Expr, alias: String?)] = []
        repeat {
            let value = try expression()
            items.append((value, accept(keyword: "AS") ? try identifier() : nil))
        } while accept(symbol: ",")
        try expect(symbol: ")")
        return .list(items)
    }

    /// `[INCLUDE | EXCLUDE NULLS] (value FOR name IN (column [AS label], ...))`
    mutating func unpivotClause() throws(SQLError) -> UnpivotClause {
        var includeNulls = false
        if accept(word: "INCLUDE") { try expect(keyword: "NULLS"); includeNulls = true }
        else if accept(word: "EXCLUDE") { try expect(keyword: "NULLS") }
        try expect(symbol: "(")
        let value = try identifier()
        try expect(word: "FOR")
        let name = try identifier()
        try expect(keyword: "IN")
        try expect(symbol: "(")
        var columns: [(name: String, label: String?, position: Int)] = []
        repeat {
            let position = peek.position
            let column = try identifier()
            var label: String? = nil
            if accept(keyword: "AS") {
                if case .string(let s) = peek.kind { at += 1; label = s } else { label = try identifier() }
            }
            columns.append((column, label, position))
        } while accept(symbol: ",")
        try expect(symbol: ")")
        try expect(symbol: ")")
        return UnpivotClause(valueColumn: value, nameColumn: name, columns: columns, includeNulls: includeNulls)
    }

    mutating func tablePrimary() throws(SQLError) -> TableRef {
        _ = accept(keyword: "LATERAL")
        if isFlattenStart() { return try flattenItem() }
        if isKeyword("TABLE") && peek(1).kind == .symbol("("), case .identifier(let fn) = peek(2).kind,
           ["flatten", "split_to_table"].contains(fn.lowercased()) {
            // Snowflake's `TABLE(FLATTEN(...))`, `TABLE(SPLIT_TO_TABLE(...))`.
            at += 2
            guard case .flatten(let input, _, let unnest) = try flattenItem() else { throw error("expected FLATTEN") }
            try expect(symbol: ")")
            return .flatten(input: input, alias: try optionalAlias(), unnest: unnest)
        }
        if accept(symbol: "(") {
            var q = try selectStatement()
            try expect(symbol: ")")
            let alias = try optionalAlias()
            // `AS t(a, b)`: names for the derived table's columns.
            if alias != nil, accept(symbol: "(") { q.columnAliases = try namesToParenthesis() }
            return .subquery(q, alias: alias)
        }
        let position = peek.position
        if case .string(let path) = peek.kind {
            // DuckDB's `FROM 'ratings.csv'`: the file read as a table.
            at += 1
            return .function(name: "read_csv_auto", args: [Expr(.literal(.string(path)), at: position)], named: [],
                             alias: try optionalAlias(), position: position)
        }
        if isKeyword("TABLE") && peek(1).kind == .symbol("(") {
            // Snowflake's `TABLE(GENERATOR(ROWCOUNT => n))`: a table function's rows.
            at += 2
            guard case .identifier(let fn) = peek.kind, Self.tableFunctions.contains(fn.lowercased()), peek(1).kind == .symbol("(") else {
                throw error("expected a table function inside TABLE(...): \(Self.tableFunctions.sorted().joined(separator: ", "))")
            }
            var inner = try tableFunctionCall()
            try expect(symbol: ")")
            let alias = try optionalAlias()
            if case .function(let name, let args, let named, _, let position) = inner {
                inner = .function(name: name, args: args, named: named, alias: alias, position: position)
            }
            return try columnAliased(inner, alias)
        }
        if case .identifier(let fn) = peek.kind, Self.tableFunctions.contains(fn.lowercased()), peek(1).kind == .symbol("(") {
            let call = try tableFunctionCall()
            let alias = try optionalAlias()
            guard case .function(let name, let args, let named, _, let position) = call else { return call }
            return try columnAliased(.function(name: name, args: args, named: named, alias: alias, position: position), alias)
        }
        var name = [try identifier()]
        while accept(symbol: ".") { name.append(try identifier()) }
        if let point = try timeTravel() {
            let alias = try optionalAlias()
            return try columnAliased(.history(name: name, point: point, alias: alias, position: position), alias)
        }
        let alias = try optionalAlias()
        return try columnAliased(.table(name: name, alias: alias, position: position), alias)
    }

    /// `AT(VERSION => n)`, `AT(TIMESTAMP => ts)`, `AT(OFFSET => -seconds)` and the same with
    /// BEFORE, after a table name (Snowflake's time travel); nil when none follows.
    mutating func timeTravel() throws(SQLError) -> TimeTravel? {
        guard isWord("AT") || isWord("BEFORE"), peek(1).kind == .symbol("("), peek(3).kind == .symbol("=>") else { return nil }
        let word: String
        switch peek(2).kind {
        case .identifier(let w), .keyword(let w): word = w
        default: return nil
        }
        let before = isWord("BEFORE")
        guard let kind = TimeTravel.Kind(rawValue: word.lowercased()) else {
            throw SQLError(.syntax, "time travel takes VERSION, TIMESTAMP or OFFSET, not \(word)", at: peek(2).position)
        }
        at += 4
        let value = try expression()
        try expect(symbol: ")")
        return TimeTravel(kind: kind, value: value, before: before)
    }

    /// `name(arg, ..., key = value | key := value | key => value, ...)` of a table function.
    mutating func tableFunctionCall() throws(SQLError) -> TableRef {
        let position = peek.position
        guard case .identifier(let fn) = peek.kind else { throw error("expected a table function") }
        at += 2
        var args: [Expr] = [], named: [(name: String, value: Expr)] = []
        if !accept(symbol: ")") {
            repeat {
                if case .identifier(let key) = peek.kind,
                   peek(1).kind == .symbol("=") || peek(1).kind == .symbol(":=") || peek(1).kind == .symbol("=>") {
                    at += 2
                    named.append((key.lowercased(), try expression()))
                } else {
                    args.append(try expression())
                }
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        return .function(name: fn.lowercased(), args: args, named: named, alias: nil, position: position)
    }

    /// `t AS x(a, b)`, `range(3) AS r(i)`: new names for the first columns of a table or a
    /// table function's rows, read as the derived table `(SELECT * FROM t) AS x(a, b)`.
    mutating func columnAliased(_ ref: TableRef, _ alias: String?) throws(SQLError) -> TableRef {
        guard let alias, peek.kind == .symbol("(") else { return ref }
        at += 1
        let names = try namesToParenthesis()
        var bare = ref
        switch ref {
        case .table(let name, _, let position): bare = .table(name: name, alias: nil, position: position)
        case .history(let name, let point, _, let position): bare = .history(name: name, point: point, alias: nil, position: position)
        case .function(let name, let args, let named, _, let position): bare = .function(name: name, args: args, named: named, alias: nil, position: position)
        case .pivot(let input, let clause, _, let position): bare = .pivot(input: input, clause, alias: nil, position: position)
        case .unpivot(let input, let clause, _, let position): bare = .unpivot(input: input, clause, alias: nil, position: position)
        default: break
        }
        var core = SelectCore()
        core.items = [(Expr(.star(qualifier: nil), at: peek.position), nil)]
        core.from = bare
        var q = SelectStatement(body: .select(core))
        q.columnAliases = names
        return .subquery(q, alias: alias)
    }

    mutating func optionalAlias() throws(SQLError) -> String? {
        if accept(keyword: "AS") { return try identifier() }
        switch peek.kind {
        case .identifier where isClauseWord() || isPivotStart() || isSampleStart():
            return nil
        case .identifier(let s), .quotedIdentifier(let s):
            at += 1
            return s
        case .keyword(let k) where k == "FIRST" || k == "LAST":
            // Not reserved in Snowflake, DuckDB or PostgreSQL: `LATERAL (...) last`.
            at += 1
            return k.lowercased()
        default:
            return nil
        }
    }
}

extension Token.Kind {
    var isString: Bool { if case .string = self { return true }; return false }
}
