// Seeds: small CSV files of the project loaded as tables. Column types are inferred as dbt
// does (integer, double, date, timestamp, boolean, else text) unless `column_types` says.

import Columnar
import Engine

enum SeedLoader {
    /// The columns and rows of a seed file.
    static func read(_ node: Node) throws(ProjectError) -> ([ColumnDefinition], DataChunk) {
        let records = try parse(node.rawCode, file: node.path)
        guard let header = records.first, !header.fields.isEmpty, !(header.fields.count == 1 && header.fields[0].text.isEmpty) else {
            throw ProjectError("a seed needs a header row", file: node.path, line: 1)
        }
        let names = header.fields.map { $0.text.trimmingCharacters(in: .whitespaces) }
        let rows = records.dropFirst().filter { !($0.fields.count == 1 && $0.fields[0].text.isEmpty && !$0.fields[0].quoted) }
        for r in rows where r.fields.count != names.count {
            throw ProjectError("expected \(names.count) fields, found \(r.fields.count)", file: node.path, line: r.line)
        }
        var definitions: [ColumnDefinition] = []
        var columns: [ColumnData] = []
        for (i, name) in names.enumerated() {
            let cells = rows.map { $0.fields[i] }
            var type: LogicalType
            var numeric: NumericPrecision? = nil
            if let declared = node.config.columnTypes[name.lowercased()] {
                let t: TypeName
                do { t = try Parser.parseType(declared) } catch {
                    throw ProjectError("column_types.\(name): \(declared) is not a type (\(error.message))", file: node.path)
                }
                type = t.type
                numeric = t.numeric
            } else {
                type = infer(cells)
            }
            var text = ColumnBuilder(type: .varchar)
            for c in cells {
                if c.text.isEmpty && !c.quoted { text.appendNull() } else { text.append(.string(c.text)) }
            }
            let column: ColumnData
            do throws(SQLError) {
                if let numeric {
                    column = try NumericCast.convert(text.finish(), to: numeric, orNull: false)
                } else {
                    column = try ExpressionEvaluator.cast(text.finish(), to: type)
                }
            } catch {
                throw ProjectError("column \(name) is not \(numeric?.description ?? type.description): \(error.message)", file: node.path)
            }
            var definition = ColumnDefinition(name, type)
            definition.numeric = numeric
            definitions.append(definition)
            columns.append(column)
        }
        return (definitions, DataChunk(columns: columns, count: rows.count))
    }

    private static func infer(_ cells: [(text: String, quoted: Bool)]) -> LogicalType {
        let values = cells.filter { !$0.text.isEmpty }.map(\.text)
        if values.isEmpty { return .varchar }
        if values.allSatisfy({ Int64($0) != nil }) {
            return values.allSatisfy { Int32($0) != nil } ? .int32 : .int64
        }
        if values.allSatisfy({ Double($0) != nil && $0.allSatisfy { "0123456789.-+eE".contains($0) } }) { return .double }
        if values.allSatisfy({ CivilTime.parseDate(Substring($0)) != nil && $0.count == 10 }) { return .date }
        if values.allSatisfy({ ["true", "false"].contains($0.lowercased()) }) { return .boolean }
        if values.allSatisfy(isTimestamp) { return .timestamp }
        return .varchar
    }

    private static func isTimestamp(_ s: String) -> Bool {
        guard s.count >= 19, CivilTime.parseDate(Substring(s.prefix(10))) != nil else { return false }
        let rest = Array(s.dropFirst(10))
        return (rest[0] == " " || rest[0] == "T") && rest[3] == ":" && rest[6] == ":"
    }

    struct Record {
        var fields: [(text: String, quoted: Bool)]
        var line: Int
    }

    /// RFC 4180 records with their starting line numbers.
    static func parse(_ text: String, file: String) throws(ProjectError) -> [Record] {
        var records: [Record] = []
        var fields: [(String, Bool)] = []
        var field = ""
        var quoted = false
        var inQuotes = false
        var line = 1, recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        func endField() { fields.append((field, quoted)); field = ""; quoted = false }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty else { throw ProjectError("a quote inside an unquoted field", file: file, line: line) }
                inQuotes = true
                quoted = true
            case ",": endField()
            case "\r": break
            case "\n":
                endField()
                records.append(Record(fields: fields, line: recordLine))
                fields = []
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(c)
            }
            i += 1
        }
        if inQuotes { throw ProjectError("unterminated quoted field", file: file, line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || quoted {
            endField()
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }
}

import Foundation
