// Errors in CSV input, located precisely: file, physical line, byte column and the field,
// with what was expected and what was found, so a person can open the file and fix it.

/// A problem with CSV input.
public struct CSVError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case wrongHeader
        case unterminatedQuote
        case badQuote
        case tooFewFields
        case tooManyFields
        case invalidNumber
        case numberOutOfRange
        case invalidUTF8
        case nulByte
        case invalidValue
        case io
    }

    public var code: Code
    /// What was expected and what was found.
    public var message: String
    public var file: String
    /// 1-based physical line (the header is line 1).
    public var line: Int
    /// 1-based byte column within the line (0 when not known).
    public var column: Int
    /// The schema column the error is in, when there is one.
    public var field: String?

    public init(_ code: Code, _ message: String, file: String, line: Int, column: Int, field: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
    }

    public var description: String {
        var s = "\(file):\(line)"
        if column > 0 { s += ":\(column)" }
        s += ": "
        if let field { s += "column \(field): " }
        return s + message
    }
}
