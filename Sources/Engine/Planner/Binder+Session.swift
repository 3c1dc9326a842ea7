// The session's names as functions: CURRENT_USER (SESSION_USER), CURRENT_ROLE,
// CURRENT_SCHEMA and CURRENT_DATABASE, constants of the statement as Snowflake, DuckDB and
// PostgreSQL give them (BI tools ask for them when they connect).

import Foundation

extension Binder {
    /// The value of a session function called `name` without arguments; nil for other names.
    func sessionValue(_ name: String) -> String? {
        switch name {
        case "current_user", "session_user", "user":
            return catalog.policy.user ?? ProcessInfo.processInfo.environment["USER"] ?? "moviecol"
        // A session without a role is the warehouse owner's (the CLI's).
        case "current_role": return catalog.policy.role ?? "owner"
        case "current_schema": return catalog.defaultSchema
        case "current_database", "current_catalog":
            return catalog.root.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "moviecol"
        default: return nil
        }
    }
}
