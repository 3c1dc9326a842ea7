// `moviecol tables` and `moviecol describe`: what the warehouse holds and how it is stored.

import ArgumentParser
import Columnar
import Engine
import Foundation
import Pipeline

struct TablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables", abstract: "List the tables of the warehouse with row counts and stored size.")

    @OptionGroup var warehouse: WarehouseOptions

    @Option(name: .long, help: ArgumentHelp("Role: loader, transform or reporter (default: transform); lists what the role may read.", valueName: "role"))
    var role: Role = .transform

    func run() throws {
        let w: Warehouse
        do { w = try Warehouse.open(warehouse.path) } catch { fail(error.description) }
        let rows = Catalog(w, policy: role.policy).tables.map { t in
            [t.schema, t.name, String(t.rowCount), String(t.columns.count), String(t.rowGroups.count), ByteCount.format(t.storedBytes)]
        }
        print(TextTable.render(header: ["schema", "table", "rows", "columns", "row groups", "stored"], rows: rows,
                               rightAligned: [2, 3, 4, 5]))
        print("version \(w.manifest.version)" + (w.manifest.committedAt.isEmpty ? " (empty warehouse)" : ", committed \(w.manifest.committedAt) UTC"))
    }
}

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a table's columns and types, and per column the encodings chosen and stored bytes.")

    @OptionGroup var warehouse: WarehouseOptions

    @Argument(help: ArgumentHelp("Table name: table, schema.table or database.schema.table.", valueName: "table"))
    var table: String

    @Option(name: .long, help: ArgumentHelp("Role: loader, transform or reporter (default: transform).", valueName: "role"))
    var role: Role = .transform

    func run() throws {
        let w: Warehouse
        do { w = try Warehouse.open(warehouse.path) } catch { fail(error.description) }
        let t: TableMetadata
        do { t = try Catalog(w, policy: role.policy).resolve(table) } catch { fail(error.description) }
        print("\(t.qualifiedName): \(t.rowCount) rows in \(t.rowGroups.count) row groups, \(ByteCount.format(t.storedBytes)) stored")
        if let from = t.properties["loaded_from"], !from.isEmpty { print("loaded from \(from)") }
        var rows: [[String]] = []
        for (i, c) in t.columns.enumerated() {
            var encodings: [String: Int] = [:]
            var stored = 0, raw = 0, nulls = 0
            var lo: StatValue? = nil, hi: StatValue? = nil
            for g in t.rowGroups {
                let s = g.segments[i]
                let key = s.encoding.description + (s.compression == .none ? "" : "+" + s.compression.description)
                encodings[key, default: 0] += 1
                stored += s.length
                raw += s.rawLength
                nulls += s.stats.nullCount
                if let m = s.stats.min { lo = lo.map { Swift.min($0, m) } ?? m }
                if let m = s.stats.max { hi = hi.map { Swift.max($0, m) } ?? m }
            }
            let enc = encodings.sorted { $0.value > $1.value }.map { "\($0.key) x\($0.value)" }.joined(separator: ", ")
            rows.append([c.name, c.type.description, enc.isEmpty ? "-" : enc, ByteCount.format(stored), String(nulls),
                         lo.map(render) ?? "", hi.map(render) ?? ""])
        }
        print(TextTable.render(header: ["column", "type", "encodings (segments)", "stored", "nulls", "min", "max"], rows: rows,
                               rightAligned: [3, 4]))
    }

    private func render(_ v: StatValue) -> String {
        switch v {
        case .int(let x): return String(x)
        case .double(let x): return String(x)
        case .string(let s): return s.count > 24 ? String(s.prefix(24)) + "..." : s
        }
    }
}
