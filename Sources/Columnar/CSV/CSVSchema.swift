// Explicit schemas for CSV files: the exact header expected and the typed columns it maps
// to. The loader takes one as a parameter; the MovieLens module defines its six files.

/// The expected layout of one CSV file.
public struct CSVSchema: Sendable, Hashable {
    /// File name as it appears in a MovieLens folder or zip (`ratings.csv`).
    public var fileName: String
    /// Target table in the warehouse.
    public var schema: String
    public var table: String
    /// Header names, in file order, matched exactly (case-sensitive, as MovieLens writes them).
    public var header: [String]
    /// Column definitions of the target table, one per header field.
    public var columns: [ColumnDefinition]
    /// The byte between fields: `,` for MovieLens; `read_csv` and `COPY FROM` take others.
    public var delimiter: UInt8

    public init(fileName: String, schema: String, table: String, header: [String], columns: [ColumnDefinition],
                delimiter: UInt8 = UInt8(ascii: ",")) {
        precondition(header.count == columns.count)
        self.fileName = fileName
        self.schema = schema
        self.table = table
        self.header = header
        self.columns = columns
        self.delimiter = delimiter
    }

    public var headerLine: String { header.joined(separator: ",") }
}
