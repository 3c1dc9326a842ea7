// Who may read and write what. The engine enforces a policy at name resolution, so every
// path to a table (a query, `.tables`, `information_schema`, a dashboard request) is checked
// in one place. Views are expanded with their owner's rights: a granted view over staging is
// readable even when staging is not, as in Snowflake.

import Columnar

/// The reads and writes a session is allowed.
public struct AccessPolicy: Sendable {
    /// The role's name, for messages; nil means no restriction.
    public var role: String?
    /// Who the session is (CURRENT_USER); nil: the user running the process.
    public var user: String?
    /// Schemas whose objects the role may read at all; nil means every schema.
    public var readableSchemas: Set<String>?
    /// When true, an object is readable only if it also carries a SELECT grant to the role
    /// (the `grants_select` property a pipeline build records).
    public var readsNeedGrant: Bool
    /// Schemas the role may create, replace, insert into or drop in; nil means every schema
    /// but the `protectedSchemas`.
    public var writableSchemas: Set<String>?
    /// Schemas the role never writes (another role's), even where `writableSchemas` is nil.
    public var protectedSchemas: Set<String>
    /// Whether statements may read or write files of the machine (`read_csv`, `FROM
    /// 'file.csv'`, `COPY`): never for a reporter, who may read only what is granted.
    public var filesAllowed = true

    public init(role: String?, readableSchemas: Set<String>?, readsNeedGrant: Bool = false, writableSchemas: Set<String>?,
                protectedSchemas: Set<String> = []) {
        self.role = role
        self.readableSchemas = readableSchemas
        self.readsNeedGrant = readsNeedGrant
        self.writableSchemas = writableSchemas
        self.protectedSchemas = protectedSchemas
    }

    /// No restriction (the owner of the warehouse, and view bodies).
    public static let unrestricted = AccessPolicy(role: nil, readableSchemas: nil, writableSchemas: nil)

    public func canRead(_ table: TableMetadata) -> Bool {
        guard let role else { return true }
        // A session's own temporary tables (only that session's catalog holds them).
        if table.schema == "temp" { return true }
        if let readableSchemas, !readableSchemas.contains(table.schema.lowercased()) { return false }
        if readsNeedGrant {
            return table.grants.contains(role.lowercased())
        }
        return true
    }

    public func canWrite(schema: String) -> Bool {
        guard role != nil else { return true }
        guard let writableSchemas else { return !protectedSchemas.contains(schema.lowercased()) }
        return writableSchemas.contains(schema.lowercased())
    }

    /// Throws unless the role may read and write files.
    public func checkFiles(at position: Int? = nil) throws(SQLError) {
        guard role != nil, !filesAllowed else { return }
        throw SQLError(.permission, "permission denied: role \(role!) may not read or write files (read_csv, COPY)", at: position)
    }

    /// The error for a read that is not allowed.
    public func readDenied(_ table: TableMetadata) -> String {
        let schemaReadable = readableSchemas?.contains(table.schema.lowercased()) ?? true
        if schemaReadable && readsNeedGrant {
            return "permission denied: role \(role ?? "?") may not read \(table.qualifiedName) (it has no SELECT grant to \(role ?? "?"))"
        }
        return "permission denied: role \(role ?? "?") may not read \(table.qualifiedName)"
            + (readableSchemas.map { $0.isEmpty ? " (it reads nothing)" : " (it reads \($0.sorted().joined(separator: ", ")) only)" } ?? "")
    }

    /// Throws unless the role may write into `schema`.
    public func checkWrite(schema: String, object: String) throws(SQLError) {
        guard !canWrite(schema: schema) else { return }
        throw SQLError(.permission, "permission denied: role \(role ?? "?") may not write \(schema).\(object)"
            + (writableSchemas.map { $0.isEmpty ? " (it writes nothing)" : " (it writes \($0.sorted().joined(separator: ", ")) only)" }
               ?? " (it writes every schema but \(protectedSchemas.sorted().joined(separator: ", ")))"))
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
