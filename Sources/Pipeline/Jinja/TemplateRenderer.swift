// Evaluates a template against the dbt context: built-in calls (`ref`, `source`, `config`,
// `var`, `is_incremental`, ...) come from the context; the template language itself (ifs,
// loops, sets, operators) is evaluated here.

/// What a template can call and read.
public protocol TemplateContext {
    /// A call of a dotted name (`ref`, `dbt_utils.generate_surrogate_key`).
    func call(_ name: String, args: [JinjaValue], kwargs: [(String, JinjaValue)], file: String, line: Int) throws(ProjectError) -> JinjaValue
    /// A global name (`this`, `target`), or nil if there is none.
    func global(_ name: String) -> JinjaValue?
}

/// Renders templates to SQL text.
public struct TemplateRenderer {
    /// When true, both sides of every `if` are rendered (to discover every `ref` and `config`
    /// while parsing, as dbt's parser does); the text is then not meant to run.
    public var exploreAllBranches: Bool
    private var locals: [String: JinjaValue] = [:]
    /// The name of the `{% snapshot %}` block met while rendering, if any.
    public private(set) var snapshotName: String?

    public init(exploreAllBranches: Bool = false) { self.exploreAllBranches = exploreAllBranches }

    public mutating func render(_ template: Template, context: TemplateContext) throws(ProjectError) -> String {
        var out = ""
        try render(template.nodes, file: template.file, context: context, into: &out)
        return out
    }

    private mutating func render(_ nodes: [TemplateNode], file: String, context: TemplateContext, into out: inout String) throws(ProjectError) {
        for node in nodes {
            switch node {
            case .text(let t): out += t
            case .output(let e, let line):
                out += try evaluate(e, file: file, line: line, context: context).rendered
            case .conditional(let branches, let otherwise, let line):
                if exploreAllBranches {
                    for (c, body) in branches {
                        _ = try evaluate(c, file: file, line: line, context: context)
                        try render(body, file: file, context: context, into: &out)
                    }
                    if let otherwise { try render(otherwise, file: file, context: context, into: &out) }
                    continue
                }
                var taken = false
                for (c, body) in branches where try evaluate(c, file: file, line: line, context: context).truthy {
                    try render(body, file: file, context: context, into: &out)
                    taken = true
                    break
                }
                if !taken, let otherwise { try render(otherwise, file: file, context: context, into: &out) }
            case .loop(let variables, let iterable, let body, let line):
                let sequence = try evaluate(iterable, file: file, line: line, context: context)
                let items: [JinjaValue]
                switch sequence {
                case .list(let xs): items = xs
                case .dict(let pairs): items = pairs.map { .list([.string($0.0), $0.1]) }
                default: throw ProjectError("{% for %} needs a list, got \(sequence.rendered)", file: file, line: line)
                }
                let saved = locals
                for (index, item) in items.enumerated() {
                    if variables.count == 1 {
                        locals[variables[0]] = item
                    } else {
                        guard case .list(let parts) = item, parts.count == variables.count else {
                            throw ProjectError("cannot unpack \(item.rendered) into \(variables.count) names", file: file, line: line)
                        }
                        for (n, v) in zip(variables, parts) { locals[n] = v }
                    }
                    locals["loop"] = .dict([("index", .int(index + 1)), ("index0", .int(index)), ("first", .bool(index == 0)),
                                            ("last", .bool(index == items.count - 1)), ("length", .int(items.count))])
                    try render(body, file: file, context: context, into: &out)
                }
                locals = saved
            case .assign(let name, let e, let line):
                locals[name] = try evaluate(e, file: file, line: line, context: context)
            case .snapshot(let name, let body, let line):
                guard snapshotName == nil else { throw ProjectError("only one {% snapshot %} block per file", file: file, line: line) }
                snapshotName = name
                try render(body, file: file, context: context, into: &out)
            }
        }
    }

    private mutating func evaluate(_ e: JinjaExpr, file: String, line: Int, context: TemplateContext) throws(ProjectError) -> JinjaValue {
        func sub(_ x: JinjaExpr) throws(ProjectError) -> JinjaValue { try evaluate(x, file: file, line: line, context: context) }
        switch e {
        case .literal(let v): return v
        case .name(let n):
            if let v = locals[n] ?? context.global(n) { return v }
            throw ProjectError("unknown template name '\(n)'", file: file, line: line)
        case .attribute(let base, let name):
            let b = try sub(base)
            if case .relation(let schema, let rel) = b {
                switch name {
                case "schema": return .string(schema)
                case "name", "identifier", "table": return .string(rel)
                default: break
                }
            }
            if let v = b[name] { return v }
            throw ProjectError("'\(b.rendered)' has no attribute '\(name)'", file: file, line: line)
        case .call(let callee, let args, let kwargs):
            guard let name = callee.dottedName else { throw ProjectError("only named functions can be called in templates", file: file, line: line) }
            var values: [JinjaValue] = []
            for a in args { values.append(try sub(a)) }
            var named: [(String, JinjaValue)] = []
            for (k, v) in kwargs { named.append((k, try sub(v))) }
            return try context.call(name, args: values, kwargs: named, file: file, line: line)
        case .list(let items):
            var out: [JinjaValue] = []
            for i in items { out.append(try sub(i)) }
            return .list(out)
        case .dict(let pairs):
            var out: [(String, JinjaValue)] = []
            for (k, v) in pairs {
                guard let key = try sub(k).stringValue else { throw ProjectError("dictionary keys must be strings", file: file, line: line) }
                out.append((key, try sub(v)))
            }
            return .dict(out)
        case .not(let x): return .bool(!(try sub(x).truthy))
        case .negate(let x):
            switch try sub(x) {
            case .int(let i) where i == .min:
                throw ProjectError("-(\(i)) is outside the 64-bit integers templates compute with", file: file, line: line)
            case .int(let i): return .int(-i)
            case .double(let d): return .double(-d)
            case let v: throw ProjectError("cannot negate \(v.rendered)", file: file, line: line)
            }
        case .index(let base, let index):
            let b = try sub(base), i = try sub(index)
            switch (b, i) {
            case (.list(let xs), .int(let k)) where k >= -xs.count && k < xs.count: return xs[k < 0 ? xs.count + k : k]
            case (.dict, .string(let k)): if let v = b[k] { return v }
            default: break
            }
            throw ProjectError("cannot index \(b.rendered) with \(i.rendered)", file: file, line: line)
        case .binary(let op, let a, let b):
            if op == "and" { let l = try sub(a); return l.truthy ? try sub(b) : l }
            if op == "or" { let l = try sub(a); return l.truthy ? l : try sub(b) }
            if op == "is_none" { return .bool(try sub(a) == .none) }
            if op == "is_defined" || op == "is_undefined" {
                var defined = true
                if case .name(let n) = a { defined = locals[n] != nil || context.global(n) != nil }
                return .bool(op == "is_defined" ? defined : !defined)
            }
            let l = try sub(a), r = try sub(b)
            return try Self.binary(op, l, r, file: file, line: line)
        }
    }

    private static func binary(_ op: String, _ l: JinjaValue, _ r: JinjaValue, file: String, line: Int) throws(ProjectError) -> JinjaValue {
        switch op {
        case "==": return .bool(l == r)
        case "!=": return .bool(l != r)
        case "~": return .string(l.rendered + r.rendered)
        case "in":
            switch r {
            case .list(let xs): return .bool(xs.contains(l))
            case .string(let s): return .bool(l.stringValue.map { s.contains($0) } ?? false)
            case .dict(let pairs): return .bool(pairs.contains { .string($0.0) == l })
            default: break
            }
        case "+":
            switch (l, r) {
            case let (.string(x), .string(y)): return .string(x + y)
            case let (.list(x), .list(y)): return .list(x + y)
            default: break
            }
        default: break
        }
        func number(_ v: JinjaValue) -> Double? {
            switch v {
            case .int(let i): return Double(i)
            case .double(let d): return d
            default: return nil
            }
        }
        if case .int(let x) = l, case .int(let y) = r, ["+", "-", "*"].contains(op) {
            // Python's integers have no limit; ours stop at 64 bits with an error, not a trap.
            let (value, overflow) = op == "+" ? x.addingReportingOverflow(y) : op == "-" ? x.subtractingReportingOverflow(y)
                : x.multipliedReportingOverflow(by: y)
            if overflow { throw ProjectError("\(x) \(op) \(y) is outside the 64-bit integers templates compute with", file: file, line: line) }
            return .int(value)
        }
        if let x = number(l), let y = number(r) {
            switch op {
            case "<": return .bool(x < y)
            case ">": return .bool(x > y)
            case "<=": return .bool(x <= y)
            case ">=": return .bool(x >= y)
            case "+": return .double(x + y)
            case "-": return .double(x - y)
            case "*": return .double(x * y)
            case "/": return .double(x / y)
            default: break
            }
        }
        if case .string(let x) = l, case .string(let y) = r, ["<", ">", "<=", ">="].contains(op) {
            return .bool(op == "<" ? x < y : op == ">" ? x > y : op == "<=" ? x <= y : x >= y)
        }
        throw ProjectError("cannot apply '\(op)' to \(l.repr) and \(r.repr)", file: file, line: line)
    }
}
