// Statements that change the catalog or the session rather than rows: CREATE / DROP SCHEMA,
// ALTER TABLE and USE. ALTER TABLE changes only the manifest, except ADD COLUMN, which
// writes one constant segment (its DEFAULT or NULL, a few bytes once encoded) per row group.

import Columnar

extension QueryEngine {
    func createSchema(_ name: String, ifNotExists: Bool) throws(SQLError) -> QueryCursor {
        let schema = name.lowercased()
        return try write(name: [schema, ""]) { tx, _, _, _ throws(SQLError) in
            let exists = tx.schemas.contains(schema) || tx.tables.contains { $0.schema.lowercased() == schema }
            if exists {
                if ifNotExists { return "schema \(schema) exists; nothing done" }
                throw SQLError(.binder, "schema \(schema) already exists", reason: .duplicateObject)
            }
            tx.setSchemas(tx.schemas + [schema])
            return "created schema \(schema)"
        }
    }

    func dropSchema(_ name: String, ifExists: Bool, cascade: Bool) throws(SQLError) -> QueryCursor {
        let schema = name.lowercased()
        return try write(name: [schema, ""]) { tx, _, _, _ throws(SQLError) in
            let tables = tx.tables.filter { $0.schema.lowercased() == schema }
            guard tx.schemas.contains(schema) || !tables.isEmpty else {
                if ifExists { return "schema \(schema) does not exist; nothing done" }
                throw SQLError(.binder, "schema \(schema) not found", reason: .undefinedTable)
            }
            if !tables.isEmpty && !cascade {
                throw SQLError(.binder, "schema \(schema) holds \(tables.count) tables or views; DROP SCHEMA \(schema) CASCADE drops them too")
            }
            for t in tables { tx.dropTable(t.schema, t.name) }
            tx.setSchemas(tx.schemas.filter { $0 != schema })
            return "dropped schema \(schema)" + (tables.isEmpty ? "" : " and its \(tables.count) tables and views")
        }
    }

    func use(_ target: UseTarget, _ name: [String]) throws(SQLError) -> QueryCursor {
        let last = name[name.count - 1].lowercased()
        switch target {
        case .schema, .unspecified:
            if catalog.schemaExists(last) || last == "main" {
                defaultSchema = last
                return Self.status("using schema \(last)")
            }
            let databases = [String((warehouse.root.split(separator: "/").last ?? "")).lowercased(), "memory"]
            if target == .unspecified && name.count == 1 && databases.contains(last) { return Self.status("using database \(last) (this warehouse)") }
            throw SQLError(.binder, "schema \(last) not found (CREATE SCHEMA makes one; USE DATABASE names the warehouse)", reason: .undefinedTable)
        case .database:
            return Self.status("using database \(last) (this warehouse)")
        case .warehouse:
            return Self.status("using warehouse \(last) (queries run here, on \(threads) threads)")
        case .role:
            guard let role = availableRoles[last] else {
                throw SQLError(.permission, "permission denied: this session may not take role \(last)"
                               + (availableRoles.isEmpty ? "" : " (it may take \(availableRoles.keys.sorted().joined(separator: ", ")))"))
            }
            policy = role
            return Self.status("using role \(last)")
        }
    }

    func alterTable(_ name: [String], ifExists: Bool, _ action: AlterTableAction) throws(SQLError) -> QueryCursor {
        try write(name: name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
            guard var t = existing else {
                if ifExists { return "table \(schema).\(table) does not exist; nothing done" }
                throw SQLError(.binder, "table \(schema).\(table) not found", reason: .undefinedTable)
            }
            guard !t.isView else { throw SQLError(.binder, "\(schema).\(table) is a view; ALTER TABLE changes tables") }
            switch action {
            case .renameTo(let newName):
                let newSchema = newName.count >= 2 ? newName[newName.count - 2].lowercased() : t.schema
                let newTable = newName[newName.count - 1]
                try policy.checkWrite(schema: newSchema, object: newTable)
                if tx.tables.contains(where: { $0.schema.lowercased() == newSchema && $0.name.lowercased() == newTable.lowercased() }) {
                    throw SQLError(.binder, "\(newSchema).\(newTable) already exists", reason: .duplicateObject)
                }
                tx.dropTable(t.schema, t.name)
                t.schema = newSchema
                t.name = newTable
                tx.putTable(t)
                return "renamed \(schema).\(table) to \(newSchema).\(newTable)"
            case .renameColumn(let from, let to):
                guard let i = t.columnIndex(from) else {
                    throw SQLError(.binder, "\(schema).\(table) has no column \(from)", reason: .undefinedColumn)
                }
                if let j = t.columnIndex(to), j != i { throw SQLError(.binder, "\(schema).\(table) already has a column \(to)", reason: .duplicateObject) }
                let old = t.columns[i].name
                t.columns[i].name = to
                for k in t.indexes.indices { t.indexes[k].columns = t.indexes[k].columns.map { $0 == old ? to : $0 } }
                tx.putTable(t)
                return "renamed column \(from) of \(schema).\(table) to \(to)"
            case .dropColumn(let column, let ifExists):
                guard let i = t.columnIndex(column) else {
                    if ifExists { return "\(schema).\(table) has no column \(column); nothing done" }
                    throw SQLError(.binder, "\(schema).\(table) has no column \(column)", reason: .undefinedColumn)
                }
                guard t.columns.count > 1 else { throw SQLError(.binder, "cannot drop the only column of \(schema).\(table)") }
                if let ix = t.indexes.first(where: { $0.columns.contains(t.columns[i].name) }) {
                    throw SQLError(.binder, "column \(column) is in index \(ix.name); drop the index first")
                }
                t.columns.remove(at: i)
                for g in t.rowGroups.indices { t.rowGroups[g].segments.remove(at: i) }
                tx.putTable(t)
                return "dropped column \(column) of \(schema).\(table)"
            case .addColumn(let spec, let ifNotExists):
                if t.columnIndex(spec.name) != nil {
                    if ifNotExists { return "\(schema).\(table) has a column \(spec.name); nothing done" }
                    throw SQLError(.binder, "\(schema).\(table) already has a column \(spec.name)", reason: .duplicateObject)
                }
                var column = ColumnDefinition(spec.name, spec.type, notNull: spec.notNull, defaultSQL: spec.defaultSQL)
                column.numeric = spec.numeric
                let value = try defaultValue(column, rows: 1, context: makeContext()).value(at: 0)
                if column.notNull && value.isNull && t.rowCount > 0 {
                    throw SQLError(.constraint, "NOT NULL constraint failed: \(table).\(spec.name) (the table has rows; give the column a DEFAULT)",
                                   reason: .notNullViolation)
                }
                let writer = tx.rowGroupWriter(label: table + "_" + spec.name)
                for g in t.rowGroups.indices {
                    let filled = ColumnData.constant(value, type: spec.type, count: t.rowGroups[g].rowCount)
                    let segment: SegmentMetadata
                    do throws(StorageError) { segment = try writer.writeSegment(filled.flattened()) } catch { throw SQLError(error) }
                    t.rowGroups[g].segments.append(segment)
                }
                t.columns.append(column)
                if spec.primaryKey || spec.unique {
                    if spec.primaryKey, t.indexes.contains(where: \.primaryKey) {
                        throw SQLError(.binder, "\(schema).\(table) already has a primary key")
                    }
                    t.indexes.append(IndexMetadata(name: spec.primaryKey ? "\(table)_pkey" : "\(table)_\(spec.name)_key", columns: [spec.name],
                                                   unique: true, primaryKey: spec.primaryKey))
                }
                tx.putTable(t)
                return "added column \(spec.name) to \(schema).\(table)"
            }
        }
    }
}
