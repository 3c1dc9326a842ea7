// target/run_results.json and target/manifest.json in dbt's shape, so tools that read dbt
// artifacts (lineage viewers, CI summaries) can read moviecol's.

import Columnar
import Engine
import Foundation

public enum Artifacts {
    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }

    static func metadata(_ schema: String, at: Date) -> [String: Any] {
        ["dbt_schema_version": "https://schemas.getdbt.com/dbt/\(schema)", "dbt_version": "moviecol",
         "generated_at": iso(at), "invocation_id": UUID().uuidString.lowercased(), "env": [String: String]()]
    }

    public static func write(project: Project, summary: RunSummary, command: PipelineCommand, engine: QueryEngine, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let results: [[String: Any]] = summary.results.map { r in
            var entry: [String: Any] = [
                "unique_id": r.node.uniqueId,
                "status": r.status.rawValue,
                "thread_id": "Thread-1",
                "execution_time": r.seconds,
                "timing": [
                    ["name": "compile", "started_at": iso(r.startedAt), "completed_at": iso(r.startedAt)],
                    ["name": "execute", "started_at": iso(r.startedAt), "completed_at": iso(r.completedAt)],
                ],
                "message": r.message,
                "adapter_response": r.rows.map { ["rows_affected": $0] } ?? [String: Int](),
                "failures": r.failures as Any? ?? NSNull(),
                "relation_name": r.node.resourceType == .test || r.node.materialization == "ephemeral" ? NSNull() : r.node.qualifiedName as Any,
            ]
            if let code = r.compiledCode { entry["compiled_code"] = code }
            return entry
        }
        let runResults: [String: Any] = [
            "metadata": metadata("run-results/v6.json", at: summary.startedAt),
            "results": results,
            "elapsed_time": summary.elapsed,
            "args": ["which": command.rawValue],
        ]
        try save(runResults, to: directory + "/run_results.json")
        try save(manifest(project, engine: engine), to: directory + "/manifest.json")
    }

    /// dbt's manifest: every node with its config, columns, dependencies and code.
    public static func manifest(_ project: Project, engine: QueryEngine?) -> [String: Any] {
        let compiler = Compiler(project: project)
        var nodes: [String: Any] = [:]
        for n in project.nodes {
            let table = engine?.warehouse.tables.first { $0.schema == n.schema && $0.name.lowercased() == n.relationName.lowercased() }
            var columns: [String: Any] = [:]
            for c in n.columns {
                let type = table?.columns.first { $0.name.lowercased() == c.name.lowercased() }?.type.description
                columns[c.name] = ["name": c.name, "description": c.description, "data_type": type as Any? ?? NSNull()]
            }
            var config: [String: Any] = ["materialized": n.materialization, "tags": n.config.tags, "enabled": n.config.enabled]
            if let s = n.config.schema { config["schema"] = s }
            if let k = n.config.uniqueKey { config["unique_key"] = k.count == 1 ? k[0] as Any : k as Any }
            if let o = n.config.onSchemaChange { config["on_schema_change"] = o }
            if !n.config.grants.isEmpty { config["grants"] = n.config.grants }
            if let s = n.config.severity { config["severity"] = s.uppercased() }
            if n.resourceType == .snapshot {
                config["strategy"] = n.config.strategy as Any
                config["updated_at"] = n.config.updatedAt as Any? ?? NSNull()
                config["invalidate_hard_deletes"] = n.config.invalidateHardDeletes
            }
            var entry: [String: Any] = [
                "unique_id": n.uniqueId, "name": n.name, "resource_type": n.resourceType.rawValue, "package_name": project.name,
                "path": n.path, "original_file_path": n.path, "fqn": [project.name] + n.folders + [n.name],
                "database": "moviecol", "schema": n.schema, "alias": n.relationName, "config": config, "tags": n.config.tags,
                "description": n.description, "columns": columns,
                "depends_on": ["nodes": n.dependsOn, "macros": [String]()],
                "raw_code": n.rawCode, "relation_name": n.resourceType == .test ? NSNull() : n.qualifiedName as Any,
            ]
            if n.resourceType != .seed, let compiled = try? compiler.compile(n) { entry["compiled_code"] = compiled }
            if let g = n.generic {
                var kwargs: [String: Any] = ["column_name": g.column]
                if let to = g.to { kwargs["to"] = project.relation(of: to) ?? to }
                if let f = g.field { kwargs["field"] = f }
                if !g.values.isEmpty { kwargs["values"] = g.values.map(\.rendered) }
                entry["test_metadata"] = ["name": g.kind, "kwargs": kwargs]
                entry["column_name"] = g.column
                entry["attached_node"] = g.target
            }
            nodes[n.uniqueId] = entry
        }
        var sources: [String: Any] = [:]
        for s in project.sources {
            sources[s.uniqueId] = [
                "unique_id": s.uniqueId, "name": s.name, "source_name": s.sourceName, "resource_type": "source",
                "schema": s.schema, "identifier": s.identifier, "description": s.description, "path": s.path,
                "relation_name": s.qualifiedName,
                "columns": Dictionary(uniqueKeysWithValues: s.columns.map { ($0.name, ["name": $0.name, "description": $0.description]) }),
            ]
        }
        var parentMap: [String: [String]] = [:]
        var childMap: [String: [String]] = [:]
        for n in project.nodes {
            parentMap[n.uniqueId] = n.dependsOn
            childMap[n.uniqueId] = childMap[n.uniqueId] ?? []
            for d in n.dependsOn { childMap[d, default: []].append(n.uniqueId) }
        }
        for s in project.sources { childMap[s.uniqueId] = childMap[s.uniqueId] ?? [] }
        return ["metadata": metadata("manifest/v12.json", at: Date()), "nodes": nodes, "sources": sources,
                "parent_map": parentMap, "child_map": childMap, "macros": [String: Any](), "exposures": [String: Any](),
                "metrics": [String: Any]()]
    }

    static func save(_ object: [String: Any], to path: String) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let tmp = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: tmp))
        guard rename(tmp, path) == 0 else { throw ProjectError("cannot write \(path)") }
    }
}
