// CLONE and UNDROP: catalog-only statements over retained versions. A clone is a new catalog
// entry naming the source's row groups, so it shares their files (immutable, kept while any
// retained version references them) and costs a manifest entry, not a copy; UNDROP puts back
// the entry the newest retained version had for a dropped table (Snowflake's zero-copy
// clone and undrop, on moviecol's versions).

import Columnar

extension QueryEngine {
    func cloneTable(_ name: [String], orReplace: Bool, ifNotExists: Bool, source: [String], point: TimeTravel?) throws(SQLError) -> QueryCursor {
        try write(name: name) { tx, schema, table, existing throws(SQLError) in
            if existing != nil && ifNotExists { return "\(schema).\(table) exists; nothing done" }
            if existing != nil && !orReplace { throw SQLError(.binder, "table \(schema).\(table) already exists; use CREATE OR REPLACE", reason: .duplicateObject) }
            try Self.requireKind(existing, view: false)
            var from = catalog
            var version: Int64? = nil
            if let point {
                let binder = Binder(catalog: catalog)
                let v = try binder.historicalVersion(point, at: 0)
                do throws(StorageError) { from = try catalog.atVersion(v) } catch { throw SQLError(.binder, error.message) }
                version = v
            }
            var clone: TableMetadata
            do throws(NameError) { clone = try from.resolve(source.joined(separator: ".")) } catch {
                throw SQLError(error.denied ? .permission : .binder, error.message + (version.map { " at version \($0)" } ?? ""),
                               reason: error.notFound ? .undefinedTable : nil)
            }
            guard !clone.isView else { throw SQLError(.binder, "CLONE copies stored tables; \(clone.qualifiedName) is a view") }
            let origin = clone.qualifiedName + (version.map { " at version \($0)" } ?? "")
            clone.schema = schema
            clone.name = table
            clone.properties["cloned_from"] = origin
            // Index names are per table in moviecol's catalog, so the clone keeps them.
            tx.putTable(clone)
            return "created \(schema).\(table) as a clone of \(origin) (\(clone.rowCount) rows, no data copied)"
        }
    }

    func undrop(_ name: [String]) throws(SQLError) -> QueryCursor {
        try write(name: name) { tx, schema, table, existing throws(SQLError) in
            if let existing {
                throw SQLError(.binder, "\(existing.qualifiedName) exists; rename or drop it before UNDROP TABLE brings back the dropped one",
                               reason: .duplicateObject)
            }
            for file in Retention.manifestFiles(root: tx.root) where file.version <= tx.base.version {
                let old: Warehouse
                guard let opened = try? Warehouse.open(tx.root, version: file.version) else { continue }
                old = opened
                guard let t = old.table(schema, table) else { continue }
                guard !t.isView else { break }
                tx.putTable(t)
                return "restored \(t.qualifiedName) as version \(file.version) had it (\(t.rowCount) rows)"
            }
            throw SQLError(.binder, "no retained version has a table \(schema).\(table) (dropped longer ago than the retention period, "
                           + "or never made; `moviecol versions` lists the retained versions)", reason: .undefinedTable)
        }
    }
}

extension Statement {
    /// What a statement that commits is, for the version it makes (`moviecol versions`).
    public var operationName: String {
        switch self {
        case .select, .explain, .describe, .use, .transaction: return ""
        case .createTable(let name, _, _, _), .createEmptyTable(let name, _, _, _, _): return "CREATE TABLE " + name.joined(separator: ".")
        case .cloneTable(let name, _, _, let source, _): return "CREATE TABLE \(name.joined(separator: ".")) CLONE \(source.joined(separator: "."))"
        case .undrop(let name): return "UNDROP TABLE " + name.joined(separator: ".")
        case .createIndex(let name, let table, _, _, _): return "CREATE INDEX \(name) ON \(table.joined(separator: "."))"
        case .dropIndex(let name, _): return "DROP INDEX " + name
        case .createView(let name, _, _, _): return "CREATE VIEW " + name.joined(separator: ".")
        case .insert(let name, _, _): return "INSERT INTO " + name.joined(separator: ".")
        case .drop(let name, let view, _): return (view ? "DROP VIEW " : "DROP TABLE ") + name.joined(separator: ".")
        case .delete(let d): return "DELETE FROM " + d.target.name.joined(separator: ".")
        case .update(let u): return "UPDATE " + u.target.name.joined(separator: ".")
        case .merge(let m): return "MERGE INTO " + m.target.name.joined(separator: ".")
        case .truncate(let name, _): return "TRUNCATE " + name.joined(separator: ".")
        case .createSchema(let name, _): return "CREATE SCHEMA " + name
        case .dropSchema(let name, _, _): return "DROP SCHEMA " + name
        case .alterTable(let name, _, _): return "ALTER TABLE " + name.joined(separator: ".")
        case .copyFrom(let table, _, _): return "COPY INTO " + table.joined(separator: ".")
        case .copyTo: return ""
        }
    }
}
