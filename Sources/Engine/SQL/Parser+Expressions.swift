// Expressions, by precedence from loosest to tightest:
//   OR < AND < NOT < comparison / IS / IN / BETWEEN / LIKE < || < + - < * / % < unary < :: [ ]
// Chains of AND and OR are built balanced; every level counts toward `Parser.maxDepth`.

import Columnar

extension Parser {
    static let bareFunctions: Set<String> = ["current_date", "current_timestamp", "localtimestamp", "current_user", "session_user", "current_role", "current_schema"]

    mutating func expression() throws(SQLError) -> Expr {
        try enter()
        defer { leave() }
        return try orExpr()
    }

    mutating func orExpr() throws(SQLError) -> Expr {
        var terms = [try andExpr()]
        var positions: [Int] = []
        while isKeyword("OR") {
            positions.append(advance().position)
            terms.append(try andExpr())
        }
        return try balanced(.or, terms, positions)
    }

    mutating func andExpr() throws(SQLError) -> Expr {
        var terms = [try notExpr()]
        var positions: [Int] = []
        while isKeyword("AND") {
            positions.append(advance().position)
            terms.append(try notExpr())
        }
        return try balanced(.and, terms, positions)
    }

    /// A chain `t0 op t1 op ... tn` of an associative operator (AND, OR) as a balanced tree,
    /// so thousands of conditions (generated filters, long OR lists) nest only log2(n) deep.
    /// SQL's three-valued AND and OR are associative, so the grouping does not change results.
    func balanced(_ op: LogicalOperator, _ terms: [Expr], _ positions: [Int]) throws(SQLError) -> Expr {
        func build(_ lo: Int, _ hi: Int) -> Expr {
            if lo == hi { return terms[lo] }
            let mid = (lo + hi + 1) / 2
            return Expr(.binary(op: .logical(op), build(lo, mid - 1), build(mid, hi)), at: positions[mid - 1])
        }
        return try bounded(build(0, terms.count - 1))
    }

    mutating func notExpr() throws(SQLError) -> Expr {
        if isKeyword("NOT") && peek(1).kind != .keyword("EXISTS") {
            let p = advance().position
            try enter()
            defer { leave() }
            return try bounded(Expr(.unary(op: .not, try notExpr()), at: p))
        }
        return try comparison()
    }

    mutating func comparison() throws(SQLError) -> Expr {
        let left = try concatenation()
        let p = peek.position
        if let row = Self.rowItems(left), peek.kind == .symbol("=") || peek.kind == .symbol("<>") || isKeyword("IN")
            || (isKeyword("NOT") && peek(1).kind == .keyword("IN")) {
            return try rowComparison(row, at: p)
        }
        if case .symbol(let s) = peek.kind, let op = ComparisonOperator(rawValue: s) {
            at += 1
            // `x op ANY | SOME | ALL (SELECT ...)`
            if isKeyword("ALL") || isWord("ANY") || isWord("SOME"), peek(1).kind == .symbol("("),
               peek(2).kind == .keyword("SELECT") || peek(2).kind == .keyword("WITH") {
                let every = isKeyword("ALL")
                at += 2
                let q = try selectStatement()
                try expect(symbol: ")")
                return try Self.quantified(left, op, every: every, q, at: p)
            }
            return Expr(.binary(op: .comparison(op), left, try concatenation()), at: p)
        }
        if case .symbol(let s) = peek.kind, s == "~" || s == "!~" || s == "~*" || s == "!~*" {
            // PostgreSQL's `x ~ pattern`: the pattern matches somewhere in x (`*`: ignoring
            // case; `!`: does not).
            at += 1
            var args = [left, try concatenation()]
            if s.hasSuffix("*") { args.append(Expr(.literal(.string("i")), at: p)) }
            let match = Expr(.function(name: "regexp_matches", args: args, distinct: false, star: false, clauses: .none), at: p)
            return s.hasPrefix("!") ? Expr(.unary(op: .not, match), at: p) : match
        }
        if accept(symbol: "^@") {
            // PostgreSQL's and DuckDB's `x ^@ prefix`: STARTS_WITH.
            return Expr(.function(name: "starts_with", args: [left, try concatenation()], distinct: false, star: false, clauses: .none), at: p)
        }
        if accept(keyword: "IS") {
            let negated = accept(keyword: "NOT")
            if accept(keyword: "DISTINCT") {
                // `a IS [NOT] DISTINCT FROM b`: equality where NULL equals NULL.
                try expect(keyword: "FROM")
                let right = try concatenation()
                let equal = Expr(.function(name: "equal_null", args: [left, right], distinct: false, star: false, clauses: .none), at: p)
                return negated ? equal : Expr(.unary(op: .not, equal), at: p)
            }
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
            // `BETWEEN SYMMETRIC a AND b` (the standard, PostgreSQL, DuckDB): either order of
            // the bounds, the same as BETWEEN a AND b OR BETWEEN b AND a.
            let symmetric = accept(word: "SYMMETRIC")
            if !symmetric { _ = accept(word: "ASYMMETRIC") }
            let lo = try concatenation()
            try expect(keyword: "AND")
            let hi = try concatenation()
            guard symmetric else { return Expr(.between(left, lo, hi, negated: negated), at: p) }
            let either = Expr(.binary(op: .logical(.or), Expr(.between(left, lo, hi, negated: false), at: p),
                                      Expr(.between(left, hi, lo, negated: false), at: p)), at: p)
            return negated ? Expr(.unary(op: .not, either), at: p) : either
        }
        if accept(word: "RLIKE") || accept(word: "REGEXP") {
            // Snowflake's infix `x RLIKE pattern` is REGEXP_LIKE(x, pattern): the whole subject.
            let like = Expr(.function(name: "regexp_like", args: [left, try concatenation()], distinct: false, star: false, clauses: .none), at: p)
            return negated ? Expr(.unary(op: .not, like), at: p) : like
        }
        if accept(word: "GLOB") {
            // SQLite's and DuckDB's `x GLOB pattern`: `*` any run, `?` one character, `[...]`
            // one of a set (`[!...]` none of it), over the whole of x, case-sensitive.
            let pattern = try concatenation()
            guard case .literal(.string(let text)) = pattern.kind else {
                throw SQLError(.unsupported, "GLOB takes a constant pattern", at: pattern.position)
            }
            let glob = Expr(.function(name: "regexp_like", args: [left, Expr(.literal(.string(Self.globRegex(text))), at: p),
                                                                   Expr(.literal(.string("s")), at: p)],
                                      distinct: false, star: false, clauses: .none), at: p)
            return negated ? Expr(.unary(op: .not, glob), at: p) : glob
        }
        if isKeyword("LIKE") || isKeyword("ILIKE") {
            let ci = advance().kind == .keyword("ILIKE")
            // `x LIKE ANY ('a%', 'b%')` (any pattern matches) and `LIKE ALL (...)` (every one).
            if (isKeyword("ALL") || isWord("ANY")) && peek(1).kind == .symbol("(") {
                let every = isKeyword("ALL")
                at += 2
                var patterns: [Expr] = []
                repeat { patterns.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: ")")
                let likes = patterns.map { Expr(.like(left, $0, caseInsensitive: ci, negated: negated), at: p) }
                return likes.dropFirst().reduce(likes[0]) { Expr(.binary(op: .logical(every ? .and : .or), $0, $1), at: p) }
            }
            let pattern = try concatenation()
            if accept(word: "ESCAPE") {
                // `LIKE 'a\_%' ESCAPE '\'`: the pattern as the regular expression it means.
                guard case .literal(.string(let text)) = pattern.kind, case .string(let escape) = peek.kind, escape.count == 1 else {
                    throw SQLError(.unsupported, "LIKE ... ESCAPE takes a constant pattern and a one-character escape", at: p)
                }
                at += 1
                let regex = Self.likeRegex(text, escape: escape.first!)
                let like = Expr(.function(name: "regexp_like", args: [left, Expr(.literal(.string(regex)), at: p), Expr(.literal(.string(ci ? "is" : "s")), at: p)],
                                          distinct: false, star: false, clauses: .none), at: p)
                return negated ? Expr(.unary(op: .not, like), at: p) : like
            }
            return Expr(.like(left, pattern, caseInsensitive: ci, negated: negated), at: p)
        }
        if negated { throw error("expected IN, BETWEEN, LIKE, GLOB or RLIKE after NOT") }
        return left
    }

    mutating func concatenation() throws(SQLError) -> Expr {
        var left = try additive()
        while peek.kind == .symbol("||") {
            let p = advance().position
            left = try bounded(Expr(.binary(op: .concat, left, try additive()), at: p))
        }
        return left
    }

    mutating func additive() throws(SQLError) -> Expr {
        var left = try multiplicative()
        while peek.kind == .symbol("+") || peek.kind == .symbol("-") {
            let t = advance()
            guard case .symbol(let s) = t.kind, let op = ArithmeticOperator(rawValue: s) else { break }
            left = try bounded(Expr(.binary(op: .arithmetic(op), left, try multiplicative()), at: t.position))
        }
        return left
    }

    mutating func multiplicative() throws(SQLError) -> Expr {
        var left = try exponent()
        while peek.kind == .symbol("*") || peek.kind == .symbol("/") || peek.kind == .symbol("%") || peek.kind == .symbol("//") {
            let t = advance()
            if t.kind == .symbol("//") {
                // DuckDB's integer division: DIVIDE(a, b).
                left = try bounded(Expr(.function(name: "divide", args: [left, try exponent()], distinct: false, star: false, clauses: .none),
                                        at: t.position))
                continue
            }
            guard case .symbol(let s) = t.kind, let op = ArithmeticOperator(rawValue: s) else { break }
            left = try bounded(Expr(.binary(op: .arithmetic(op), left, try exponent()), at: t.position))
        }
        return left
    }

    /// DuckDB's (and PostgreSQL's) `a ** b` and `a ^ b`: POWER, binding tighter than `*` and
    /// looser than a sign (`-2 ** 2` is 4), left to right (`2 ** 3 ** 2` is 64).
    mutating func exponent() throws(SQLError) -> Expr {
        var left = try unary()
        while peek.kind == .symbol("**") || peek.kind == .symbol("^") {
            let p = advance().position
            left = try bounded(Expr(.function(name: "power", args: [left, try unary()], distinct: false, star: false, clauses: .none), at: p))
        }
        return left
    }

    mutating func unary() throws(SQLError) -> Expr {
        if peek.kind == .symbol("-") || peek.kind == .symbol("+") {
            let t = advance()
            try enter()
            defer { leave() }
            // -9223372036854775808 is BIGINT's smallest value, though its digits alone overflow.
            if t.kind == .symbol("-"), case .integer(let digits) = peek.kind, Int64(digits) == nil,
               let v = Int64("-" + digits), peek(1).kind != .symbol("::"), peek(1).kind != .symbol("[") {
                at += 1
                return Expr(.literal(.int(v)), at: t.position)
            }
            let operand = try unary()
            if t.kind == .symbol("+") { return operand }
            if case .literal(.int(let v)) = operand.kind { return Expr(.literal(.int(-v)), at: t.position) }
            if case .literal(.double(let v)) = operand.kind { return Expr(.literal(.double(-v)), at: t.position) }
            return try bounded(Expr(.unary(op: .negate, operand), at: t.position))
        }
        return try postfix()
    }

    mutating func postfix() throws(SQLError) -> Expr {
        var e = try primary()
        while true {
            if accept(symbol: "::") {
                e = try bounded(Self.cast(e, to: try typeName(), orNull: false, at: e.position))
            } else if peek.kind == .symbol(":") {
                // Snowflake's path into semi-structured data: `v:a.b[0]`, `v:"key with spaces"`.
                let p = advance().position
                e = try bounded(Expr(.function(name: "get_path", args: [e, Expr(.literal(.string(try jsonPath())), at: p)], distinct: false,
                                               star: false, clauses: .none), at: p))
            } else if peek.kind == .symbol("->") || peek.kind == .symbol("->>") {
                // DuckDB's `j -> 'key'` (JSON) and `j ->> '$.a.b'` (text); a number is an index.
                let t = advance()
                var step = try primary()
                switch step.kind {
                case .literal(.int(let n)): step = Expr(.literal(.string("[\(n)]")), at: step.position)
                case .literal(.string(let s)) where !s.hasPrefix("$"):
                    step = Expr(.literal(.string(s.contains("'") ? "[\"\(s)\"]" : "['\(s)']")), at: step.position)
                default: break
                }
                let name = t.kind == .symbol("->") ? "json_extract" : "json_extract_string"
                e = try bounded(Expr(.function(name: name, args: [e, step], distinct: false, star: false, clauses: .none), at: t.position))
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

    /// The path after `:` as GET_PATH reads it: names (any word, quoted or not) joined by `.`,
    /// and `[n]` / `['key']` steps.
    mutating func jsonPath() throws(SQLError) -> String {
        var path = ""
        func name() throws(SQLError) -> String {
            let t = advance()
            switch t.kind {
            case .identifier(let s): return s
            case .keyword(let k):
                // Keys are case-sensitive: `v:Date` is the key "Date", not the keyword's spelling.
                let end = t.position + k.utf8.count
                return end <= source.count ? String(decoding: source[t.position..<end], as: UTF8.self) : k.lowercased()
            case .quotedIdentifier(let s): return "\"" + s + "\""
            default: throw SQLError(.syntax, "expected a name in the path after ':'", at: t.position)
            }
        }
        path = try name()
        while true {
            if peek.kind == .symbol("."), peek(1).position == peek.position + 1 {
                at += 1
                path += "." + (try name())
            } else if peek.kind == .symbol("[") {
                let p = advance().position
                let minus = accept(symbol: "-") ? "-" : ""
                switch advance().kind {
                case .integer(let n): path += "[\(minus)\(n)]"
                case .string(let s): path += "['" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "']"
                default: throw SQLError(.syntax, "a path index is a constant number or 'key'", at: p)
                }
                try expect(symbol: "]")
            } else {
                return path
            }
        }
    }

    mutating func typeName() throws(SQLError) -> TypeName {
        let p = peek.position
        var name: String
        switch advance().kind {
        case .identifier(let s): name = s
        case .keyword(let k): name = k
        default: throw SQLError(.syntax, "expected a type name", at: p)
        }
        // Two-word names: DOUBLE PRECISION, CHARACTER VARYING, TIMESTAMP WITH[OUT] TIME ZONE.
        if name.uppercased() == "DOUBLE" { _ = accept(word: "PRECISION") }
        if name.uppercased() == "CHARACTER" { _ = accept(word: "VARYING") }
        if name.uppercased() == "TIMESTAMP", isKeyword("WITH") || isWord("WITHOUT") {
            at += 1
            guard accept(word: "TIME"), accept(word: "ZONE") else { throw error("expected TIME ZONE") }
        }
        var numeric: NumericPrecision? = nil
        if ["NUMBER", "DECIMAL", "NUMERIC"].contains(name.uppercased()), accept(symbol: "(") {
            // NUMBER(p [, s]): values rounded to s decimals (0 when left out), p digits in all.
            let precision = try typeParameter(), scale = accept(symbol: ",") ? try typeParameter() : 0
            try expect(symbol: ")")
            try NumericCast.checkPrecision(precision, scale, at: p)
            numeric = NumericPrecision(precision: precision, scale: scale)
        } else if accept(symbol: "(") {
            // Other parameters (VARCHAR(100), TIMESTAMP(9), FLOAT(53)) are accepted and ignored,
            // as DuckDB does: lengths are not enforced.
            while !accept(symbol: ")") {
                guard peek.kind != .end else { throw error("expected ')'") }
                at += 1
            }
        }
        if accept(symbol: "[") { try expect(symbol: "]"); name += "[]" }
        // Snowflake's NUMBER alone is NUMBER(38, 0). DECIMAL and NUMERIC alone stay DOUBLE:
        // DuckDB reads them as DECIMAL(18, 3), Snowflake as NUMBER(38, 0), PostgreSQL as
        // unconstrained, and no one answer is right for all three.
        if numeric == nil && name.uppercased() == "NUMBER" { numeric = NumericPrecision(precision: NumericPrecision.maximum, scale: 0) }
        if let numeric { return TypeName(type: numeric.storageType, numeric: numeric) }
        guard let t = LogicalType(sqlName: name) else {
            throw SQLError(.type, "unknown type \(name.uppercased())", at: p)
        }
        return TypeName(type: t, numeric: nil)
    }

    /// A type written alone, as a dbt seed's `column_types` gives it: `number(10, 2)`, `varchar(32)`.
    public static func parseType(_ text: String) throws(SQLError) -> TypeName {
        var p = try Parser(text)
        let type = try p.typeName()
        guard p.peek.kind == .end else { throw p.error("expected the end of the type") }
        return type
    }

    private mutating func typeParameter() throws(SQLError) -> Int {
        let p = peek.position
        guard case .integer(let s) = advance().kind, let v = Int(s) else { throw SQLError(.syntax, "expected a number in the type's parameters", at: p) }
        return v
    }

    /// The NUMBER(p, s) an expression is cast to at its top (`CAST(x AS NUMBER(10, 2))`,
    /// `TO_NUMBER(x, 10, 2)`), which a table made from it declares for the column.
    static func declaredPrecision(_ e: Expr) -> NumericPrecision? {
        guard case .function(let name, let args, false, false, _) = e.kind, args.count >= 2, args.count <= 3,
              ["cast_number", "cast_decimal", "try_cast_number", "try_cast_decimal", "to_number", "to_decimal", "to_numeric",
               "try_to_number", "try_to_decimal", "try_to_numeric"].contains(name.lowercased()) else { return nil }
        var parameters: [Int] = []
        for a in args.dropFirst() {
            guard case .literal(.int(let v)) = a.kind, let v = Int(exactly: v) else { return nil }
            parameters.append(v)
        }
        let n = NumericPrecision(precision: parameters[0], scale: parameters.count > 1 ? parameters[1] : 0)
        guard (1...NumericPrecision.maximum).contains(n.precision), (0...n.precision).contains(n.scale) else { return nil }
        return n
    }

    /// `x` cast to `type`: a plain CAST, or for NUMBER(p, s) the rounding and range check.
    static func cast(_ x: Expr, to type: TypeName, orNull: Bool, at position: Int) -> Expr {
        guard let n = type.numeric else {
            return orNull ? Expr(.function(name: "try_cast_" + type.type.description.lowercased(), args: [x], distinct: false, star: false, clauses: .none), at: position)
                : Expr(.cast(x, type.type), at: position)
        }
        let args = [x, Expr(.literal(.int(Int64(n.precision))), at: position), Expr(.literal(.int(Int64(n.scale))), at: position)]
        return Expr(.function(name: NumericCast.name(for: n, orNull: orNull), args: args, distinct: false, star: false, clauses: .none), at: position)
    }

    mutating func primary() throws(SQLError) -> Expr {
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
        case .identifier(let w) where w.uppercased() == "DEFAULT" && [.symbol(","), .symbol(")"), .symbol(";"), .end, .keyword("WHERE"), .keyword("FROM")].contains(peek(1).kind):
            // `VALUES (1, DEFAULT)`, `SET c = DEFAULT`: the column's default, filled in by the
            // statement that knows the column (elsewhere the binder refuses it).
            at += 1
            return Expr.defaultMarker(at: p)
        case .keyword("TRUE"), .keyword("FALSE"):
            at += 1
            return Expr(.literal(.bool(t.kind == .keyword("TRUE"))), at: p)
        case .keyword("DATE") where peek(1).kind.isString, .keyword("TIMESTAMP") where peek(1).kind.isString:
            at += 1
            guard case .string(let s) = advance().kind else { throw error("expected a string") }
            return Expr(.cast(Expr(.literal(.string(s)), at: p), t.kind == .keyword("DATE") ? .date : .timestamp), at: p)
        case .keyword("INTERVAL"):
            at += 1
            return try intervalLiteral(at: p)
        case .symbol("*"):
            at += 1
            return Expr(.star(qualifier: nil), at: p)
        case .symbol("["):
            // DuckDB's list literal [a, b, ...]: ARRAY_CONSTRUCT (Snowflake's spelling).
            at += 1
            var items: [Expr] = []
            if !accept(symbol: "]") {
                repeat { items.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: "]")
            }
            return Expr(.function(name: "array_construct", args: items, distinct: false, star: false, clauses: .none), at: p)
        case .symbol("("):
            at += 1
            if isKeyword("SELECT") || isKeyword("WITH") {
                let q = try selectStatement()
                try expect(symbol: ")")
                return Expr(.scalarSubquery(q), at: p)
            }
            let e = try expression()
            if accept(symbol: ",") {
                // A row value `(a, b)`: compared with `=`, `<>` or IN, a column at a time.
                var items = [e]
                repeat { items.append(try expression()) } while accept(symbol: ",")
                try expect(symbol: ")")
                return Expr(.function(name: Self.rowFunction, args: items, distinct: false, star: false, clauses: .none), at: p)
            }
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
            return Self.cast(e, to: type, orNull: false, at: p)
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
            return Expr(.function(name: "date_part", args: [Expr(.literal(.string(part)), at: p), e], distinct: false, star: false, clauses: .none), at: p)
        case .keyword("LEFT") where peek(1).kind == .symbol("("), .keyword("RIGHT") where peek(1).kind == .symbol("("),
             .keyword("REPLACE") where peek(1).kind == .symbol("("),
             .keyword("IF") where peek(1).kind == .symbol("("):
            guard case .keyword(let k) = advance().kind else { throw error("expected a function") }
            return try functionCall(k.lowercased(), at: p)
        case .identifier, .quotedIdentifier, .keyword("DATE"), .keyword("TIMESTAMP"), .keyword("FIRST"), .keyword("LAST"):
            let first = try identifier()
            if peek.kind == .symbol("(") { return try functionCall(first, at: p) }
            // CURRENT_DATE, CURRENT_TIMESTAMP and the session's names (CURRENT_USER ...) are
            // written without parentheses too, as in the standard and PostgreSQL.
            if Self.bareFunctions.contains(first.lowercased()) && peek.kind != .symbol(".") {
                return Expr(.function(name: first.lowercased(), args: [], distinct: false, star: false, clauses: .none), at: p)
            }
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

    mutating func functionCall(_ name: String, at p: Int) throws(SQLError) -> Expr {
        try expect(symbol: "(")
        switch name.lowercased() {
        case "position" where !isKeyword("SELECT"):
            // POSITION(needle IN text), or POSITION(needle, text [, start]) as CHARINDEX.
            let needle = try concatenation()
            if accept(keyword: "IN") {
                let text = try expression()
                try expect(symbol: ")")
                return Expr(.function(name: "charindex", args: [needle, text], distinct: false, star: false, clauses: .none), at: p)
            }
            var args = [needle]
            while accept(symbol: ",") { args.append(try expression()) }
            try expect(symbol: ")")
            return Expr(.function(name: "charindex", args: args, distinct: false, star: false, clauses: .none), at: p)
        case "substring" where !isKeyword("SELECT"), "substr" where !isKeyword("SELECT"):
            // The standard's SUBSTRING(s FROM start [FOR length]) besides SUBSTRING(s, start [, length]).
            let text = try expression()
            var args = [text]
            if accept(keyword: "FROM") {
                args.append(try expression())
                if accept(word: "FOR") { args.append(try expression()) }
            } else if accept(word: "FOR") {
                args.append(Expr(.literal(.int(1)), at: p))
                args.append(try expression())
            } else {
                while accept(symbol: ",") { args.append(try expression()) }
            }
            try expect(symbol: ")")
            return Expr(.function(name: "substr", args: args, distinct: false, star: false, clauses: .none), at: p)
        case "trim" where isWord("BOTH") || isWord("LEADING") || isWord("TRAILING") || isKeyword("FROM"):
            // The standard's TRIM([BOTH | LEADING | TRAILING] [characters] FROM s).
            var function = "trim"
            if accept(word: "LEADING") { function = "ltrim" } else if accept(word: "TRAILING") { function = "rtrim" } else { _ = accept(word: "BOTH") }
            var characters: Expr? = nil
            if !isKeyword("FROM") { characters = try expression() }
            try expect(keyword: "FROM")
            let text = try expression()
            try expect(symbol: ")")
            return Expr(.function(name: function, args: [text] + (characters.map { [$0] } ?? []), distinct: false, star: false, clauses: .none), at: p)
        case "seq1", "seq2", "seq4", "seq8":
            // Snowflake's SEQ4() (with GENERATOR): a number per row counting from 0, here the
            // row's position (Snowflake allows gaps; there are none). The optional 0/1 argument
            // (whether the sequence may wrap) changes nothing below 2^31 rows.
            if case .integer = peek.kind { at += 1 }
            try expect(symbol: ")")
            let rowNumber = Expr(.window(WindowCall(name: "row_number", args: [], distinct: false, star: false, ignoreNulls: false,
                                                     over: WindowSpec())), at: p)
            return Expr(.binary(op: .arithmetic(.subtract), rowNumber, Expr(.literal(.int(1)), at: p)), at: p)
        case "try_cast":
            // TRY_CAST(x AS type): NULL where the cast fails.
            let e = try expression()
            try expect(keyword: "AS")
            let type = try typeName()
            try expect(symbol: ")")
            return Self.cast(e, to: type, orNull: true, at: p)
        default:
            break
        }
        if accept(symbol: "*") {
            try expect(symbol: ")")
            return try windowed(Expr(.function(name: name, args: [], distinct: false, star: true, clauses: try callClauses([])), at: p))
        }
        let distinct = accept(keyword: "DISTINCT")
        var args: [Expr] = []
        var ignoreNulls: Bool? = nil
        var inside: [OrderItem] = []
        if !accept(symbol: ")") {
            repeat {
                // Named arguments (`input => x`) keep only the value.
                if case .identifier = peek.kind, peek(1).kind == .symbol("=>") { at += 2 }
                args.append(try expression())
            } while accept(symbol: ",")
            // DuckDB writes `string_agg(x, ',' ORDER BY y)` and `lag(x IGNORE NULLS) OVER (...)`.
            if accept(keyword: "ORDER") {
                try expect(keyword: "BY")
                inside = try orderItems()
            }
            ignoreNulls = try nullTreatment()
            try expect(symbol: ")")
        }
        // Snowflake writes the unit bare: DATEADD(day, 1, d), DATE_TRUNC(month, d).
        // (DATEADD and DATEDIFF take only a unit there; DATE_TRUNC and DATE_PART a known one.)
        if Self.unitFirst.contains(name.lowercased()), let first = args.first, case .column(let parts) = first.kind, parts.count == 1,
           Self.unitOnly.contains(name.lowercased())
            || DateFunctions.Unit.names[parts[0].lowercased()] != nil || DateFunctions.Part.names[parts[0].lowercased()] != nil {
            args[0] = Expr(.literal(.string(parts[0].lowercased())), at: first.position)
        }
        if distinct && args.count > 1 && name.lowercased() == "count" {
            args = [Expr(.function(name: Self.distinctRowFunction, args: args, distinct: false, star: false, clauses: .none), at: p)]
        }
        let clauses = try callClauses(inside)
        return try windowed(Expr(.function(name: name, args: args, distinct: distinct, star: false, clauses: clauses), at: p),
                            ignoreNulls: ignoreNulls)
    }

    /// The argument list of Snowflake's `COUNT(DISTINCT a, b)`, kept whole for its name; the
    /// binder reads it as `distinctRow(args)`.
    static let distinctRowFunction = "\u{1}distinct_row"

    /// `COUNT(DISTINCT a, b)` counts the distinct rows with no NULL among the arguments, as one
    /// text value per row: each argument's text after its length, so no two different rows
    /// read alike (doubles compare by their text: -0.0 apart from 0.0).
    static func distinctRow(_ args: [Expr], at p: Int) -> Expr {
        func call(_ name: String, _ a: [Expr]) -> Expr { Expr(.function(name: name, args: a, distinct: false, star: false, clauses: .none), at: p) }
        var key: Expr? = nil
        var anyNull: Expr? = nil
        for a in args {
            let text = Expr(.cast(a, .varchar), at: a.position)
            let part = Expr(.binary(op: .concat, Expr(.binary(op: .concat, call("length", [text]), Expr(.literal(.string(":")), at: p)), at: p), text), at: p)
            key = key.map { Expr(.binary(op: .concat, $0, part), at: p) } ?? part
            let isNull = Expr(.isNull(a, negated: false), at: p)
            anyNull = anyNull.map { Expr(.binary(op: .logical(.or), $0, isNull), at: p) } ?? isNull
        }
        return Expr(.caseWhen(operand: nil, whens: [(anyNull!, Expr(.literal(.null), at: p))], otherwise: key!), at: p)
    }

    /// Functions whose first argument is a date or time unit, which may be written bare.
    static let unitFirst: Set<String> = ["dateadd", "timestampadd", "datediff", "timestampdiff", "timediff", "date_diff", "date_trunc",
                                        "date_part", "datepart"]

    static let unitOnly: Set<String> = ["dateadd", "timestampadd", "datediff", "timestampdiff", "timediff"]

    /// `[WITHIN GROUP (ORDER BY ...)] [FILTER (WHERE ...)]` after a call's parentheses.
    mutating func callClauses(_ inside: [OrderItem]) throws(SQLError) -> CallClauses {
        var clauses = CallClauses(orderBy: inside)
        if isWord("WITHIN") && peek(1).kind == .keyword("GROUP") {
            guard inside.isEmpty else { throw error("ORDER BY is given twice: inside the call and in WITHIN GROUP") }
            at += 2
            try expect(symbol: "(")
            try expect(keyword: "ORDER")
            try expect(keyword: "BY")
            clauses.orderBy = try orderItems()
            try expect(symbol: ")")
        }
        // FILTER (WHERE c); DuckDB also takes FILTER (c).
        if isWord("FILTER") && peek(1).kind == .symbol("(") {
            at += 2
            _ = accept(keyword: "WHERE")
            clauses.filter = try expression()
            try expect(symbol: ")")
        }
        return clauses
    }

    /// `IGNORE NULLS` (true) or `RESPECT NULLS` (false), if next.
    mutating func nullTreatment() throws(SQLError) -> Bool? {
        guard (isWord("IGNORE") || isWord("RESPECT")) && peek(1).kind == .keyword("NULLS") else { return nil }
        let ignore = isWord("IGNORE")
        at += 2
        return ignore
    }

    /// A call followed by `[IGNORE | RESPECT NULLS] OVER ...` (Snowflake's place for the
    /// null treatment) becomes a window call.
    mutating func windowed(_ call: Expr, ignoreNulls inside: Bool? = nil) throws(SQLError) -> Expr {
        guard case .function(var name, let args, let distinct, let star, let clauses) = call.kind else { return call }
        var ignoreNulls = inside ?? false
        // `NTH_VALUE(x, n) FROM FIRST` (the default) or `FROM LAST`, before the null treatment and OVER.
        if name.lowercased() == "nth_value" && isKeyword("FROM") && (peek(1).kind == .keyword("FIRST") || peek(1).kind == .keyword("LAST")) {
            if peek(1).kind == .keyword("LAST") { name = "nth_value_from_last" }
            at += 2
        }
        if (isWord("IGNORE") || isWord("RESPECT")) && peek(1).kind == .keyword("NULLS") && isWord("OVER", 2) {
            ignoreNulls = try nullTreatment() ?? false
        } else if inside != nil && !isWord("OVER") {
            throw error("IGNORE NULLS and RESPECT NULLS belong to window functions (... OVER (...))")
        }
        guard accept(word: "OVER") else { return call }
        let spec: WindowSpec
        if accept(symbol: "(") {
            spec = try windowSpec()
            try expect(symbol: ")")
        } else {
            spec = WindowSpec(base: try identifier())
        }
        return Expr(.window(WindowCall(name: name, args: args, distinct: distinct, star: star, ignoreNulls: ignoreNulls, over: spec, clauses: clauses)),
                    at: call.position)
    }

    /// The inside of `OVER (...)` or `WINDOW w AS (...)`: `[base] [PARTITION BY ...] [ORDER BY ...] [frame]`.
    mutating func windowSpec() throws(SQLError) -> WindowSpec {
        var spec = WindowSpec()
        if case .identifier(let s) = peek.kind, !["PARTITION", "ROWS", "RANGE", "GROUPS"].contains(s.uppercased()) {
            spec.base = s
            at += 1
        }
        if accept(word: "PARTITION") {
            try expect(keyword: "BY")
            repeat { spec.partitionBy.append(try expression()) } while accept(symbol: ",")
        }
        if accept(keyword: "ORDER") {
            try expect(keyword: "BY")
            spec.orderBy = try orderItems()
        }
        if isWord("ROWS") || isWord("RANGE") || isWord("GROUPS") {
            let unit: WindowFrame.Unit = isWord("ROWS") ? .rows : isWord("RANGE") ? .range : .groups
            at += 1
            if accept(keyword: "BETWEEN") {
                let start = try frameBound()
                try expect(keyword: "AND")
                spec.frame = WindowFrame(unit: unit, start: start, end: try frameBound())
            } else {
                spec.frame = WindowFrame(unit: unit, start: try frameBound(), end: .currentRow)
            }
        }
        return spec
    }

    mutating func frameBound() throws(SQLError) -> WindowFrame.Bound {
        if accept(word: "UNBOUNDED") {
            if accept(word: "PRECEDING") { return .unboundedPreceding }
            try expect(word: "FOLLOWING")
            return .unboundedFollowing
        }
        if accept(word: "CURRENT") {
            try expect(word: "ROW")
            return .currentRow
        }
        let offset = try additive()
        if accept(word: "PRECEDING") { return .preceding(offset) }
        try expect(word: "FOLLOWING")
        return .following(offset)
    }

    // MARK: INTERVAL

    /// The function an INTERVAL literal is read as: its (amount, unit) pairs as arguments. It
    /// only has a meaning added to or subtracted from a date or timestamp, and as a RANGE
    /// frame offset; the binder rewrites those and refuses it elsewhere.
    static let intervalFunction = "\u{1}interval"

    /// `INTERVAL '3 days'`, `INTERVAL '1 day 2 hours'`, `INTERVAL '3' DAY`, `INTERVAL 3 DAY`.
    mutating func intervalLiteral(at p: Int) throws(SQLError) -> Expr {
        var parts: [(Int64, String)] = []
        func unit(_ word: String, at position: Int) throws(SQLError) -> String {
            let w = word.lowercased()
            guard DateFunctions.Unit.names[w] != nil else {
                throw SQLError(.syntax, "unknown INTERVAL unit '\(word)' (expected year, quarter, month, week, day, hour, minute, second, millisecond or microsecond)", at: position)
            }
            return w
        }
        switch peek.kind {
        case .string(let text):
            let position = peek.position
            at += 1
            if case .identifier(let u) = peek.kind, DateFunctions.Unit.names[u.lowercased()] != nil {
                // `INTERVAL '3' DAY`
                guard let n = Int64(String(text.filter { !$0.isWhitespace })) else {
                    throw SQLError(.syntax, "INTERVAL '\(text)' \(u): expected a whole number", at: position)
                }
                at += 1
                parts.append((n, try unit(u, at: position)))
            } else {
                let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                guard !words.isEmpty, words.count % 2 == 0 else {
                    throw SQLError(.syntax, "INTERVAL '\(text)': expected amounts and units, as '1 day' or '2 hours 30 minutes'", at: position)
                }
                for i in stride(from: 0, to: words.count, by: 2) {
                    guard let n = Int64(words[i]) else {
                        throw SQLError(.syntax, "INTERVAL '\(text)': '\(words[i])' is not a whole number", at: position)
                    }
                    parts.append((n, try unit(words[i + 1], at: position)))
                }
            }
        case .integer(let digits):
            let position = peek.position
            at += 1
            guard let n = Int64(digits), case .identifier(let u) = peek.kind else {
                throw SQLError(.syntax, "expected INTERVAL n UNIT (such as INTERVAL 3 DAY)", at: position)
            }
            at += 1
            parts.append((n, try unit(u, at: position)))
        default:
            throw error("expected INTERVAL '1 day' or INTERVAL 1 DAY")
        }
        let args = parts.flatMap { [Expr(.literal(.int($0.0)), at: p), Expr(.literal(.string($0.1)), at: p)] }
        return Expr(.function(name: Self.intervalFunction, args: args, distinct: false, star: false, clauses: .none), at: p)
    }

    /// The (amount, unit) pairs of an INTERVAL literal, or nil for any other expression.
    static func intervalParts(_ e: Expr) -> [(amount: Int64, unit: String)]? {
        guard case .function(let name, let args, _, _, _) = e.kind, name == intervalFunction else { return nil }
        var out: [(amount: Int64, unit: String)] = []
        for i in stride(from: 0, to: args.count - 1, by: 2) {
            guard case .literal(.int(let n)) = args[i].kind, case .literal(.string(let u)) = args[i + 1].kind else { return nil }
            out.append((n, u))
        }
        return out
    }

    /// A LIKE pattern with an escape character as a POSIX regular expression of the whole
    /// subject: `%` any run, `_` any one character, an escaped character itself.
    static func likeRegex(_ pattern: String, escape: Character) -> String {
        var out = ""
        var escaped = false
        for c in pattern {
            if escaped {
                escaped = false
            } else if c == escape {
                escaped = true
                continue
            } else if c == "%" {
                out += ".*"
                continue
            } else if c == "_" {
                out += "."
                continue
            }
            if ".[]()*+?{}|^$\\".contains(c) { out += "\\" }
            out.append(c)
        }
        return out
    }

    /// A GLOB pattern as the POSIX regular expression it means (the whole subject must match;
    /// `$.` matches nothing).
    static func globRegex(_ pattern: String) -> String {
        var out = ""
        var chars = Array(pattern)[...]
        while let c = chars.popFirst() {
            switch c {
            case "*": out += ".*"
            case "?": out += "."
            case "\\" where !chars.isEmpty:
                // A backslash takes the next character as itself.
                let m = chars.removeFirst()
                if ".[]()*+?{}|^$\\".contains(m) { out += "\\" }
                out.append(m)
            case "[":
                // A set: `!` first negates it (`^` is a member, as in DuckDB); a `]` first is a
                // member; `a-z` a range (a reversed one holds nothing). Unclosed, or empty, it
                // matches nothing.
                var rest = chars
                let negated = rest.first == "!"
                if negated { rest.removeFirst() }
                var members: [(Character, Character)] = []
                if rest.first == "]" { rest.removeFirst(); members.append(("]", "]")) }
                var closed = false
                while let m = rest.popFirst() {
                    if m == "]" { closed = true; break }
                    if rest.count >= 2, rest.first == "-", rest[rest.index(after: rest.startIndex)] != "]" {
                        rest.removeFirst()
                        let hi = rest.removeFirst()
                        if m <= hi { members.append((m, hi)) }
                    } else {
                        members.append((m, m))
                    }
                }
                guard closed else { return "$." }
                chars = rest
                if members.isEmpty {
                    if negated { out += "." } else { return "$." }
                    continue
                }
                // `]`, `-`, `^` and `[` as collating elements, so they need no placement rules.
                func end(_ c: Character) -> String { "]-^[".contains(c) ? "[.\(c).]" : String(c) }
                out += "[" + (negated ? "^" : "")
                for (lo, hi) in members { out += lo == hi ? end(lo) : end(lo) + "-" + end(hi) }
                out += "]"
            default:
                if ".[]()*+?{}|^$\\".contains(c) { out += "\\" }
                out.append(c)
            }
        }
        return out
    }

    // MARK: Row values

    /// The function a row value `(a, b, ...)` is read as until a comparison takes it apart.
    static let rowFunction = "\u{1}row"

    static func rowItems(_ e: Expr) -> [Expr]? {
        guard case .function(let name, let args, _, _, _) = e.kind, name == rowFunction else { return nil }
        return args
    }

    /// `(a, b) = (x, y)` is `a = x AND b = y`, `<>` its negation, and `(a, b) [NOT] IN ((x, y),
    /// ...)` the OR of the rows' equalities: the standard's row comparisons, NULLs included.
    mutating func rowComparison(_ row: [Expr], at p: Int) throws(SQLError) -> Expr {
        func equal(_ other: Expr) throws(SQLError) -> Expr {
            guard let items = Self.rowItems(other), items.count == row.count else {
                throw SQLError(.binder, "a row of \(row.count) values is compared with \(Self.rowItems(other).map { "a row of \($0.count)" } ?? "one value")",
                               at: other.position)
            }
            let pairs = zip(row, items).map { Expr(.binary(op: .comparison(.equal), $0, $1), at: p) }
            return pairs.dropFirst().reduce(pairs[0]) { Expr(.binary(op: .logical(.and), $0, $1), at: p) }
        }
        if case .symbol(let s) = peek.kind, let op = ComparisonOperator(rawValue: s), op == .equal || op == .notEqual {
            at += 1
            let e = try equal(try concatenation())
            return op == .equal ? e : Expr(.unary(op: .not, e), at: p)
        }
        let negated = accept(keyword: "NOT")
        try expect(keyword: "IN")
        try expect(symbol: "(")
        if isKeyword("SELECT") || isKeyword("WITH") {
            // A semi join on every column (the binder takes it as a WHERE condition).
            let q = try selectStatement()
            try expect(symbol: ")")
            let left = Expr(.function(name: Self.rowFunction, args: row, distinct: false, star: false, clauses: .none), at: p)
            return Expr(.inSubquery(left, q, negated: negated), at: p)
        }
        var options: [Expr] = []
        repeat { options.append(try equal(try expression())) } while accept(symbol: ",")
        try expect(symbol: ")")
        let any = options.dropFirst().reduce(options[0]) { Expr(.binary(op: .logical(.or), $0, $1), at: p) }
        return negated ? Expr(.unary(op: .not, any), at: p) : any
    }
}
