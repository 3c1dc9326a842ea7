// Recursive-descent parser for moviecol's SQL: SELECT with CTEs, joins, subqueries,
// LATERAL FLATTEN / UNNEST, GROUP BY / HAVING, UNION, ORDER BY, LIMIT / OFFSET, and EXPLAIN.
// Expressions by precedence climbing, lowest first:
//
//   OR < AND < NOT < comparison / IS / IN / BETWEEN / LIKE < || < + - < * / % < unary < :: [ ]

import Columnar

/// Parses SQL text into statements.
public struct Parser {
    private var tokens: [Token]
    private var at = 0
    private let text: [UInt8]
    /// How deeply the statement being parsed nests (expressions, subqueries, chains of
    /// operators, UNIONs and joins). Parsing, binding, planning and evaluation all recurse
    /// over these trees, so a statement nested deeper than `maxDepth` is refused with an
    /// error here rather than running out of stack later (SQLite and DuckDB also stop at 1000).
    private var depth = 0
    public static let maxDepth = 1000

    public init(_ sql: String) throws(SQLError) {
        tokens = try Lexer.tokenize(sql)
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

    private var peek: Token { tokens[at] }
    private func peek(_ k: Int) -> Token { tokens[min(at + k, tokens.count - 1)] }

    private mutating func advance() -> Token {
        let t = tokens[at]
        if at < tokens.count - 1 { at += 1 }
        return t
    }

    private func isKeyword(_ k: String) -> Bool { peek.kind == .keyword(k) }

    private mutating func accept(keyword k: String) -> Bool {
        if isKeyword(k) { at += 1; return true }
        return false
    }

    private mutating func accept(symbol s: String) -> Bool {
        if peek.kind == .symbol(s) { at += 1; return true }
        return false
    }

    private mutating func expect(keyword k: String) throws(SQLError) {
        guard accept(keyword: k) else { throw error("expected \(k)") }
    }

    private mutating func expect(symbol s: String) throws(SQLError) {
        guard accept(symbol: s) else { throw error("expected '\(s)'") }
    }

    /// Enters one level of nesting; balanced by `leave()`.
    private mutating func enter() throws(SQLError) {
        depth += 1
        if depth > Self.maxDepth { throw tooDeep() }
        try StackGuard.check()
    }

    private mutating func leave() { depth -= 1 }

    /// `e` when the tree below it, at the current nesting, stays within `maxDepth`.
    private func bounded(_ e: Expr) throws(SQLError) -> Expr {
        if depth + e.height > Self.maxDepth { throw tooDeep() }
        return e
    }

    private func tooDeep() -> SQLError {
        SQLError(.syntax, "statement is nested too deeply (more than \(Self.maxDepth) levels of expressions, subqueries, operators or UNIONs)", at: peek.position)
    }

    private func error(_ message: String) -> SQLError {
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

    private mutating func identifier() throws(SQLError) -> String {
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

    private mutating func statement() throws(SQLError) -> Statement {
        if accept(keyword: "EXPLAIN") {
            let analyze = accept(keyword: "ANALYZE")
            return .explain(try selectStatement(), analyze: analyze)
        }
        if isKeyword("SELECT") || isKeyword("WITH") || peek.kind == .symbol("(") {
            return .select(try selectStatement())
        }
        if accept(keyword: "CREATE") {
            var orReplace = false
            if accept(keyword: "OR") { try expect(keyword: "REPLACE"); orReplace = true }
            if accept(keyword: "VIEW") {
                let name = try qualifiedName()
                try expect(keyword: "AS")
                let start = peek.position
                let query = try selectStatement()
                let body = String(decoding: text[start..<min(peek.position, text.count)], as: UTF8.self)
                return .createView(name: name, orReplace: orReplace, query: query, text: body.trimmingCharacters(in: " "))
            }
            try expect(keyword: "TABLE")
            var ifNotExists = false
            if accept(keyword: "IF") { try expect(keyword: "NOT"); try expect(keyword: "EXISTS"); ifNotExists = true }
            let name = try qualifiedName()
            try expect(keyword: "AS")
            return .createTable(name: name, orReplace: orReplace, ifNotExists: ifNotExists, query: try selectStatement())
        }
        if accept(keyword: "INSERT") {
            try expect(keyword: "INTO")
            let name = try qualifiedName()
            return .insert(name: name, query: try selectStatement())
        }
        if accept(keyword: "DROP") {
            let view = accept(keyword: "VIEW")
            if !view { try expect(keyword: "TABLE") }
            var ifExists = false
            if accept(keyword: "IF") { try expect(keyword: "EXISTS"); ifExists = true }
            return .drop(name: try qualifiedName(), view: view, ifExists: ifExists)
        }
        throw error("expected SELECT, WITH, EXPLAIN, CREATE, INSERT or DROP")
    }

    private mutating func qualifiedName() throws(SQLError) -> [String] {
        var name = [try identifier()]
        while accept(symbol: ".") { name.append(try identifier()) }
        guard name.count <= 3 else { throw error("a name has at most three parts (database.schema.table)") }
        return name
    }

    mutating func selectStatement() throws(SQLError) -> SelectStatement {
        try enter()
        defer { leave() }
        var ctes: [(String, SelectStatement)] = []
        if accept(keyword: "WITH") {
            repeat {
                let name = try identifier()
                try expect(keyword: "AS")
                try expect(symbol: "(")
                ctes.append((name, try selectStatement()))
                try expect(symbol: ")")
            } while accept(symbol: ",")
        }
        var statement = SelectStatement(ctes: ctes, body: try queryBody())
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            repeat {
                let e = try expression()
                var descending = false
                if accept(keyword: "DESC") { descending = true } else { _ = accept(keyword: "ASC") }
                var nullsFirst: Bool? = nil
                if accept(keyword: "NULLS") {
                    if accept(keyword: "FIRST") { nullsFirst = true } else { try expect(keyword: "LAST"); nullsFirst = false }
                }
                statement.orderBy.append(OrderItem(expr: e, descending: descending, nullsFirst: nullsFirst))
            } while accept(symbol: ",")
        }
        if accept(keyword: "LIMIT") { statement.limit = try expression() }
        if accept(keyword: "OFFSET") { statement.offset = try expression() }
        return statement
    }

    private mutating func queryBody() throws(SQLError) -> QueryBody {
        var left = try queryTerm()
        var chain = 0
        while accept(keyword: "UNION") {
            let all = accept(keyword: "ALL")
            if !all { _ = accept(keyword: "DISTINCT") }
            // A chain of UNIONs is a left-deep tree that binding recurses through.
            chain += 1
            if depth + chain > Self.maxDepth { throw tooDeep() }
            left = .union(left, try queryTerm(), all: all)
        }
        return left
    }

    private mutating func queryTerm() throws(SQLError) -> QueryBody {
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
        return .select(try selectCore())
    }

    private mutating func selectCore() throws(SQLError) -> SelectCore {
        try expect(keyword: "SELECT")
        var core = SelectCore()
        if accept(keyword: "DISTINCT") { core.distinct = true } else { _ = accept(keyword: "ALL") }
        repeat {
            let e = try expression()
            var alias: String? = nil
            if accept(keyword: "AS") { alias = try identifier() }
            else if case .identifier(let s) = peek.kind { alias = s; at += 1 }
            else if case .quotedIdentifier(let s) = peek.kind { alias = s; at += 1 }
            core.items.append((e, alias))
        } while accept(symbol: ",")
        if accept(keyword: "FROM") { core.from = try fromClause() }
        if accept(keyword: "WHERE") { core.whereClause = try expression() }
        if accept(keyword: "GROUP") {
            try expect(keyword: "BY")
            repeat { core.groupBy.append(try expression()) } while accept(symbol: ",")
        }
        if accept(keyword: "HAVING") { core.having = try expression() }
        return core
    }

    // MARK: FROM

    private mutating func fromClause() throws(SQLError) -> TableRef {
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
            var kind: JoinKind? = nil
            if accept(keyword: "JOIN") { kind = .inner }
            else if accept(keyword: "INNER") { try expect(keyword: "JOIN"); kind = .inner }
            else if accept(keyword: "LEFT") { _ = accept(keyword: "OUTER"); try expect(keyword: "JOIN"); kind = .left }
            else if accept(keyword: "CROSS") { try expect(keyword: "JOIN"); kind = .cross }
            else if isKeyword("RIGHT") || isKeyword("FULL") {
                throw SQLError(.unsupported, "RIGHT and FULL joins are not supported; swap the sides and use LEFT JOIN", at: peek.position)
            }
            guard let kind else { break }
            let right = try tableItem()
            var on: Expr? = nil
            var using: [String] = []
            if kind != .cross {
                if accept(keyword: "ON") {
                    on = try expression()
                } else if accept(keyword: "USING") {
                    try expect(symbol: "(")
                    repeat { using.append(try identifier()) } while accept(symbol: ",")
                    try expect(symbol: ")")
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

    private func isFlattenStart() -> Bool {
        if case .identifier(let s) = peek.kind, s.lowercased() == "flatten" || s.lowercased() == "unnest" { return peek(1).kind == .symbol("(") }
        return false
    }

    private mutating func tableItem() throws(SQLError) -> TableRef {
        _ = accept(keyword: "LATERAL")
        if isFlattenStart() {
            guard case .identifier(let fn) = advance().kind else { throw error("expected FLATTEN or UNNEST") }
            try expect(symbol: "(")
            if case .identifier(let w) = peek.kind, w.lowercased() == "input", peek(1).kind == .symbol("=>") { at += 2 }
            let input = try expression()
            try expect(symbol: ")")
            return .flatten(input: input, alias: try optionalAlias(), unnest: fn.lowercased() == "unnest")
        }
        if accept(symbol: "(") {
            let q = try selectStatement()
            try expect(symbol: ")")
            return .subquery(q, alias: try optionalAlias())
        }
        let position = peek.position
        var name = [try identifier()]
        while accept(symbol: ".") { name.append(try identifier()) }
        return .table(name: name, alias: try optionalAlias(), position: position)
    }

    private mutating func optionalAlias() throws(SQLError) -> String? {
        if accept(keyword: "AS") { return try identifier() }
        switch peek.kind {
        case .identifier(let s), .quotedIdentifier(let s):
            at += 1
            return s
        default:
            return nil
        }
    }

    // MARK: Expressions

    mutating func expression() throws(SQLError) -> Expr {
        try enter()
        defer { leave() }
        return try orExpr()
    }

    private mutating func orExpr() throws(SQLError) -> Expr {
        var terms = [try andExpr()]
        var positions: [Int] = []
        while isKeyword("OR") {
            positions.append(advance().position)
            terms.append(try andExpr())
        }
        return try balanced("OR", terms, positions)
    }

    private mutating func andExpr() throws(SQLError) -> Expr {
        var terms = [try notExpr()]
        var positions: [Int] = []
        while isKeyword("AND") {
            positions.append(advance().position)
            terms.append(try notExpr())
        }
        return try balanced("AND", terms, positions)
    }

    /// A chain `t0 op t1 op ... tn` of an associative operator (AND, OR) as a balanced tree,
    /// so thousands of conditions (generated filters, long OR lists) nest only log2(n) deep.
    /// SQL's three-valued AND and OR are associative, so the grouping does not change results.
    private func balanced(_ op: String, _ terms: [Expr], _ positions: [Int]) throws(SQLError) -> Expr {
        func build(_ lo: Int, _ hi: Int) -> Expr {
            if lo == hi { return terms[lo] }
            let mid = (lo + hi + 1) / 2
            return Expr(.binary(op: op, build(lo, mid - 1), build(mid, hi)), at: positions[mid - 1])
        }
        return try bounded(build(0, terms.count - 1))
    }

    private mutating func notExpr() throws(SQLError) -> Expr {
        if isKeyword("NOT") && peek(1).kind != .keyword("EXISTS") {
            let p = advance().position
            try enter()
            defer { leave() }
            return try bounded(Expr(.unary(op: "NOT", try notExpr()), at: p))
        }
        return try comparison()
    }

    private mutating func comparison() throws(SQLError) -> Expr {
        let left = try concatenation()
        let p = peek.position
        if case .symbol(let s) = peek.kind, ["=", "<>", "<", "<=", ">", ">="].contains(s) {
            at += 1
            return Expr(.binary(op: s, left, try concatenation()), at: p)
        }
        if accept(keyword: "IS") {
            let negated = accept(keyword: "NOT")
            try expect(keyword: "NULL")
            return Expr(.isNull(left, negated: negated), at: p)
        }
        let negated = accept(keyword: "NOT")
        if accept(keyword: "IN") {
            try expect(symbol: "(")
            if isKeyword("SELECT") || isKeyword("WITH") {
                let q = try selectStatement()
                try expect(symbol: ")")
                return Expr(.inSubquery(left, q, negated: negated), at: p)
            }
            var items: [Expr] = []
            repeat { items.append(try expression()) } while accept(symbol: ",")
            try expect(symbol: ")")
            return Expr(.inList(left, items, negated: negated), at: p)
        }
        if accept(keyword: "BETWEEN") {
            let lo = try concatenation()
            try expect(keyword: "AND")
            return Expr(.between(left, lo, try concatenation(), negated: negated), at: p)
        }
        if isKeyword("LIKE") || isKeyword("ILIKE") {
            let ci = advance().kind == .keyword("ILIKE")
            return Expr(.like(left, try concatenation(), caseInsensitive: ci, negated: negated), at: p)
        }
        if negated { throw error("expected IN, BETWEEN or LIKE after NOT") }
        return left
    }

    private mutating func concatenation() throws(SQLError) -> Expr {
        var left = try additive()
        while peek.kind == .symbol("||") {
            let p = advance().position
            left = try bounded(Expr(.binary(op: "||", left, try additive()), at: p))
        }
        return left
    }

    private mutating func additive() throws(SQLError) -> Expr {
        var left = try multiplicative()
        while peek.kind == .symbol("+") || peek.kind == .symbol("-") {
            let t = advance()
            guard case .symbol(let op) = t.kind else { break }
            left = try bounded(Expr(.binary(op: op, left, try multiplicative()), at: t.position))
        }
        return left
    }

    private mutating func multiplicative() throws(SQLError) -> Expr {
        var left = try unary()
        while peek.kind == .symbol("*") || peek.kind == .symbol("/") || peek.kind == .symbol("%") {
            let t = advance()
            guard case .symbol(let op) = t.kind else { break }
            left = try bounded(Expr(.binary(op: op, left, try unary()), at: t.position))
        }
        return left
    }

    private mutating func unary() throws(SQLError) -> Expr {
        if peek.kind == .symbol("-") || peek.kind == .symbol("+") {
            let t = advance()
            try enter()
            defer { leave() }
            let operand = try unary()
            if t.kind == .symbol("+") { return operand }
            if case .literal(.int(let v)) = operand.kind { return Expr(.literal(.int(-v)), at: t.position) }
            if case .literal(.double(let v)) = operand.kind { return Expr(.literal(.double(-v)), at: t.position) }
            return try bounded(Expr(.unary(op: "-", operand), at: t.position))
        }
        return try postfix()
    }

    private mutating func postfix() throws(SQLError) -> Expr {
        var e = try primary()
        while true {
            if accept(symbol: "::") {
                e = try bounded(Expr(.cast(e, try typeName()), at: e.position))
            } else if peek.kind == .symbol("[") {
                let p = advance().position
                let index = try expression()
                try expect(symbol: "]")
                e = try bounded(Expr(.subscript_(e, index), at: p))
            } else {
                return e
            }
        }
    }

    private mutating func typeName() throws(SQLError) -> LogicalType {
        let p = peek.position
        var name: String
        switch advance().kind {
        case .identifier(let s): name = s
        case .keyword(let k): name = k
        default: throw SQLError(.syntax, "expected a type name", at: p)
        }
        // Parameters such as VARCHAR(100) or NUMBER(38, 4) are accepted and ignored.
        if accept(symbol: "(") {
            while !accept(symbol: ")") {
                guard peek.kind != .end else { throw error("expected ')'") }
                at += 1
            }
        }
        if accept(symbol: "[") { try expect(symbol: "]"); name += "[]" }
        guard let t = LogicalType(sqlName: name) else {
            throw SQLError(.type, "unknown type \(name.uppercased())", at: p)
        }
        return t
    }

    private mutating func primary() throws(SQLError) -> Expr {
        let t = peek
        let p = t.position
        switch t.kind {
        case .integer(let s):
            at += 1
            if let v = Int64(s) { return Expr(.literal(.int(v)), at: p) }
            return Expr(.literal(.double(Double(s) ?? .infinity)), at: p)
        case .decimal(let s):
            at += 1
            return Expr(.literal(.double(Double(s) ?? .nan)), at: p)
        case .string(let s):
            at += 1
            return Expr(.literal(.string(s)), at: p)
        case .keyword("NULL"):
            at += 1
            return Expr(.literal(.null), at: p)
        case .keyword("TRUE"), .keyword("FALSE"):
            at += 1
            return Expr(.literal(.bool(t.kind == .keyword("TRUE"))), at: p)
        case .keyword("DATE") where peek(1).kind.isString, .keyword("TIMESTAMP") where peek(1).kind.isString:
            at += 1
            guard case .string(let s) = advance().kind else { throw error("expected a string") }
            return Expr(.cast(Expr(.literal(.string(s)), at: p), t.kind == .keyword("DATE") ? .date : .timestamp), at: p)
        case .symbol("*"):
            at += 1
            return Expr(.star(qualifier: nil), at: p)
        case .symbol("("):
            at += 1
            if isKeyword("SELECT") || isKeyword("WITH") {
                let q = try selectStatement()
                try expect(symbol: ")")
                return Expr(.scalarSubquery(q), at: p)
            }
            let e = try expression()
            try expect(symbol: ")")
            return e
        case .keyword("CASE"):
            at += 1
            var operand: Expr? = nil
            if !isKeyword("WHEN") { operand = try expression() }
            var whens: [(Expr, Expr)] = []
            while accept(keyword: "WHEN") {
                let w = try expression()
                try expect(keyword: "THEN")
                whens.append((w, try expression()))
            }
            guard !whens.isEmpty else { throw error("expected WHEN") }
            var otherwise: Expr? = nil
            if accept(keyword: "ELSE") { otherwise = try expression() }
            try expect(keyword: "END")
            return Expr(.caseWhen(operand: operand, whens: whens, otherwise: otherwise), at: p)
        case .keyword("CAST"):
            at += 1
            try expect(symbol: "(")
            let e = try expression()
            try expect(keyword: "AS")
            let type = try typeName()
            try expect(symbol: ")")
            return Expr(.cast(e, type), at: p)
        case .keyword("EXISTS"), .keyword("NOT"):
            let negated = accept(keyword: "NOT")
            try expect(keyword: "EXISTS")
            try expect(symbol: "(")
            let q = try selectStatement()
            try expect(symbol: ")")
            return Expr(.exists(q, negated: negated), at: p)
        case .keyword("EXTRACT"):
            at += 1
            try expect(symbol: "(")
            let part = try identifier()
            try expect(keyword: "FROM")
            let e = try expression()
            try expect(symbol: ")")
            return Expr(.function(name: "date_part", args: [Expr(.literal(.string(part)), at: p), e], distinct: false, star: false), at: p)
        case .keyword("LEFT") where peek(1).kind == .symbol("("), .keyword("RIGHT") where peek(1).kind == .symbol("("),
             .keyword("REPLACE") where peek(1).kind == .symbol("("),
             .keyword("IF") where peek(1).kind == .symbol("("):
            guard case .keyword(let k) = advance().kind else { throw error("expected a function") }
            return try functionCall(k.lowercased(), at: p)
        case .identifier, .quotedIdentifier, .keyword("DATE"), .keyword("TIMESTAMP"), .keyword("FIRST"), .keyword("LAST"):
            let first = try identifier()
            if peek.kind == .symbol("(") { return try functionCall(first, at: p) }
            var parts = [first]
            while accept(symbol: ".") {
                if accept(symbol: "*") { return Expr(.star(qualifier: parts.joined(separator: ".")), at: p) }
                parts.append(try identifier())
            }
            if parts.count == 2 && peek.kind == .symbol("(") {
                // A qualified function such as dbt_utils.x(...) is not supported.
                throw SQLError(.unsupported, "function \(parts.joined(separator: ".")) is not supported", at: p)
            }
            return Expr(.column(parts), at: p)
        default:
            throw error("expected an expression")
        }
    }

    private mutating func functionCall(_ name: String, at p: Int) throws(SQLError) -> Expr {
        try expect(symbol: "(")
        if accept(symbol: "*") {
            try expect(symbol: ")")
            return Expr(.function(name: name, args: [], distinct: false, star: true), at: p)
        }
        let distinct = accept(keyword: "DISTINCT")
        var args: [Expr] = []
        if !accept(symbol: ")") {
            repeat {
                // Named arguments (`input => x`) keep only the value.
                if case .identifier = peek.kind, peek(1).kind == .symbol("=>") { at += 2 }
                args.append(try expression())
            } while accept(symbol: ",")
            try expect(symbol: ")")
        }
        return Expr(.function(name: name, args: args, distinct: distinct, star: false), at: p)
    }
}

extension Token.Kind {
    var isString: Bool { if case .string = self { return true }; return false }
}
