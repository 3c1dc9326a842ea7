// Parses a chunk of whole CSV rows into typed columns, in two passes over the structural
// index: first rows (field counts, blank lines, NUL bytes, unterminated quotes), then one
// column at a time over the field spans, so each column's type is dispatched once per chunk.
//
//   bytes ──StructuralScanner──▶ positions ──pass 1──▶ field ends of good rows
//                                                └─pass 2 (per column)──▶ ColumnData
//
// Problems carry chunk-relative positions; the loader turns them into file lines.

/// What to do with a bad row.
public enum OnError: String, Sendable, CaseIterable {
    /// Stop at the first bad row and change nothing.
    case abort
    /// Load every good row and record each bad one.
    case `continue`
}

/// A bad input row, located relative to its chunk until the loader resolves it.
public struct CSVProblem: Sendable {
    public var error: CSVError
    /// Byte offset of the problem (chunk-relative while parsing, file-relative after).
    public var byteOffset: Int
    /// The row's text (up to 1 KiB), for the rejects table.
    public var rawText: String
}

/// The typed result of one chunk.
package struct ParsedChunk {
    package var columns: [ColumnData]
    package var rowCount: Int
    /// Physical `\n` bytes in the chunk, for line numbering of later chunks.
    package var newlineCount: Int
    /// Bad rows in file order (only the first in abort mode).
    package var problems: [CSVProblem]
}

/// Buffers a worker reuses from chunk to chunk, so parsing does not fault in fresh pages.
package final class ParseScratch {
    private(set) var positions: UnsafeMutablePointer<UInt32>
    private(set) var capacity: Int
    var ends: [UInt32] = []
    var rowStarts: [UInt32] = []
    private var valueBuffer: UnsafeMutablePointer<Int64>
    private var valueCapacity = 0

    package init() {
        capacity = 0
        positions = .allocate(capacity: 1)
        valueBuffer = .allocate(capacity: 1)
    }

    deinit {
        positions.deallocate()
        valueBuffer.deallocate()
    }

    /// Room for `n` Int64 values (the numeric fast path's column buffers).
    func values(_ n: Int) -> UnsafeMutablePointer<Int64> {
        if n > valueCapacity {
            valueBuffer.deallocate()
            valueCapacity = max(n, valueCapacity * 2)
            valueBuffer = .allocate(capacity: valueCapacity)
        }
        return valueBuffer
    }

    func reserve(_ n: Int) {
        guard n > capacity else { return }
        positions.deallocate()
        capacity = max(n, capacity * 2)
        positions = .allocate(capacity: capacity)
    }
}

/// The two-pass chunk parser.
package enum ChunkParser {
    struct Issue {
        var position: Int
        var row: Int  // index among structurally good rows, or -1
        var rowStart: Int
        var rowEnd: Int
        var code: CSVError.Code
        var message: String
        var field: String?
    }

    /// Parses `bytes`, which starts at a row boundary and ends at one (or at end of input).
    /// `padded` says at least 16 readable bytes follow `bytes`, which enables the
    /// single-pass numeric fast path.
    package static func parse(_ bytes: UnsafeRawBufferPointer, schema: CSVSchema, fileName: String,
                              mode: OnError, scratch: ParseScratch = ParseScratch(), padded: Bool = false) -> ParsedChunk {
        if padded && NumericChunkParser.applies(to: schema), let fast = NumericChunkParser.parse(bytes, schema: schema, scratch: scratch) {
            return fast
        }
        scratch.reserve(bytes.count + 1)
        let summary = StructuralScanner.scan(bytes, into: scratch.positions, delimiter: schema.delimiter)
        let positions = UnsafeBufferPointer(start: scratch.positions, count: summary.count)
        let ncols = schema.columns.count
        var issues: [Issue] = []

        // Pass 1: rows. The fast path: every row has exactly `ncols` fields, ends with `\n`,
        // and there is no NUL or open quote; then the positions are the field ends as they are.
        let flag = StructuralIndex.newlineFlag
        var regular = !summary.endsInQuote && summary.firstNul == nil && positions.count % ncols == 0
            && (positions.isEmpty || Int(positions[positions.count - 1] & ~flag) == bytes.count - 1)
        if regular {
            var k = 0
            let last = ncols - 1
            var previousEnd = -1
            while k < positions.count {
                for f in 0..<last where positions[k + f] & flag != 0 { regular = false }
                let end = positions[k + last]
                if end & flag == 0 || Int(end & ~flag) == previousEnd + 1 { regular = false }
                if !regular { break }
                previousEnd = Int(end & ~flag)
                k += ncols
            }
        }
        var rowCountGood: Int
        if regular {
            rowCountGood = positions.count / ncols
            scratch.rowStarts.removeAll(keepingCapacity: true)
            scratch.rowStarts.reserveCapacity(rowCountGood)
            var start: UInt32 = 0
            for r in 0..<rowCountGood {
                scratch.rowStarts.append(start)
                start = (positions[r * ncols + ncols - 1] & ~flag) + 1
            }
        } else {
            rowCountGood = irregularRows(bytes, positions: positions, summary: summary, schema: schema, scratch: scratch, issues: &issues)
        }

        // Pass 2: columns.
        let rows = rowCountGood
        var columns: [ColumnData] = []
        var bad = [Bool]()
        var anyBad = false
        scratch.ends.withUnsafeBufferPointer { irregularEnds in
            let e = regular ? positions : irregularEnds
            scratch.rowStarts.withUnsafeBufferPointer { rs in
                for (f, column) in schema.columns.enumerated() {
                    var columnIssues: [Issue] = []
                    let data = ColumnConverter.convert(bytes: bytes, ends: e, rowStarts: rs, rows: rows, ncols: ncols,
                                                       field: f, type: column.type) { row, position, code, message in
                        let rowEnd = Int(e[row * ncols + ncols - 1] & ~flag)
                        columnIssues.append(Issue(position: position, row: row, rowStart: Int(rs[row]), rowEnd: rowEnd,
                                                  code: code, message: message, field: schema.header[f]))
                    }
                    if !columnIssues.isEmpty && bad.isEmpty { bad = [Bool](repeating: false, count: rows) }
                    for issue in columnIssues where !bad[issue.row] {
                        bad[issue.row] = true
                        anyBad = true
                        issues.append(issue)
                    }
                    columns.append(data)
                }
            }
        }
        var rowCount = rows
        if anyBad {
            let keep = (0..<rows).filter { !bad[$0] }
            columns = columns.map { $0.selecting(keep) }
            rowCount = keep.count
        }
        return ParsedChunk(columns: columns, rowCount: rowCount, newlineCount: summary.newlineCount,
                           problems: locate(issues, in: bytes, fileName: fileName, mode: mode))
    }

    /// Pass 1 for chunks with blank lines, wrong field counts, NUL bytes or an open quote:
    /// copies the field ends of good rows into `scratch.ends` and reports the rest.
    private static func irregularRows(_ bytes: UnsafeRawBufferPointer, positions: UnsafeBufferPointer<UInt32>,
                                      summary: StructuralScanner.ScanSummary, schema: CSVSchema, scratch: ParseScratch,
                                      issues: inout [Issue]) -> Int {
        let ncols = schema.columns.count
        let flag = StructuralIndex.newlineFlag
        scratch.ends.removeAll(keepingCapacity: true)
        scratch.rowStarts.removeAll(keepingCapacity: true)
        var p = 0
        var rowStart = 0
        let count = bytes.count
        var nulSearchFrom = summary.firstNul ?? Int.max
        while rowStart < count {
            let firstSep = p
            while p < positions.count && positions[p] & flag == 0 { p += 1 }
            let terminated = p < positions.count
            let rowEnd = terminated ? Int(positions[p] & ~flag) : count
            let fieldsSeen = p - firstSep + 1
            defer { rowStart = rowEnd + 1; p += 1 }
            // Blank lines (`\n` or `\r\n` alone) are skipped, as most CSV readers do.
            if rowEnd == rowStart || (rowEnd == rowStart + 1 && bytes[rowStart] == UInt8(ascii: "\r")) { continue }
            if !terminated && summary.endsInQuote {
                var q = rowStart
                for k in firstSep..<p { q = Int(positions[k] & ~flag) + 1 }
                while q < count && bytes[q] != UInt8(ascii: "\"") { q += 1 }
                issues.append(Issue(position: q, row: -1, rowStart: rowStart, rowEnd: rowEnd, code: .unterminatedQuote,
                                    message: "quoted field is never closed (expected a closing '\"' before the end of the file)",
                                    field: schema.header[min(fieldsSeen - 1, ncols - 1)]))
                continue
            }
            if nulSearchFrom < rowEnd {
                if let z = (max(rowStart, nulSearchFrom)..<rowEnd).first(where: { bytes[$0] == 0 }) {
                    issues.append(Issue(position: z, row: -1, rowStart: rowStart, rowEnd: rowEnd, code: .nulByte,
                                        message: "NUL byte (0x00) is not allowed in a CSV file"))
                    continue
                }
                nulSearchFrom = (rowEnd..<count).first(where: { bytes[$0] == 0 }) ?? Int.max
            }
            if fieldsSeen != ncols {
                if fieldsSeen < ncols {
                    issues.append(Issue(position: rowEnd, row: -1, rowStart: rowStart, rowEnd: rowEnd, code: .tooFewFields,
                                        message: "expected \(ncols) fields (\(schema.headerLine)), found \(fieldsSeen)"))
                } else {
                    let extra = Int(positions[firstSep + ncols - 1] & ~flag)
                    issues.append(Issue(position: extra, row: -1, rowStart: rowStart, rowEnd: rowEnd, code: .tooManyFields,
                                        message: "expected \(ncols) fields (\(schema.headerLine)), found \(fieldsSeen)"))
                }
                continue
            }
            scratch.rowStarts.append(UInt32(rowStart))
            for k in firstSep..<p { scratch.ends.append(positions[k]) }
            scratch.ends.append(UInt32(rowEnd) | flag)
        }
        return scratch.rowStarts.count
    }

    /// Turns chunk positions into chunk-relative lines and columns, with the row's text.
    private static func locate(_ found: [Issue], in bytes: UnsafeRawBufferPointer, fileName: String, mode: OnError) -> [CSVProblem] {
        var issues = found.sorted { $0.position < $1.position }
        if mode == .abort && issues.count > 1 { issues.removeSubrange(1...) }
        var problems: [CSVProblem] = []
        var line = 0
        var counted = 0
        for issue in issues {
            line += StructuralScanner.countQuotesAndNewlines(UnsafeRawBufferPointer(rebasing: bytes[counted..<issue.position])).newlines
            counted = issue.position
            var lineStart = issue.position
            while lineStart > 0 && bytes[lineStart - 1] != UInt8(ascii: "\n") { lineStart -= 1 }
            let textEnd = min(issue.rowEnd, issue.rowStart + 1024)
            var raw = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[issue.rowStart..<textEnd]), as: UTF8.self)
            if raw.hasSuffix("\r") { raw.removeLast() }
            problems.append(CSVProblem(
                error: CSVError(issue.code, issue.message, file: fileName, line: line, column: issue.position - lineStart + 1,
                                field: issue.field),
                byteOffset: issue.position, rawText: raw))
        }
        return problems
    }
}

extension ColumnData {
    /// The rows at `indices`, in that order.
    /// `values` at `indices` (positions within it), over raw buffers: every filter and
    /// deletion vector gathers each column it keeps.
    @inline(__always)
    static func gather<T: BitwiseCopyable>(_ values: [T], _ indices: [Int]) -> [T] {
        [T](unsafeUninitializedCapacity: indices.count) { out, n in
            values.withUnsafeBufferPointer { a in
                indices.withUnsafeBufferPointer { ix in
                    for i in 0..<ix.count { out[i] = a[ix[i]] }
                }
            }
            n = indices.count
        }
    }

    package func selecting(_ indices: [Int]) -> ColumnData {
        if case .dictionary(let d) = storage {
            // Only the codes move.
            let codes = [UInt32](unsafeUninitializedCapacity: indices.count) { out, n in
                d.codes.withUnsafeBufferPointer { c in for (i, r) in indices.enumerated() { out[i] = c[r] } }
                n = indices.count
            }
            return .dictionary(values: d.values, codes: codes)
        }
        var v: ValidityBitmap? = nil
        if let validity {
            var nv = ValidityBitmap(allValid: indices.count)
            for (i, r) in indices.enumerated() where !validity.isValid(r) { nv.setValid(i, false) }
            v = nv
        }
        switch storage {
        case .int32(let a): return ColumnData(type: type, storage: .int32(Self.gather(a, indices)), validity: v)
        case .int64(let a): return ColumnData(type: type, storage: .int64(Self.gather(a, indices)), validity: v)
        case .double(let a): return ColumnData(type: type, storage: .double(Self.gather(a, indices)), validity: v)
        case .boolean(let a): return ColumnData(type: type, storage: .boolean(Self.gather(a, indices)), validity: v)
        case .varchar(let s):
            // Lengths first, then one copy per value into a buffer of the final size.
            var offsets = [UInt32](repeating: 0, count: indices.count + 1)
            var total = 0
            for (i, r) in indices.enumerated() {
                total += Int(s.offsets[r + 1] &- s.offsets[r])
                offsets[i + 1] = UInt32(total)
            }
            let bytes = [UInt8](unsafeUninitializedCapacity: total) { out, n in
                s.bytes.withUnsafeBufferPointer { src in
                    s.offsets.withUnsafeBufferPointer { so in
                        var at = 0
                        for r in indices {
                            let lo = Int(so[r]), len = Int(so[r + 1] &- so[r])
                            if len > 0 { (out.baseAddress! + at).update(from: src.baseAddress! + lo, count: len) }
                            at += len
                        }
                    }
                }
                n = total
            }
            return ColumnData(type: type, storage: .varchar(StringArray(offsets: offsets, bytes: bytes)), validity: v)
        case .listVarchar(let l):
            var out = StringListArray()
            for r in indices { out.append(l[r]) }
            return ColumnData(type: type, storage: .listVarchar(out), validity: v)
        case .dictionary:
            preconditionFailure("handled above")
        }
    }
}
