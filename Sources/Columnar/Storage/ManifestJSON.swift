// The manifest's JSON, written and read by hand. Foundation's Codable JSON took ~80 ms to
// write and ~200 ms to read the 1.3 MB manifest of a 25M-rating warehouse: a cost every
// commit (a pipeline commits once per model) and every process start paid. The text is the
// same JSON as before (sorted keys, an optional key left out when nil, enum cases as
// {"int":{"_0":1}}), so either side reads what the other wrote.

enum ManifestJSON {
    // MARK: Writing

    static func encode(_ m: Manifest) throws(StorageError) -> [UInt8] {
        var w = Writer()
        w.raw("{\"committedAt\":"); w.string(m.committedAt)
        w.raw(",\"formatVersion\":"); w.int(Int64(m.formatVersion))
        w.raw(",\"tables\":[")
        for (i, t) in m.tables.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"columns\":[")
            for (j, c) in t.columns.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{\"name\":"); w.string(c.name)
                w.raw(",\"type\":"); w.int(Int64(c.type.rawValue)); w.raw("}")
            }
            w.raw("],\"name\":"); w.string(t.name)
            w.raw(",\"properties\":{")
            for (j, key) in t.properties.keys.sorted().enumerated() {
                if j > 0 { w.raw(",") }
                w.string(key); w.raw(":"); w.string(t.properties[key]!)
            }
            w.raw("},\"rowGroups\":[")
            for (j, g) in t.rowGroups.enumerated() {
                if j > 0 { w.raw(",") }
                w.raw("{\"rowCount\":"); w.int(Int64(g.rowCount)); w.raw(",\"segments\":[")
                for (k, s) in g.segments.enumerated() {
                    if k > 0 { w.raw(",") }
                    w.raw("{\"compression\":"); w.int(Int64(s.compression.rawValue))
                    w.raw(",\"encoding\":"); w.int(Int64(s.encoding.rawValue))
                    w.raw(",\"file\":"); w.string(s.file)
                    w.raw(",\"length\":"); w.int(Int64(s.length))
                    w.raw(",\"offset\":"); w.int(Int64(s.offset))
                    w.raw(",\"rawLength\":"); w.int(Int64(s.rawLength))
                    w.raw(",\"stats\":{")
                    if let max = s.stats.max { w.raw("\"max\":"); try w.stat(max); w.raw(",") }
                    if let min = s.stats.min { w.raw("\"min\":"); try w.stat(min); w.raw(",") }
                    w.raw("\"nullCount\":"); w.int(Int64(s.stats.nullCount))
                    w.raw(",\"rowCount\":"); w.int(Int64(s.stats.rowCount)); w.raw("}}")
                }
                w.raw("]}")
            }
            w.raw("],\"schema\":"); w.string(t.schema); w.raw("}")
        }
        w.raw("],\"version\":"); w.int(m.version); w.raw("}")
        return w.bytes
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(1 << 16) }

        mutating func raw(_ s: StaticString) {
            s.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        mutating func int(_ v: Int64) {
            if v < 0 { bytes.append(45) }
            var x = v.magnitude
            let start = bytes.count
            repeat { bytes.append(UInt8(48 + x % 10)); x /= 10 } while x > 0
            bytes[start...].reverse()
        }

        mutating func string(_ s: String) {
            bytes.append(34)
            for b in s.utf8 {
                switch b {
                case 34: bytes += [92, 34]
                case 92: bytes += [92, 92]
                case 10: bytes += [92, 110]
                case 13: bytes += [92, 114]
                case 9: bytes += [92, 116]
                case 0..<32:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += [92, 117, 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
                default: bytes.append(b)
                }
            }
            bytes.append(34)
        }

        mutating func stat(_ v: StatValue) throws(StorageError) {
            switch v {
            case .int(let i): raw("{\"int\":{\"_0\":"); int(i)
            case .double(let d):
                guard d.isFinite else { throw StorageError(.io, "cannot encode the manifest: statistic \(d) is not finite") }
                raw("{\"double\":{\"_0\":"); bytes.append(contentsOf: d.description.utf8)
            case .string(let s): raw("{\"string\":{\"_0\":"); string(s)
            }
            raw("}}")
        }
    }

    // MARK: Reading

    static func decode(_ bytes: [UInt8]) throws(StorageError) -> Manifest {
        try bytes.withUnsafeBufferPointer { (b) throws(StorageError) in
            var r = Reader(b: b)
            let m = try r.manifest()
            r.space()
            guard r.i == b.count else { throw r.error("text after the manifest") }
            return m
        }
    }

    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func error(_ what: String) -> StorageError {
            StorageError(.corrupt, "manifest JSON at byte \(i): \(what)")
        }

        mutating func space() {
            while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
        }

        mutating func expect(_ c: UInt8) throws(StorageError) {
            space()
            guard i < b.count, b[i] == c else { throw error("expected '\(Character(Unicode.Scalar(c)))'") }
            i += 1
        }

        /// After an element: true when a ',' follows, false at the closing `close`.
        mutating func more(_ close: UInt8) throws(StorageError) -> Bool {
            space()
            guard i < b.count else { throw error("unexpected end") }
            if b[i] == 44 { i += 1; return true }
            if b[i] == close { i += 1; return false }
            throw error("expected ',' or '\(Character(Unicode.Scalar(close)))'")
        }

        /// Calls `field` for each key of an object; the reader then stands on the key's value.
        mutating func object(_ field: (inout Reader, String) throws(StorageError) -> Void) throws(StorageError) {
            try expect(123)
            space()
            if i < b.count, b[i] == 125 { i += 1; return }
            repeat {
                let key = try string()
                try expect(58)
                try field(&self, key)
            } while try more(125)
        }

        mutating func array(_ element: (inout Reader) throws(StorageError) -> Void) throws(StorageError) {
            try expect(91)
            space()
            if i < b.count, b[i] == 93 { i += 1; return }
            repeat { try element(&self) } while try more(93)
        }

        mutating func string() throws(StorageError) -> String {
            try expect(34)
            var out: [UInt8] = []
            let start = i
            while i < b.count, b[i] != 34, b[i] != 92 { i += 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
            while i < b.count, b[i] != 34 {
                if b[i] != 92 { out.append(b[i]); i += 1; continue }
                i += 1
                guard i < b.count else { break }
                let e = b[i]
                i += 1
                switch e {
                case 34, 92, 47: out.append(e)
                case 98: out.append(8)
                case 102: out.append(12)
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                case 117:
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 1 < b.count, b[i] == 92, b[i + 1] == 117 {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default: throw error("invalid escape")
                }
            }
            guard i < b.count else { throw error("unterminated string") }
            i += 1
            guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8") }
            return s
        }

        mutating func hex4() throws(StorageError) -> UInt32 {
            guard i + 4 <= b.count, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: b[i..<i + 4]), as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            i += 4
            return v
        }

        mutating func numberText() throws(StorageError) -> Substring {
            space()
            let start = i
            while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == 45 || b[i] == 43 || b[i] == 46 || b[i] == 101 || b[i] == 69 { i += 1 }
            guard i > start else { throw error("expected a number") }
            return Substring(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
        }

        mutating func int() throws(StorageError) -> Int64 {
            space()
            var negative = false
            if i < b.count, b[i] == 45 { negative = true; i += 1 }
            let start = i
            var v: Int64 = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
                guard !o1, !o2 else { throw error("integer out of range") }
                v = s
                i += 1
            }
            guard i > start else { throw error("expected an integer") }
            return negative ? -v : v
        }

        mutating func double() throws(StorageError) -> Double {
            guard let d = Double(try numberText()) else { throw error("invalid number") }
            return d
        }

        /// Skips a value of a key this version does not know.
        /// Skips a value of a field this reader does not know (written by a newer moviecol);
        /// nesting is bounded so that a damaged file is an error, not a stack overflow.
        mutating func skip(depth: Int = 0) throws(StorageError) {
            space()
            guard i < b.count else { throw error("unexpected end") }
            guard depth < 64 else { throw error("values nested more than 64 deep") }
            switch b[i] {
            case 123: try object { (r, _) throws(StorageError) in try r.skip(depth: depth + 1) }
            case 91: try array { (r) throws(StorageError) in try r.skip(depth: depth + 1) }
            case 34: _ = try string()
            case 116: i += 4
            case 102: i += 5
            case 110: i += 4
            default: _ = try numberText()
            }
        }

        mutating func manifest() throws(StorageError) -> Manifest {
            var m = Manifest.empty
            var format: Int64 = -1
            try object { (r, key) throws(StorageError) in
                switch key {
                case "committedAt": m.committedAt = try r.string()
                case "formatVersion": format = try r.int()
                case "version": m.version = try r.int()
                case "tables": try r.array { (r) throws(StorageError) in m.tables.append(try r.table()) }
                default: try r.skip()
                }
            }
            guard format >= 0 else { throw error("no formatVersion") }
            m.formatVersion = Int(format)
            return m
        }

        mutating func table() throws(StorageError) -> TableMetadata {
            var t = TableMetadata(schema: "", name: "", columns: [])
            try object { (r, key) throws(StorageError) in
                switch key {
                case "schema": t.schema = try r.string()
                case "name": t.name = try r.string()
                case "columns":
                    try r.array { (r) throws(StorageError) in
                        var name = "", type: LogicalType? = nil
                        try r.object { (r, key) throws(StorageError) in
                            switch key {
                            case "name": name = try r.string()
                            case "type":
                                let raw = try r.int()
                                guard let ty = UInt8(exactly: raw).flatMap(LogicalType.init(rawValue:)) else { throw r.error("unknown column type \(raw)") }
                                type = ty
                            default: try r.skip()
                            }
                        }
                        guard let type else { throw r.error("column \(name) has no type") }
                        t.columns.append(ColumnDefinition(name, type))
                    }
                case "properties":
                    try r.object { (r, key) throws(StorageError) in t.properties[key] = try r.string() }
                case "rowGroups":
                    try r.array { (r) throws(StorageError) in t.rowGroups.append(try r.rowGroup()) }
                default: try r.skip()
                }
            }
            return t
        }

        mutating func rowGroup() throws(StorageError) -> RowGroupMetadata {
            var g = RowGroupMetadata(rowCount: 0, segments: [])
            try object { (r, key) throws(StorageError) in
                switch key {
                case "rowCount": g.rowCount = Int(try r.int())
                case "segments": try r.array { (r) throws(StorageError) in g.segments.append(try r.segment()) }
                default: try r.skip()
                }
            }
            return g
        }

        mutating func segment() throws(StorageError) -> SegmentMetadata {
            var s = SegmentMetadata(file: "", offset: 0, length: 0, encoding: .plain, compression: .none, rawLength: 0,
                                    stats: SegmentStats(rowCount: 0, nullCount: 0))
            try object { (r, key) throws(StorageError) in
                switch key {
                case "file": s.file = try r.string()
                case "offset": s.offset = Int(try r.int())
                case "length": s.length = Int(try r.int())
                case "rawLength": s.rawLength = Int(try r.int())
                case "encoding":
                    let raw = try r.int()
                    guard let e = UInt8(exactly: raw).flatMap(EncodingKind.init(rawValue:)) else { throw r.error("unknown encoding \(raw)") }
                    s.encoding = e
                case "compression":
                    let raw = try r.int()
                    guard let c = UInt8(exactly: raw).flatMap(CompressionKind.init(rawValue:)) else { throw r.error("unknown compression \(raw)") }
                    s.compression = c
                case "stats":
                    try r.object { (r, key) throws(StorageError) in
                        switch key {
                        case "rowCount": s.stats.rowCount = Int(try r.int())
                        case "nullCount": s.stats.nullCount = Int(try r.int())
                        case "min": s.stats.min = try r.stat()
                        case "max": s.stats.max = try r.stat()
                        default: try r.skip()
                        }
                    }
                default: try r.skip()
                }
            }
            return s
        }

        mutating func stat() throws(StorageError) -> StatValue {
            var value: StatValue? = nil
            try object { (r, kind) throws(StorageError) in
                try r.object { (r, key) throws(StorageError) in
                    guard key == "_0" else { try r.skip(); return }
                    switch kind {
                    case "int": value = .int(try r.int())
                    case "double": value = .double(try r.double())
                    case "string": value = .string(try r.string())
                    default: throw r.error("unknown statistic kind \(kind)")
                    }
                }
            }
            guard let value else { throw error("empty statistic") }
            return value
        }
    }
}
