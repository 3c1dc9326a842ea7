// Time travel: `t AT(VERSION => 12)`, `t AT(TIMESTAMP => '2026-12-01 10:00:00')`,
// `t AT(OFFSET => -3600)` and the same with BEFORE read the table as a retained version of
// the warehouse has it (Snowflake's syntax). Every version is immutable and retained versions
// keep their files (see `Retention`), so reading one is reading its manifest: the statement
// pins that version for as long as its catalog lives.

import Columnar
import Foundation

extension Binder {
    mutating func bindHistory(_ name: [String], _ point: TimeTravel, alias: String?, at position: Int) throws(SQLError) -> (Plan, Scope) {
        let version = try historicalVersion(point, at: position)
        let old: Catalog
        do { old = try catalog.atVersion(version) } catch { throw SQLError(.binder, error.message, at: position) }
        let table: TableMetadata
        do { table = try old.resolve(name.joined(separator: ".")) } catch {
            throw SQLError(error.denied ? .permission : .binder, error.message + " at version \(version)", at: position,
                           reason: error.notFound ? .undefinedTable : nil)
        }
        guard table.viewSQL == nil else {
            throw SQLError(.binder, "time travel reads stored tables; \(table.qualifiedName) is a view", at: position)
        }
        let q = alias ?? table.name
        let columns = table.columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: q) }
        return (.scan(table: table, columns: Array(table.columns.indices), predicates: []), Scope(columns: columns))
    }

    /// The version a time travel clause names, from its constant value.
    func historicalVersion(_ point: TimeTravel, at position: Int) throws(SQLError) -> Int64 {
        guard let root = catalog.root else { throw SQLError(.binder, "time travel needs a warehouse", at: position) }
        let value = Self.fold(try constantExpression(point.value))
        let micros: Int64
        switch point.kind {
        case .version:
            guard case .constant(.int(let v), _) = value, v > 0 else {
                throw SQLError(.binder, "AT(VERSION => ...) takes a positive integer constant", at: point.value.position)
            }
            return point.before ? v - 1 : v
        case .timestamp:
            guard case .constant(.timestamp(let t), _) = Self.fold(try Self.coerce(value, to: .timestamp)) else {
                throw SQLError(.binder, "AT(TIMESTAMP => ...) takes a timestamp constant", at: point.value.position)
            }
            micros = t
        case .offset:
            let seconds: Double
            switch value {
            case .constant(.int(let v), _): seconds = Double(v)
            case .constant(.double(let v), _) where v.isFinite: seconds = v
            default: throw SQLError(.binder, "AT(OFFSET => ...) takes a number of seconds (negative: in the past)", at: point.value.position)
            }
            micros = Int64(Date().timeIntervalSince1970 * 1_000_000) + Int64(max(-1e15, min(1e15, seconds * 1_000_000)))
        }
        do { return try Warehouse.version(root, at: micros, before: point.before) } catch {
            throw SQLError(.binder, error.message, at: position)
        }
    }
}
