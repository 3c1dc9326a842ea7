// Whole-statement rewrites of a parsed query: one function applied to every expression,
// inside nested subqueries too, and the table aliases a statement defines anywhere. The
// decorrelation of nested subqueries uses them to point references to an outer query at the
// rows that stand for it.

extension Expr {
    /// `replace` applied everywhere, subqueries included (`rewritten` stops at them).
    public func rewrittenDeep(_ replace: (Expr) -> Expr?) -> Expr {
        rewritten { x in
            if let r = replace(x) { return r }
            switch x.kind {
            case .scalarSubquery(let q): return Expr(.scalarSubquery(q.rewritingExpressions(replace)), at: x.position)
            case .exists(let q, let n): return Expr(.exists(q.rewritingExpressions(replace), negated: n), at: x.position)
            case .inSubquery(let probe, let q, let n):
                return Expr(.inSubquery(probe.rewrittenDeep(replace), q.rewritingExpressions(replace), negated: n), at: x.position)
            default: return nil
            }
        }
    }
}

extension SelectStatement {
    /// The statement with `replace` applied to every expression in it, at any depth.
    public func rewritingExpressions(_ replace: (Expr) -> Expr?) -> SelectStatement {
        func e(_ x: Expr) -> Expr { x.rewrittenDeep(replace) }
        func order(_ o: OrderItem) -> OrderItem { OrderItem(expr: e(o.expr), descending: o.descending, nullsFirst: o.nullsFirst) }
        func table(_ t: TableRef) -> TableRef {
            switch t {
            case .table, .history: return t
            case .subquery(let q, let alias): return .subquery(q.rewritingExpressions(replace), alias: alias)
            case .join(let l, let r, let kind, let on, let using): return .join(left: table(l), right: table(r), kind: kind, on: on.map(e), using: using)
            case .flatten(let input, let alias, let unnest): return .flatten(input: e(input), alias: alias, unnest: unnest)
            case .function(let name, let args, let named, let alias, let position):
                return .function(name: name, args: args.map(e), named: named.map { ($0.name, e($0.value)) }, alias: alias, position: position)
            case .pivot(let input, var clause, let alias, let position):
                clause.aggregates = clause.aggregates.map { (call: e($0.call), alias: $0.alias) }
                clause.column = e(clause.column)
                switch clause.values {
                case .list(let items): clause.values = .list(items.map { (value: e($0.value), alias: $0.alias) })
                case .any(let orderBy): clause.values = .any(orderBy: orderBy.map(order))
                case .query(let q): clause.values = .query(q.rewritingExpressions(replace))
                }
                clause.defaultOnNull = clause.defaultOnNull.map(e)
                return .pivot(input: table(input), clause, alias: alias, position: position)
            case .unpivot(let input, let clause, let alias, let position):
                return .unpivot(input: table(input), clause, alias: alias, position: position)
            case .sample(let input, let clause, let position):
                return .sample(input: table(input), clause, position: position)
            }
        }
        func spec(_ w: WindowSpec) -> WindowSpec {
            var w = w
            w.partitionBy = w.partitionBy.map(e)
            w.orderBy = w.orderBy.map(order)
            return w
        }
        func body(_ b: QueryBody) -> QueryBody {
            switch b {
            case .select(var core):
                core.items = core.items.map { (expr: e($0.expr), alias: $0.alias) }
                core.from = core.from.map(table)
                core.whereClause = core.whereClause.map(e)
                core.groupBy = core.groupBy.map(e)
                core.having = core.having.map(e)
                core.qualify = core.qualify.map(e)
                core.windows = core.windows.map { (name: $0.name, spec: spec($0.spec)) }
                for (k, m) in core.starModifiers {
                    var m = m
                    m.replace = m.replace.map { (expr: e($0.expr), column: $0.column) }
                    core.starModifiers[k] = m
                }
                return .select(core)
            case .union(let l, let r, let all): return .union(body(l), body(r), all: all)
            case .unionByName(let l, let r, let all): return .unionByName(body(l), body(r), all: all)
            case .setOperation(let l, let r, let op, let all): return .setOperation(body(l), body(r), op, all: all)
            case .values(let rows): return .values(rows.map { $0.map(e) })
            }
        }
        var out = self
        out.ctes = ctes.map { (name: $0.name, query: $0.query.rewritingExpressions(replace)) }
        out.body = body(self.body)
        out.orderBy = orderBy.map(order)
        return out
    }

    /// Every table alias (or bare table name) a FROM clause in the statement defines, at any
    /// depth, lowercased.
    public var definedNames: Set<String> {
        var names = Set<String>()
        func table(_ t: TableRef) {
            switch t {
            case .table(let name, let alias, _), .history(let name, _, let alias, _): names.insert((alias ?? name.last ?? "").lowercased())
            case .subquery(let q, let alias):
                names.formUnion(q.definedNames)
                if let alias { names.insert(alias.lowercased()) }
            case .join(let l, let r, _, _, _): table(l); table(r)
            case .flatten(_, let alias, _): if let alias { names.insert(alias.lowercased()) }
            case .function(let name, _, _, let alias, _): names.insert((alias ?? name).lowercased())
            case .pivot(let input, _, let alias, _), .unpivot(let input, _, let alias, _):
                table(input)
                if let alias { names.insert(alias.lowercased()) }
            case .sample(let input, _, _): table(input)
            }
        }
        func expr(_ x: Expr) {
            _ = x.contains { y in
                switch y.kind {
                case .scalarSubquery(let q), .exists(let q, _), .inSubquery(_, let q, _): names.formUnion(q.definedNames)
                default: break
                }
                return false
            }
        }
        func body(_ b: QueryBody) {
            switch b {
            case .select(let core):
                if let f = core.from { table(f) }
                core.items.forEach { expr($0.expr) }
                core.whereClause.map(expr)
                core.having.map(expr)
            case .union(let l, let r, _), .unionByName(let l, let r, _), .setOperation(let l, let r, _, _): body(l); body(r)
            case .values(let rows): rows.joined().forEach(expr)
            }
        }
        for (name, q) in ctes { names.insert(name.lowercased()); names.formUnion(q.definedNames) }
        body(self.body)
        return names
    }
}

extension QueryBody {
    /// The body with `transform` applied to each SELECT in it, both sides of every set
    /// operation; nil when `transform` refuses one, or the body holds VALUES.
    func mappingSelects(_ transform: (SelectCore) -> SelectCore?) -> QueryBody? {
        switch self {
        case .select(let core): return transform(core).map { .select($0) }
        case .union(let l, let r, let all):
            guard let l = l.mappingSelects(transform), let r = r.mappingSelects(transform) else { return nil }
            return .union(l, r, all: all)
        case .setOperation(let l, let r, let op, let all):
            guard let l = l.mappingSelects(transform), let r = r.mappingSelects(transform) else { return nil }
            return .setOperation(l, r, op, all: all)
        case .values, .unionByName: return nil
        }
    }
}
