// CSV text of a batch (RFC 4180: a field with the delimiter, a quote or a line end is quoted,
// quotes doubled; NULL is an empty field). Written column by column, each column's values read
// from its array bound once, then the fields interleaved into rows: no per-value enum
// matching or reference counting, which dominated a 25M-row COPY TO written row by row.

import Columnar

enum CSVText {
    static func bytes(_ chunk: DataChunk, delimiter: UInt8) -> [UInt8] {
        let n = chunk.count
        let k = chunk.columns.count
        guard n > 0, k > 0 else { return [] }
        var text: [UInt8] = []
        text.reserveCapacity(n * k * 8)
        // ends[c * n + r]: where column c's field of row r ends in `text`.
        var ends = [Int](repeating: 0, count: n * k)
        for (c, column) in chunk.columns.enumerated() {
            append(column.flattened(), delimiter: delimiter, to: &text, ends: &ends, base: c * n)
        }
        var out = [UInt8](repeating: 0, count: text.count + n * k)
        var at = 0
        text.withUnsafeBufferPointer { t in
            ends.withUnsafeBufferPointer { e in
                out.withUnsafeMutableBufferPointer { o in
                    for r in 0..<n {
                        for c in 0..<k {
                            if c > 0 { o[at] = delimiter; at += 1 }
                            let i = c * n + r
                            let start = i == 0 ? 0 : e[i - 1]
                            let end = e[i]
                            if end > start {
                                UnsafeMutableRawPointer(o.baseAddress! + at).copyMemory(from: t.baseAddress! + start, byteCount: end - start)
                                at += end - start
                            }
                        }
                        o[at] = 10
                        at += 1
                    }
                }
            }
        }
        return out
    }

    private static func append(_ column: ColumnData, delimiter: UInt8, to text: inout [UInt8], ends: inout [Int], base: Int) {
        let n = column.count
        let validity = column.validity
        func isNull(_ r: Int) -> Bool { validity.map { !$0.isValid(r) } ?? false }
        var digits = [UInt8](repeating: 0, count: 24)
        func appendInt(_ v: Int64) {
            if v == 0 { text.append(48); return }
            var x = v.magnitude, d = 0
            while x > 0 { digits[d] = UInt8(x % 10) + 48; x /= 10; d += 1 }
            if v < 0 { text.append(UInt8(ascii: "-")) }
            while d > 0 { d -= 1; text.append(digits[d]) }
        }
        func appendQuoted<S: Collection>(_ bytes: S) where S.Element == UInt8 {
            if bytes.contains(where: { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) || bytes.isEmpty {
                text.append(UInt8(ascii: "\""))
                for x in bytes { if x == UInt8(ascii: "\"") { text.append(x) }; text.append(x) }
                text.append(UInt8(ascii: "\""))
            } else {
                text.append(contentsOf: bytes)
            }
        }
        switch (column.type, column.storage) {
        case (.int32, .int32(let v)):
            for r in 0..<n { if !isNull(r) { appendInt(Int64(v[r])) }; ends[base + r] = text.count }
        case (.int64, .int64(let v)):
            for r in 0..<n { if !isNull(r) { appendInt(v[r]) }; ends[base + r] = text.count }
        case (.timestamp, .int64(let v)):
            for r in 0..<n { if !isNull(r) { CivilTime.appendTimestamp(micros: v[r], to: &text) }; ends[base + r] = text.count }
        case (.double, .double(let v)):
            for r in 0..<n {
                if !isNull(r) {
                    let x = v[r]
                    if x == x.rounded(.towardZero) && abs(x) < 1e15 && !(x == 0 && x.sign == .minus) {
                        // Whole numbers (ratings, counts): digits and ".0", as the text form prints them.
                        appendInt(Int64(x))
                        text.append(UInt8(ascii: "."))
                        text.append(UInt8(ascii: "0"))
                    } else if x != x.rounded(.towardZero) && (x * 2).rounded(.towardZero) == x * 2 && abs(x) < 1e15 {
                        // Halves (MovieLens ratings): digits and ".5".
                        if x < 0 && x > -1 { text.append(UInt8(ascii: "-")) }
                        appendInt(Int64(x))
                        text.append(UInt8(ascii: "."))
                        text.append(UInt8(ascii: "5"))
                    } else {
                        appendQuoted(Value.double(x).description.utf8)
                    }
                }
                ends[base + r] = text.count
            }
        case (.varchar, .varchar(let s)):
            for r in 0..<n {
                if !isNull(r) { s.withValueBytes(r) { appendQuoted($0) } }
                ends[base + r] = text.count
            }
        default:
            for r in 0..<n {
                if !isNull(r) { appendQuoted(column.value(at: r).description.utf8) }
                ends[base + r] = text.count
            }
        }
    }
}
