// Function calls: the name looked up in the registry, the overload chosen by the types of
// the arguments (the one needing the cheapest implicit casts), the arguments cast to its
// parameter types, and constant arguments checked. Aggregates are bound here too.

import Columnar

extension Binder {
    /// The scalar function a call names. The name is checked before the arguments are bound,
    /// so that an unknown function is reported as such (a grouped query would otherwise
    /// blame a column); an aggregate here is outside a grouping context.
    static func scalarFunction(_ name: String, distinct: Bool, star: Bool, clauses: CallClauses = .none,
                               at position: Int) throws(SQLError) -> ScalarFunction {
        if FunctionRegistry.aggregate(name) != nil {
            throw SQLError(.binder, "aggregate function \(name.uppercased()) is not allowed here", at: position)
        }
        guard let function = FunctionRegistry.scalar(name) else { throw FunctionRegistry.unknown(name, at: position) }
        if !clauses.isEmpty {
            throw SQLError(.binder, "\(name.uppercased()) is not an aggregate function; WITHIN GROUP, ORDER BY and FILTER apply to those only",
                           at: position)
        }
        if star { throw SQLError(.binder, "* is only allowed in the select list and COUNT(*)", at: position) }
        if distinct { throw SQLError(.binder, "DISTINCT is only allowed in aggregate functions", at: position) }
        return function
    }

    /// `function(arguments)` bound to its cheapest overload.
    static func call(_ function: ScalarFunction, _ arguments: [BoundExpr], positions: [Int],
                     at position: Int) throws(SQLError) -> BoundExpr {
        let candidates = function.signatures.indices.filter { function.signatures[$0].arity.contains(arguments.count) }
        guard !candidates.isEmpty else { throw arityError(function, arguments.count, at: position) }
        var best: (signature: Int, cost: Int, types: [LogicalType], common: LogicalType)? = nil
        var mismatch: SQLError? = nil
        overloads: for k in candidates {
            let signature = function.signatures[k]
            // The common type of the arguments at `.common` parameters (NULLs take it).
            var common: LogicalType? = nil
            var literals: [BoundExpr] = []
            for (i, a) in arguments.enumerated() where !isNullConstant(a) {
                switch signature.parameter(i) {
                case .common, .comparable: break
                case .type, .any: continue
                }
                // Text constants take the others' type when they read as it (below).
                if isTextConstant(a) { literals.append(a); continue }
                guard let c = common else { common = a.type; continue }
                guard let t = TypeRules.common(c, a.type) else {
                    mismatch = SQLError(.type, "\(function.name.uppercased()) arguments have types \(c) and \(a.type)", at: position)
                    continue overloads
                }
                common = t
            }
            for a in literals {
                guard let c = common else { common = a.type; continue }
                if readsAs(a, c) { continue }
                guard let t = TypeRules.common(c, a.type) else {
                    mismatch = SQLError(.type, "\(function.name.uppercased()) arguments have types \(c) and \(a.type)", at: position)
                    continue overloads
                }
                common = t
            }
            var cost = 0
            var types: [LogicalType] = []
            var fits = true
            for (i, a) in arguments.enumerated() {
                let target: LogicalType?
                switch signature.parameter(i) {
                case .type(let t): target = t
                case .any: target = nil
                case .common: target = common ?? .int64
                case .comparable: target = isNullConstant(a) ? common ?? .int64 : nil
                }
                // A NULL without a type fits any parameter and takes its type.
                if isNullConstant(a) { types.append(target ?? .int64); continue }
                guard let target else { types.append(a.type); continue }
                if let c = TypeRules.implicitCastCost(a.type, to: target) {
                    cost += c
                } else if isTextConstant(a) && readsAs(a, target) {
                    // '2020-02-28' where a DATE is wanted (Snowflake and DuckDB read it so),
                    // dearer than any cast between typed values.
                    cost += 20
                } else {
                    fits = false
                    break
                }
                types.append(target)
            }
            guard fits else { continue }
            if best == nil || cost < best!.cost { best = (k, cost, types, common ?? .int64) }
        }
        guard let best else {
            if let mismatch { throw mismatch }
            let given = arguments.map { isNullConstant($0) ? "NULL" : "\($0.type)" }.joined(separator: ", ")
            throw SQLError(.type, "\(function.name.uppercased())(\(given)) matches no overload of \(function.signatureList)", at: position)
        }
        var bound: [BoundExpr] = []
        for (a, t) in zip(arguments, best.types) { bound.append(try coerce(a, to: t)) }
        let type: LogicalType
        switch function.signatures[best.signature].returns {
        case .type(let t): type = t
        case .common: type = best.common
        case .parameter(let i): type = best.types[i]
        }
        try function.check?(bound, positions)
        if let rewrite = function.rewrite, let rewritten = rewrite(bound, type) { return rewritten }
        return fold(.function(FunctionCall(function: function, signature: best.signature), args: bound, type))
    }

    /// A text constant ('2020-01-01', '5'): it takes the type an argument or CASE branch
    /// needs when its text reads as that type, as an untyped literal does in Snowflake and
    /// DuckDB (COALESCE(valid_to, '9999-12-31') is a DATE).
    static func isTextConstant(_ e: BoundExpr) -> Bool {
        if case .constant(.string, .varchar) = e { return true }
        return false
    }

    /// Whether the text constant `e` reads as a value of `type` (the cast folds without error).
    static func readsAs(_ e: BoundExpr, _ type: LogicalType) -> Bool {
        if type == .varchar { return true }
        guard type != .listVarchar else { return false }
        // A time of day makes it a TIMESTAMP, never a DATE it would be cut to.
        if type == .date, case .constant(.string(let text), _) = e, text.contains(":") { return false }
        return (try? coerce(e, to: type)) != nil
    }

    /// Binds `name(...)` for a function the registry must have (the engine's own rewrites).
    static func call(_ name: String, _ arguments: [BoundExpr]) throws(SQLError) -> BoundExpr {
        guard let function = FunctionRegistry.scalar(name) else { throw SQLError(.internal, "no function \(name)") }
        return try call(function, arguments, positions: arguments.map { _ in 0 }, at: 0)
    }

    private static func arityError(_ function: ScalarFunction, _ count: Int, at position: Int) -> SQLError {
        let lo = function.signatures.map(\.arity.lowerBound).min()!, hi = function.signatures.map(\.arity.upperBound).max()!
        let takes = lo == hi ? "\(lo)" : hi >= 64 ? "\(lo) or more" : "\(lo) to \(hi)"
        return SQLError(.binder, "\(function.name.uppercased()) takes \(takes) arguments, got \(count)", at: position)
    }

    mutating func bindAggregate(_ function: AggregateFunction, _ args: [Expr], distinct: Bool, star: Bool, clauses: CallClauses,
                                input: Scope, at position: Int) throws(SQLError) -> AggregateCall {
        let inside = args + clauses.expressions
        guard !inside.contains(where: Self.containsAggregate) else {
            throw SQLError(.binder, "aggregate functions cannot be nested", at: position)
        }
        // A window function inside an aggregate is refused (windows run after grouping).
        let saved = windows
        windows = nil
        defer { windows = saved }
        var bound: [BoundExpr] = []
        for a in args { bound.append(try bindExpr(a, input, nil)) }
        var orderBy: [SortKey] = []
        for o in clauses.orderBy {
            orderBy.append(SortKey(expr: try bindExpr(o.expr, input, nil), descending: o.descending, nullsFirst: o.nullsFirst ?? o.descending))
        }
        var filter: BoundExpr? = nil
        if let f = clauses.filter {
            let b = try bindExpr(f, input, nil)
            try requireBoolean(b, "FILTER", at: f.position)
            filter = b
        }
        return try function.call(AggregateArguments(name: function.name, arguments: bound, distinct: distinct, star: star,
                                                    orderBy: orderBy, filter: filter, position: position))
    }
}
