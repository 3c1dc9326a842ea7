// The dbt functions a template may call. One context serves both passes: while loading
// (refs and config are recorded, relations are placeholders) and while compiling (refs
// resolve to real relations, `is_incremental()` answers for this run).

import Foundation

package final class DbtContext: TemplateContext {
    package enum Mode {
        case parse
        case compile(project: Project, isIncremental: Bool)
    }

    let mode: Mode
    let nodeName: String
    let thisRelation: JinjaValue
    let vars: [(String, JinjaValue)]
    private(set) var refs: [(name: String, line: Int)] = []
    private(set) var sources: [(source: String, table: String, line: Int)] = []
    private(set) var configs: [(pairs: [(String, JinjaValue)], line: Int)] = []
    /// Ephemeral models referenced while compiling (their CTEs are injected).
    private(set) var ephemeralRefs: [String] = []

    package init(mode: Mode, nodeName: String, this: JinjaValue, vars: [(String, JinjaValue)]) {
        self.mode = mode
        self.nodeName = nodeName
        thisRelation = this
        self.vars = vars
    }

    static let functions = "ref, source, config, var, env_var, is_incremental, this, target, dbt_utils.generate_surrogate_key"

    package func global(_ name: String) -> JinjaValue? {
        switch name {
        case "this": return thisRelation
        case "target": return .dict([("name", .string("dev")), ("schema", .string("main")), ("type", .string("moviecol")),
                                     ("database", .string("moviecol")), ("threads", .int(1))])
        case "dbt_utils", "adapter", "run_query":
            return .dict([])
        default: return nil
        }
    }

    package func call(_ name: String, args: [JinjaValue], kwargs: [(String, JinjaValue)], file: String, line: Int) throws(ProjectError) -> JinjaValue {
        func stringArg(_ i: Int, _ what: String) throws(ProjectError) -> String {
            guard i < args.count, let s = args[i].stringValue else { throw ProjectError("\(name)() needs \(what) as a string", file: file, line: line) }
            return s
        }
        switch name {
        case "ref":
            guard args.count == 1 || args.count == 2 else { throw ProjectError("ref() takes a model name (and optionally a package)", file: file, line: line) }
            let target = try stringArg(args.count - 1, "a model name")
            refs.append((target, line))
            switch mode {
            case .parse: return .relation(schema: "__ref__", name: target)
            case .compile(let project, _):
                guard let node = project.nodes.first(where: { $0.name == target && $0.resourceType != .test }) else {
                    throw ProjectError("ref('\(target)') names no model, seed or snapshot", file: file, line: line)
                }
                if node.materialization == "ephemeral" {
                    if !ephemeralRefs.contains(node.uniqueId) { ephemeralRefs.append(node.uniqueId) }
                    return .relation(schema: "", name: "__dbt__cte__\(node.name)")
                }
                return .relation(schema: node.schema, name: node.relationName)
            }
        case "source":
            let s = try stringArg(0, "a source name"), t = try stringArg(1, "a table name")
            sources.append((s, t, line))
            switch mode {
            case .parse: return .relation(schema: "__source__", name: "\(s).\(t)")
            case .compile(let project, _):
                guard let src = project.sources.first(where: { $0.sourceName == s && $0.name == t }) else {
                    throw ProjectError("source('\(s)', '\(t)') is not declared in a sources file", file: file, line: line)
                }
                return .relation(schema: src.schema, name: src.identifier)
            }
        case "config":
            var pairs = kwargs
            if let first = args.first, case .dict(let d) = first { pairs = d + pairs }
            if case .parse = mode { configs.append((pairs, line)) }
            return .string("")
        case "var":
            let key = try stringArg(0, "a variable name")
            if let v = vars.last(where: { $0.0 == key })?.1 { return v }
            if args.count >= 2 { return args[1] }
            throw ProjectError("var('\(key)') is not set: give it in dbt_project.yml vars, with --vars, or a default", file: file, line: line)
        case "env_var":
            let key = try stringArg(0, "a variable name")
            if let v = ProcessInfo.processInfo.environment[key] { return .string(v) }
            if args.count >= 2 { return args[1] }
            throw ProjectError("env_var('\(key)') is not set and has no default", file: file, line: line)
        case "is_incremental":
            if case .compile(_, let incremental) = mode { return .bool(incremental) }
            return .bool(false)
        case "dbt_utils.generate_surrogate_key", "dbt_utils.surrogate_key":
            guard args.count == 1, let columns = args[0].stringList, !columns.isEmpty else {
                throw ProjectError("generate_surrogate_key() takes a list of column names", file: file, line: line)
            }
            return .string(Self.surrogateKey(columns))
        default:
            throw ProjectError("unsupported template function '\(name)'; moviecol supports \(Self.functions)", file: file, line: line)
        }
    }

    /// The SQL dbt_utils.generate_surrogate_key writes: every field cast to text, NULL
    /// replaced by a marker, joined by '-', hashed with MD5.
    static func surrogateKey(_ columns: [String]) -> String {
        let fields = columns.map { "coalesce(cast(\($0) as varchar), '_dbt_utils_surrogate_key_null_')" }
        return "md5(cast(" + fields.joined(separator: " || '-' || ") + " as varchar))"
    }
}
