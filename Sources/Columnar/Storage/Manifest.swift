// The catalog of one warehouse version: every table and view, its columns, who may read
// it, and where each segment of each row group lives, with statistics. A version is
// immutable once committed; the CURRENT file names the manifest that is the warehouse's
// present state. On disk see `ManifestCodec` (and `LegacyManifest` for format 1).

/// One committed version of a warehouse.
public struct Manifest: Sendable {
    /// 5: column precision and scale (`NUMBER(p, s)`); 4: binary with the commit's time in microseconds and what made it; 3: without those,
    /// with deletion vectors and column constraints; 2: binary without either (3 and 2 still
    /// read); 1: JSON (still read).
    public static let formatVersion = 5

    public var formatVersion: Int
    public var version: Int64
    /// UTC, `YYYY-MM-DD HH:MM:SS`.
    public var committedAt: String
    public var tables: [TableMetadata]
    /// Schemas made by CREATE SCHEMA, lowercase and sorted (a schema also exists while it
    /// holds a table).
    public var schemas: [String]
    /// When the version was committed, microseconds since 1970 UTC (time travel's
    /// `AT(TIMESTAMP => ...)`); 0 for manifests before format 4, which have `committedAt` only.
    public var committedMicros: Int64 = 0
    /// What made the version: the command or statement (`moviecol versions` lists it).
    public var operation: String = ""

    public init(version: Int64, committedAt: String, tables: [TableMetadata], schemas: [String] = [],
                committedMicros: Int64 = 0, operation: String = "") {
        self.formatVersion = Self.formatVersion
        self.version = version
        self.committedAt = committedAt
        self.tables = tables
        self.schemas = schemas
        self.committedMicros = committedMicros
        self.operation = operation
    }

    /// The commit time in microseconds (from `committedAt` for older manifests).
    public var commitMicros: Int64 {
        if committedMicros != 0 { return committedMicros }
        // `YYYY-MM-DD HH:MM:SS`
        let text = Substring(committedAt)
        guard text.count == 19, let days = CivilTime.parseDate(text.prefix(10)) else { return 0 }
        let clock = text.dropFirst(11).split(separator: ":").compactMap { Int64($0) }
        guard clock.count == 3 else { return 0 }
        return (Int64(days) * 86_400 + clock[0] * 3_600 + clock[1] * 60 + clock[2]) * 1_000_000
    }

    public static let empty = Manifest(version: 0, committedAt: "", tables: [])

    /// The bytes of the manifest file (format 3).
    public func encoded() -> [UInt8] { ManifestCodec.encode(self) }

    /// A manifest file's bytes, format 3 or 2 (binary) or 1 (JSON).
    public static func decode(_ bytes: [UInt8]) throws(StorageError) -> Manifest {
        ManifestCodec.isBinary(bytes) ? try ManifestCodec.decode(bytes) : try LegacyManifest.decode(bytes)
    }

    public func table(schema: String, name: String) -> TableMetadata? {
        tables.first { $0.schema.lowercased() == schema.lowercased() && $0.name.lowercased() == name.lowercased() }
    }

    /// Every data file a segment of this version lives in.
    public var referencedFiles: Set<String> {
        var files = Set<String>()
        for t in tables {
            for g in t.rowGroups {
                for s in g.segments { files.insert(s.file) }
                if let d = g.deletes { files.insert(d.file) }
            }
        }
        return files
    }
}

/// A relation of the catalog: a stored table or a view, its columns, its readers and what
/// is known about where it came from.
public struct TableMetadata: Sendable {
    public enum Kind: Sendable, Equatable {
        case table
        /// A view: its query, bound where it is read.
        case view(sql: String)
    }

    public var schema: String
    public var name: String
    public var kind: Kind
    public var columns: [ColumnDefinition]
    public var rowGroups: [RowGroupMetadata]
    public var description: String?
    /// Roles granted SELECT on it, lowercase (see `AccessPolicy`).
    public var grants: Set<String>
    /// Other facts, for people and tools: where the data was loaded from, how a pipeline
    /// built it. Nothing the engine decides on lives here.
    public var properties: [String: String]
    /// PRIMARY KEY, UNIQUE and CREATE [UNIQUE] INDEX: kept for clients; the unique ones are
    /// checked by every write.
    public var indexes: [IndexMetadata] = []

    public init(schema: String, name: String, kind: Kind = .table, columns: [ColumnDefinition], rowGroups: [RowGroupMetadata] = [],
                description: String? = nil, grants: Set<String> = [], properties: [String: String] = [:]) {
        self.schema = schema
        self.name = name
        self.kind = kind
        self.columns = columns
        self.rowGroups = rowGroups
        self.description = description
        self.grants = grants
        self.properties = properties
    }

    public var qualifiedName: String { "\(schema).\(name)" }
    /// Rows a scan returns: stored rows less those deleted.
    public var rowCount: Int { rowGroups.reduce(0) { $0 + $1.liveRowCount } }
    public var storedBytes: Int { rowGroups.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.length } + ($1.deletes?.length ?? 0) } }

    public var isView: Bool { if case .view = kind { true } else { false } }

    /// The query of a view.
    public var viewSQL: String? { if case .view(let sql) = kind { sql } else { nil } }

    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    /// Records what a statement that writes the relation was told about it.
    public mutating func annotate(_ a: TableAnnotations) {
        if let d = a.description { description = d }
        for i in columns.indices {
            if let d = a.columnDescriptions[columns[i].name.lowercased()] { columns[i].description = d }
        }
        if let g = a.grants { grants = Set(g.map { $0.lowercased() }) }
        properties.merge(a.properties) { _, new in new }
    }
}

/// An index of a table: a name, its columns and whether their values must be unique (a
/// primary key also forbids NULLs, through its columns' NOT NULL).
public struct IndexMetadata: Sendable, Equatable {
    public var name: String
    public var columns: [String]
    public var unique: Bool
    public var primaryKey: Bool

    public init(name: String, columns: [String], unique: Bool, primaryKey: Bool = false) {
        self.name = name
        self.columns = columns
        self.unique = unique || primaryKey
        self.primaryKey = primaryKey
    }
}

/// What a CREATE or INSERT records about the relation it writes besides its rows (a pipeline
/// passes its model's description, column descriptions, grants and facts).
public struct TableAnnotations: Sendable {
    public var description: String?
    /// By lowercase column name.
    public var columnDescriptions: [String: String]
    /// The roles granted SELECT; nil keeps those the relation has.
    public var grants: Set<String>?
    public var properties: [String: String]

    public init(description: String? = nil, columnDescriptions: [String: String] = [:], grants: Set<String>? = nil,
                properties: [String: String] = [:]) {
        self.description = description
        self.columnDescriptions = Dictionary(columnDescriptions.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        self.grants = grants
        self.properties = properties
    }
}

/// A horizontal slice of a table: one segment per column, and the rows a DELETE, UPDATE
/// or MERGE removed since it was written (its deletion vector). Segments are immutable: a
/// row-level change writes a new deletion vector (and appends changed rows as new row
/// groups) instead of rewriting the row group.
public struct RowGroupMetadata: Sendable, Codable, Equatable {
    /// Rows stored in the segments, deleted ones included.
    public var rowCount: Int
    public var segments: [SegmentMetadata]
    /// The deletion vector: an INT segment of the sorted positions (0-based, within the row
    /// group) of deleted rows; its `stats.rowCount` is how many. nil: no row deleted.
    public var deletes: SegmentMetadata?

    public init(rowCount: Int, segments: [SegmentMetadata], deletes: SegmentMetadata? = nil) {
        self.rowCount = rowCount
        self.segments = segments
        self.deletes = deletes
    }

    public var deletedCount: Int { deletes?.stats.rowCount ?? 0 }
    /// Rows a scan returns.
    public var liveRowCount: Int { rowCount - deletedCount }
}

/// Where a segment's block is and what it holds.
public struct SegmentMetadata: Sendable, Codable, Equatable {
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
