// The one error type of SQL: a message for a person, and where in the statement the problem
// is, so the REPL can point at it with a caret.

/// An error parsing, binding or running SQL.
public struct SQLError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case syntax, binder, type, permission, runtime, unsupported, storage
        /// A broken invariant of the engine caught before it could do harm (a bug to report).
        case `internal`
    }

    public var code: Code
    public var message: String
    /// UTF-8 offset in the statement text, when known.
    public var position: Int?

    public init(_ code: Code, _ message: String, at position: Int? = nil) {
        self.code = code
        self.message = message
        self.position = position
    }

    public var description: String {
        let kind: String
        switch code {
        case .syntax: kind = "Parser Error"
        case .binder: kind = "Binder Error"
        case .type: kind = "Type Error"
        case .permission: kind = "Permission Error"
        case .runtime: kind = "Runtime Error"
        case .unsupported: kind = "Not Supported"
        case .storage: kind = "Storage Error"
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
