// The entry point for SQL: parse, bind against the warehouse catalog, optimize, build
// operators, and hand back a cursor that streams batches (so a large result is never held
// in memory at once).

import Columnar
import Foundation

/// A running query's output.
public final class QueryCursor {
    public let columns: [PlanColumn]
    let root: PhysicalOperator
    /// For EXPLAIN: the text instead of rows.
    public let explainText: String?

    init(columns: [PlanColumn], root: PhysicalOperator, explainText: String? = nil) {
        self.columns = columns
        self.root = root
        self.explainText = explainText
    }

    /// The next batch of rows, or nil.
    public func next() throws(SQLError) -> DataChunk? { try root.next() }

    /// Every remaining row.
    public func all() throws(SQLError) -> DataChunk { try root.drain(types: columns.map(\.type)) }
}

/// Runs SQL over a warehouse for one session: statements bind, plan and run one direction
/// (binding runs nothing; a statement's subqueries run first, then the statement). Each
/// statement runs under its own `QueryContext`. Statements that write (CREATE, INSERT, DROP)
/// commit a new version and the engine reads the warehouse again.
public final class QueryEngine {
    public internal(set) var warehouse: Warehouse
    public internal(set) var catalog: Catalog
    /// Worker threads a statement's parallel pipelines may use.
    public var threads: Int {
        didSet { WorkerPool.shared.reserve(threads) }
    }
    /// What this session may read and write.
    public var policy: AccessPolicy {
        didSet { catalog = makeCatalog() }
    }
    /// Where names without a schema go (`USE SCHEMA s`); `main` unless changed.
    public var defaultSchema = "main" {
        didSet { catalog = makeCatalog() }
    }
    /// Roles `USE ROLE` may switch this session to (the CLI's user may take any; a server's
    /// signed-in user only their own).
    public var availableRoles: [String: AccessPolicy] = [:]

    func makeCatalog() -> Catalog {
        var catalog = Catalog(warehouse, policy: policy, defaultSchema: defaultSchema)
        catalog.allTables += tempTables
        return catalog
    }

    /// This session's temporary tables (schema `temp`): their files under `temp/<pid>-<n>/`
    /// of the warehouse, their catalog only here, so no other session sees them; removed
    /// when the session ends (or, after a crash, by the next writer).
    var tempTables: [TableMetadata] = []
    var tempSpace: WarehouseTransaction?

    deinit {
        guard let space = tempSpace else { return }
        space.rollback()
        try? FileManager.default.removeItem(atPath: space.root + "/" + tempDirectory)
    }

    var tempDirectory: String { "temp/\(getpid())-\(ObjectIdentifier(self).hashValue & 0xFFFFFF)" }
    /// Who holds the write lock while a statement of this engine commits (shown to a second writer).
    public var writerName = "moviecol query"
    /// What the running statement is (`INSERT INTO main.t`), recorded on the version it commits.
    var operation = ""
    /// Bounds every statement of this session runs under (the web app sets a time limit).
    public var limits = QueryContext.Limits()
    /// Between BEGIN and COMMIT / ROLLBACK: the transaction every writing statement stages
    /// into (holding the writer lock), whose staged state this session reads.
    private var openTransaction: WarehouseTransaction?
    /// The temporary tables when BEGIN ran: ROLLBACK puts them back, as DuckDB does (the
    /// files written since stay in the session's directory until it ends).
    private var tempTablesAtBegin: [TableMetadata] = []
    public var inTransaction: Bool { openTransaction != nil }

    public init(warehouse: Warehouse, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                policy: AccessPolicy = .unrestricted) {
        self.warehouse = warehouse
        self.policy = policy
        catalog = Catalog(warehouse, policy: policy)
        self.threads = max(1, threads)
        WorkerPool.shared.reserve(self.threads)
    }

    /// A context for the next statement: this session's threads, role and limits. The owner
    /// keeps it to cancel the statement or read its progress.
    public func makeContext() -> QueryContext { QueryContext(threads: threads, policy: policy, limits: limits) }

    /// Reads the warehouse's current version again (after another writer committed).
    /// Inside a transaction the session keeps reading its staged state (it holds the writer
    /// lock: nothing else commits meanwhile).
    public func reload() throws(SQLError) {
        if let tx = openTransaction { try showStaged(tx); return }
        do { warehouse = try Warehouse.open(warehouse.root) } catch { throw SQLError(error) }
        catalog = makeCatalog()
    }

    private func planner(_ context: QueryContext) -> PhysicalPlanner { PhysicalPlanner(warehouse: warehouse, context: context) }

    /// Parses `sql` into statements.
    public func statements(_ sql: String) throws(SQLError) -> [Statement] { try Parser.parse(sql) }

    /// The optimized plan of a query and its output columns. Nothing runs: the subqueries
    /// its expressions read are nodes of the plan (`Plan.subqueries`).
    package func plan(_ query: SelectStatement, rowIdPosition: Int? = nil) throws(SQLError) -> (Plan, [PlanColumn]) {
        var binder = Binder(catalog: catalog)
        binder.rowIdPosition = rowIdPosition
        binder.queryRunner = { [unowned self] plan, subqueries throws(SQLError) -> [Value] in
            let context = makeContext()
            let root = try operators(Optimizer.optimize(Self.attachingSubqueries(plan, subqueries)), context)
            var values: [Value] = []
            while let chunk = try root.next() {
                for row in 0..<chunk.count { values.append(chunk.columns[0].value(at: row)) }
                guard values.count <= Binder.maxPivotColumns else { break }
            }
            return values
        }
        let (plan, columns) = try binder.bind(query)
        return (Optimizer.optimize(Self.attachingSubqueries(plan, binder.subqueries.all)), columns)
    }

    /// The operators of `plan`, its subqueries run first.
    func operators(_ plan: Plan, _ context: QueryContext) throws(SQLError) -> PhysicalOperator {
        planner(context).make(try resolvingSubqueries(plan, context))
    }

    /// Starts one statement under `context` (by default a new one from `makeContext`).
    /// `annotations` are recorded on the table or view a CREATE or INSERT writes (a pipeline
    /// records descriptions, grants and facts this way).
    public func run(_ statement: Statement, annotations: TableAnnotations = TableAnnotations(),
                    context: QueryContext? = nil) throws(SQLError) -> QueryCursor {
        let context = context ?? makeContext()
        operation = statement.operationName
        switch statement {
        case .cloneTable(let name, let orReplace, let ifNotExists, let source, let point):
            return try cloneTable(name, orReplace: orReplace, ifNotExists: ifNotExists, source: source, point: point)
        case .undrop(let name):
            return try undrop(name)
        case .select(let q):
            let (plan, columns) = try self.plan(q)
            return QueryCursor(columns: columns, root: try operators(plan, context))
        case .createTable(let name, let orReplace, let ifNotExists, let query):
            return try write(name: name) { tx, schema, table, existing throws(SQLError) in
                if existing != nil && ifNotExists { return "\(schema).\(table) exists; nothing done" }
                if existing != nil && !orReplace { throw SQLError(.binder, "table \(schema).\(table) already exists; use CREATE OR REPLACE") }
                try Self.requireKind(existing, view: false)
                var (rows, meta) = try materialize(query, into: tx, schema: schema, table: table, context: context)
                meta.annotate(annotations)
                tx.putTable(meta)
                return "created \(schema).\(table) (\(rows) rows)"
            }
        case .createIndex(let name, let table, let columns, let unique, let ifNotExists):
            return try createIndex(name, on: table, columns: columns, unique: unique, ifNotExists: ifNotExists)
        case .dropIndex(let name, let ifExists):
            return try dropIndex(name, ifExists: ifExists)
        case .createEmptyTable(let name, let orReplace, let ifNotExists, let columns, let keys):
            var seen = Set<String>()
            for c in columns where !seen.insert(c.name.lowercased()).inserted {
                throw SQLError(.binder, "column \(c.name) is named twice", reason: .duplicateObject)
            }
            return try write(name: name) { tx, schema, table, existing throws(SQLError) in
                if existing != nil && ifNotExists { return "\(schema).\(table) exists; nothing done" }
                if existing != nil && !orReplace { throw SQLError(.binder, "table \(schema).\(table) already exists; use CREATE OR REPLACE") }
                try Self.requireKind(existing, view: false)
                var definitions: [ColumnDefinition] = []
                for c in columns {
                    var d = ColumnDefinition(c.name, c.type, notNull: c.notNull, defaultSQL: c.defaultSQL)
                    d.numeric = c.numeric
                    if d.defaultSQL != nil { _ = try defaultValue(d, rows: 1, context: context) }  // binds and casts, or fails here
                    definitions.append(d)
                }
                var meta = TableMetadata(schema: schema, name: table, columns: definitions, rowGroups: [], properties: ["materialization": "table"])
                meta.indexes = try Self.keyIndexes(table: table, columns: columns, keys: keys, definitions: &meta.columns)
                meta.annotate(annotations)
                tx.putTable(meta)
                return "created \(schema).\(table) (0 rows)"
            }
        case .createView(let name, let orReplace, let query, let text):
            return try write(name: name) { tx, schema, table, existing throws(SQLError) in
                if existing != nil && !orReplace { throw SQLError(.binder, "\(schema).\(table) already exists; use CREATE OR REPLACE VIEW") }
                try Self.requireKind(existing, view: true)
                let (_, columns) = try self.plan(query)  // checks the query binds; runs nothing
                var view = TableMetadata(schema: schema, name: table, kind: .view(sql: text),
                                         columns: columns.map { ColumnDefinition($0.name, $0.type) }, properties: ["materialization": "view"])
                view.annotate(annotations)
                tx.putTable(view)
                return "created view \(schema).\(table)"
            }
        case .insert(let name, var names, var query):
            return try write(name: name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
                guard var existing else { throw SQLError(.binder, "table \(schema).\(table) not found") }
                if names?.isEmpty == true {
                    // INSERT ... DEFAULT VALUES
                    names = nil
                    query = SelectStatement(body: .values([existing.columns.map { _ in Expr.defaultMarker(at: 0) }]))
                }
                guard !existing.isView else { throw SQLError(.binder, "cannot INSERT into view \(schema).\(table)") }
                let (plan, columns) = try self.plan(try Self.fillingDefaults(query, of: existing, names: names))
                // Where each of the table's columns comes from: a query column, or NULL.
                var source: [Int?] = Array(existing.columns.indices)
                if let names {
                    source = Array(repeating: nil, count: existing.columns.count)
                    for (k, n) in names.enumerated() {
                        guard let i = existing.columns.firstIndex(where: { $0.name.lowercased() == n.lowercased() }) else {
                            throw SQLError(.binder, "INSERT names column \(n), which \(schema).\(table) does not have", reason: .undefinedColumn)
                        }
                        guard source[i] == nil else { throw SQLError(.binder, "INSERT names column \(n) twice") }
                        source[i] = k
                    }
                }
                let expected = names?.count ?? existing.columns.count
                guard columns.count == expected else {
                    throw SQLError(.binder, "INSERT has \(columns.count) columns, \(names == nil ? "\(schema).\(table) has" : "its column list names") \(expected)")
                }
                let writer = TableWriter(tx: tx, table: existing)
                let root = try operators(plan, context)
                // Columns left out: their DEFAULT, once per statement, else NULL.
                var defaults: [Int: Value] = [:]
                for (i, def) in existing.columns.enumerated() where source[i] == nil && def.defaultSQL != nil {
                    defaults[i] = try defaultValue(def, rows: 1, context: context).value(at: 0)
                }
                while let chunk = try root.next() {
                    var cast: [ColumnData] = []
                    for (i, def) in existing.columns.enumerated() {
                        guard let k = source[i] else { cast.append(.constant(defaults[i] ?? .null, type: def.type, count: chunk.count)); continue }
                        cast.append(try Self.castForWrite(chunk.columns[k], to: def))
                    }
                    try writer.append(DataChunk(columns: cast, count: chunk.count))
                }
                existing.rowGroups += try writer.finish()
                existing.annotate(annotations)
                tx.putTable(existing)
                return "inserted \(writer.rows) rows into \(schema).\(table)"
            }
        case .drop(let name, let view, let ifExists):
            return try write(name: name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
                guard let existing else {
                    if ifExists { return "\(schema).\(table) does not exist; nothing done" }
                    throw SQLError(.binder, "\(view ? "view" : "table") \(schema).\(table) not found")
                }
                guard existing.isView == view else {
                    throw SQLError(.binder, "\(schema).\(table) is a \(view ? "table" : "view"); use DROP \(view ? "TABLE" : "VIEW")")
                }
                tx.dropTable(schema, table)
                return "dropped \(schema).\(table)"
            }
        case .describe(let target):
            return try describe(target, context: context)
        case .delete(let d):
            return try delete(d, context: context)
        case .update(let u):
            return try update(u, context: context)
        case .merge(let m):
            return try merge(m, context: context)
        case .transaction(let control):
            return try transaction(control)
        case .createSchema(let name, let ifNotExists):
            return try createSchema(name, ifNotExists: ifNotExists)
        case .dropSchema(let name, let ifExists, let cascade):
            return try dropSchema(name, ifExists: ifExists, cascade: cascade)
        case .use(let target, let name):
            return try use(target, name)
        case .alterTable(let name, let ifExists, let action):
            return try alterTable(name, ifExists: ifExists, action)
        case .copyTo(let query, let path, let options):
            return try copyTo(query, path: path, options: options, context: context)
        case .copyFrom(let table, let path, let options):
            return try copyFrom(table, path: path, options: options, context: context)
        case .truncate(let name, let ifExists):
            return try write(name: name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
                guard var existing, !existing.isView else {
                    if ifExists && existing == nil { return "\(schema).\(table) does not exist; nothing done" }
                    throw SQLError(.binder, existing == nil ? "table \(schema).\(table) not found" : "cannot TRUNCATE view \(schema).\(table)",
                                   reason: existing == nil ? .undefinedTable : nil)
                }
                let rows = existing.rowCount
                existing.rowGroups = []
                tx.putTable(existing)
                return "truncated \(schema).\(table) (\(rows) rows)"
            }
        case .explain(let q, let analyze):
            let (plan, columns) = try self.plan(q)
            var text = plan.explain()
            if analyze {
                var profiling = planner(context)
                profiling.profile = true
                let root = profiling.make(try resolvingSubqueries(plan, context)) as! ProfiledOperator
                let start = DispatchClock.now()
                var rows = 0
                while let c = try root.next() { rows += c.count }
                let seconds = Double(DispatchClock.now() - start) / 1e9
                text = root.report() + "total: \(rows) rows in \(String(format: "%.3f", seconds))s\n"
            }
            _ = columns
            return QueryCursor(columns: [PlanColumn(name: "explain", type: .varchar, qualifier: nil)],
                               root: ValuesOperator(DataChunk(columns: [ColumnData(type: .varchar, storage: .varchar(StringArray([text])))], count: 1)),
                               explainText: text)
        }
    }

    /// SHOW TABLES / SCHEMAS read information_schema (what the role may see); DESCRIBE lists a
    /// table's or a query's columns as DuckDB does (column_name, column_type, null).
    private func describe(_ target: DescribeTarget, context: QueryContext) throws(SQLError) -> QueryCursor {
        let columns: [PlanColumn]
        var notNull: [Bool]? = nil
        var typeNames: [String]? = nil
        switch target {
        case .tables:
            return try run(.select(try Self.query("SELECT table_schema AS schema, table_name AS name, table_type AS type "
                                                  + "FROM information_schema.tables ORDER BY 1, 2")), context: context)
        case .schemas:
            return try run(.select(try Self.query("SELECT schema_name AS name FROM information_schema.schemata ORDER BY 1")), context: context)
        case .table(let name):
            let table: TableMetadata
            do { table = try catalog.resolve(name.joined(separator: ".")) } catch {
                throw SQLError(error.denied ? .permission : .binder, error.message, reason: error.notFound ? .undefinedTable : nil)
            }
            columns = table.columns.map { PlanColumn(name: $0.name, type: $0.type, qualifier: nil) }
            notNull = table.columns.map(\.notNull)
            typeNames = table.columns.map(\.typeDescription)
        case .query(let q):
            columns = try plan(q).1
        case .summarize(let q):
            return try summarize(q, context: context)
        }
        let text = { (values: [String]) in ColumnData(type: .varchar, storage: .varchar(StringArray(values))) }
        let rows = DataChunk(columns: [text(columns.map(\.name)), text(typeNames ?? columns.map { "\($0.type)" }),
                                       text(columns.indices.map { notNull?[$0] == true ? "NO" : "YES" })], count: columns.count)
        return QueryCursor(columns: ["column_name", "column_type", "null"].map { PlanColumn(name: $0, type: .varchar, qualifier: nil) },
                           root: ValuesOperator(rows))
    }

    /// `VALUES (..., DEFAULT, ...)` of an INSERT with each DEFAULT replaced by the column's
    /// default expression (or NULL).
    static func fillingDefaults(_ query: SelectStatement, of table: TableMetadata, names: [String]?) throws(SQLError) -> SelectStatement {
        guard case .values(let rows) = query.body, rows.contains(where: { $0.contains(where: \.isDefaultMarker) }) else { return query }
        var q = query
        var filled: [[Expr]] = []
        for row in rows {
            var out: [Expr] = []
            for (k, e) in row.enumerated() {
                guard e.isDefaultMarker else { out.append(e); continue }
                let column = names.map { k < $0.count ? table.columnIndex($0[k]) : nil } ?? (k < table.columns.count ? k : nil)
                guard let c = column else { out.append(Expr(.literal(.null), at: e.position)); continue }
                out.append(try defaultExpression(table.columns[c], at: e.position))
            }
            filled.append(out)
        }
        q.body = .values(filled)
        return q
    }

    /// A column's DEFAULT as an expression (NULL without one).
    static func defaultExpression(_ column: ColumnDefinition, at position: Int) throws(SQLError) -> Expr {
        guard let sql = column.defaultSQL else { return Expr(.cast(Expr(.literal(.null), at: position), column.type), at: position) }
        guard case .select(let q)? = try Parser.parse("SELECT " + sql).first, case .select(let core) = q.body, let item = core.items.first else {
            throw SQLError(.internal, "DEFAULT of column \(column.name) is not an expression")
        }
        return Expr(.cast(item.expr, column.type), at: position)
    }

    /// A column's DEFAULT evaluated and cast to its type, `rows` times.
    func defaultValue(_ column: ColumnDefinition, rows: Int, context: QueryContext) throws(SQLError) -> ColumnData {
        guard let sql = column.defaultSQL else { return .constant(.null, type: column.type, count: rows) }
        let (plan, columns) = try self.plan(try Self.query("SELECT " + sql))
        guard columns.count == 1 else { throw SQLError(.binder, "DEFAULT of column \(column.name) must be one value") }
        let value = try operators(plan, context).drain(types: columns.map(\.type))
        guard value.count == 1 else { throw SQLError(.binder, "DEFAULT of column \(column.name) must be one value") }
        let cast = try Self.castForWrite(value.columns[0], to: column)
        return .constant(cast.value(at: 0), type: column.type, count: rows)
    }

    private static func query(_ sql: String) throws(SQLError) -> SelectStatement {
        guard case .select(let q)? = try Parser.parse(sql).first else { throw SQLError(.internal, "not a query: \(sql)") }
        return q
    }

    /// Creates or replaces table `name` holding `data` (seeds and other small in-memory tables).
    @discardableResult
    public func load(into name: [String], columns: [ColumnDefinition], data: DataChunk,
                     annotations: TableAnnotations = TableAnnotations()) throws(SQLError) -> QueryCursor {
        try write(name: name) { tx, schema, table, _ throws(SQLError) in
            let writer = TableWriter(tx: tx, types: columns.map(\.type), label: table)
            try writer.append(data)
            let groups = try writer.finish()
            var loaded = TableMetadata(schema: schema, name: table, columns: columns, rowGroups: groups, properties: ["materialization": "table"])
            loaded.annotate(annotations)
            tx.putTable(loaded)
            return "loaded \(schema).\(table) (\(writer.rows) rows)"
        }
    }

    /// Runs every statement of `sql` and returns the last one's rows (for tests and tools).
    public func query(_ sql: String) throws(SQLError) -> (columns: [PlanColumn], rows: DataChunk) {
        let all = try statements(sql)
        guard let last = all.last else { throw SQLError(.syntax, "no statement") }
        for s in all.dropLast() { _ = try run(s).all() }
        let cursor = try run(last)
        return (cursor.columns, try cursor.all())
    }

    /// Runs a writing statement in a transaction, commits it and re-reads the warehouse. The
    /// statement binds against the version the transaction starts from (another writer may
    /// have committed since this session last read the warehouse).
    /// `existingTable`: the name is of a table that exists (INSERT, UPDATE, ...), so an
    /// unqualified one is looked for in every schema, as queries do; otherwise it is created
    /// in `main`.
    func write(name: [String], existingTable: Bool = false,
               _ body: (WarehouseTransaction, String, String, TableMetadata?) throws(SQLError) -> String) throws(SQLError) -> QueryCursor {
        var schema = name.count >= 2 ? name[name.count - 2].lowercased() : defaultSchema
        let table = name[name.count - 1]
        if name.count == 1, existingTable, let found = try? catalog.resolve(table) { schema = found.schema.lowercased() }
        if schema == "temp" { return try writeTemporary(table, body) }
        try policy.checkWrite(schema: schema, object: table)
        if let tx = openTransaction {
            // Inside BEGIN ... COMMIT: staged, not committed; a failed statement is undone alone.
            let (before, schemasBefore) = (tx.tables, tx.schemas)
            let existing = tx.tables.first { $0.schema.lowercased() == schema && $0.name.lowercased() == table.lowercased() }
            let message: String
            do {
                message = try body(tx, schema, existing?.name ?? table, existing)
                try checkUniqueKeys(tx, schema: schema, table: existing?.name ?? table, before: existing)
                try showStaged(tx)
            } catch {
                tx.restoreTables(before, schemas: schemasBefore)
                try? showStaged(tx)
                throw error
            }
            return Self.status(message)
        }
        let tx: WarehouseTransaction
        do { tx = try WarehouseTransaction(root: warehouse.root, holder: writerName) } catch { throw SQLError(error) }
        defer { tx.rollback() }
        if !operation.isEmpty { tx.operation = writerName + ": " + operation }
        if tx.base.version != warehouse.manifest.version {
            warehouse = Warehouse(root: warehouse.root, manifest: tx.base)
            catalog = makeCatalog()
        }
        let existing = tx.tables.first { $0.schema.lowercased() == schema && $0.name.lowercased() == table.lowercased() }
        let message = try body(tx, schema, existing?.name ?? table, existing)
        try checkUniqueKeys(tx, schema: schema, table: existing?.name ?? table, before: existing)
        do {
            try tx.commit()
            warehouse = try Warehouse.open(warehouse.root)
        } catch {
            throw SQLError(error)
        }
        catalog = makeCatalog()
        return Self.status(message)
    }

    /// CREATE OR REPLACE replaces an object of its own kind only (Snowflake and DuckDB): a
    /// view never silently takes a table's place and its data with it.
    static func requireKind(_ existing: TableMetadata?, view: Bool) throws(SQLError) {
        guard let existing, existing.isView != view else { return }
        throw SQLError(.binder, "\(existing.qualifiedName) is a \(existing.isView ? "view" : "table"); "
                       + "DROP \(existing.isView ? "VIEW" : "TABLE") it before creating a \(view ? "view" : "table") of that name",
                       reason: .duplicateObject)
    }

    /// A statement on a temporary table: staged in the session's temporary space and in
    /// effect at once (no commit, no writer lock; any role may keep temporary tables).
    private func writeTemporary(_ table: String,
                                _ body: (WarehouseTransaction, String, String, TableMetadata?) throws(SQLError) -> String) throws(SQLError) -> QueryCursor {
        if tempSpace == nil {
            do { tempSpace = try WarehouseTransaction(temporaryIn: warehouse.root, directory: tempDirectory) } catch { throw SQLError(error) }
        }
        let space = tempSpace!
        let before = space.tables
        let existing = before.first { $0.name.lowercased() == table.lowercased() }
        let message: String
        do throws(SQLError) {
            message = try body(space, "temp", existing?.name ?? table, existing)
            try checkUniqueKeys(space, schema: "temp", table: existing?.name ?? table, before: existing)
            do { try space.finishFiles() } catch { throw SQLError(error) }
        } catch {
            space.restoreTables(before, schemas: [])
            throw error
        }
        tempTables = space.tables
        catalog = makeCatalog()
        return Self.status(message)
    }

    static func status(_ message: String) -> QueryCursor {
        let text = ColumnData(type: .varchar, storage: .varchar(StringArray([message])))
        return QueryCursor(columns: [PlanColumn(name: "status", type: .varchar, qualifier: nil)],
                           root: ValuesOperator(DataChunk(columns: [text], count: 1)))
    }

    /// Lets the session read what its open transaction staged.
    private func showStaged(_ tx: WarehouseTransaction) throws(SQLError) {
        do { try tx.finishFiles() } catch { throw SQLError(error) }
        warehouse = Warehouse(root: warehouse.root, manifest: tx.staged)
        catalog = makeCatalog()
    }

    /// BEGIN takes the writer lock and starts staging; COMMIT makes everything staged one new
    /// version; ROLLBACK drops it and the files it wrote.
    private func transaction(_ control: TransactionControl) throws(SQLError) -> QueryCursor {
        switch control {
        case .begin:
            guard openTransaction == nil else { throw SQLError(.binder, "a transaction is already open; COMMIT or ROLLBACK it first") }
            do { openTransaction = try WarehouseTransaction(root: warehouse.root, holder: writerName) } catch { throw SQLError(error) }
            openTransaction?.operation = writerName + ": BEGIN ... COMMIT"
            tempTablesAtBegin = tempTables
            try showStaged(openTransaction!)
            return Self.status("transaction started")
        case .commit:
            guard let tx = openTransaction else { throw SQLError(.binder, "no transaction is open (BEGIN starts one)") }
            openTransaction = nil
            do {
                let version = try tx.commit()
                warehouse = try Warehouse.open(warehouse.root)
                catalog = makeCatalog()
                return Self.status("committed version \(version)")
            } catch {
                tx.rollback()
                restoreTemporaryTables()
                try? reload()
                throw SQLError(error)
            }
        case .rollback:
            guard let tx = openTransaction else { throw SQLError(.binder, "no transaction is open (BEGIN starts one)") }
            openTransaction = nil
            tx.rollback()
            restoreTemporaryTables()
            try reload()
            return Self.status("rolled back")
        }
    }

    private func restoreTemporaryTables() {
        guard let space = tempSpace else { return }
        space.restoreTables(tempTablesAtBegin, schemas: [])
        tempTables = tempTablesAtBegin
    }

    private func materialize(_ query: SelectStatement, into tx: WarehouseTransaction, schema: String,
                             table: String, context: QueryContext) throws(SQLError) -> (Int, TableMetadata) {
        let (bound, columns) = try self.plan(query)
        let plan = try resolvingSubqueries(bound, context)
        let planner = planner(context)
        let types = columns.map(\.type)
        let rows: Int, groups: [RowGroupMetadata]
        if let pipelines = planner.parallelPipelines(plan) {
            let writer = ParallelTableWriter(tx: tx, types: types, label: table)
            try writer.run(pipelines)
            (rows, groups) = (writer.rows, writer.finish())
        } else {
            let writer = TableWriter(tx: tx, types: types, label: table)
            let root = planner.make(plan)
            while let chunk = try root.next() { try writer.append(chunk) }
            groups = try writer.finish()
            rows = writer.rows
        }
        var names = Set<String>()
        for c in columns where !names.insert(c.name.lowercased()).inserted {
            throw SQLError(.binder, "column name \(c.name) appears twice; give the columns distinct aliases")
        }
        var definitions = columns.map { ColumnDefinition($0.name, $0.type) }
        // A column made by CAST(... AS NUMBER(p, s)) at the top of the SELECT declares NUMBER(p, s).
        if case .select(let core) = query.body, core.items.count == columns.count,
           !core.items.contains(where: { if case .star = $0.expr.kind { true } else { false } }) {
            for (i, item) in core.items.enumerated() {
                if let n = Parser.declaredPrecision(item.expr), n.storageType == definitions[i].type { definitions[i].numeric = n }
            }
        }
        return (rows, TableMetadata(schema: schema, name: table, columns: definitions,
                                           rowGroups: groups, properties: ["materialization": "table"]))
    }

}
