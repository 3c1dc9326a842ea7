// A node's configuration, merged the way dbt merges it: dbt_project.yml folder settings,
// then schema.yml `config:`, then the file's own `{{ config(...) }}`. Unknown keys are
// errors, because a silently ignored setting is a wrong answer waiting to happen.

/// The settings of one model, seed, snapshot or test.
public struct NodeConfig: Sendable {
    public var enabled = true
    public var materialized: String?
    public var schema: String?
    public var alias: String?
    public var tags: [String] = []
    /// privilege -> roles, e.g. select -> [reporter]
    public var grants: [String: [String]] = [:]
    public var uniqueKey: [String]?
    public var onSchemaChange: String?
    public var incrementalStrategy: String?
    public var fullRefresh: Bool?
    public var columnTypes: [String: String] = [:]
    // Snapshots
    public var strategy: String?
    public var updatedAt: String?
    public var checkCols: [String]?
    public var invalidateHardDeletes = false
    // Tests
    public var severity: String?
    public var storeFailures: Bool?
    public var whereClause: String?
    public var description: String?

    public init() {}

    static let known: Set<String> = [
        "enabled", "materialized", "schema", "alias", "tags", "grants", "unique_key", "on_schema_change",
        "incremental_strategy", "full_refresh", "column_types", "strategy", "updated_at", "check_cols",
        "invalidate_hard_deletes", "hard_deletes", "target_schema", "target_database", "database", "severity", "store_failures",
        "where", "description", "meta", "docs", "persist_docs", "quote_columns", "delimiter", "post-hook", "pre-hook",
    ]

    /// Applies `key: value` settings; `+key` (dbt_project.yml spelling) means the same as `key`.
    public mutating func apply(_ pairs: [(String, JinjaValue)], file: String, line: Int?) throws(ProjectError) {
        for (rawKey, value) in pairs {
            let key = rawKey.hasPrefix("+") ? String(rawKey.dropFirst()) : rawKey
            func string() throws(ProjectError) -> String {
                guard let s = value.stringValue else { throw ProjectError("config \(key) must be a string, got \(value.repr)", file: file, line: line) }
                return s
            }
            func strings() throws(ProjectError) -> [String] {
                guard let s = value.stringList else { throw ProjectError("config \(key) must be a string or a list of strings", file: file, line: line) }
                return s
            }
            func bool() throws(ProjectError) -> Bool {
                if case .bool(let b) = value { return b }
                if case .string(let s) = value, ["true", "false"].contains(s.lowercased()) { return s.lowercased() == "true" }
                throw ProjectError("config \(key) must be true or false", file: file, line: line)
            }
            switch key {
            case "enabled": enabled = try bool()
            case "materialized":
                let m = try string().lowercased()
                guard ["view", "table", "incremental", "ephemeral", "seed", "snapshot"].contains(m) else {
                    throw ProjectError("materialized '\(m)' is not supported (view, table, incremental, ephemeral)", file: file, line: line)
                }
                materialized = m
            case "schema", "target_schema": schema = try string().lowercased()
            case "alias": alias = try string()
            case "tags": tags = Array(Set(tags + (try strings()))).sorted()  // tags accumulate, as in dbt
            case "grants":
                guard case .dict(let privileges) = value else { throw ProjectError("grants must map a privilege to roles, e.g. {select: [reporter]}", file: file, line: line) }
                for (privilege, roles) in privileges {
                    guard let r = roles.stringList else { throw ProjectError("grants.\(privilege) must list roles", file: file, line: line) }
                    grants[privilege.lowercased()] = r.map { $0.lowercased() }
                }
            case "unique_key": uniqueKey = try strings()
            case "on_schema_change":
                let v = try string().lowercased()
                guard ["ignore", "fail", "append_new_columns", "sync_all_columns"].contains(v) else {
                    throw ProjectError("on_schema_change '\(v)' is not one of ignore, fail, append_new_columns, sync_all_columns", file: file, line: line)
                }
                onSchemaChange = v
            case "incremental_strategy":
                let v = try string().lowercased()
                guard ["append", "merge", "delete+insert"].contains(v) else {
                    throw ProjectError("incremental_strategy '\(v)' is not one of append, merge, delete+insert", file: file, line: line)
                }
                incrementalStrategy = v
            case "full_refresh": fullRefresh = try bool()
            case "column_types":
                guard case .dict(let pairs) = value else { throw ProjectError("column_types must map columns to types", file: file, line: line) }
                for (c, t) in pairs {
                    guard let s = t.stringValue else { throw ProjectError("column_types.\(c) must be a type name", file: file, line: line) }
                    columnTypes[c.lowercased()] = s
                }
            case "strategy":
                let v = try string().lowercased()
                guard ["timestamp", "check"].contains(v) else { throw ProjectError("snapshot strategy '\(v)' is not timestamp or check", file: file, line: line) }
                strategy = v
            case "updated_at": updatedAt = try string()
            case "check_cols": checkCols = try strings()
            case "invalidate_hard_deletes": invalidateHardDeletes = try bool()
            case "hard_deletes":
                let v = try string().lowercased()
                guard ["ignore", "invalidate"].contains(v) else { throw ProjectError("hard_deletes '\(v)' is not ignore or invalidate", file: file, line: line) }
                invalidateHardDeletes = v == "invalidate"
            case "severity":
                let v = try string().lowercased()
                guard ["warn", "error"].contains(v) else { throw ProjectError("severity '\(v)' is not warn or error", file: file, line: line) }
                severity = v
            case "store_failures": storeFailures = try bool()
            case "where": whereClause = try string()
            case "description": description = try string()
            case "target_database", "database", "meta", "docs", "persist_docs", "quote_columns", "delimiter":
                break  // one warehouse, descriptions always stored: nothing to change
            case "post-hook", "pre-hook":
                throw ProjectError("hooks are not supported", file: file, line: line)
            default:
                throw ProjectError("unknown config '\(key)'; supported: \(Self.known.sorted().joined(separator: ", "))", file: file, line: line)
            }
        }
    }
}
