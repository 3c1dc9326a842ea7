// `information_schema.tables` and `information_schema.columns`: the catalog as rows, filtered
// by the session's access policy like every other read.

import Columnar

enum InformationSchema {
    static func view(_ name: String, catalog: Catalog, at position: Int) throws(SQLError) -> ([[Value]], [PlanColumn]) {
        func col(_ n: String, _ t: LogicalType) -> PlanColumn { PlanColumn(name: n, type: t, qualifier: nil) }
        let tables = catalog.tables.sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }
        switch name.lowercased() {
        case "tables":
            let columns = [col("table_schema", .varchar), col("table_name", .varchar), col("table_type", .varchar),
                           col("row_count", .int64), col("comment", .varchar)]
            let rows: [[Value]] = tables.map { t in
                [.string(t.schema), .string(t.name), .string(t.isView ? "VIEW" : "BASE TABLE"),
                 t.isView ? .null : .int(Int64(t.rowCount)), t.description.map(Value.string) ?? .null]
            }
            return (rows, columns)
        case "columns":
            let columns = [col("table_schema", .varchar), col("table_name", .varchar), col("column_name", .varchar),
                           col("ordinal_position", .int64), col("data_type", .varchar), col("comment", .varchar),
                           col("numeric_precision", .int64), col("numeric_scale", .int64)]
            var rows: [[Value]] = []
            for t in tables {
                for (i, c) in t.columns.enumerated() {
                    rows.append([.string(t.schema), .string(t.name), .string(c.name), .int(Int64(i + 1)),
                                 .string(c.typeDescription), c.description.map(Value.string) ?? .null,
                                 c.numeric.map { .int(Int64($0.precision)) } ?? .null, c.numeric.map { .int(Int64($0.scale)) } ?? .null])
                }
            }
            return (rows, columns)
        case "schemata":
            return (catalog.schemaNames.map { [.string($0)] }, [col("schema_name", .varchar)])
        default:
            throw SQLError(.binder, "information_schema has tables, columns and schemata, not \(name)", at: position)
        }
    }
}
