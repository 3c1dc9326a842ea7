// Renders query results as text: aligned tables (plain or box-drawn), CSV (RFC 4180,
// NULL as an empty field), JSON lines-of-objects, Markdown and one-value-per-line. Rows are
// written as batches arrive, except the table formats, which need every width first.

import Columnar

/// Output formats of `moviecol query`.
public enum ResultFormat: String, Sendable, CaseIterable {
    case table, box, csv, json, markdown, line
}

/// Writes results in a format.
public struct ResultFormatter {
    public let format: ResultFormat
    public let columns: [PlanColumn]
    private var tableRows: [[String]] = []
    private var rowsWritten = 0

    public init(format: ResultFormat, columns: [PlanColumn]) {
        self.format = format
        self.columns = columns
    }

    /// Text to write before the rows.
    public func header() -> String {
        switch format {
        case .csv: return columns.map { csvField($0.name) }.joined(separator: ",") + "\n"
        case .json: return "["
        default: return ""
        }
    }

    /// Text for a batch (empty for the table formats, which print at the end).
    public mutating func rows(_ chunk: DataChunk) -> String {
        let chunk = DataChunk(columns: chunk.columns.map { $0.flattened() }, count: chunk.count)
        if format == .csv {
            rowsWritten += chunk.count
            return String(decoding: Self.csvBytes(chunk), as: UTF8.self)
        }
        var out = ""
        for r in 0..<chunk.count {
            let values = chunk.columns.map { $0.value(at: r) }
            switch format {
            case .csv:
                out += values.map { $0.isNull ? "" : csvField($0.description) }.joined(separator: ",") + "\n"
            case .json:
                out += (rowsWritten == 0 ? "\n" : ",\n") + "{" + zip(columns, values).map { c, v in
                    Value.jsonString(c.name) + ":" + v.jsonText
                }.joined(separator: ",") + "}"
            case .line:
                let width = columns.map(\.name.count).max() ?? 0
                if rowsWritten > 0 { out += "\n" }
                for (c, v) in zip(columns, values) {
                    out += String(repeating: " ", count: width - c.name.count) + c.name + " = " + (v.isNull ? "NULL" : v.description) + "\n"
                }
            case .table, .box, .markdown:
                tableRows.append(values.map { $0.isNull ? "NULL" : $0.description })
            }
            rowsWritten += 1
        }
        return out
    }

    /// Text after the last batch.
    public func footer() -> String {
        switch format {
        case .json: return rowsWritten == 0 ? "]\n" : "\n]\n"
        case .table: return renderTable(box: false)
        case .box: return renderTable(box: true)
        case .markdown:
            let header = "| " + columns.map { $0.name.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
            let rule = "|" + columns.map { TypeRules.isNumeric($0.type) ? "---:|" : "---|" }.joined() + "\n"
            return header + rule + tableRows.map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }.joined()
        default: return ""
        }
    }

    /// CSV rows of a batch, written column-type by column-type straight into bytes.
    static func csvBytes(_ chunk: DataChunk, delimiter: UInt8 = UInt8(ascii: ",")) -> [UInt8] {
        CSVText.bytes(chunk, delimiter: delimiter)
    }

    private func renderTable(box: Bool) -> String {
        let names = columns.map(\.name)
        var widths = names.map(\.count)
        for row in tableRows { for (i, v) in row.enumerated() { widths[i] = max(widths[i], v.count) } }
        let right = columns.map { TypeRules.isNumeric($0.type) }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return right[i] ? pad + c : c + pad
            }
            return box ? "│ " + padded.joined(separator: " │ ") + " │" : padded.joined(separator: "  ")
        }
        var out: [String] = []
        if box {
            out.append("┌" + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┬") + "┐")
            out.append(line(names))
            out.append("├" + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┼") + "┤")
            out += tableRows.map(line)
            out.append("└" + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: "┴") + "┘")
        } else {
            out.append(line(names))
            out.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
            out += tableRows.map(line)
        }
        out.append("(\(tableRows.count) row\(tableRows.count == 1 ? "" : "s"))")
        return out.map { s in
            var t = s
            while t.last == " " { t.removeLast() }
            return t
        }.joined(separator: "\n") + "\n"
    }

    private func csvField(_ s: String) -> String { Self.csvField(s, delimiter: UInt8(ascii: ",")) }

    /// A CSV field: quoted (quotes doubled) when it holds the delimiter, a quote or a line end.
    static func csvField(_ s: String, delimiter: UInt8) -> String {
        guard s.utf8.contains(where: { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
