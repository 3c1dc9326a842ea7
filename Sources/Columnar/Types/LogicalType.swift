// The logical column types a warehouse stores. The raw values are written into segment
// headers and manifests, so they are part of the on-disk format: never renumber them.

/// A column's logical type.
public enum LogicalType: UInt8, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case int32 = 1
    case int64 = 2
    case double = 3
    case boolean = 4
    case varchar = 5
    /// Days since 1970-01-01, stored as Int32.
    case date = 6
    /// Microseconds since 1970-01-01 00:00:00 UTC, stored as Int64.
    case timestamp = 7
    /// A list of VARCHAR values (e.g. `SPLIT(genres, '|')`).
    case listVarchar = 8

    /// The SQL spelling used in `describe`, manifests and error messages.
    public var description: String {
        switch self {
        case .int32: "INT"
        case .int64: "BIGINT"
        case .double: "DOUBLE"
        case .boolean: "BOOLEAN"
        case .varchar: "VARCHAR"
        case .date: "DATE"
        case .timestamp: "TIMESTAMP"
        case .listVarchar: "VARCHAR[]"
        }
    }

    /// Whether values are integers in memory (and share the integer encodings).
    public var isInteger: Bool {
        switch self {
        case .int32, .int64, .boolean, .date, .timestamp: true
        default: false
        }
    }

    /// Bytes per value for the plain encoding of fixed-width types.
    public var fixedWidth: Int? {
        switch self {
        case .int32, .date: 4
        case .int64, .timestamp, .double: 8
        case .boolean: 1
        case .varchar, .listVarchar: nil
        }
    }

    /// Parses the SQL spelling (and common synonyms) of a type name.
    public init?(sqlName: String) {
        switch sqlName.uppercased() {
        case "INT", "INTEGER", "INT32", "INT4", "SMALLINT", "INT2", "TINYINT", "INT1", "BYTEINT", "SHORT", "USMALLINT", "UTINYINT": self = .int32
        // DuckDB's wider and unsigned integers hold their values in BIGINT as far as it reaches:
        // a value past it is an out-of-range error, never a wrapped one.
        case "BIGINT", "INT64", "INT8", "LONG", "SIGNED", "UINTEGER", "UBIGINT", "HUGEINT", "INT128", "UHUGEINT": self = .int64
        case "DOUBLE", "FLOAT8", "FLOAT", "FLOAT4", "REAL", "NUMBER", "DECIMAL", "NUMERIC": self = .double
        case "BOOLEAN", "BOOL", "LOGICAL": self = .boolean
        // Snowflake's semi-structured VARIANT and OBJECT, JSON and UUID are read as text.
        case "VARCHAR", "TEXT", "STRING", "CHAR", "CHARACTER", "NCHAR", "NVARCHAR", "BPCHAR", "VARIANT", "OBJECT", "JSON", "UUID":
            self = .varchar
        case "DATE": self = .date
        // Time zones are not kept: every timestamp is UTC.
        case "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMPTZ", "DATETIME": self = .timestamp
        case "VARCHAR[]", "ARRAY", "LIST": self = .listVarchar
        default: return nil
        }
    }
}

/// The precision and scale of `NUMBER(p, s)` / `DECIMAL(p, s)`: at most `precision` digits,
/// `scale` of them after the decimal point. A column so declared is stored as BIGINT (scale 0)
/// or DOUBLE, and every value written to it is rounded to the scale and checked against the
/// precision, so the digits it holds are the ones the declaration allows.
public struct NumericPrecision: Sendable, Codable, Hashable, CustomStringConvertible {
    /// Snowflake's and DuckDB's largest precision.
    public static let maximum = 38

    public var precision: Int
    public var scale: Int

    public init(precision: Int, scale: Int) {
        self.precision = precision
        self.scale = scale
    }

    /// The type values take: integers for scale 0, doubles otherwise.
    public var storageType: LogicalType { scale == 0 ? .int64 : .double }

    public var description: String { "DECIMAL(\(precision),\(scale))" }
}

/// A named, typed column of a table schema.
public struct ColumnDefinition: Sendable, Codable, Hashable {
    public var name: String
    public var type: LogicalType
    /// `NUMBER(p, s)`'s precision and scale, when the column was declared with them.
    public var numeric: NumericPrecision?
    /// What the column means, for people (a pipeline model's column description).
    public var description: String?
    /// `NOT NULL`: every write checks it and refuses a NULL before anything is written.
    public var notNull: Bool
    /// `DEFAULT expr` as written: what an INSERT that leaves the column out stores.
    public var defaultSQL: String?

    public init(_ name: String, _ type: LogicalType, description: String? = nil, notNull: Bool = false, defaultSQL: String? = nil) {
        self.name = name
        self.type = type
        self.description = description
        self.notNull = notNull
        self.defaultSQL = defaultSQL
    }

    /// The type as `describe` and information_schema print it: `DECIMAL(10,2)` for a column
    /// declared with a precision.
    public var typeDescription: String { numeric?.description ?? type.description }

    enum CodingKeys: String, CodingKey { case name, type, description }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(try c.decode(String.self, forKey: .name), try c.decode(LogicalType.self, forKey: .type),
                  description: try c.decodeIfPresent(String.self, forKey: .description))
    }
}
