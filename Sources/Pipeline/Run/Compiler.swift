// Turns a node's template into the SQL that runs: refs become relations, `is_incremental()`
// answers for this run, and ephemeral models are injected as CTEs (as dbt does).

import Engine

package struct Compiler {
    package let project: Project

    package init(project: Project) { self.project = project }

    /// The runnable SQL of a model, snapshot or singular test.
    package func compile(_ node: Node, isIncremental: Bool = false) throws(ProjectError) -> String {
        guard let template = node.template else {
            if let generic = node.generic { return try DataTestSQL.sql(for: generic, node: node, project: project) }
            throw ProjectError("\(node.name) has no SQL", file: node.path)
        }
        var ctes: [(String, String)] = []
        var seen = Set<String>()
        let sql = try render(node, template: template, isIncremental: isIncremental, ctes: &ctes, seen: &seen)
        return Self.injectCTEs(ctes, into: sql)
    }

    private func render(_ node: Node, template: Template, isIncremental: Bool, ctes: inout [(String, String)],
                        seen: inout Set<String>) throws(ProjectError) -> String {
        let context = DbtContext(mode: .compile(project: project, isIncremental: isIncremental), nodeName: node.name,
                                 this: .relation(schema: node.schema, name: node.relationName), vars: project.vars)
        var renderer = TemplateRenderer()
        let sql = try renderer.render(template, context: context)
        for id in context.ephemeralRefs where !seen.contains(id) {
            seen.insert(id)
            guard let eph = project.node(id), let t = eph.template else { continue }
            var inner: [(String, String)] = []
            let body = try render(eph, template: t, isIncremental: false, ctes: &inner, seen: &seen)
            ctes += inner
            ctes.append(("__dbt__cte__\(eph.name)", Self.stripTrailingSemicolon(body)))
        }
        return Self.stripTrailingSemicolon(sql)
    }

    static func stripTrailingSemicolon(_ sql: String) -> String {
        var s = Substring(sql)
        while let last = s.last, last.isWhitespace || last == ";" { s = s.dropLast() }
        return String(s)
    }

    /// Prepends `ctes` to `sql`, merging with its own WITH clause if it has one.
    static func injectCTEs(_ ctes: [(String, String)], into sql: String) -> String {
        guard !ctes.isEmpty else { return sql }
        let list = ctes.map { "\($0.0) as (\n\($0.1)\n)" }.joined(separator: ",\n")
        let start = firstTokenIndex(sql)
        let rest = sql[start...]
        if rest.prefix(4).lowercased() == "with", rest.dropFirst(4).first.map({ $0.isWhitespace || $0 == "\n" }) ?? false {
            return String(sql[..<start]) + "with " + list + ",\n" + rest.dropFirst(4)
        }
        return String(sql[..<start]) + "with " + list + "\n" + rest
    }

    /// The index of the first character that is not whitespace or a comment.
    static func firstTokenIndex(_ sql: String) -> String.Index {
        var i = sql.startIndex
        while i < sql.endIndex {
            if sql[i].isWhitespace { i = sql.index(after: i); continue }
            let rest = sql[i...]
            if rest.hasPrefix("--") {
                i = rest.firstIndex(of: "\n") ?? sql.endIndex
                continue
            }
            if rest.hasPrefix("/*") {
                if let end = rest.range(of: "*/") { i = end.upperBound; continue }
                return sql.endIndex
            }
            break
        }
        return i
    }
}
