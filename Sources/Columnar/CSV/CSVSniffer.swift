// Guesses a CSV file's layout from its first 256 KiB, as DuckDB's read_csv does for files
// nobody described: the delimiter (`,` `\t` `;` `|`: the one that cuts every sampled row
// into the same number of fields, the most fields winning), whether the first row is a
// header, and each column's type (the narrowest of BOOLEAN, BIGINT, DOUBLE, DATE, TIMESTAMP
// that every sampled value reads as, else VARCHAR; empty fields are NULL and decide nothing).

import Foundation

public struct CSVLayout: Sendable, Equatable {
    /// Column names: the header's, or `column0`, `column1`, ... without one.
    public var names: [String]
    public var types: [LogicalType]
    public var header: Bool
    /// The byte between fields.
    public var delimiter: UInt8

    public init(names: [String], types: [LogicalType], header: Bool, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.names = names
        self.types = types
        self.header = header
        self.delimiter = delimiter
    }
}

public enum CSVSniffer {
    static let sampleBytes = 256 << 10

    /// Delimiters tried when none is given, the more common first (a tie goes to it).
    static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    /// Whether `byte` can separate fields: one ASCII byte that is not a quote, a line end, a
    /// letter, a digit or a sign or point a number starts with.
    public static func isValidDelimiter(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != 0 && !Array("\"\n\r0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-+".utf8).contains(byte)
    }

    /// The layout of the file at `path`; `header` forces whether a header row is there,
    /// `delimiter` the byte between fields.
    public static func sniff(path: String, header: Bool? = nil, delimiter: UInt8? = nil) throws(CSVError) -> CSVLayout {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CSVError(.io, "cannot open the file: \(FileIO.errnoMessage())", file: path, line: 0, column: 0)
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: sampleBytes)) ?? Data()
        var bytes = [UInt8](data)
        let complete = bytes.count < sampleBytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        func sample(_ d: UInt8) -> [[String]] {
            var rows = records(bytes, delimiter: d)
            if !complete && rows.count > 1 { rows.removeLast() }  // the sample may cut the last row
            return rows
        }
        var separator: UInt8
        var rows: [[String]]
        if let delimiter {
            (separator, rows) = (delimiter, sample(delimiter))
        } else {
            (separator, rows) = (candidateDelimiters[0], sample(candidateDelimiters[0]))
            var best = rows.first.map { r in rows.allSatisfy { $0.count == r.count } ? r.count : 0 } ?? 0
            for d in candidateDelimiters.dropFirst() {
                let candidate = sample(d)
                guard let width = candidate.first?.count, width > max(best, 1), candidate.allSatisfy({ $0.count == width }) else { continue }
                (separator, rows, best) = (d, candidate, width)
            }
        }
        guard let first = rows.first else {
            throw CSVError(.invalidValue, "the file is empty: no header and no rows to read columns from", file: path, line: 1, column: 1)
        }
        let width = first.count
        for (i, row) in rows.enumerated() where row.count != width {
            throw CSVError(row.count < width ? .tooFewFields : .tooManyFields,
                           "expected \(width) fields (as on line 1), found \(row.count)", file: path, line: i + 1, column: 1)
        }
        var types = [LogicalType](repeating: .boolean, count: width)
        var seen = [Bool](repeating: false, count: width)
        for row in rows.dropFirst() {
            for (c, field) in row.enumerated() where !field.isEmpty {
                seen[c] = true
                types[c] = widen(types[c], field)
            }
        }
        for c in 0..<width where !seen[c] { types[c] = .varchar }
        // A header when told, else when some typed column's first value is not of its type
        // (or every column is text and the first row names them: distinct, non-empty).
        let hasHeader: Bool
        if let header {
            hasHeader = header
        } else if types.contains(where: { $0 != .varchar }) {
            hasHeader = first.enumerated().contains { c, f in types[c] != .varchar && !f.isEmpty && widen(types[c], f) != types[c] }
        } else {
            // Every column text: a header when the first row looks like names (a file of only
            // a header is one, with no rows).
            hasHeader = Set(first).count == width && !first.contains("") && (rows.count > 1 || !seen.contains(true))
        }
        if !hasHeader {
            for (c, field) in first.enumerated() where !field.isEmpty { types[c] = widen(types[c], field) }
        }
        var names = hasHeader ? first : (0..<width).map { "column\($0)" }
        for i in names.indices where names[i].isEmpty { names[i] = "column\(i)" }
        // A repeated name gets a suffix (a, a_1, a_2), as DuckDB does.
        var used = Set<String>()
        for i in names.indices {
            var name = names[i], k = 1
            while used.contains(name.lowercased()) { name = "\(names[i])_\(k)"; k += 1 }
            used.insert(name.lowercased())
            names[i] = name
        }
        return CSVLayout(names: names, types: types, header: hasHeader, delimiter: separator)
    }

    /// The narrowest type at least as wide as `type` that reads `field`.
    static func widen(_ type: LogicalType, _ field: String) -> LogicalType {
        let order: [LogicalType] = [.boolean, .int64, .double, .date, .timestamp, .varchar]
        let start = order.firstIndex(of: type) ?? order.count - 1
        for t in order[start...] where reads(t, field) { return t }
        return .varchar
    }

    static func reads(_ type: LogicalType, _ f: String) -> Bool {
        switch type {
        case .boolean: return ["true", "false"].contains(f.lowercased())
        // A leading zero (zip codes, ids like 007) keeps a column text, as DuckDB does.
        case .int64: return Int64(f) != nil && !hasLeadingZero(f)
        case .double:
            let l = f.lowercased()
            if ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(l) { return true }
            // An integer too long for BIGINT stays text rather than lose digits as a double.
            if f.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) { return false }
            return Double(f) != nil && f.contains(where: { $0.isNumber }) && !l.contains("n") && !l.contains("x") && !hasLeadingZero(f)
        case .date: return f.count == 10 && CivilTime.parseDate(Substring(f)) != nil
        case .timestamp:
            guard f.count >= 19, CivilTime.parseDate(f.prefix(10)) != nil else { return false }
            let time = f.dropFirst(11)
            let sep = f[f.index(f.startIndex, offsetBy: 10)]
            return (sep == " " || sep == "T") && time.count >= 8 && time.prefix(8).enumerated().allSatisfy { i, ch in
                i == 2 || i == 5 ? ch == ":" : ch.isNumber
            }
        case .varchar: return true
        default: return false
        }
    }

    static func hasLeadingZero(_ f: String) -> Bool {
        let digits = f.drop { $0 == "-" || $0 == "+" }
        return digits.count > 1 && digits.first == "0" && digits.dropFirst().first?.isNumber == true
    }

    /// The rows of `bytes` as fields: RFC 4180 quoting (`""` inside quotes is a quote),
    /// `\n` or `\r\n` line ends.
    static func records(_ bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false, i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 1 } else { quoted = false }
                } else {
                    field.append(b)
                }
            } else if b == UInt8(ascii: "\"") {
                quoted = true
            } else if b == delimiter {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if b == UInt8(ascii: "\n") {
                if field.last == UInt8(ascii: "\r") { field.removeLast() }
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(row)
                row = []
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            if field.last == UInt8(ascii: "\r") { field.removeLast() }
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }
}
