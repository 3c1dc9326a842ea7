// The catalog of one warehouse version: every table, its columns and where each segment of
// each row group lives, with statistics. A version is immutable once committed; the CURRENT
// file names the manifest that is the warehouse's present state.

/// One committed version of a warehouse.
public struct Manifest: Sendable, Codable {
    public static let formatVersion = 1

    public var formatVersion: Int
    public var version: Int64
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    public var committedAt: String
    public var tables: [TableMetadata]

    public init(version: Int64, committedAt: String, tables: [TableMetadata]) {
        self.formatVersion = Self.formatVersion
        self.version = version
        self.committedAt = committedAt
        self.tables = tables
    }

    public static let empty = Manifest(version: 0, committedAt: "", tables: [])

    public func table(schema: String, name: String) -> TableMetadata? {
        tables.first { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
    }

    /// Every data file a segment of this version lives in.
    public var referencedFiles: Set<String> {
        var files = Set<String>()
        for t in tables { for g in t.rowGroups { for s in g.segments { files.insert(s.file) } } }
        return files
    }
}

/// A table: its schema and row groups.
public struct TableMetadata: Sendable, Codable {
    public var schema: String
    public var name: String
    public var columns: [ColumnDefinition]
    public var rowGroups: [RowGroupMetadata]
    /// Free-form facts about the table (e.g. where it was loaded from, its materialization).
    public var properties: [String: String]

    public init(schema: String, name: String, columns: [ColumnDefinition], rowGroups: [RowGroupMetadata] = [],
                properties: [String: String] = [:]) {
        self.schema = schema
        self.name = name
        self.columns = columns
        self.rowGroups = rowGroups
        self.properties = properties
    }

    public var qualifiedName: String { "\(schema).\(name)" }
    public var rowCount: Int { rowGroups.reduce(0) { $0 + $1.rowCount } }
    public var storedBytes: Int { rowGroups.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.length } } }

    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }
}

/// A horizontal slice of a table: one segment per column.
public struct RowGroupMetadata: Sendable, Codable {
    public var rowCount: Int
    public var segments: [SegmentMetadata]

    public init(rowCount: Int, segments: [SegmentMetadata]) {
        self.rowCount = rowCount
        self.segments = segments
    }
}

/// Where a segment's block is and what it holds.
public struct SegmentMetadata: Sendable, Codable {
    /// Path of the data file, relative to the warehouse directory.
    public var file: String
    public var offset: Int
    /// Whole block length (header, payload, checksum).
    public var length: Int
    public var encoding: EncodingKind
    public var compression: CompressionKind
    public var rawLength: Int
    public var stats: SegmentStats

    public init(file: String, offset: Int, length: Int, encoding: EncodingKind, compression: CompressionKind,
                rawLength: Int, stats: SegmentStats) {
        self.file = file
        self.offset = offset
        self.length = length
        self.encoding = encoding
        self.compression = compression
        self.rawLength = rawLength
        self.stats = stats
    }
}
