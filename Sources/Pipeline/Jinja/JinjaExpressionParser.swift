// Expressions inside `{{ }}` and `{% %}`: literals, names, attribute access, calls with
// keyword arguments, lists, dicts, `not`/`and`/`or`, comparisons, `in`, `~` and `+`.

struct JinjaExpressionParser {
    enum Token: Equatable {
        case name(String)
        case string(String)
        case int(Int)
        case double(Double)
        case symbol(String)
        case end
    }

    let file: String
    let line: Int
    private var tokens: [Token] = []
    private var at = 0
    private var lexError: String?
    /// Nesting so far (parentheses, lists, `not`, `-`, chains of operators): rendering
    /// recurses over the tree, so an expression deeper than `maxDepth` is an error here.
    private var depth = 0
    static let maxDepth = 200

    private mutating func nest(_ levels: Int = 1) throws(ProjectError) {
        depth += levels
        if depth > Self.maxDepth { throw error("template expression is nested too deeply (more than \(Self.maxDepth) levels)") }
    }

    init(text: String, file: String, line: Int) {
        self.file = file
        self.line = line
        tokenize(Array(text))
    }

    private func error(_ message: String) -> ProjectError { ProjectError(message, file: file, line: line) }

    private mutating func tokenize(_ c: [Character]) {
        var i = 0
        while i < c.count {
            let ch = c[i]
            if ch.isWhitespace { i += 1; continue }
            if ch.isLetter || ch == "_" {
                var j = i
                while j < c.count && (c[j].isLetter || c[j].isNumber || c[j] == "_") { j += 1 }
                tokens.append(.name(String(c[i..<j])))
                i = j
            } else if ch.isNumber {
                var j = i
                while j < c.count && (c[j].isNumber || c[j] == ".") { j += 1 }
                let s = String(c[i..<j])
                if let v = Int(s) { tokens.append(.int(v)) } else if let d = Double(s) { tokens.append(.double(d)) } else {
                    lexError = "bad number \(s)"; return
                }
                i = j
            } else if ch == "'" || ch == "\"" {
                var j = i + 1
                var s = ""
                while j < c.count && c[j] != ch {
                    if c[j] == "\\" && j + 1 < c.count {
                        j += 1
                        switch c[j] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        default: s.append(c[j])
                        }
                    } else {
                        s.append(c[j])
                    }
                    j += 1
                }
                guard j < c.count else { lexError = "unterminated string"; return }
                tokens.append(.string(s))
                i = j + 1
            } else {
                let two = i + 1 < c.count ? String(c[i...i + 1]) : ""
                if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                    tokens.append(.symbol(two))
                    i += 2
                } else if "()[]{},:.=<>+-*/~|%".contains(ch) {
                    tokens.append(.symbol(String(ch)))
                    i += 1
                } else {
                    lexError = "unexpected character '\(ch)'"
                    return
                }
            }
        }
        tokens.append(.end)
    }

    private var peek: Token { at < tokens.count ? tokens[at] : .end }

    private mutating func accept(_ s: String) -> Bool {
        if peek == .symbol(s) || peek == .name(s) { at += 1; return true }
        return false
    }

    private mutating func expect(_ s: String) throws(ProjectError) {
        guard accept(s) else { throw error("expected '\(s)' in template expression") }
    }

    mutating func parse() throws(ProjectError) -> JinjaExpr {
        if let lexError { throw error("template expression: \(lexError)") }
        guard peek != .end else { throw error("empty template expression") }
        let e = try orExpr()
        if peek == .symbol("|") { throw error("template filters (|) are not supported; moviecol supports \(Template.supported)") }
        guard peek == .end else { throw error("unexpected \(describe(peek)) in template expression") }
        return e
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .name(let n): return "'\(n)'"
        case .string(let s): return "string '\(s)'"
        case .int(let i): return "\(i)"
        case .double(let d): return "\(d)"
        case .symbol(let s): return "'\(s)'"
        case .end: return "end"
        }
    }

    private mutating func orExpr() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        try nest()
        var e = try andExpr()
        while accept("or") { try nest(); e = .binary("or", e, try andExpr()) }
        return e
    }

    private mutating func andExpr() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        var e = try notExpr()
        while accept("and") { try nest(); e = .binary("and", e, try notExpr()) }
        return e
    }

    private mutating func notExpr() throws(ProjectError) -> JinjaExpr {
        if accept("not") {
            let outer = depth
            defer { depth = outer }
            try nest()
            return .not(try notExpr())
        }
        return try comparison()
    }

    private mutating func comparison() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        var e = try additive()
        while true {
            try nest()
            if case .symbol(let s) = peek, ["==", "!=", "<", ">", "<=", ">="].contains(s) {
                at += 1
                e = .binary(s, e, try additive())
            } else if accept("in") {
                e = .binary("in", e, try additive())
            } else if peek == .name("not"), at + 1 < tokens.count, tokens[at + 1] == .name("in") {
                at += 2
                e = .not(.binary("in", e, try additive()))
            } else if accept("is") {
                let negated = accept("not")
                guard case .name(let test) = peek, ["none", "None", "defined", "undefined"].contains(test) else {
                    throw error("only 'is none', 'is defined' tests are supported")
                }
                at += 1
                let t: JinjaExpr = .binary("is_\(test.lowercased())", e, .literal(.none))
                e = negated ? .not(t) : t
            } else {
                return e
            }
        }
    }

    private mutating func additive() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        var e = try multiplicative()
        while true {
            try nest()
            if accept("+") { e = .binary("+", e, try multiplicative()) }
            else if accept("-") { e = .binary("-", e, try multiplicative()) }
            else if accept("~") { e = .binary("~", e, try multiplicative()) }
            else { return e }
        }
    }

    private mutating func multiplicative() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        var e = try unary()
        while true {
            try nest()
            if accept("*") { e = .binary("*", e, try unary()) }
            else if accept("/") { e = .binary("/", e, try unary()) }
            else { return e }
        }
    }

    private mutating func unary() throws(ProjectError) -> JinjaExpr {
        if accept("-") {
            let outer = depth
            defer { depth = outer }
            try nest()
            return .negate(try unary())
        }
        return try postfix()
    }

    private mutating func postfix() throws(ProjectError) -> JinjaExpr {
        let outer = depth
        defer { depth = outer }
        var e = try primary()
        while true {
            try nest()
            if accept(".") {
                guard case .name(let n) = peek else { throw error("expected a name after '.'") }
                at += 1
                e = .attribute(e, n)
            } else if accept("(") {
                var args: [JinjaExpr] = []
                var kwargs: [(String, JinjaExpr)] = []
                if !accept(")") {
                    repeat {
                        if case .name(let n) = peek, at + 1 < tokens.count, tokens[at + 1] == .symbol("=") {
                            at += 2
                            kwargs.append((n, try orExpr()))
                        } else {
                            guard kwargs.isEmpty else { throw error("positional argument after keyword argument") }
                            args.append(try orExpr())
                        }
                    } while accept(",") && peek != .symbol(")")
                    try expect(")")
                }
                e = .call(e, args: args, kwargs: kwargs)
            } else if accept("[") {
                let i = try orExpr()
                try expect("]")
                e = .index(e, i)
            } else {
                return e
            }
        }
    }

    private mutating func primary() throws(ProjectError) -> JinjaExpr {
        let t = peek
        at += 1
        switch t {
        case .string(let s):
            var text = s
            while case .string(let more) = peek { text += more; at += 1 }  // adjacent literals concatenate
            return .literal(.string(text))
        case .int(let i): return .literal(.int(i))
        case .double(let d): return .literal(.double(d))
        case .name(let n):
            switch n {
            case "True", "true": return .literal(.bool(true))
            case "False", "false": return .literal(.bool(false))
            case "None", "none": return .literal(.none)
            default: return .name(n)
            }
        case .symbol("("):
            let e = try orExpr()
            if accept(",") {  // a tuple: treat as a list
                var items = [e]
                while peek != .symbol(")") {
                    items.append(try orExpr())
                    if !accept(",") { break }
                }
                try expect(")")
                return .list(items)
            }
            try expect(")")
            return e
        case .symbol("["):
            var items: [JinjaExpr] = []
            while !accept("]") {
                items.append(try orExpr())
                if !accept(",") { try expect("]"); break }
            }
            return .list(items)
        case .symbol("{"):
            var pairs: [(JinjaExpr, JinjaExpr)] = []
            while !accept("}") {
                let k = try orExpr()
                try expect(":")
                pairs.append((k, try orExpr()))
                if !accept(",") { try expect("}"); break }
            }
            return .dict(pairs)
        default:
            throw error("unexpected \(describe(t)) in template expression")
        }
    }
}
