// A byte-at-a-time RFC 4180 reader: the independent reference the SIMD-assisted parser is
// checked against. Slow and obvious on purpose.

/// One parsed field: nil for an unquoted empty field (NULL), else the unescaped bytes.
public typealias ReferenceField = [UInt8]?

/// The reference parse of a whole CSV body (no header handling).
public enum ReferenceCSV {
    public enum Outcome: Equatable {
        case rows([[ReferenceField]])
        /// The first structural error: 0-based byte offset of the row it is in.
        case error(rowStart: Int)
    }

    /// Parses `bytes` into rows of fields, treating `\n` and `\r\n` as row ends, skipping
    /// blank lines, and rejecting stray quotes, text after a closing quote and open quotes.
    public static func parse(_ bytes: [UInt8]) -> Outcome {
        var rows: [[ReferenceField]] = []
        var row: [ReferenceField] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        var rowStart = 0
        enum State { case fieldStart, unquoted, inQuotes, afterQuote }
        var state = State.fieldStart
        func endField() {
            if !quoted && field.isEmpty { row.append(nil) } else { row.append(field) }
            field = []
            quoted = false
        }
        func endRow(_ at: Int) {
            endField()
            // A blank line is one NULL field with nothing else on the line.
            if !(row.count == 1 && row[0] == nil && (at == rowStart || (at == rowStart + 1 && bytes[rowStart] == 13))) {
                rows.append(row)
            }
            row = []
        }
        while i < bytes.count {
            let b = bytes[i]
            switch state {
            case .fieldStart:
                if b == 34 { quoted = true; state = .inQuotes }
                else if b == 44 { endField() }
                else if b == 10 { if field.last == 13 { field.removeLast() }; endRow(i); rowStart = i + 1 }
                else { field.append(b); state = .unquoted }
            case .unquoted:
                if b == 34 { return .error(rowStart: rowStart) }
                if b == 44 { endField(); state = .fieldStart }
                else if b == 10 {
                    if field.last == 13 { field.removeLast() }
                    endRow(i); rowStart = i + 1; state = .fieldStart
                } else { field.append(b) }
            case .inQuotes:
                if b == 34 { state = .afterQuote } else { field.append(b) }
            case .afterQuote:
                if b == 34 { field.append(34); state = .inQuotes }
                else if b == 44 { endField(); state = .fieldStart }
                else if b == 10 { endRow(i); rowStart = i + 1; state = .fieldStart }
                else if b == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { }
                else { return .error(rowStart: rowStart) }
            }
            i += 1
        }
        switch state {
        case .inQuotes: return .error(rowStart: rowStart)
        case .afterQuote: endRow(i)
        case .unquoted: if field.last == 13 { field.removeLast() }; endRow(i)
        case .fieldStart: if !row.isEmpty { endRow(i) }
        }
        return .rows(rows)
    }
}
