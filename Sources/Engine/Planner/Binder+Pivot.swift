// PIVOT and UNPIVOT in FROM, bound as the plans they stand for. PIVOT groups the input by
// its other columns (those neither pivoted nor aggregated, as Snowflake and DuckDB do) and
// computes one filtered aggregate per value and aggregate; `IN (ANY)` and `IN (SELECT ...)`
// find the values by running a query first, since they decide the output's columns. UNPIVOT
// crosses the input with one row per listed column and keeps the rows whose value is not NULL.

import Columnar

extension Binder {
    /// Pivoted columns one PIVOT may make (each is an aggregate of its own).
    static let maxPivotColumns = 4096

    mutating func bindPivot(_ input: TableRef, _ clause: PivotClause, alias: String?, at position: Int) throws(SQLError) -> (Plan, Scope) {
        let (inputPlan, inputScope) = try bindFrom(input)
        let source = preBinding(inputPlan, inputScope)
        guard case .column(let path) = clause.column.kind else {
            throw SQLError(.syntax, "PIVOT ... FOR takes a column", at: clause.column.position)
        }
        let pivotIndex = try inputScope.resolve(path, at: clause.column.position)
        for (call, _) in clause.aggregates {
            guard case .function(let name, _, _, _, _) = call.kind, FunctionRegistry.aggregate(name.lowercased()) != nil else {
                throw SQLError(.binder, "PIVOT needs an aggregate function call such as SUM(x) before FOR", at: call.position)
            }
        }
        // The group columns: every visible input column the aggregates and FOR do not read.
        var used: Set<Int> = [pivotIndex]
        for (call, _) in clause.aggregates {
            _ = call.contains { e in
                if case .column(let parts) = e.kind, let i = try? inputScope.resolve(parts, at: e.position) { used.insert(i) }
                return false
            }
        }
        var groups = inputScope.columns.indices.filter { !inputScope.hidden[$0] && !used.contains($0) }
        if let named = clause.groupBy {
            groups = []
            for key in named {
                guard case .column(let parts) = key.kind else {
                    throw SQLError(.binder, "PIVOT ... GROUP BY takes column names", at: key.position)
                }
                groups.append(try inputScope.resolve(parts, at: key.position))
            }
        }
        func reference(_ i: Int) -> Expr {
            let c = inputScope.columns[i]
            return Expr(.column(c.qualifier.map { [$0, c.name] } ?? [c.name]), at: position)
        }

        let values = try pivotValues(clause, source: source, pivot: reference(pivotIndex), at: position)
        guard values.count * clause.aggregates.count <= Self.maxPivotColumns else {
            throw SQLError(.binder, "PIVOT would make \(values.count * clause.aggregates.count) columns; at most \(Self.maxPivotColumns) are allowed",
                           at: position)
        }
        var core = SelectCore()
        core.from = source
        core.items = groups.map { (reference($0), inputScope.columns[$0].name) }
        core.groupBy = groups.map(reference)
        for (value, valueName) in values {
            for (call, aggregateAlias) in clause.aggregates {
                guard case .function(let name, let args, let distinct, let star, var clauses) = call.kind else { continue }
                // A NULL in the list matches the NULLs of the column, as in DuckDB.
                let match = value == .null ? Expr(.isNull(reference(pivotIndex), negated: false), at: position)
                    : Expr(.binary(op: .comparison(.equal), reference(pivotIndex), Expr(.literal(value), at: position)), at: position)
                clauses.filter = clauses.filter.map { Expr(.binary(op: .logical(.and), $0, match), at: $0.position) } ?? match
                var item = Expr(.function(name: name, args: args, distinct: distinct, star: star, clauses: clauses), at: call.position)
                if let fallback = clause.defaultOnNull {
                    item = Expr(.function(name: "coalesce", args: [item, fallback], distinct: false, star: false, clauses: .none), at: call.position)
                }
                // DuckDB's names: the value, and `value_alias` when the aggregate has an alias
                // or there are several aggregates (Snowflake would quote text values: 'JAN').
                var columnName = valueName
                if clause.aggregates.count > 1 || aggregateAlias != nil { columnName += "_" + (aggregateAlias ?? Self.outputName(call)) }
                core.items.append((item, columnName))
            }
        }
        guard !core.items.isEmpty else {
            throw SQLError(.binder, "PIVOT has no columns to show: the input has no other columns and no values were found", at: position)
        }
        var inner = self
        let (plan, columns) = try inner.bind(SelectStatement(body: .select(core)))
        return (plan, Scope(columns: columns).requalified(alias))
    }

    /// The values a PIVOT spreads into columns, each with the name of its column(s).
    private mutating func pivotValues(_ clause: PivotClause, source: TableRef, pivot: Expr,
                                      at position: Int) throws(SQLError) -> [(value: Value, name: String)] {
        switch clause.values {
        case .list(let items):
            var out: [(value: Value, name: String)] = []
            for (value, alias) in items {
                let v: Value
                let notConstant = SQLError(.binder, "PIVOT ... IN takes constant values (or ANY, or a query)", at: value.position)
                let bound: BoundExpr
                do throws(SQLError) { bound = try bindExpr(value, Scope(), nil) } catch { throw notConstant }
                switch Self.fold(bound) {
                case .constant(let c, _): v = c
                case .nullLiteral: v = .null
                default: throw notConstant
                }
                out.append((v, alias ?? v.description))
            }
            return out
        case .any(let orderBy):
            var core = SelectCore()
            core.from = source
            core.items = [(pivot, nil)]
            core.distinct = true
            // As DuckDB's `PIVOT t ON c`: the values found, not NULL (list NULL to get its column).
            core.whereClause = Expr(.isNull(pivot, negated: true), at: position)
            var q = SelectStatement(body: .select(core))
            q.orderBy = orderBy.isEmpty ? [OrderItem(expr: Expr(.literal(.int(1)), at: position), descending: false, nullsFirst: false)] : orderBy
            return try constants(try runForValues(q, at: position), at: position)
        case .query(let q):
            var seen = Set<Value>()
            return try constants(try runForValues(q, at: position).filter { seen.insert($0).inserted }, at: position)
        }
    }

    private func constants(_ values: [Value], at position: Int) throws(SQLError) -> [(value: Value, name: String)] {
        guard values.count <= Self.maxPivotColumns else {
            throw SQLError(.binder, "PIVOT found \(values.count) values; at most \(Self.maxPivotColumns) are allowed", at: position)
        }
        return values.map { ($0, $0.description) }
    }

    /// The first column of `query`, run now: PIVOT's columns depend on it.
    private func runForValues(_ query: SelectStatement, at position: Int) throws(SQLError) -> [Value] {
        guard let run = queryRunner else {
            throw SQLError(.binder, "PIVOT ... IN (ANY) and IN (SELECT ...) need the data, which is not read here; list the values",
                           at: position)
        }
        var inner = trialBinder()
        let (plan, columns) = try inner.bind(query)
        guard columns.count == 1 else {
            throw SQLError(.binder, "PIVOT ... IN (SELECT ...) must select one column, not \(columns.count)", at: position)
        }
        return try run(plan, inner.subqueries.all)
    }

    mutating func bindUnpivot(_ input: TableRef, _ clause: UnpivotClause, alias: String?, at position: Int) throws(SQLError) -> (Plan, Scope) {
        let (inputPlan, scope) = try bindFrom(input)
        var listed: [Int] = []
        for (name, _, at) in clause.columns {
            let i = try scope.resolve([name], at: at)
            guard !listed.contains(i) else { throw SQLError(.binder, "UNPIVOT lists column \(name) twice", at: at) }
            listed.append(i)
        }
        var type = scope.columns[listed[0]].type
        for i in listed.dropFirst() {
            guard let common = TypeRules.common(type, scope.columns[i].type) else {
                throw SQLError(.type, "UNPIVOT columns \(scope.columns[listed[0]].name) (\(scope.columns[listed[0]].type)) and "
                               + "\(scope.columns[i].name) (\(scope.columns[i].type)) have no common type: cast them to one",
                               at: position)
            }
            type = common
        }
        // The input crossed with the numbers 1...k: row j of an input row shows column j.
        let k = PlanColumn(name: "\u{1}unpivot", type: .int64, qualifier: nil)
        let numbers = Plan.values(rows: listed.indices.map { [.int(Int64($0 + 1))] }, columns: [k])
        let crossed = Plan.join(probe: inputPlan, build: numbers, kind: .cross, probeKeys: [], buildKeys: [], residual: nil)
        let which = BoundExpr.column(index: scope.columns.count, type: .int64, name: k.name)
        var names: [(BoundExpr, BoundExpr)] = [], values: [(BoundExpr, BoundExpr)] = []
        for (j, i) in listed.enumerated() {
            let when = BoundExpr.comparison(.equal, which, .constant(.int(Int64(j + 1)), .int64))
            let label = clause.columns[j].label ?? scope.columns[i].name
            names.append((when, .constant(.string(label), .varchar)))
            let column = BoundExpr.column(index: i, type: scope.columns[i].type, name: scope.columns[i].name)
            values.append((when, column.type == type ? column : .cast(column, type)))
        }
        let kept = scope.columns.indices.filter { !scope.hidden[$0] && !listed.contains($0) }
        var exprs = kept.map { BoundExpr.column(index: $0, type: scope.columns[$0].type, name: scope.columns[$0].name) }
        exprs.append(.caseWhen(whens: names, otherwise: nil, .varchar))
        exprs.append(.caseWhen(whens: values, otherwise: nil, type))
        let columns = kept.map { scope.columns[$0] }
            + [PlanColumn(name: clause.nameColumn, type: .varchar, qualifier: nil), PlanColumn(name: clause.valueColumn, type: type, qualifier: nil)]
        var plan = Plan.project(crossed, exprs, names: columns.map(\.name))
        if !clause.includeNulls {
            plan = .filter(plan, .isNull(.column(index: exprs.count - 1, type: type, name: clause.valueColumn), negated: true))
        }
        return (plan, Scope(columns: columns).requalified(alias))
    }

    /// A FROM item that stands for an input already bound (PIVOT's input, read by the query
    /// it becomes), so it is bound once.
    private mutating func preBinding(_ plan: Plan, _ scope: Scope) -> TableRef {
        let name = "\u{1}input\(preBound.count)"
        preBound[name] = (plan, scope)
        return .table(name: [name], alias: nil, position: 0)
    }
}
