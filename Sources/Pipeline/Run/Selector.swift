// dbt's node selection: `--select a b` is a union, `a,b` an intersection; `+m` adds m's
// ancestors, `m+` its descendants (`2+m`, `m+1` limit the depth), `@m` its descendants and
// their ancestors; methods `tag:`, `path:`, `config.materialized:`, `resource_type:`,
// `source:`, `test_type:`; a bare word is a node name, a folder, or a path.

import Foundation

public enum Selector {
    /// The unique ids of the nodes `select` picks (all when empty), minus `exclude`. Tests
    /// come along with any node they test (dbt's "eager" indirect selection).
    public static func select(_ project: Project, select: [String], exclude: [String]) throws(ProjectError) -> Set<String> {
        let selectSpecs = select.flatMap { $0.split(separator: " ").map(String.init) }
        let excludeSpecs = exclude.flatMap { $0.split(separator: " ").map(String.init) }
        var chosen: Set<String>
        if selectSpecs.isEmpty {
            chosen = Set(project.nodes.map(\.uniqueId))
        } else {
            chosen = []
            for spec in selectSpecs { chosen.formUnion(try evaluate(spec, project)) }
            // Tests of chosen nodes come along.
            for n in project.nodes where n.resourceType == .test && !chosen.contains(n.uniqueId) {
                if n.dependsOn.contains(where: chosen.contains) { chosen.insert(n.uniqueId) }
            }
        }
        for spec in excludeSpecs { chosen.subtract(try evaluate(spec, project)) }
        return chosen
    }

    private static func evaluate(_ spec: String, _ project: Project) throws(ProjectError) -> Set<String> {
        var result: Set<String>? = nil
        for part in spec.split(separator: ",").map(String.init) {
            let ids = try atom(part, project)
            result = result.map { $0.intersection(ids) } ?? ids
        }
        return result ?? []
    }

    private static func atom(_ text: String, _ project: Project) throws(ProjectError) -> Set<String> {
        var s = Substring(text)
        var at = false
        if s.hasPrefix("@") { at = true; s = s.dropFirst() }
        var ancestors: Int? = nil, descendants: Int? = nil
        if let plus = s.firstIndex(of: "+"), s[s.startIndex..<plus].allSatisfy(\.isNumber), !s.hasPrefix("tag:") {
            let digits = s[s.startIndex..<plus]
            ancestors = digits.isEmpty ? Int.max : Int(digits)!
            s = s[s.index(after: plus)...]
        }
        if let plus = s.lastIndex(of: "+"), s[s.index(after: plus)...].allSatisfy(\.isNumber) {
            let digits = s[s.index(after: plus)...]
            descendants = digits.isEmpty ? Int.max : Int(digits)!
            s = s[..<plus]
        }
        let base = try method(String(s), project)
        guard !base.isEmpty else { throw ProjectError("selector '\(text)' matches no node") }
        var out = base
        let parents = Dictionary(uniqueKeysWithValues: project.nodes.map { ($0.uniqueId, $0.dependsOn) })
        let children = project.children
        func walk(_ start: Set<String>, _ edges: [String: [String]], depth: Int) -> Set<String> {
            var seen = start, frontier = Array(start), level = 0
            while !frontier.isEmpty && level < depth {
                frontier = frontier.flatMap { edges[$0] ?? [] }.filter { seen.insert($0).inserted }
                level += 1
            }
            return seen
        }
        if let ancestors { out.formUnion(walk(base, parents, depth: ancestors)) }
        if let descendants { out.formUnion(walk(base, children, depth: descendants)) }
        if at {
            let down = walk(base, children, depth: .max)
            out.formUnion(walk(down, parents, depth: .max))
        }
        // Sources are not runnable nodes.
        return out.filter { project.node($0) != nil }
    }

    private static func method(_ s: String, _ project: Project) throws(ProjectError) -> Set<String> {
        let nodes = project.nodes
        if let colon = s.firstIndex(of: ":") {
            let m = String(s[..<colon]), v = String(s[s.index(after: colon)...])
            switch m {
            case "tag": return Set(nodes.filter { $0.config.tags.contains(v) }.map(\.uniqueId))
            case "path": return byPath(v, nodes)
            case "resource_type": return Set(nodes.filter { $0.resourceType.rawValue == v }.map(\.uniqueId))
            case "config.materialized": return Set(nodes.filter { $0.materialization == v }.map(\.uniqueId))
            case "test_type":
                return Set(nodes.filter { $0.resourceType == .test && ((v == "generic") == ($0.generic != nil)) }.map(\.uniqueId))
            case "source":
                let parts = v.split(separator: ".").map(String.init)
                return Set(project.sources.filter { $0.sourceName == parts[0] && (parts.count == 1 || $0.name == parts[1]) }.map(\.uniqueId))
            case "fqn": return byName(v, nodes, project)
            default:
                throw ProjectError("unsupported selector method '\(m)'; use tag:, path:, resource_type:, config.materialized:, test_type:, source:, fqn:")
            }
        }
        if s.contains("/") || s.hasSuffix(".sql") { return byPath(s, nodes) }
        return byName(s, nodes, project)
    }

    private static func byPath(_ p: String, _ nodes: [Node]) -> Set<String> {
        let path = p.hasSuffix("/") ? String(p.dropLast()) : p
        return Set(nodes.filter { $0.path == path || $0.path.hasPrefix(path + "/") }.map(\.uniqueId))
    }

    /// A bare word: a node name (with `*` wildcards), a folder of the project, or the project itself.
    private static func byName(_ word: String, _ nodes: [Node], _ project: Project) -> Set<String> {
        if word == project.name { return Set(nodes.map(\.uniqueId)) }
        let pattern = word.contains("*") ? NSRegularExpression.escapedPattern(for: word).replacingOccurrences(of: "\\*", with: ".*") : nil
        return Set(nodes.filter { n in
            if let pattern { return n.name.range(of: "^\(pattern)$", options: .regularExpression) != nil }
            return n.name == word || n.folders.contains(word)
        }.map(\.uniqueId))
    }
}
