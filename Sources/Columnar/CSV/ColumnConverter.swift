// Pass 2 of chunk parsing: one column's field spans to typed values. Each call handles one
// column of one chunk, so the type switch happens once and the loops below are monomorphic.
// Unquoted empty fields are NULL; quoted fields are unescaped (`""` -> `"`).

/// Converts one column of a chunk from its field spans.
package enum ColumnConverter {
    typealias Report = (_ row: Int, _ position: Int, _ code: CSVError.Code, _ message: String) -> Void

    static func convert(bytes: UnsafeRawBufferPointer, ends: UnsafeBufferPointer<UInt32>, rowStarts: UnsafeBufferPointer<Int>,
                        rows: Int, ncols: Int, field f: Int, type: LogicalType, report: Report) -> ColumnData {
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let last = f == ncols - 1
        var validity: ValidityBitmap? = nil
        @inline(__always) func span(_ r: Int) -> (Int, Int) {
            let start = f == 0 ? rowStarts[r] : Int(ends[r * ncols + f - 1] & ~StructuralIndex.newlineFlag) + 1
            var end = Int(ends[r * ncols + f] & ~StructuralIndex.newlineFlag)
            if last && end > start && base[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return (start, end)
        }
        @inline(__always) func setNull(_ r: Int) {
            if validity == nil { validity = ValidityBitmap(allValid: rows) }
            validity!.setValid(r, false)
        }
        var scratch: [UInt8] = []
        /// A quoted field's content, unescaped into `scratch`; nil after reporting a problem.
        func unquoted(_ r: Int, _ s: Int, _ e: Int) -> (UnsafePointer<UInt8>, Int)? {
            scratch.removeAll(keepingCapacity: true)
            var i = s + 1
            while i < e {
                let b = base[i]
                if b == UInt8(ascii: "\"") {
                    if i + 1 < e && base[i + 1] == UInt8(ascii: "\"") {
                        scratch.append(b)
                        i += 2
                        continue
                    }
                    if i == e - 1 { break }
                    report(r, i + 1, .badQuote, "unexpected character after a closing quote (expected ',' or a line end)")
                    return nil
                }
                scratch.append(b)
                i += 1
            }
            guard e - s >= 2 && base[e - 1] == UInt8(ascii: "\"") && i == e - 1 else {
                report(r, s, .badQuote, "quoted field is not closed before the delimiter")
                return nil
            }
            return scratch.withUnsafeBufferPointer { ($0.baseAddress ?? UnsafePointer(base), $0.count) }
        }
        func numericFailure(_ r: Int, _ s: Int, _ e: Int, _ failure: FieldFailure, _ what: String) {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[s..<min(e, s + 40)]), as: UTF8.self)
            switch failure {
            case .notANumber: report(r, s, .invalidNumber, "expected \(what), found \"\(text)\"")
            case .outOfRange: report(r, s, .numberOutOfRange, "\(text) is out of range for \(what)")
            case .invalidValue(let m): report(r, s, .invalidValue, "\(m), found \"\(text)\"")
            }
        }
        /// Calls `parse` on the field's value bytes; handles NULL and quotes.
        func fixed<T>(_ what: String, _ zero: T, _ parse: (UnsafePointer<UInt8>, Int) -> Result<T, FieldFailure>) -> [T] {
            [T](unsafeUninitializedCapacity: rows) { out, n in
                for r in 0..<rows {
                    let (s, e) = span(r)
                    out[r] = zero
                    if s == e { setNull(r); continue }
                    var p = base + s
                    var len = e - s
                    if base[s] == UInt8(ascii: "\"") {
                        guard let (qp, ql) = unquoted(r, s, e) else { continue }
                        p = qp
                        len = ql
                    }
                    switch parse(p, len) {
                    case .success(let v): out[r] = v
                    case .failure(let failure): numericFailure(r, s, e, failure, what)
                    }
                }
                n = rows
            }
        }

        switch type {
        case .int32:
            return ColumnData(type: type, storage: .int32(fixed("an integer (INT)", 0, FieldParsing.parseInt32)), validity: validity)
        case .int64:
            return ColumnData(type: type, storage: .int64(fixed("an integer (BIGINT)", 0, FieldParsing.parseInt64)), validity: validity)
        case .double:
            return ColumnData(type: type, storage: .double(fixed("a number (DOUBLE)", 0, FieldParsing.parseDouble)), validity: validity)
        case .boolean:
            return ColumnData(type: type, storage: .boolean(fixed("a boolean", false, FieldParsing.parseBoolean)), validity: validity)
        case .date:
            return ColumnData(type: type, storage: .int32(fixed("a date", 0, FieldParsing.parseDate)), validity: validity)
        case .timestamp:
            // Unix seconds, as MovieLens writes them.
            let seconds = fixed("Unix seconds (BIGINT)", Int64(0), FieldParsing.parseInt64)
            return ColumnData(type: type, storage: .int64(seconds.map { $0 &* CivilTime.microsPerSecond }), validity: validity)
        case .varchar, .listVarchar:
            var offsets = [UInt32](repeating: 0, count: rows + 1)
            var heap = [UInt8]()
            heap.reserveCapacity(rows * 8)
            for r in 0..<rows {
                let (s, e) = span(r)
                defer { offsets[r + 1] = UInt32(heap.count) }
                if s == e { setNull(r); continue }
                var p = base + s
                var len = e - s
                if base[s] == UInt8(ascii: "\"") {
                    guard let (qp, ql) = unquoted(r, s, e) else { continue }
                    p = qp
                    len = ql
                } else if let q = UnsafeRawBufferPointer(start: p, count: len).firstIndex(of: UInt8(ascii: "\"")) {
                    report(r, s + q, .badQuote, "'\"' inside an unquoted field (quote the whole field and write the quote as \"\")")
                    continue
                }
                if let bad = FieldParsing.firstInvalidUTF8(p, len) {
                    report(r, s + (base[s] == UInt8(ascii: "\"") ? 1 : 0) + bad, .invalidUTF8, "invalid UTF-8 byte sequence")
                    continue
                }
                heap.append(contentsOf: UnsafeBufferPointer(start: p, count: len))
            }
            let strings = StringArray(offsets: offsets, bytes: heap)
            if type == .varchar { return ColumnData(type: type, storage: .varchar(strings), validity: validity) }
            // A list column from CSV: the field split on '|'.
            var lists = StringListArray()
            for r in 0..<rows { lists.append(strings[r].split(separator: "|", omittingEmptySubsequences: false).map(String.init)) }
            return ColumnData(type: type, storage: .listVarchar(lists), validity: validity)
        }
    }
}
