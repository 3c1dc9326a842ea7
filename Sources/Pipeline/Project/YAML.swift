// The YAML of dbt_project.yml and schema files, read through Yams into a small tree that
// keeps line numbers, so every complaint about a key can say where it is.

import Yams

/// A YAML node with its line (1-based).
public indirect enum YAML: Sendable {
    case scalar(String, quoted: Bool, line: Int)
    case list([YAML], line: Int)
    case map([(key: String, value: YAML)], line: Int)
    case null(line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, _, let l), .list(_, let l), .map(_, let l), .null(let l): return l
        }
    }

    /// Parses a document; an empty document is an empty map.
    public static func parse(_ text: String, file: String) throws(ProjectError) -> YAML {
        let node: Yams.Node?
        do { node = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw ProjectError("invalid YAML: \(Self.describe(error))", file: file)
        } catch {
            throw ProjectError("invalid YAML: \(error)", file: file)
        }
        guard let node else { return .map([], line: 1) }
        return convert(node)
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "line \(mark.line): \(problem)"
        default:
            return "\(error)"
        }
    }

    private static func convert(_ node: Yams.Node) -> YAML {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let s):
            let quoted = s.style == .singleQuoted || s.style == .doubleQuoted
            if !quoted, ["", "~", "null", "Null", "NULL"].contains(s.string), s.style != .literal, s.style != .folded {
                return .null(line: line)
            }
            return .scalar(s.string, quoted: quoted || s.style == .literal || s.style == .folded, line: line)
        case .mapping(let m):
            return .map(m.map { (key: $0.key.string ?? "", value: convert($0.value)) }, line: line)
        case .sequence(let q):
            return .list(q.map(convert), line: line)
        case .alias:
            return .null(line: line)
        }
    }

    // MARK: Access

    public subscript(key: String) -> YAML? {
        guard case .map(let pairs, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    public var entries: [(key: String, value: YAML)] {
        if case .map(let pairs, _) = self { return pairs }
        return []
    }

    public var items: [YAML] {
        switch self {
        case .list(let xs, _): return xs
        case .null: return []
        default: return [self]
        }
    }

    public var string: String? {
        if case .scalar(let s, _, _) = self { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A YAML boolean (`true`, `True`, `yes`, ...).
    public var bool: Bool? {
        guard case .scalar(let s, false, _) = self else { return nil }
        switch s.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// The node as a template value (for config and vars).
    public var value: JinjaValue {
        switch self {
        case .null: return .none
        case .scalar(let s, let quoted, _):
            if quoted { return .string(s) }
            if let b = bool { return .bool(b) }
            if let i = Int(s) { return .int(i) }
            if let d = Double(s), s.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return .double(d) }
            return .string(s)
        case .list(let xs, _): return .list(xs.map(\.value))
        case .map(let pairs, _): return .dict(pairs.map { ($0.key, $0.value.value) })
        }
    }
}
