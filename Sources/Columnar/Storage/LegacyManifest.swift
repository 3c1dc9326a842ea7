// Format 1 manifests (JSON, written by moviecol before the binary manifest) are still read,
// so a warehouse written by an older moviecol opens; its next commit writes format 2. The
// meanings format 1 kept in a table's free-form properties become typed fields here: the
// view's query, the description, grants as a comma-joined list, and each column's
// description under `description.<column>`.

import Foundation

enum LegacyManifest {
    private struct Document: Decodable {
        var formatVersion: Int
        var version: Int64
        var committedAt: String
        var tables: [Table]
    }

    private struct Table: Decodable {
        var schema: String
        var name: String
        var columns: [Column]
        var rowGroups: [RowGroupMetadata]
        var properties: [String: String]
    }

    private struct Column: Decodable {
        var name: String
        var type: LogicalType
    }

    static func decode(_ bytes: [UInt8]) throws(StorageError) -> Manifest {
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw .corrupt("manifest is not valid JSON of format 1: \(error)")
        }
        guard document.formatVersion == 1 else {
            throw StorageError(.unsupportedVersion, "manifest format \(document.formatVersion) is not one this moviecol reads (\(Manifest.formatVersion))")
        }
        // JSON numbers may be anything: sizes, positions and counts must be what a writer makes.
        for t in document.tables {
            for g in t.rowGroups {
                let negative = g.rowCount < 0 || (g.segments + (g.deletes.map { [$0] } ?? [])).contains {
                    $0.offset < 0 || $0.length < 0 || $0.rawLength < 0 || $0.stats.rowCount < 0 || $0.stats.nullCount < 0
                }
                if negative {
                    throw .corrupt("manifest (format 1) gives table \(t.schema).\(t.name) a negative row count, size or position")
                }
            }
        }
        let tables = document.tables.map { t in
            var properties = t.properties
            let view = properties.removeValue(forKey: "view_sql")
            let description = properties.removeValue(forKey: "description")
            let grants = properties.removeValue(forKey: "grants_select")?.split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty } ?? []
            let columns = t.columns.map { c in
                ColumnDefinition(c.name, c.type, description: properties.removeValue(forKey: "description.\(c.name)"))
            }
            return TableMetadata(schema: t.schema, name: t.name, kind: view.map { .view(sql: $0) } ?? .table, columns: columns,
                                 rowGroups: t.rowGroups, description: description, grants: Set(grants), properties: properties)
        }
        var m = Manifest(version: document.version, committedAt: document.committedAt, tables: tables)
        m.formatVersion = 1
        return m
    }
}
