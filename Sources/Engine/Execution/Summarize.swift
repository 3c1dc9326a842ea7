// SUMMARIZE (DuckDB's): one row per column of a table or query with min, max, approximate
// distinct count, mean, standard deviation, quartiles, row count and NULL percentage. Every
// statistic of every column comes from one grouping-free aggregate pass over the input.

import Columnar

extension QueryEngine {
    func summarize(_ query: SelectStatement, context: QueryContext) throws(SQLError) -> QueryCursor {
        let (_, columns) = try plan(query)
        guard !columns.isEmpty else { throw SQLError(.binder, "SUMMARIZE needs a query with columns") }
        // The statistics as one SELECT over the input, ten items per column.
        var items: [(expr: Expr, alias: String?)] = []
        func call(_ name: String, _ args: [Expr], clauses: CallClauses = .none) -> Expr {
            Expr(.function(name: name, args: args, distinct: false, star: false, clauses: clauses), at: 0)
        }
        func text(_ e: Expr) -> Expr { Expr(.cast(e, .varchar), at: 0) }
        let null = Expr(.literal(.null), at: 0)
        for (i, c) in columns.enumerated() {
            let column = Expr(.column(["s", "c\(i)"]), at: 0)
            let numeric = c.type.isInteger && c.type != .date && c.type != .timestamp && c.type != .boolean || c.type == .double
            let ordered = c.type != .boolean && c.type != .listVarchar
            items.append((ordered ? text(call("min", [column])) : null, nil))
            items.append((ordered ? text(call("max", [column])) : null, nil))
            items.append((c.type == .listVarchar ? null : call("approx_count_distinct", [column]), nil))
            items.append((numeric ? text(call("avg", [column])) : null, nil))
            items.append((numeric ? text(call("stddev_samp", [column])) : null, nil))
            for q in [0.25, 0.5, 0.75] {
                var clauses = CallClauses.none
                clauses.orderBy = [OrderItem(expr: column, descending: false, nullsFirst: nil)]
                items.append((numeric ? text(call("percentile_disc", [Expr(.literal(.double(q)), at: 0)], clauses: clauses)) : null, nil))
            }
            items.append((call("count", [column]), nil))
        }
        items.append((Expr(.function(name: "count", args: [], distinct: false, star: true, clauses: .none), at: 0), nil))
        var input = query
        input.columnAliases = columns.indices.map { "c\($0)" }
        var core = SelectCore()
        core.items = items
        core.from = .subquery(input, alias: "s")
        let (plan, _) = try self.plan(SelectStatement(body: .select(core)))
        let stats = try operators(plan, context).drain(types: plan.types)
        guard stats.count == 1 else { throw SQLError(.internal, "SUMMARIZE's statistics gave \(stats.count) rows") }
        let total = stats.columns[items.count - 1].value(at: 0)
        var rows: [[Value]] = []
        for (i, c) in columns.enumerated() {
            let v = (0..<9).map { stats.columns[i * 9 + $0].value(at: 0) }
            var nullPercent = Value.null
            if case .int(let n) = total, n > 0, case .int(let nonNull) = v[8] {
                nullPercent = .double((Double(n - nonNull) * 10000 / Double(n)).rounded() / 100)
            }
            rows.append([.string(c.name), .string(c.type.description), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], total, nullPercent])
        }
        let out: [(String, LogicalType)] = [("column_name", .varchar), ("column_type", .varchar), ("min", .varchar), ("max", .varchar),
                                            ("approx_unique", .int64), ("avg", .varchar), ("std", .varchar), ("q25", .varchar),
                                            ("q50", .varchar), ("q75", .varchar), ("count", .int64), ("null_percentage", .double)]
        let built = out.enumerated().map { k, o -> ColumnData in
            var b = ColumnBuilder(type: o.1)
            for r in rows { b.append(r[k]) }
            return b.finish()
        }
        return QueryCursor(columns: out.map { PlanColumn(name: $0.0, type: $0.1, qualifier: nil) },
                           root: ValuesOperator(DataChunk(columns: built, count: rows.count)))
    }
}
