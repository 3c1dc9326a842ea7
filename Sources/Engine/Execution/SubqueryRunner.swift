// Subqueries an expression reads as a value run once, before the plan that reads them (an
// inner one before the one around it); their results then stand in the plan as constants,
// so `ts > (SELECT max(ts) FROM ...)` still skips the segments it rules out. Binding,
// EXPLAIN and CREATE VIEW never get here: only a statement that runs does.

import Columnar

extension QueryEngine {
    /// `plan` over the subqueries the binder collected, keeping only those the plan reads
    /// (directly or through another subquery); the plan itself when it reads none.
    static func attachingSubqueries(_ plan: Plan, _ all: [Subquery]) -> Plan {
        guard !all.isEmpty else { return plan }
        var needed = plan.subqueryIds
        var pending = Array(needed)
        let byId = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        while let id = pending.popLast() {
            for inner in byId[id]?.plan.subqueryIds ?? [] where needed.insert(inner).inserted { pending.append(inner) }
        }
        guard !needed.isEmpty else { return plan }
        return .subqueries(plan, all.filter { needed.contains($0.id) })
    }

    /// The plan with its subqueries run and their results in place.
    func resolvingSubqueries(_ plan: Plan, _ context: QueryContext) throws(SQLError) -> Plan {
        let plan = Self.fixingStatementTime(plan, startedAt: context.startedAt)
        guard case .subqueries(let main, let subqueries) = plan else { return plan }
        var results: [Int: BoundExpr] = [:]
        var sets: [Int: ValueSet] = [:]
        for q in subqueries.sorted(by: { $0.id < $1.id }) {
            let runnable = Self.substituting(q.plan, results, sets)
            let planner = PhysicalPlanner(warehouse: warehouse, context: context)
            switch q.result {
            case .value:
                let root = planner.make(runnable)
                var value: Value = .null
                var rows = 0
                while let chunk = try root.next() {
                    rows += chunk.count
                    if rows > 1 { throw SQLError(.runtime, "a subquery used as a value returned more than one row", at: q.position) }
                    if chunk.count == 1 { value = chunk.columns[0].value(at: 0) }
                }
                results[q.id] = .constant(value, runnable.types[0])
            case .exists:
                let root = planner.make(.limit(runnable, limit: 1, offset: 0))
                var found = false
                while let chunk = try root.next() { if chunk.count > 0 { found = true } }
                results[q.id] = .constant(.bool(found), .boolean)
            case .values:
                sets[q.id] = ValueSet(try planner.make(runnable).drain(types: [runnable.types[0]]).columns[0])
            }
        }
        return Self.substituting(main, results, sets)
    }

    /// `plan` with subquery results in place of their placeholders, constants folded, and
    /// the comparisons that became constant ones tested against segment statistics.
    static func substituting(_ plan: Plan, _ values: [Int: BoundExpr], _ sets: [Int: ValueSet]) -> Plan {
        func replace(_ e: BoundExpr) -> BoundExpr {
            guard !e.subqueryIds.isEmpty else { return e }
            return Binder.foldAll(e.rewritten { x in
                switch x {
                case .subqueryValue(let id, _): return values[id]
                case .inSubquery(let key, let id, let negated): return sets[id].map { .inSet(replace(key), $0, negated: negated) }
                default: return nil
                }
            })
        }
        return plan.transformUp(intoShared: true) { node in
            if case .filter(.scan(let table, let columns, let predicates), let p) = node, !p.subqueryIds.isEmpty {
                let resolved = Optimizer.conjuncts(p).filter { !$0.subqueryIds.isEmpty }.map(replace)
                return .filter(.scan(table: table, columns: columns, predicates: predicates + Optimizer.scanPredicates(resolved, columns: columns)),
                               replace(p))
            }
            return node.mapExpressions(replace)
        }
    }
}

extension Plan {
    /// The ids of the subqueries the plan's expressions read (shared CTEs included, not the
    /// plans of its own subqueries).
    var subqueryIds: Set<Int> {
        var out = Set<Int>()
        for e in expressions { out.formUnion(e.subqueryIds) }
        let inputs: [Plan]
        if case .subqueries(let main, _) = self { inputs = [main] } else { inputs = children }
        for c in inputs { out.formUnion(c.subqueryIds) }
        return out
    }
}
