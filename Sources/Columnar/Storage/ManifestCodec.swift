// The manifest on disk (format 5; format 4 lacks the parts marked [5], format 3 those marked [4], format 2 those marked [3]): a small binary file, read on every process start and
// written on every commit (a pipeline commits once per model), so it must be fast both
// ways without a hand-made text format. Integers are LEB128 varints, strings a length and
// UTF-8 bytes; each data file's name is stored once and segments refer to it by index.
// CURRENT holds the file's CRC32 and length, so a reader knows the bytes are whole before
// decoding; decoding still checks every count and tag against what is left.
//
//   "MCAT" u16 format  varint version  string committedAt
//   varint files  string...
//   varint tables, each:
//     string schema  string name  u8 kind (0 table, 1 view + string sql)  optional description
//     varint grants string...  varint properties (string key, string value)...
//     varint columns (string name, u8 type, optional description,
//                     [3] u8 flags (1: NOT NULL, 2: [5] u8 precision u8 scale follow),
//                     optional default SQL)...
//     varint rowGroups, each: varint rows  varint segments (segment...)
//                             [3] u8 0 | u8 1 + segment (the deletion vector)
//   segment: varint file  varint offset  varint length  u8 encoding  u8 compression  varint rawLength
//            varint statRows  varint nullCount  stat min  stat max
//     [3] varint indexes (string name, u8 flags (1 unique, 2 primary key), varint columns (string)...)...
//   [3] varint schemas (string)...   made by CREATE SCHEMA
//   [4] varint committed microseconds since 1970  string operation (what made the version)
//   [4] u32 CRC32 of every byte before it: a retained version's manifest is checked on its
//       own (CURRENT holds the checksum of the current one only)
//   optional string: u8 0, or u8 1 + string
//   stat: u8 0 (none) | 1 + zigzag varint | 2 + u64 double bits | 3 + string

import Foundation

enum ManifestCodec {
    static let magic: [UInt8] = Array("MCAT".utf8)

    /// The checksum CURRENT records for a manifest file: the CRC32 of its bytes, without its
    /// own trailing CRC32 from format 4 on (a CRC32 over a message and its CRC32 is the same
    /// constant for every message, which would make every CURRENT name the same checksum).
    static func identity(_ bytes: [UInt8]) -> UInt32 {
        guard hasTrailer(bytes) else { return Zlib.crc32(bytes) }
        return bytes.withUnsafeBytes { Zlib.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<(bytes.count - 4)])) }
    }

    /// Whether the manifest ends with its own CRC32 (format 4 on).
    static func hasTrailer(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 10 && isBinary(bytes) && UInt16(bytes[4]) | UInt16(bytes[5]) << 8 >= 4
    }

    /// Whether `bytes` start like a format-2 manifest (format 1 is JSON: `{`).
    static func isBinary(_ bytes: [UInt8]) -> Bool { bytes.count >= 4 && Array(bytes[0..<4]) == magic }

    // MARK: Writing

    static func encode(_ m: Manifest) -> [UInt8] {
        var w = ByteWriter(capacity: 4096)
        w.write(magic)
        w.write(UInt16(Manifest.formatVersion))
        w.writeVarint(UInt64(bitPattern: m.version))
        w.string(m.committedAt)
        var fileIndex: [String: Int] = [:]
        var files: [String] = []
        for t in m.tables {
            for g in t.rowGroups {
                for s in g.segments + (g.deletes.map { [$0] } ?? []) where fileIndex[s.file] == nil {
                    fileIndex[s.file] = files.count
                    files.append(s.file)
                }
            }
        }
        w.writeVarint(UInt64(files.count))
        for f in files { w.string(f) }
        w.writeVarint(UInt64(m.tables.count))
        for t in m.tables {
            w.string(t.schema)
            w.string(t.name)
            switch t.kind {
            case .table: w.write(UInt8(0))
            case .view(let sql): w.write(UInt8(1)); w.string(sql)
            }
            w.optional(t.description)
            w.writeVarint(UInt64(t.grants.count))
            for g in t.grants.sorted() { w.string(g) }
            w.writeVarint(UInt64(t.properties.count))
            for key in t.properties.keys.sorted() { w.string(key); w.string(t.properties[key]!) }
            w.writeVarint(UInt64(t.columns.count))
            for c in t.columns {
                w.string(c.name)
                w.write(c.type.rawValue)
                w.optional(c.description)
                w.write(UInt8(c.notNull ? 1 : 0) | UInt8(c.numeric == nil ? 0 : 2))
                if let n = c.numeric { w.write(UInt8(n.precision)); w.write(UInt8(n.scale)) }
                w.optional(c.defaultSQL)
            }
            w.writeVarint(UInt64(t.rowGroups.count))
            for g in t.rowGroups {
                w.writeVarint(UInt64(g.rowCount))
                w.writeVarint(UInt64(g.segments.count))
                for s in g.segments { w.segment(s, file: fileIndex[s.file]!) }
                if let d = g.deletes {
                    w.write(UInt8(1))
                    w.segment(d, file: fileIndex[d.file]!)
                } else {
                    w.write(UInt8(0))
                }
            }
            w.writeVarint(UInt64(t.indexes.count))
            for ix in t.indexes {
                w.string(ix.name)
                w.write(UInt8((ix.unique ? 1 : 0) | (ix.primaryKey ? 2 : 0)))
                w.writeVarint(UInt64(ix.columns.count))
                for c in ix.columns { w.string(c) }
            }
        }
        w.writeVarint(UInt64(m.schemas.count))
        for s in m.schemas { w.string(s) }
        w.writeVarint(UInt64(bitPattern: m.committedMicros))
        w.string(m.operation)
        w.write(Zlib.crc32(w.bytes))
        return w.bytes
    }

    // MARK: Reading

    static func decode(_ bytes: [UInt8]) throws(StorageError) -> Manifest {
        var result: Result<Manifest, StorageError> = .failure(.corrupt("empty manifest"))
        bytes.withUnsafeBytes { raw in result = Result { () throws(StorageError) in try decode(raw) } }
        return try result.get()
    }

    private static func decode(_ whole: UnsafeRawBufferPointer) throws(StorageError) -> Manifest {
        do {
            var raw = whole
            // Format 4 ends with the CRC32 of the rest.
            if whole.count >= 10, UInt16(littleEndian: whole.loadUnaligned(fromByteOffset: 4, as: UInt16.self)) >= 4 {
                let body = UnsafeRawBufferPointer(rebasing: whole[0..<(whole.count - 4)])
                let stored = UInt32(littleEndian: whole.loadUnaligned(fromByteOffset: whole.count - 4, as: UInt32.self))
                guard Zlib.crc32(body) == stored else { throw StorageError(.checksumMismatch, "manifest checksum does not match: the file is corrupted") }
                raw = body
            }
            var r = ByteReader(raw)
            guard Array(try r.take(4)) == magic else { throw .corrupt("not a manifest") }
            let format = Int(try r.read(UInt16.self))
            guard (2...Manifest.formatVersion).contains(format) else {
                throw StorageError(.unsupportedVersion, "manifest format \(format) is not one this moviecol reads (2 to \(Manifest.formatVersion))")
            }
            let v3 = format >= 3, v5 = format >= 5
            let version = Int64(bitPattern: try r.readVarint())
            let committedAt = try r.string()
            let files = try (0..<r.count()).map { (_) throws(StorageError) in try r.string() }
            var tables: [TableMetadata] = []
            for _ in 0..<(try r.count()) {
                let schema = try r.string(), name = try r.string()
                let kind: TableMetadata.Kind
                switch try r.read(UInt8.self) {
                case 0: kind = .table
                case 1: kind = .view(sql: try r.string())
                case let k: throw .corrupt("unknown relation kind \(k)")
                }
                let description = try r.optional()
                var grants = Set<String>()
                for _ in 0..<(try r.count()) { grants.insert(try r.string()) }
                var properties: [String: String] = [:]
                for _ in 0..<(try r.count()) { properties[try r.string()] = try r.string() }
                var columns: [ColumnDefinition] = []
                for _ in 0..<(try r.count()) {
                    let name = try r.string()
                    guard let type = LogicalType(rawValue: try r.read(UInt8.self)) else { throw .corrupt("unknown column type") }
                    var column = ColumnDefinition(name, type, description: try r.optional())
                    if v3 {
                        let flags = try r.read(UInt8.self)
                        column.notNull = flags & 1 != 0
                        if v5 && flags & 2 != 0 {
                            let precision = Int(try r.read(UInt8.self)), scale = Int(try r.read(UInt8.self))
                            guard (1...NumericPrecision.maximum).contains(precision), scale <= precision else {
                                throw .corrupt("column \(name) has precision \(precision) and scale \(scale)")
                            }
                            column.numeric = NumericPrecision(precision: precision, scale: scale)
                        }
                        column.defaultSQL = try r.optional()
                    }
                    columns.append(column)
                }
                var groups: [RowGroupMetadata] = []
                for _ in 0..<(try r.count()) {
                    let rows = try r.int()
                    var segments: [SegmentMetadata] = []
                    for _ in 0..<(try r.count()) { segments.append(try r.segment(files)) }
                    var deletes: SegmentMetadata? = nil
                    if v3 {
                        switch try r.read(UInt8.self) {
                        case 0: break
                        case 1:
                            let d = try r.segment(files)
                            guard d.stats.rowCount <= rows else { throw .corrupt("a deletion vector removes \(d.stats.rowCount) of \(rows) rows") }
                            deletes = d
                        case let t: throw .corrupt("unknown deletion vector tag \(t)")
                        }
                    }
                    groups.append(RowGroupMetadata(rowCount: rows, segments: segments, deletes: deletes))
                }
                var table = TableMetadata(schema: schema, name: name, kind: kind, columns: columns, rowGroups: groups,
                                          description: description, grants: grants, properties: properties)
                if v3 {
                    for _ in 0..<(try r.count()) {
                        let name = try r.string()
                        let flags = try r.read(UInt8.self)
                        var names: [String] = []
                        for _ in 0..<(try r.count()) { names.append(try r.string()) }
                        table.indexes.append(IndexMetadata(name: name, columns: names, unique: flags & 1 != 0, primaryKey: flags & 2 != 0))
                    }
                }
                tables.append(table)
            }
            var schemas: [String] = []
            if v3 { for _ in 0..<(try r.count()) { schemas.append(try r.string()) } }
            var committedMicros: Int64 = 0, operation = ""
            if format >= 4 {
                committedMicros = Int64(bitPattern: try r.readVarint())
                operation = try r.string()
            }
            guard r.remaining == 0 else { throw .corrupt("\(r.remaining) bytes after the manifest's end") }
            var m = Manifest(version: version, committedAt: committedAt, tables: tables, schemas: schemas,
                             committedMicros: committedMicros, operation: operation)
            m.formatVersion = format
            return m
        }
    }
}

private extension ByteWriter {
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { b in
            writeVarint(UInt64(b.count))
            write(UnsafeRawBufferPointer(b))
        }
    }

    mutating func optional(_ s: String?) {
        guard let s else { write(UInt8(0)); return }
        write(UInt8(1))
        string(s)
    }

    mutating func segment(_ s: SegmentMetadata, file: Int) {
        writeVarint(UInt64(file))
        writeVarint(UInt64(s.offset))
        writeVarint(UInt64(s.length))
        write(s.encoding.rawValue)
        write(s.compression.rawValue)
        writeVarint(UInt64(s.rawLength))
        writeVarint(UInt64(s.stats.rowCount))
        writeVarint(UInt64(s.stats.nullCount))
        stat(s.stats.min)
        stat(s.stats.max)
    }

    mutating func stat(_ v: StatValue?) {
        switch v {
        case nil: write(UInt8(0))
        case .int(let x)?: write(UInt8(1)); writeVarint(UInt64(bitPattern: (x << 1) ^ (x >> 63)))
        case .double(let x)?: write(UInt8(2)); write(x.bitPattern)
        case .string(let x)?: write(UInt8(3)); string(x)
        }
    }
}

private extension ByteReader {
    /// A non-negative integer that fits in Int.
    mutating func int() throws(StorageError) -> Int {
        let v = try readVarint()
        guard v <= UInt64(Int.max) else { throw .corrupt("manifest integer out of range") }
        return Int(v)
    }

    /// A count of elements that follow, each at least one byte: never more than remain.
    mutating func count() throws(StorageError) -> Int {
        let n = try int()
        guard n <= remaining else { throw .corrupt("manifest count \(n) exceeds the bytes left") }
        return n
    }

    mutating func segment(_ files: [String]) throws(StorageError) -> SegmentMetadata {
        let file = try int()
        guard file < files.count else { throw .corrupt("segment names file \(file) of \(files.count)") }
        let offset = try int(), length = try int()
        // No file is 2^52 bytes: larger numbers are corruption, and readers may add them.
        guard offset < 1 << 52, length < 1 << 52 else { throw .corrupt("segment at offset \(offset), length \(length): out of range") }
        guard let encoding = EncodingKind(rawValue: try read(UInt8.self)) else { throw .corrupt("unknown encoding") }
        guard let compression = CompressionKind(rawValue: try read(UInt8.self)) else { throw .corrupt("unknown compression") }
        let rawLength = try int()
        var stats = SegmentStats(rowCount: try int(), nullCount: try int())
        stats.min = try stat()
        stats.max = try stat()
        return SegmentMetadata(file: files[file], offset: offset, length: length, encoding: encoding,
                               compression: compression, rawLength: rawLength, stats: stats)
    }

    mutating func string() throws(StorageError) -> String {
        let n = try int()
        return String(decoding: try take(n), as: UTF8.self)
    }

    mutating func optional() throws(StorageError) -> String? {
        switch try read(UInt8.self) {
        case 0: return nil
        case 1: return try string()
        case let t: throw .corrupt("unknown optional tag \(t)")
        }
    }

    mutating func stat() throws(StorageError) -> StatValue? {
        switch try read(UInt8.self) {
        case 0: return nil
        case 1:
            let z = try readVarint()
            return .int(Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1))))
        case 2: return .double(Double(bitPattern: try read(UInt64.self)))
        case 3: return .string(try string())
        case let t: throw .corrupt("unknown statistic tag \(t)")
        }
    }
}
