// The one error type of the storage layer: what went wrong, where (a file, an offset), and
// a message written for the person at the terminal.

/// An error reading or writing a warehouse.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case io
        case corrupt
        case checksumMismatch
        case locked
        case notFound
        case unsupportedVersion
        case invalidArgument
    }

    public var code: Code
    public var message: String
    /// The file the error is about, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }

    static func corrupt(_ message: String) -> StorageError { StorageError(.corrupt, message) }
}
