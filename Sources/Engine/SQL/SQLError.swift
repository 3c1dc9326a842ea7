// The one error type of SQL: a code callers act on (the web app's HTTP status, the
// PostgreSQL server's SQLSTATE), a finer reason where one helps, the storage error under a
// storage failure, a message for a person, and where in the statement the problem is, so
// the REPL can point at it with a caret. Nothing recognizes an error by its message.

import Columnar

/// An error parsing, binding or running SQL.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case syntax, binder, type, permission, runtime, unsupported, storage
        /// A write broke a table's constraint (NOT NULL) or changed a row twice (MERGE).
        case constraint
        /// The query was cancelled by its owner or stopped at its time limit.
        case cancelled
        /// The query passed a resource limit (join rows, memory).
        case limit
        /// A broken invariant of the engine caught before it could do harm (a bug to report).
        case `internal`
    }

    /// What exactly went wrong, where a caller or a client protocol tells cases apart.
    public enum Reason: String, Sendable {
        case undefinedColumn, ambiguousColumn, undefinedTable, undefinedFunction, duplicateObject
        case timeLimit, joinRows, memory
        case numericOutOfRange, invalidText, divisionByZero
        /// A DELETE, UPDATE or MERGE found one target row matched by several source rows.
        case cardinalityViolation
        case notNullViolation, uniqueViolation
    }

    public var code: Code
    public var reason: Reason?
    public var message: String
    /// UTF-8 offset in the statement text, when known.
    public var position: Int?
    /// The storage layer's error, for a storage failure (a lock held by another writer, a
    /// checksum that does not match, with the file).
    public var storage: StorageError?

    public init(_ code: Code, _ message: String, at position: Int? = nil, reason: Reason? = nil) {
        self.code = code
        self.message = message
        self.position = position
        self.reason = reason
    }

    /// A storage failure inside a statement, keeping its cause.
    public init(_ storage: StorageError) {
        code = .storage
        message = storage.description
        self.storage = storage
    }

    public var description: String {
        let kind: String
        switch code {
        case .syntax: kind = "Parser Error"
        case .binder: kind = "Binder Error"
        case .type: kind = "Type Error"
        case .permission: kind = "Permission Error"
        case .runtime: kind = "Runtime Error"
        case .constraint: kind = "Constraint Error"
        case .unsupported: kind = "Not Supported"
        case .storage: kind = "Storage Error"
        case .cancelled: kind = "Cancelled"
        case .limit: kind = "Limit Error"
        case .internal: kind = "Internal Error"
        }
        return "\(kind): \(message)"
    }

    /// The message, the statement line with the problem and a caret under it.
    public func render(in sql: String) -> String {
        guard let position else { return description }
        let bytes = Array(sql.utf8)
        let at = min(max(0, position), bytes.count)
        var lineStart = at
        while lineStart > 0 && bytes[lineStart - 1] != 10 { lineStart -= 1 }
        var lineEnd = at
        while lineEnd < bytes.count && bytes[lineEnd] != 10 { lineEnd += 1 }
        let line = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        let column = String(decoding: bytes[lineStart..<at], as: UTF8.self).count
        return description + "\n" + line + "\n" + String(repeating: " ", count: column) + "^"
    }
}
