// CSV input: the bytes as a file read by `read_csv` (sniffed layout, whole file), and as one
// chunk through the ingest parser under fixed schemas (the all-numeric ratings schema takes
// the single-pass SIMD path first). Invariants: reading in 64-byte chunks gives the same rows
// or the same error as reading in one chunk; every parsed column has the chunk's row count;
// every parsed column survives encoding and decoding.

import Columnar
import Foundation

enum CSVFuzz {
    /// Schemas the ingest parser is run under: MovieLens ratings (all numeric), movies (text
    /// with quotes) and one column of each other type.
    static let schemas: [[LogicalType]] = [
        [.int32, .int32, .double, .int64],
        [.int32, .varchar, .varchar],
        [.int64, .double, .boolean, .date, .timestamp, .varchar],
    ]
    static let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]

    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let body = Array(input.dropFirst())
        let delimiter = delimiters[Int(selector >> 4) % delimiters.count]
        parseChunk(body, types: schemas[Int(selector & 0x0F) % schemas.count], delimiter: delimiter)
        readFile(body)
    }

    /// One chunk through `ChunkParser` in both error modes.
    static func parseChunk(_ bytes: [UInt8], types: [LogicalType], delimiter: UInt8) {
        let names = types.indices.map { "c\($0)" }
        let schema = CSVSchema(fileName: "fuzz.csv", schema: "main", table: "fuzz", header: names,
                               columns: zip(names, types).map { ColumnDefinition($0, $1) }, delimiter: delimiter)
        // The parser may read 16 bytes past the chunk (the SIMD fast path); chunks from the
        // reader always have 64.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count + 64, alignment: 64)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        buffer.copyBytes(from: bytes)
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<bytes.count])
        for mode in [OnError.abort, .continue] {
            let parsed = ChunkParser.parse(chunk, schema: schema, fileName: "fuzz.csv", mode: mode, padded: true)
            let newlines = bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
            if parsed.newlineCount > newlines { finding("\(parsed.newlineCount) newlines counted in a chunk of \(newlines)") }
            if mode == .abort && !parsed.problems.isEmpty { continue }
            if parsed.columns.count != types.count { finding("\(parsed.columns.count) columns parsed for \(types.count)") }
            for (i, column) in parsed.columns.enumerated() {
                if column.count != parsed.rowCount { finding("column \(i) has \(column.count) rows, the chunk \(parsed.rowCount)") }
                if column.type != types[i] && !(types[i] == .timestamp && column.type == .int64) {
                    finding("column \(i) parsed as \(column.type), declared \(types[i])")
                }
                SegmentFuzz.roundTrip(column)
            }
        }
    }

    /// The bytes as a file: sniffed, then read whole in one chunk and in 64-byte chunks.
    static func readFile(_ bytes: [UInt8]) {
        let path = FuzzScratch.directory + "/input.csv"
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { finding("cannot write \(path)") }
        let layout: CSVLayout
        do { layout = try CSVSniffer.sniff(path: path) } catch { return }
        let whole = read(path, layout, chunkSize: 4 << 20)
        let small = read(path, layout, chunkSize: 64)
        if whole != small { finding("64-byte chunks read differently:\n\(whole)\nvs\n\(small)") }
    }

    /// Every row of the file, as text, or the error.
    static func read(_ path: String, _ layout: CSVLayout, chunkSize: Int) -> String {
        var columnsText = [String](repeating: "", count: layout.types.count)
        do throws(IngestError) {
            let reader = try CSVFileReader(path: path, layout: layout, chunkSize: chunkSize)
            while let (columns, count) = try reader.next() {
                if columns.count != columnsText.count || columns.contains(where: { $0.count != count }) {
                    finding("a batch of \(count) rows has \(columns.map(\.count)) values in its columns")
                }
                for (i, column) in columns.enumerated() { columnsText[i] += column.fuzzDescription }
            }
            return columnsText.joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }
}

extension ColumnData {
    /// The values as text, bit-exact for doubles, rows split at batch boundaries ignored.
    var fuzzDescription: String {
        let column = flattened()
        var out = ""
        for row in 0..<column.count {
            if column.isNull(row) { out += "NULL|"; continue }
            switch column.storage {
            case .int32(let v): out += "\(v[row])|"
            case .int64(let v): out += "\(v[row])|"
            case .double(let v): out += "\(v[row].bitPattern)|"
            case .boolean(let v): out += "\(v[row])|"
            case .varchar(let v): out += v[row].debugDescription + "|"
            case .listVarchar(let v): out += "\(v[row])|"
            case .dictionary: finding("a flattened column is still a dictionary")
            }
        }
        return out
    }
}
