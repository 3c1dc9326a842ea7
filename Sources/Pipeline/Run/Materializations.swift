// How a model becomes a relation: a view (its SQL stored, expanded at query time), a table
// (built and swapped in by one atomic commit), an incremental table (appended to, or merged
// on a unique key), or nothing at all (ephemeral: inlined into its users as a CTE).

import Columnar
import Engine

/// The outcome of building one node.
struct BuildOutcome {
    var message: String
    var rows: Int?
    /// The SQL that ran (for run_results.json), so it is not compiled a second time.
    var sql: String? = nil
}

struct Materializer {
    let engine: QueryEngine
    let compiler: Compiler
    let fullRefresh: Bool

    /// What the relation a node builds records besides its rows: its description, its
    /// columns' descriptions, the roles granted SELECT, and how it was built.
    func annotations(_ node: Node) -> TableAnnotations {
        var columns: [String: String] = [:]
        for c in node.columns where !c.description.isEmpty { columns[c.name] = c.description }
        let select = node.config.grants["select"] ?? []
        return TableAnnotations(description: node.description.isEmpty ? nil : node.description, columnDescriptions: columns,
                                grants: Set(select), properties: ["materialization": node.materialization, "unique_id": node.uniqueId])
    }

    func existing(_ node: Node) -> TableMetadata? {
        engine.warehouse.tables.first { $0.schema.lowercased() == node.schema && $0.name.lowercased() == node.relationName.lowercased() }
    }

    func run(_ sql: String, annotations: TableAnnotations = TableAnnotations(), file: String) throws(ProjectError) {
        do {
            for statement in try engine.statements(sql) { _ = try engine.run(statement, annotations: annotations).all() }
        } catch {
            throw ProjectError(error.render(in: sql), file: file)
        }
    }

    /// Runs `body`'s statements as one commit (BEGIN ... COMMIT); any failure rolls all of
    /// them back.
    func transaction(file: String, _ body: () throws(ProjectError) -> Void) throws(ProjectError) {
        try run("begin", file: file)
        do {
            try body()
            try run("commit", file: file)
        } catch {
            try? run("rollback", file: file)
            throw error
        }
    }

    func query(_ sql: String, file: String) throws(ProjectError) -> (columns: [PlanColumn], rows: DataChunk) {
        do { return try engine.query(sql) } catch { throw ProjectError(error.render(in: sql), file: file) }
    }

    /// The output columns of a query, without running it.
    func columns(of sql: String, file: String) throws(ProjectError) -> [PlanColumn] {
        do throws(SQLError) {
            guard case .select(let q)? = try engine.statements(sql).first else { throw SQLError(.syntax, "a model must be one SELECT") }
            return try engine.plan(q).1
        } catch {
            throw ProjectError(error.render(in: sql), file: file)
        }
    }

    func build(_ node: Node) throws(ProjectError) -> BuildOutcome {
        switch node.materialization {
        case "ephemeral":
            return BuildOutcome(message: "ephemeral (inlined where used)", rows: nil)
        case "view":
            let sql = try compiler.compile(node)
            try requireSelect(sql, node)
            try run(dropOtherKind(node, view: true) + "create or replace view \(node.qualifiedName) as\n\(sql)", annotations: annotations(node), file: node.path)
            return BuildOutcome(message: "view \(node.qualifiedName)", rows: nil, sql: sql)
        case "table":
            let sql = try compiler.compile(node)
            try requireSelect(sql, node)
            try run(dropOtherKind(node, view: false) + "create or replace table \(node.qualifiedName) as\n\(sql)", annotations: annotations(node), file: node.path)
            return BuildOutcome(message: "table \(node.qualifiedName)", rows: existing(node)?.rowCount, sql: sql)
        case "incremental":
            return try incremental(node)
        default:
            throw ProjectError("materialization \(node.materialization) cannot build a model", file: node.path)
        }
    }

    /// A model whose materialization changed between view and table: CREATE OR REPLACE does
    /// not replace an object of the other kind (as in Snowflake and DuckDB), so it is dropped
    /// first, as dbt does.
    private func dropOtherKind(_ node: Node, view: Bool) -> String {
        guard let current = existing(node), current.isView != view else { return "" }
        return "drop \(current.isView ? "view" : "table") \(node.qualifiedName);\n"
    }

    private func requireSelect(_ sql: String, _ node: Node) throws(ProjectError) {
        let start = Compiler.firstTokenIndex(sql)
        let word = sql[start...].prefix { $0.isLetter }.lowercased()
        guard word == "select" || word == "with" || sql[start...].hasPrefix("(") else {
            throw ProjectError("a model is one SELECT statement; found '\(word)'", file: node.path)
        }
    }

    // MARK: Incremental

    private func incremental(_ node: Node) throws(ProjectError) -> BuildOutcome {
        let target = node.qualifiedName
        let refresh = fullRefresh && (node.config.fullRefresh ?? true)
        guard let current = existing(node), !current.isView, !refresh else {
            let sql = try compiler.compile(node, isIncremental: false)
            try requireSelect(sql, node)
            try run(dropOtherKind(node, view: false) + "create or replace table \(target) as\n\(sql)", annotations: annotations(node), file: node.path)
            return BuildOutcome(message: "incremental \(target) (full build)", rows: existing(node)?.rowCount, sql: sql)
        }
        let sql = try compiler.compile(node, isIncremental: true)
        try requireSelect(sql, node)
        let newColumns = try columns(of: sql, file: node.path)
        var tableColumns = current.columns
        let have = Set(tableColumns.map { $0.name.lowercased() })
        let incoming = Set(newColumns.map { $0.name.lowercased() })
        let added = newColumns.filter { !have.contains($0.name.lowercased()) }
        let removed = tableColumns.filter { !incoming.contains($0.name.lowercased()) }
        let policy = node.config.onSchemaChange ?? "ignore"
        if !added.isEmpty || !removed.isEmpty {
            let change = "added: [\(added.map(\.name).joined(separator: ", "))], removed: [\(removed.map(\.name).joined(separator: ", "))]"
            switch policy {
            case "fail":
                throw ProjectError("on_schema_change is fail and the columns of \(target) changed (\(change)); "
                                   + "run with --full-refresh or change on_schema_change", file: node.path)
            case "append_new_columns", "sync_all_columns":
                var keep = tableColumns.map { "\(quote($0.name))" }
                if policy == "sync_all_columns" {
                    let gone = Set(removed.map { $0.name.lowercased() })
                    keep = tableColumns.filter { !gone.contains($0.name.lowercased()) }.map { quote($0.name) }
                }
                let extra = (policy == "sync_all_columns" || !added.isEmpty) ? added.map { "cast(null as \($0.type)) as \(quote($0.name))" } : []
                let list = (keep + extra).joined(separator: ", ")
                try run("create or replace table \(target) as select \(list) from \(target)", annotations: annotations(node), file: node.path)
                guard let rebuilt = existing(node) else { throw ProjectError("\(target) vanished while changing its columns", file: node.path) }
                tableColumns = rebuilt.columns
            default:
                break  // ignore: new columns are not loaded, missing ones get NULL
            }
        }
        let incomingNames = Set(newColumns.map { $0.name.lowercased() })
        let selectList = tableColumns.map { c in
            incomingNames.contains(c.name.lowercased()) ? "dbt_new.\(quote(c.name))" : "cast(null as \(c.type)) as \(quote(c.name))"
        }.joined(separator: ", ")
        let before = existing(node)?.rowCount ?? 0
        if let keys = node.config.uniqueKey, node.config.incrementalStrategy != "append" {
            // merge / delete+insert: rows whose key arrives again are replaced by the new version.
            // One commit: the new rows staged, the target's rows with an arriving key deleted
            // (deletion vectors: only those row groups change), the new rows appended.
            let staged = "\(node.schema).\(node.relationName)__dbt_tmp"
            let on = keys.map { "t.\(quote($0)) = d.\(quote($0))" }.joined(separator: " and ")
            var arrived: Value = .int(0)
            try transaction(file: node.path) { () throws(ProjectError) in
                try run("create or replace table \(staged) as\n\(sql)", file: node.path)
                arrived = (try? query("select count(*) from \(staged)", file: node.path).rows.columns[0].value(at: 0)) ?? .int(0)
                try run("delete from \(target) t using \(staged) d where \(on)", file: node.path)
                try run("insert into \(target) select \(selectList) from \(staged) dbt_new", annotations: annotations(node), file: node.path)
                try run("drop table if exists \(staged)", file: node.path)
            }
            let count: Int
            if case .int(let n) = arrived { count = Int(n) } else { count = 0 }
            return BuildOutcome(message: "incremental \(target) (merged \(count) rows)", rows: count, sql: sql)
        }
        try run("insert into \(target) select \(selectList) from (\n\(sql)\n) dbt_new", annotations: annotations(node), file: node.path)
        let after = existing(node)?.rowCount ?? before
        return BuildOutcome(message: "incremental \(target) (appended \(after - before) rows)", rows: after - before, sql: sql)
    }

    func quote(_ name: String) -> String {
        let plain = name.first.map { $0.isLetter || $0 == "_" } == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
