// Values of the template language: what `{{ ... }}` evaluates to before it becomes text.

/// A template value.
public indirect enum JinjaValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([JinjaValue])
    case dict([(String, JinjaValue)])
    /// A relation (`ref`, `source`, `this`): renders as `schema.name`.
    case relation(schema: String, name: String)

    public static func == (a: JinjaValue, b: JinjaValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.int(x), .double(y)), let (.double(y), .int(x)): return Double(x) == y
        case let (.string(x), .string(y)): return x == y
        case let (.list(x), .list(y)): return x == y
        case let (.dict(x), .dict(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case let (.relation(s1, n1), .relation(s2, n2)): return s1 == s2 && n1 == n2
        default: return false
        }
    }

    /// Python's truthiness, as Jinja uses it.
    public var truthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let xs): return !xs.isEmpty
        case .dict(let xs): return !xs.isEmpty
        case .relation: return true
        }
    }

    /// The text `{{ value }}` writes.
    public var rendered: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return s
        case .list(let xs): return "[" + xs.map(\.repr).joined(separator: ", ") + "]"
        case .dict(let xs): return "{" + xs.map { "'\($0.0)': \($0.1.repr)" }.joined(separator: ", ") + "}"
        case .relation(let s, let n): return s.isEmpty ? n : "\(s).\(n)"
        }
    }

    /// Python's repr (inside lists).
    var repr: String {
        if case .string(let s) = self { return "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'" }
        return rendered
    }

    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .relation: return rendered
        default: return nil
        }
    }

    /// A string or a list of strings, as `unique_key` and `tags` are written.
    public var stringList: [String]? {
        switch self {
        case .string(let s): return [s]
        case .list(let xs):
            var out: [String] = []
            for x in xs { guard let s = x.stringValue else { return nil }; out.append(s) }
            return out
        default: return nil
        }
    }

    public subscript(key: String) -> JinjaValue? {
        if case .dict(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}
