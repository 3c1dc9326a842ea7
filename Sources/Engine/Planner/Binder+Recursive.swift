// Recursive CTEs: `WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 10)`.
// A CTE is recursive when its query is a UNION chain whose first terms (the anchor) do not
// read it and whose later terms (the step) do; Snowflake needs no RECURSIVE word for that,
// DuckDB and PostgreSQL write it. The step is bound with the CTE's name meaning the rows the
// previous round added (`Plan.workTable`); the executor runs rounds until one adds none.
// The anchor's column types are the CTE's; the step's values are cast to them (DuckDB's rule).

import Columnar

extension Binder {
    /// `cte` bound as a recursive CTE named `name`, or nil when it does not read itself in
    /// the recursive shape (then it is an ordinary CTE, which does not see itself).
    mutating func bindRecursive(_ cte: SelectStatement, name: String, at position: Int) throws(SQLError) -> (Plan, [PlanColumn])? {
        var terms: [QueryBody] = []
        var distinct = false
        func collect(_ body: QueryBody) {
            if case .union(let l, let r, let all) = body {
                collect(l)
                collect(r)
                if !all { distinct = true }
            } else {
                terms.append(body)
            }
        }
        collect(cte.body)
        let readsSelf = terms.map { t in Self.reads(SelectStatement(body: t), name: name) }
        guard terms.count >= 2, !readsSelf[0], readsSelf.contains(true) else { return nil }
        guard let firstStep = readsSelf.firstIndex(of: true), readsSelf[firstStep...].allSatisfy({ $0 }) else {
            throw SQLError(.binder, "recursive CTE \(name): the terms that do not read \(name) (the anchor) must come before those that do",
                           at: position)
        }
        guard cte.orderBy.isEmpty, cte.limit == nil, cte.offset == nil else {
            throw SQLError(.unsupported, "recursive CTE \(name) cannot have its own ORDER BY, LIMIT or OFFSET; put them in the query that reads it",
                           at: position)
        }
        func chain(_ bodies: ArraySlice<QueryBody>) -> QueryBody {
            bodies.dropFirst().reduce(bodies.first!) { .union($0, $1, all: !distinct) }
        }
        var anchorStatement = SelectStatement(ctes: cte.ctes, body: chain(terms[..<firstStep]))
        anchorStatement.columnAliases = nil
        var inner = self
        inner.ctes[name] = nil
        let (anchor, anchorColumns) = try inner.bind(anchorStatement)
        var columns = anchorColumns
        if let aliases = cte.columnAliases {
            guard aliases.count == columns.count else {
                throw SQLError(.binder, "CTE \(name) names \(aliases.count) columns but its query has \(columns.count)", at: position)
            }
            for i in columns.indices { columns[i].name = aliases[i] }
        }
        let id = sharedCTEs.nextId
        sharedCTEs.nextId += 1
        let stepStatement = SelectStatement(ctes: cte.ctes, body: chain(terms[firstStep...]))
        var stepBinder = inner
        stepBinder.workTables[name] = (id, columns)
        let (step, stepColumns) = try stepBinder.bind(stepStatement)
        guard stepColumns.count == columns.count else {
            throw SQLError(.binder, "recursive CTE \(name): the anchor has \(columns.count) columns, the recursive part \(stepColumns.count)",
                           at: position)
        }
        // The anchor's types are the CTE's (as in DuckDB): the step's values are cast to them.
        for i in columns.indices where columns[i].type != stepColumns[i].type && TypeRules.common(columns[i].type, stepColumns[i].type) == nil {
            throw SQLError(.type, "recursive CTE \(name): column \(columns[i].name) is \(columns[i].type) in the anchor and \(stepColumns[i].type) in the recursive part",
                           at: position)
        }
        let plan = Plan.recursive(anchor: Optimizer.optimize(anchor), step: Optimizer.optimize(Self.cast(step, to: columns)),
                                  id: id, distinct: distinct)
        return (plan, columns)
    }

    /// `plan` with its columns cast to the types (and named as) `columns`.
    static func cast(_ plan: Plan, to columns: [PlanColumn]) -> Plan {
        let types = plan.types
        if types == columns.map(\.type) { return plan }
        return .project(plan, columns.enumerated().map { i, c in
            let column = BoundExpr.column(index: i, type: types[i], name: c.name)
            return types[i] == c.type ? column : .cast(column, c.type)
        }, names: columns.map(\.name))
    }

    /// Whether `statement` reads a table or CTE by the one-part name `name`.
    static func reads(_ statement: SelectStatement, name: String) -> Bool {
        var found = false
        tableNames(in: statement) { if $0 == name { found = true } }
        return found
    }
}
