// PRIMARY KEY, UNIQUE and CREATE [UNIQUE] INDEX. Indexes are kept in the catalog (clients
// and BI tools list them); a unique one is enforced: every write that changes a table with
// one checks, before it commits, that no two rows share a key without NULLs (one grouping
// over the staged table). A violation fails the statement with the key and nothing written.

import Columnar

extension QueryEngine {
    /// The indexes of CREATE TABLE's PRIMARY KEY and UNIQUE constraints; primary key columns
    /// become NOT NULL.
    static func keyIndexes(table: String, columns: [ColumnSpec], keys: [TableKey],
                           definitions: inout [ColumnDefinition]) throws(SQLError) -> [IndexMetadata] {
        var indexes: [IndexMetadata] = []
        var all = keys
        for c in columns {
            if c.primaryKey { all.append(TableKey(columns: [c.name], primary: true, name: nil)) }
            if c.unique { all.append(TableKey(columns: [c.name], primary: false, name: nil)) }
        }
        guard all.filter(\.primary).count <= 1 else { throw SQLError(.binder, "table \(table) has more than one PRIMARY KEY") }
        for key in all {
            var names: [String] = []
            for column in key.columns {
                guard let i = definitions.firstIndex(where: { $0.name.lowercased() == column.lowercased() }) else {
                    throw SQLError(.binder, "key column \(column) is not a column of \(table)", reason: .undefinedColumn)
                }
                if key.primary { definitions[i].notNull = true }
                names.append(definitions[i].name)
            }
            let name = key.name ?? (key.primary ? "\(table)_pkey" : "\(table)_\(names.joined(separator: "_"))_key")
            indexes.append(IndexMetadata(name: name, columns: names, unique: true, primaryKey: key.primary))
        }
        return indexes
    }

    func createIndex(_ name: String, on table: [String], columns: [String], unique: Bool, ifNotExists: Bool) throws(SQLError) -> QueryCursor {
        try write(name: table, existingTable: true) { tx, schema, tableName, existing throws(SQLError) in
            guard var t = existing, !t.isView else { throw SQLError(.binder, "table \(schema).\(tableName) not found", reason: .undefinedTable) }
            if tx.tables.contains(where: { $0.indexes.contains { $0.name.lowercased() == name.lowercased() } }) {
                if ifNotExists { return "index \(name) exists; nothing done" }
                throw SQLError(.binder, "index \(name) already exists", reason: .duplicateObject)
            }
            var names: [String] = []
            for c in columns {
                guard let i = t.columnIndex(c) else {
                    throw SQLError(.binder, "\(schema).\(tableName) has no column \(c)", reason: .undefinedColumn)
                }
                names.append(t.columns[i].name)
            }
            t.indexes.append(IndexMetadata(name: name, columns: names, unique: unique))
            tx.putTable(t)
            return "created \(unique ? "unique " : "")index \(name) on \(schema).\(tableName)"
        }
    }

    func dropIndex(_ name: String, ifExists: Bool) throws(SQLError) -> QueryCursor {
        guard let owner = catalog.allTables.first(where: { $0.indexes.contains { $0.name.lowercased() == name.lowercased() } }) else {
            if ifExists { return Self.status("index \(name) does not exist; nothing done") }
            throw SQLError(.binder, "index \(name) not found", reason: .undefinedTable)
        }
        return try write(name: [owner.schema, owner.name]) { tx, schema, table, existing throws(SQLError) in
            guard var t = existing else { throw SQLError(.binder, "table \(schema).\(table) not found", reason: .undefinedTable) }
            if t.indexes.contains(where: { $0.name.lowercased() == name.lowercased() && $0.primaryKey }) {
                throw SQLError(.binder, "index \(name) is the primary key of \(schema).\(table); it cannot be dropped")
            }
            t.indexes.removeAll { $0.name.lowercased() == name.lowercased() }
            tx.putTable(t)
            return "dropped index \(name)"
        }
    }

    /// Fails when a write left two rows of `table` with the same key of a unique index.
    /// Runs only when the table has one and the statement changed its rows or indexes.
    func checkUniqueKeys(_ tx: WarehouseTransaction, schema: String, table: String, before: TableMetadata?) throws(SQLError) {
        guard let after = tx.tables.first(where: { $0.schema.lowercased() == schema && $0.name.lowercased() == table.lowercased() }),
              after.indexes.contains(where: \.unique), after.rowCount > 1 else { return }
        if let before, before.rowGroups == after.rowGroups && before.indexes == after.indexes { return }
        do { try tx.finishFiles() } catch { throw SQLError(error) }
        let saved = (warehouse, catalog)
        warehouse = Warehouse(root: warehouse.root, manifest: tx.staged)
        catalog = Catalog(warehouse)
        defer { (warehouse, catalog) = saved }
        func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        for index in after.indexes where index.unique {
            let keys = index.columns.map(quote).joined(separator: ", ")
            let notNull = index.columns.map { "\(quote($0)) IS NOT NULL" }.joined(separator: " AND ")
            let sql = "SELECT \(keys) FROM \(quote(after.schema)).\(quote(after.name)) WHERE \(notNull) GROUP BY \(keys) HAVING count(*) > 1 LIMIT 1"
            let (_, rows) = try query(sql)
            guard rows.count > 0 else { continue }
            let key = index.columns.enumerated().map { "\($1): \(rows.columns[$0].value(at: 0))" }.joined(separator: ", ")
            throw SQLError(.constraint, "Duplicate key \"\(key)\" violates \(index.primaryKey ? "primary key" : "unique") constraint \(index.name)",
                           reason: .uniqueViolation)
        }
    }
}
