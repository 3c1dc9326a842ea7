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
        var widths = names.map(Self.width)
        // Each cell is measured once: counting characters is the slow part for a long value.
        let cellWidths = tableRows.map { $0.map(Self.width) }
        for row in cellWidths { for (i, w) in row.enumerated() { widths[i] = max(widths[i], w) } }
        let right = columns.map { TypeRules.isNumeric($0.type) }
        func line(_ cells: [String], _ cellWidths: [Int]) -> String {
            let padded = cells.enumerated().map { i, c in
                let pad = Self.repeated(" ", widths[i] - cellWidths[i])
                return right[i] ? pad + c : c + pad
            }
            return box ? "│ " + padded.joined(separator: " │ ") + " │" : padded.joined(separator: "  ")
        }
        var out: [String] = []
        if box {
            out.append("┌" + widths.map { Self.repeated("─", $0 + 2) }.joined(separator: "┬") + "┐")
            out.append(line(names, names.map(Self.width)))
            out.append("├" + widths.map { Self.repeated("─", $0 + 2) }.joined(separator: "┼") + "┤")
            out += zip(tableRows, cellWidths).map(line)
            out.append("└" + widths.map { Self.repeated("─", $0 + 2) }.joined(separator: "┴") + "┘")
        } else {
            out.append(line(names, names.map(Self.width)))
            out.append(widths.map { Self.repeated("-", $0) }.joined(separator: "  "))
            out += zip(tableRows, cellWidths).map(line)
        }
        out.append("(\(tableRows.count) row\(tableRows.count == 1 ? "" : "s"))")
        return out.map { s in
            // Trailing padding goes (a wide last column pads the header line).
            let utf8 = s.utf8
            guard utf8.last == UInt8(ascii: " ") else { return s }
            guard let last = utf8.lastIndex(where: { $0 != UInt8(ascii: " ") }) else { return "" }
            return String(s[..<utf8.index(after: last)])
        }.joined(separator: "\n") + "\n"
    }

    /// `unit` `count` times, built as bytes (String(repeating:count:) appends one at a time).
    static func repeated(_ unit: String, _ count: Int) -> String {
        let bytes = Array(unit.utf8)
        if bytes.count == 1 { return String(decoding: [UInt8](repeating: bytes[0], count: max(count, 0)), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * max(count, 0))
        for _ in 0..<max(count, 0) { out.append(contentsOf: bytes) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The characters a cell takes (the standard library counts them without per-byte work
    /// in this module, which matters for a long value).
    static func width(_ s: String) -> Int { s.count }

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
