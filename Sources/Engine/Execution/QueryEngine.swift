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

/// Runs SQL over a warehouse.
public struct QueryEngine {
    public let warehouse: Warehouse
    public var catalog: Catalog
    /// Worker threads for parallel pipelines.
    public var threads: Int

    public init(warehouse: Warehouse, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.warehouse = warehouse
        catalog = Catalog(warehouse)
        self.threads = max(1, threads)
    }

    private var planner: PhysicalPlanner { PhysicalPlanner(warehouse: warehouse, threads: threads) }

    /// Parses `sql` into statements.
    public func statements(_ sql: String) throws(SQLError) -> [Statement] { try Parser.parse(sql) }

    /// The optimized plan of a query and its output columns.
    public func plan(_ query: SelectStatement) throws(SQLError) -> (Plan, [PlanColumn]) {
        var binder = Binder(catalog: catalog)
        let (plan, columns) = try binder.bind(query)
        return (Optimizer.optimize(plan), columns)
    }

    /// Starts one statement.
    public func run(_ statement: Statement) throws(SQLError) -> QueryCursor {
        switch statement {
        case .select(let q):
            let (plan, columns) = try self.plan(q)
            return QueryCursor(columns: columns, root: planner.make(plan))
        case .explain(let q, let analyze):
            let (plan, columns) = try self.plan(q)
            var text = plan.explain()
            if analyze {
                let root = profiled(planner.make(plan))
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

    /// Runs every statement of `sql` and returns the last one's rows (for tests and tools).
    public func query(_ sql: String) throws(SQLError) -> (columns: [PlanColumn], rows: DataChunk) {
        let all = try statements(sql)
        guard let last = all.last else { throw SQLError(.syntax, "no statement") }
        for s in all.dropLast() { _ = try run(s).all() }
        let cursor = try run(last)
        return (cursor.columns, try cursor.all())
    }

    private func profiled(_ op: PhysicalOperator) -> ProfiledOperator {
        ProfiledOperator(op, children: op.children.map(profiled))
    }
}
