// Reads a project: dbt_project.yml, schema and source files, models, seeds, snapshots and
// singular tests; renders every template once to learn its refs and config (as dbt's parser
// does); checks that every ref resolves and that the graph has no cycle.

import Engine
import Foundation

public enum ProjectLoader {
    /// Loads `files`; `vars` (from `--vars`) override the project's.
    public static func load(_ files: ProjectFiles, vars cliVars: [(String, JinjaValue)] = []) throws(ProjectError) -> Project {
        guard let projectFile = ["dbt_project.yml", "dbt_project.yaml"].first(where: { files.files[$0] != nil }) else {
            throw ProjectError("no dbt_project.yml in the project folder", file: files.root)
        }
        let config = try YAML.parse(files.files[projectFile]!, file: projectFile)
        guard let name = config["name"]?.string else { throw ProjectError("dbt_project.yml needs a name", file: projectFile, line: 1) }
        func paths(_ key: String, _ fallback: String) -> [String] {
            let ps = config[key]?.items.compactMap(\.string) ?? []
            return ps.isEmpty ? [fallback] : ps.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        }
        let modelPaths = paths("model-paths", "models"), seedPaths = paths("seed-paths", "seeds")
        let snapshotPaths = paths("snapshot-paths", "snapshots"), testPaths = paths("test-paths", "tests")
        var vars: [(String, JinjaValue)] = []
        if case .dict(let pairs) = config["vars"]?.value ?? .none { vars = pairs }
        vars += cliVars

        var loader = Loader(project: name, files: files, projectFile: projectFile, config: config, vars: vars)
        // Schema files first: their docs and config apply to the nodes read next.
        for folder in modelPaths + seedPaths + snapshotPaths {
            for path in files.paths(under: folder, extensions: ["yml", "yaml"]) { try loader.readSchemaFile(path) }
        }
        for folder in modelPaths {
            for path in files.paths(under: folder, extensions: ["sql"]) { try loader.readSQLNode(path, base: folder, snapshotFolder: false) }
        }
        for folder in snapshotPaths {
            for path in files.paths(under: folder, extensions: ["sql"]) { try loader.readSQLNode(path, base: folder, snapshotFolder: true) }
        }
        for folder in seedPaths {
            for path in files.paths(under: folder, extensions: ["csv"]) { try loader.readSeed(path, base: folder) }
        }
        for folder in testPaths {
            for path in files.paths(under: folder, extensions: ["sql"]) { try loader.readSingularTest(path, base: folder) }
        }
        return try loader.finish(root: files.root)
    }
}

/// The state of one load.
private struct Loader {
    let project: String
    let files: ProjectFiles
    let projectFile: String
    let config: YAML
    let vars: [(String, JinjaValue)]

    struct SchemaEntry {
        var description = ""
        var columns: [ColumnDoc] = []
        var config: [(String, JinjaValue)] = []
        var tests: [(column: String, test: YAML)] = []
        var file: String
        var line: Int
    }
    var schemaEntries: [String: SchemaEntry] = [:]
    var sources: [SourceTable] = []
    var sourceTests: [(source: SourceTable, column: String, test: YAML, file: String)] = []
    var nodes: [Node] = []
    /// name -> (file, line) of each ref, per node unique id, for error messages
    var refLines: [String: [(String, Int)]] = [:]
    var sourceLines: [String: [(String, String, Int)]] = [:]

    init(project: String, files: ProjectFiles, projectFile: String, config: YAML, vars: [(String, JinjaValue)]) {
        self.project = project
        self.files = files
        self.projectFile = projectFile
        self.config = config
        self.vars = vars
    }

    // MARK: Folder configuration

    /// The settings dbt_project.yml gives a node of `kind` (models, seeds, snapshots, data_tests) in `folders`.
    func folderConfig(_ kind: String, folders: [String]) throws(ProjectError) -> NodeConfig {
        var out = NodeConfig()
        var trees: [YAML] = []
        if let t = config[kind] { trees.append(t) }
        if kind == "data_tests", let t = config["tests"] { trees.append(t) }
        for tree in trees {
            var level: YAML? = tree
            try applyLevel(level!, to: &out)
            level = tree[project]
            for folder in [""] + folders {
                if !folder.isEmpty { level = level?[folder] }
                guard let l = level else { break }
                if folder.isEmpty && l.line == tree.line { continue }
                try applyLevel(l, to: &out)
            }
        }
        return out
    }

    private func applyLevel(_ level: YAML, to config: inout NodeConfig) throws(ProjectError) {
        var pairs: [(String, JinjaValue)] = []
        for (key, value) in level.entries {
            let isConfig = key.hasPrefix("+") || (NodeConfig.known.contains(key) && !Self.isFolderMap(value))
            if isConfig { pairs.append((key, value.value)) }
        }
        try config.apply(pairs, file: projectFile, line: level.line)
    }

    private static func isFolderMap(_ v: YAML) -> Bool {
        if case .map = v { return true }
        return false
    }

    // MARK: Schema files

    /// A description as dbt shows it: Jinja rendered with the project's vars, so "at least
    /// {{ var('min_ratings') }} ratings" names the value the build used.
    func renderDescription(_ text: String, name: String, file: String, line: Int) throws(ProjectError) -> String {
        guard text.contains("{{") || text.contains("{%") else { return text }
        do {
            let template = try Template(parsing: text, file: file)
            let context = DbtContext(mode: .parse, nodeName: name, this: .relation(schema: "__this__", name: name), vars: vars)
            var renderer = TemplateRenderer()
            return try renderer.render(template, context: context)
        } catch {
            // Lines count within the description: place them in the schema file.
            var e = error
            e.line = line + (e.line ?? 1) - 1
            throw e
        }
    }

    mutating func readSchemaFile(_ path: String) throws(ProjectError) {
        let doc = try YAML.parse(files.files[path]!, file: path)
        for key in ["models", "seeds", "snapshots"] {
            for entry in doc[key]?.items ?? [] {
                guard let name = entry["name"]?.string else { throw ProjectError("\(key) entry needs a name", file: path, line: entry.line) }
                guard schemaEntries[name] == nil else {
                    throw ProjectError("\(name) is described twice (also in \(schemaEntries[name]!.file))", file: path, line: entry.line)
                }
                let description = try renderDescription(entry["description"]?.string ?? "", name: name, file: path,
                                                    line: entry["description"]?.line ?? entry.line)
                var e = SchemaEntry(description: description, file: path, line: entry.line)
                if case .dict(let pairs) = entry["config"]?.value ?? .none { e.config = pairs }
                for t in (entry["data_tests"] ?? entry["tests"])?.items ?? [] { e.tests.append(("", t)) }
                for column in entry["columns"]?.items ?? [] {
                    guard let c = column["name"]?.string else { throw ProjectError("column entry needs a name", file: path, line: column.line) }
                    let text = try renderDescription(column["description"]?.string ?? "", name: name, file: path,
                                                 line: column["description"]?.line ?? column.line)
                    e.columns.append(ColumnDoc(name: c, description: text))
                    for t in (column["data_tests"] ?? column["tests"])?.items ?? [] { e.tests.append((c, t)) }
                }
                schemaEntries[name] = e
            }
        }
        for source in doc["sources"]?.items ?? [] {
            guard let sourceName = source["name"]?.string else { throw ProjectError("source entry needs a name", file: path, line: source.line) }
            let schema = (source["schema"]?.string ?? sourceName).lowercased()
            for table in source["tables"]?.items ?? [] {
                guard let t = table["name"]?.string else { throw ProjectError("source table needs a name", file: path, line: table.line) }
                var columns: [ColumnDoc] = []
                var tests: [(String, YAML)] = []
                for column in table["columns"]?.items ?? [] {
                    guard let c = column["name"]?.string else { throw ProjectError("column entry needs a name", file: path, line: column.line) }
                    columns.append(ColumnDoc(name: c, description: column["description"]?.string ?? ""))
                    for test in (column["data_tests"] ?? column["tests"])?.items ?? [] { tests.append((c, test)) }
                }
                let src = SourceTable(uniqueId: "source.\(project).\(sourceName).\(t)", sourceName: sourceName, name: t, schema: schema,
                                      identifier: table["identifier"]?.string ?? t,
                                      description: table["description"]?.string ?? source["description"]?.string ?? "",
                                      columns: columns, path: path)
                sources.append(src)
                for (c, test) in tests { sourceTests.append((src, c, test, path)) }
            }
        }
    }

    // MARK: SQL nodes

    mutating func readSQLNode(_ path: String, base: String, snapshotFolder: Bool) throws(ProjectError) {
        let text = files.files[path]!
        let template = try Template(parsing: text, file: path)
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folders = Array(path.dropFirst(base.count + 1).split(separator: "/").dropLast().map(String.init))
        let context = DbtContext(mode: .parse, nodeName: fileName, this: .relation(schema: "__this__", name: fileName), vars: vars)
        var renderer = TemplateRenderer(exploreAllBranches: true)
        _ = try renderer.render(template, context: context)
        let isSnapshot = renderer.snapshotName != nil
        if snapshotFolder && !isSnapshot {
            throw ProjectError("a snapshot file must contain {% snapshot name %} ... {% endsnapshot %}", file: path, line: 1)
        }
        let name = renderer.snapshotName ?? fileName
        let type: ResourceType = isSnapshot ? .snapshot : .model
        var node = Node(uniqueId: "\(type.rawValue).\(project).\(name)", name: name, resourceType: type, path: path,
                        folders: folders, config: try folderConfig(isSnapshot ? "snapshots" : "models", folders: folders + [name]),
                        rawCode: text, template: template)
        try applySchemaEntry(&node)
        for c in context.configs { try node.config.apply(c.pairs, file: path, line: c.line) }
        if isSnapshot {
            guard node.config.uniqueKey != nil else { throw ProjectError("snapshot \(name) needs config unique_key", file: path, line: 1) }
            let strategy = node.config.strategy ?? ""
            if strategy == "timestamp" && node.config.updatedAt == nil {
                throw ProjectError("snapshot \(name): strategy timestamp needs updated_at", file: path, line: 1)
            }
            if strategy == "check" && node.config.checkCols == nil {
                throw ProjectError("snapshot \(name): strategy check needs check_cols (a list or 'all')", file: path, line: 1)
            }
            if strategy.isEmpty { throw ProjectError("snapshot \(name) needs config strategy (timestamp or check)", file: path, line: 1) }
        }
        refLines[node.uniqueId] = context.refs.map { ($0.name, $0.line) }
        sourceLines[node.uniqueId] = context.sources.map { ($0.source, $0.table, $0.line) }
        try add(node)
    }

    mutating func readSeed(_ path: String, base: String) throws(ProjectError) {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folders = Array(path.dropFirst(base.count + 1).split(separator: "/").dropLast().map(String.init))
        var node = Node(uniqueId: "seed.\(project).\(name)", name: name, resourceType: .seed, path: path, folders: folders,
                        config: try folderConfig("seeds", folders: folders + [name]), rawCode: files.files[path]!, template: nil)
        try applySchemaEntry(&node)
        try add(node)
    }

    mutating func readSingularTest(_ path: String, base: String) throws(ProjectError) {
        let text = files.files[path]!
        let template = try Template(parsing: text, file: path)
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folders = Array(path.dropFirst(base.count + 1).split(separator: "/").dropLast().map(String.init))
        let context = DbtContext(mode: .parse, nodeName: name, this: .relation(schema: "__this__", name: name), vars: vars)
        var renderer = TemplateRenderer(exploreAllBranches: true)
        _ = try renderer.render(template, context: context)
        var node = Node(uniqueId: "test.\(project).\(name)", name: name, resourceType: .test, path: path, folders: folders,
                        config: try folderConfig("data_tests", folders: folders), rawCode: text, template: template)
        for c in context.configs { try node.config.apply(c.pairs, file: path, line: c.line) }
        refLines[node.uniqueId] = context.refs.map { ($0.name, $0.line) }
        sourceLines[node.uniqueId] = context.sources.map { ($0.source, $0.table, $0.line) }
        try add(node)
    }

    private mutating func applySchemaEntry(_ node: inout Node) throws(ProjectError) {
        guard let e = schemaEntries[node.name] else { return }
        node.description = e.description
        node.columns = e.columns
        try node.config.apply(e.config, file: e.file, line: e.line)
    }

    private mutating func add(_ node: Node) throws(ProjectError) {
        if let other = nodes.first(where: { $0.name == node.name && $0.resourceType != .test && node.resourceType != .test }) {
            throw ProjectError("two nodes are named \(node.name) (also \(other.path))", file: node.path)
        }
        guard node.config.enabled else { return }
        nodes.append(node)
    }

    // MARK: Finish: refs, generic tests, order

    mutating func finish(root: String) throws(ProjectError) -> Project {
        for (name, e) in schemaEntries where !nodes.contains(where: { $0.name == name }) {
            throw ProjectError("schema file describes \(name), but there is no model, seed or snapshot of that name", file: e.file, line: e.line)
        }
        let byName = Dictionary(nodes.filter { $0.resourceType != .test }.map { ($0.name, $0.uniqueId) }, uniquingKeysWith: { a, _ in a })
        for i in nodes.indices {
            var deps: [String] = []
            for (ref, line) in refLines[nodes[i].uniqueId] ?? [] {
                guard let id = byName[ref] else {
                    var message = "ref('\(ref)') names no model, seed or snapshot"
                    if let near = NameSuggestion.nearest(to: ref, in: byName.keys.sorted()) { message += "; did you mean '\(near)'?" }
                    throw ProjectError(message, file: nodes[i].path, line: line)
                }
                if !deps.contains(id) { deps.append(id) }
            }
            for (s, t, line) in sourceLines[nodes[i].uniqueId] ?? [] {
                guard let src = sources.first(where: { $0.sourceName == s && $0.name == t }) else {
                    throw ProjectError("source('\(s)', '\(t)') is not declared in a sources file", file: nodes[i].path, line: line)
                }
                if !deps.contains(src.uniqueId) { deps.append(src.uniqueId) }
            }
            nodes[i].dependsOn = deps
        }
        // Generic tests from schema files.
        for (name, e) in schemaEntries.sorted(by: { $0.key < $1.key }) {
            guard let target = nodes.first(where: { $0.name == name }) else { continue }
            for (column, test) in e.tests {
                try addGenericTest(test, column: column, targetId: target.uniqueId, targetName: target.name, file: e.file, byName: byName)
            }
        }
        for (src, column, test, file) in sourceTests {
            try addGenericTest(test, column: column, targetId: src.uniqueId, targetName: "\(src.sourceName)_\(src.name)", file: file, byName: byName)
        }
        return Project(name: project, root: root, vars: vars, nodes: try topologicalOrder(), sources: sources)
    }

    private mutating func addGenericTest(_ test: YAML, column: String, targetId: String, targetName: String, file: String,
                                         byName: [String: String]) throws(ProjectError) {
        var kind: String
        var arguments: YAML? = nil
        switch test {
        case .scalar(let s, _, _): kind = s
        case .map(let pairs, _) where pairs.count == 1:
            kind = pairs[0].key
            arguments = pairs[0].value
        default:
            throw ProjectError("a test is a name or a map of one name to its arguments", file: file, line: test.line)
        }
        // dbt 1.8+ nests arguments under `arguments:`; both spellings work.
        let args = arguments?["arguments"] ?? arguments
        var generic = GenericTest(kind: kind, target: targetId, column: column)
        var suffix = ""
        var deps = [targetId]
        switch kind {
        case "not_null", "unique":
            guard !column.isEmpty else { throw ProjectError("\(kind) belongs under a column", file: file, line: test.line) }
        case "relationships":
            guard let to = args?["to"]?.string, let field = args?["field"]?.string else {
                throw ProjectError("relationships needs to: ref('model') and field: column", file: file, line: test.line)
            }
            let parsed = try refTarget(to, file: file, line: test.line)
            let toId: String
            if parsed.0 == "ref" {
                guard let id = byName[parsed.1] else { throw ProjectError("relationships to \(to): no such model", file: file, line: test.line) }
                toId = id
            } else {
                let parts = parsed.1.split(separator: ".").map(String.init)
                guard let s = sources.first(where: { $0.sourceName == parts[0] && $0.name == parts[1] }) else {
                    throw ProjectError("relationships to \(to): no such source", file: file, line: test.line)
                }
                toId = s.uniqueId
            }
            generic.to = toId
            generic.field = field
            deps.append(toId)
            suffix = "__\(field)__\(parsed.0)_\(parsed.1.replacingOccurrences(of: ".", with: "_"))_"
        case "accepted_values":
            guard let values = args?["values"]?.items, !values.isEmpty else {
                throw ProjectError("accepted_values needs values: [...]", file: file, line: test.line)
            }
            generic.values = values.map(\.value)
            generic.quote = args?["quote"]?.bool ?? true
            suffix = "__" + generic.values.map { $0.rendered.replacingOccurrences(of: ".", with: "_") }.joined(separator: "__")
        default:
            throw ProjectError("unsupported generic test '\(kind)'; moviecol supports not_null, unique, relationships, accepted_values "
                               + "(and singular tests in tests/)", file: file, line: test.line)
        }
        let baseName = "\(kind)_\(targetName)_\(column)\(suffix)"
        var name = baseName
        var n = 2
        while nodes.contains(where: { $0.name == name }) { name = "\(baseName)_\(n)"; n += 1 }
        var node = Node(uniqueId: "test.\(project).\(name)", name: name, resourceType: .test, path: file, folders: [],
                        config: try folderConfig("data_tests", folders: []), rawCode: "", template: nil)
        if case .map(let testArgs, _)? = args {
            let configPairs = (args?["config"]?.value).flatMap { v -> [(String, JinjaValue)]? in
                if case .dict(let d) = v { return d }
                return nil
            } ?? []
            try node.config.apply(configPairs, file: file, line: test.line)
            // severity and friends may also sit directly beside the arguments
            try node.config.apply(testArgs.filter { ["severity", "store_failures", "where"].contains($0.key) }.map { ($0.key, $0.value.value) },
                                  file: file, line: test.line)
        }
        node.dependsOn = deps
        node.generic = generic
        nodes.append(node)
    }

    /// `ref('m')` or `source('s', 't')` written as text in YAML.
    private func refTarget(_ text: String, file: String, line: Int) throws(ProjectError) -> (String, String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let inner = { (prefix: String) -> [String]? in
            guard t.hasPrefix(prefix + "("), t.hasSuffix(")") else { return nil }
            return t.dropFirst(prefix.count + 1).dropLast().split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            }
        }
        if let args = inner("ref"), let last = args.last { return ("ref", last) }
        if let args = inner("source"), args.count == 2 { return ("source", "\(args[0]).\(args[1])") }
        throw ProjectError("expected ref('model') or source('name', 'table'), got \(text)", file: file, line: line)
    }

    /// Dependency order, stable by resource and path; a cycle is an error naming it.
    private func topologicalOrder() throws(ProjectError) -> [Node] {
        let ids = Set(nodes.map(\.uniqueId))
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var out: [Node] = []
        let byId = Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0) })
        func visit(_ id: String, _ stack: [String]) throws(ProjectError) {
            if state[id] == 2 { return }
            if state[id] == 1 {
                let cycle = stack.drop { $0 != id }.map { byId[$0]!.name } + [byId[id]!.name]
                throw ProjectError("dependency cycle: \(cycle.joined(separator: " -> "))", file: byId[id]!.path)
            }
            state[id] = 1
            for d in byId[id]!.dependsOn where ids.contains(d) { try visit(d, stack + [id]) }
            state[id] = 2
            out.append(byId[id]!)
        }
        // Seeds first, then models, snapshots: a stable order that reads like the layers.
        let rank: [ResourceType: Int] = [.seed: 0, .model: 1, .snapshot: 2]
        for n in nodes.filter({ $0.resourceType != .test }).sorted(by: { (rank[$0.resourceType] ?? 3, $0.path) < (rank[$1.resourceType] ?? 3, $1.path) }) {
            try visit(n.uniqueId, [])
        }
        for n in nodes where n.resourceType == .test { try visit(n.uniqueId, []) }
        return out
    }
}
