// DELETE, UPDATE and MERGE: row-level changes on immutable row groups. Each statement runs
// one query over the version it starts from, the change query, in which the target table's
// scan also yields every row's id (`TableScan.rowIdColumn`). The rows it finds are removed
// through new deletion vectors; UPDATE's new rows and MERGE's updated and inserted rows are
// appended as new row groups; all of it is one commit. Untouched row groups are not read
// again or rewritten: a change costs what it changes (docs/storage-format.md).

import Columnar

extension QueryEngine {
    func delete(_ s: DeleteStatement, context: QueryContext) throws(SQLError) -> QueryCursor {
        try write(name: s.target.name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
            let target = try Self.changeTarget(existing, schema, table, verb: "DELETE FROM")
            try Self.requirePerRow(s.condition, verb: "DELETE")
            let alias = s.target.alias ?? target.name
            var from = TableRef.table(name: [target.schema, target.name], alias: alias, position: s.target.position)
            if let using = s.using { from = .join(left: from, right: using, kind: .cross, on: nil, using: []) }
            var core = SelectCore()
            core.items = [(Self.rowId(alias), nil)]
            core.from = from
            core.whereClause = s.condition
            var ids: [Int64] = []
            try runChange(core, ctes: s.ctes, target: s.target, context: context) { chunk throws(SQLError) in
                ids += ColumnAccess.int64s(chunk.columns[0])
            }
            ids.sort()
            ids = Self.distinct(ids)
            tx.putTable(try Compaction.compact(try deleting(ids, from: target, tx: tx), reader: warehouse.segmentReader(), tx: tx))
            return "deleted \(ids.count) rows from \(schema).\(table)"
        }
    }

    func update(_ s: UpdateStatement, context: QueryContext) throws(SQLError) -> QueryCursor {
        try write(name: s.target.name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
            let target = try Self.changeTarget(existing, schema, table, verb: "UPDATE")
            try Self.requirePerRow(s.condition, verb: "UPDATE")
            for a in s.assignments { try Self.requirePerRow(a.value, verb: "UPDATE") }
            let alias = s.target.alias ?? target.name
            var from = TableRef.table(name: [target.schema, target.name], alias: alias, position: s.target.position)
            if let extra = s.from { from = .join(left: from, right: extra, kind: .cross, on: nil, using: []) }
            var core = SelectCore()
            core.items = [(Self.rowId(alias), nil)] + (try Self.assignedRow(target, alias: alias, s.assignments, verb: "UPDATE")).map { ($0, nil) }
            core.from = from
            core.whereClause = s.condition
            var ids: [Int64] = []
            let writer = TableWriter(tx: tx, table: target)
            try runChange(core, ctes: s.ctes, target: s.target, context: context) { chunk throws(SQLError) in
                ids += ColumnAccess.int64s(chunk.columns[0])
                try writer.append(try Self.cast(Array(chunk.columns[1...]), to: target, count: chunk.count))
            }
            ids.sort()
            try Self.requireDistinct(ids, verb: "UPDATE")
            try replacing(ids, with: writer, in: target, tx: tx)
            return "updated \(ids.count) rows of \(schema).\(table)"
        }
    }

    func merge(_ s: MergeStatement, context: QueryContext) throws(SQLError) -> QueryCursor {
        try write(name: s.target.name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
            let target = try Self.changeTarget(existing, schema, table, verb: "MERGE INTO")
            try Self.requirePerRow(s.on, verb: "MERGE")
            for clause in s.clauses {
                try Self.requirePerRow(clause.condition, verb: "MERGE")
                switch clause.action {
                case .update(let assignments): for a in assignments { try Self.requirePerRow(a.value, verb: "MERGE") }
                case .insert(_, let values): for v in values { try Self.requirePerRow(v, verb: "MERGE") }
                case .delete: break
                }
            }
            let alias = s.target.alias ?? target.name
            let position = s.target.position
            // Every source row with its target partners (the target is the build side).
            let from = TableRef.join(left: s.source, right: .table(name: [target.schema, target.name], alias: alias, position: position),
                                     kind: .left, on: s.on, using: [])
            let matched = Expr(.isNull(Self.rowId(alias), negated: true), at: position)
            let unmatched = Expr(.isNull(Self.rowId(alias), negated: false), at: position)
            // Which clause each row takes: the first of its kind whose condition holds.
            var whens: [(Expr, Expr)] = []
            var items: [(expr: Expr, alias: String?)] = [(Self.rowId(alias), nil)]
            var firstColumn: [Int] = []
            for (k, clause) in s.clauses.enumerated() {
                var test = clause.matched ? matched : unmatched
                if let c = clause.condition { test = Expr(.binary(op: .logical(.and), test, c), at: c.position) }
                whens.append((test, Expr(.literal(.int(Int64(k))), at: position)))
                firstColumn.append(items.count + 1)
                switch clause.action {
                case .update(let assignments):
                    items += try Self.assignedRow(target, alias: alias, assignments, verb: "MERGE").map { ($0, nil) }
                case .delete:
                    break
                case .insert(let columns, let values):
                    items += try Self.insertedRow(target, columns, values, at: position).map { ($0, nil) }
                }
            }
            items.insert((Expr(.caseWhen(operand: nil, whens: whens, otherwise: nil), at: position), nil), at: 1)
            var core = SelectCore()
            core.items = items
            core.from = from
            var ids: [Int64] = []
            var inserted = 0, updated = 0, deleted = 0
            let width = target.columns.count
            let writer = TableWriter(tx: tx, table: target)
            try runChange(core, ctes: s.ctes, target: s.target, context: context) { chunk throws(SQLError) in
                let rowIds = ColumnAccess.int64s(chunk.columns[0])
                let actions = ColumnAccess.int64s(try ExpressionEvaluator.cast(chunk.columns[1], to: .int64))
                let actionValid = chunk.columns[1].validity
                var rowsByClause = Array(repeating: [Int](), count: s.clauses.count)
                for i in 0..<chunk.count where actionValid?.isValid(i) ?? true {
                    let k = Int(actions[i])
                    rowsByClause[k].append(i)
                    if s.clauses[k].matched { ids.append(rowIds[i]) }
                }
                for (k, rows) in rowsByClause.enumerated() where !rows.isEmpty {
                    switch s.clauses[k].action {
                    case .delete:
                        deleted += rows.count
                        continue
                    case .update: updated += rows.count
                    case .insert: inserted += rows.count
                    }
                    let part = chunk.gather(rows)
                    let columns = Array(part.columns[firstColumn[k]..<(firstColumn[k] + width)])
                    try writer.append(try Self.cast(columns, to: target, count: rows.count))
                }
            }
            ids.sort()
            try Self.requireDistinct(ids, verb: "MERGE")
            try replacing(ids, with: writer, in: target, tx: tx)
            return "merged into \(schema).\(table): \(inserted) inserted, \(updated) updated, \(deleted) deleted"
        }
    }

    // MARK: The change query

    /// Plans and runs `core` (its target scan yielding row ids), handing each batch to `body`.
    private func runChange(_ core: SelectCore, ctes: [(name: String, query: SelectStatement)], target: DMLTarget, context: QueryContext,
                           _ body: (DataChunk) throws(SQLError) -> Void) throws(SQLError) {
        let (plan, _) = try self.plan(SelectStatement(ctes: ctes, body: .select(core)), rowIdPosition: target.position)
        let root = try operators(plan, context)
        while let chunk = try root.next() {
            if chunk.count > 0 { try body(chunk) }
        }
    }

    static func changeTarget(_ existing: TableMetadata?, _ schema: String, _ table: String, verb: String) throws(SQLError) -> TableMetadata {
        guard let existing else { throw SQLError(.binder, "table \(schema).\(table) not found", reason: .undefinedTable) }
        guard !existing.isView else { throw SQLError(.binder, "cannot \(verb) view \(schema).\(table); only tables change") }
        return existing
    }

    /// Refuses aggregates and window functions outside subqueries in what a DELETE, UPDATE or
    /// MERGE computes per row (DuckDB and PostgreSQL do the same): the change is per row.
    static func requirePerRow(_ e: Expr?, verb: String) throws(SQLError) {
        guard let e else { return }
        var found: Expr?
        _ = e.contains { x in
            if found != nil { return true }
            if case .window = x.kind { found = x }
            if case .function(let name, _, _, _, _) = x.kind, FunctionRegistry.aggregate(name) != nil { found = x }
            return found != nil
        }
        if let found {
            throw SQLError(.binder, "aggregate and window functions are not allowed in \(verb); compute them in a subquery",
                           at: found.position)
        }
    }

    static func rowId(_ alias: String) -> Expr { Expr(.column([alias, Binder.rowIdName]), at: 0) }

    /// The target's row after `assignments`: each column its new value or itself.
    static func assignedRow(_ target: TableMetadata, alias: String, _ assignments: [(column: String, value: Expr)],
                            verb: String) throws(SQLError) -> [Expr] {
        var row = target.columns.map { Expr(.column([alias, $0.name]), at: 0) }
        var seen = Set<Int>()
        for (column, value) in assignments {
            guard let i = target.columnIndex(column) else {
                throw SQLError(.binder, "\(verb) sets column \(column), which \(target.qualifiedName) does not have", at: value.position,
                               reason: .undefinedColumn)
            }
            guard seen.insert(i).inserted else { throw SQLError(.binder, "\(verb) sets column \(column) twice", at: value.position) }
            row[i] = value.isDefaultMarker ? try QueryEngine.defaultExpression(target.columns[i], at: value.position) : value
        }
        return row
    }

    /// A MERGE insert's row: the named columns from `values`, the others their DEFAULT or NULL.
    static func insertedRow(_ target: TableMetadata, _ columns: [String]?, _ values: [Expr], at position: Int) throws(SQLError) -> [Expr] {
        let names = columns ?? target.columns.map(\.name)
        guard names.count == values.count else {
            throw SQLError(.binder, "MERGE's INSERT has \(values.count) values for \(names.count) columns", at: position)
        }
        var row: [Expr?] = Array(repeating: nil, count: target.columns.count)
        for (name, value) in zip(names, values) {
            guard let i = target.columnIndex(name) else {
                throw SQLError(.binder, "MERGE inserts column \(name), which \(target.qualifiedName) does not have", at: value.position,
                               reason: .undefinedColumn)
            }
            guard row[i] == nil else { throw SQLError(.binder, "MERGE's INSERT names column \(name) twice", at: value.position) }
            row[i] = value.isDefaultMarker ? try QueryEngine.defaultExpression(target.columns[i], at: value.position) : value
        }
        var out: [Expr] = []
        for (i, e) in row.enumerated() {
            if let e { out.append(e); continue }
            guard let sql = target.columns[i].defaultSQL else { out.append(Expr(.literal(.null), at: position)); continue }
            guard case .select(let q)? = try Parser.parse("SELECT " + sql).first, case .select(let core) = q.body, let item = core.items.first else {
                throw SQLError(.internal, "DEFAULT of column \(target.columns[i].name) is not an expression")
            }
            out.append(item.expr)
        }
        return out
    }

    /// Columns computed for the target cast to its column types.
    static func cast(_ columns: [ColumnData], to target: TableMetadata, count: Int) throws(SQLError) -> DataChunk {
        var out: [ColumnData] = []
        for (c, def) in zip(columns, target.columns) { out.append(try castForWrite(c, to: def)) }
        return DataChunk(columns: out, count: count)
    }

    /// Values written to `column`: cast to its type and, for a column declared NUMBER(p, s),
    /// rounded to its scale and checked against its precision. A column of only NULLs (an
    /// untyped `NULL` in VALUES or SET) fits any type.
    static func castForWrite(_ c: ColumnData, to column: ColumnDefinition) throws(SQLError) -> ColumnData {
        let t = column.type
        if c.type != t && c.count > 0 && c.nullCount == c.count { return .constant(.null, type: t, count: c.count) }
        if let n = column.numeric {
            do { return try NumericCast.convert(c, to: n, orNull: false) } catch {
                var e = error
                e.message += " (column \(column.name))"
                throw e
            }
        }
        return try ExpressionEvaluator.cast(c, to: t)
    }

    static func distinct(_ sorted: [Int64]) -> [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(sorted.count)
        for x in sorted where out.last != x { out.append(x) }
        return out
    }

    /// A target row changed twice in one statement would be a guess at which change wins:
    /// refused, as Snowflake does.
    static func requireDistinct(_ sorted: [Int64], verb: String) throws(SQLError) {
        for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] {
            throw SQLError(.constraint, "\(verb): a target row matches more than one source row (duplicate row detected during DML action); "
                           + "make the source rows unique per target row", reason: .cardinalityViolation)
        }
    }

    // MARK: Deletion vectors

    /// Stages `target` with the rows `ids` (sorted, distinct) deleted and the rows `writer`
    /// wrote appended, compacted where it pays.
    private func replacing(_ ids: [Int64], with writer: TableWriter, in target: TableMetadata, tx: WarehouseTransaction) throws(SQLError) {
        var changed = try deleting(ids, from: target, tx: tx)
        changed.rowGroups += try writer.finish()
        tx.putTable(try Compaction.compact(changed, reader: warehouse.segmentReader(), tx: tx))
    }

    /// `table` with the rows `ids` (sorted, distinct row ids) deleted: each row group they fall
    /// in gets a new deletion vector holding its old one and the new rows; a row group left
    /// with no rows is dropped.
    func deleting(_ ids: [Int64], from table: TableMetadata, tx: WarehouseTransaction) throws(SQLError) -> TableMetadata {
        guard !ids.isEmpty else { return table }
        var result = table
        result.rowGroups = []
        let reader = warehouse.segmentReader()
        let writer = tx.rowGroupWriter(label: table.name + "_deletes")
        var next = 0, start: Int64 = 0
        for group in table.rowGroups {
            let end = start + Int64(group.rowCount)
            var rows: [Int32] = []
            while next < ids.count && ids[next] < end {
                guard ids[next] >= start else { throw SQLError(.internal, "row id \(ids[next]) is not in \(table.qualifiedName)") }
                rows.append(Int32(ids[next] - start))
                next += 1
            }
            start = end
            guard !rows.isEmpty else { result.rowGroups.append(group); continue }
            do {
                let all = DeletionVector.union(try reader.deletedRows(group), rows)
                if all.count == group.rowCount { continue }
                var changed = group
                changed.deletes = try writer.writeDeletionVector(all, rowCount: group.rowCount)
                result.rowGroups.append(changed)
            } catch {
                throw SQLError(error)
            }
        }
        guard next == ids.count else { throw SQLError(.internal, "row ids past the end of \(table.qualifiedName)") }
        return result
    }
}
