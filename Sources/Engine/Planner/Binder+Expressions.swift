// Expressions: names resolved in scope, types checked and coerced, constants folded,
// subqueries inside expressions bound. Operators are in Binder+Operators.swift, function
// calls in Binder+Functions.swift.

import Columnar

extension Binder {
    func requireBoolean(_ b: BoundExpr, _ clause: String, at position: Int) throws(SQLError) {
        guard b.type == .boolean || Self.isNullConstant(b) else {
            throw SQLError(.type, "\(clause) needs a boolean condition, got \(b.type)", at: position)
        }
    }

    /// Whether `e` is a NULL written without a type (which takes its type from context).
    static func isNullConstant(_ e: BoundExpr) -> Bool {
        if case .nullLiteral = e { return true }
        return false
    }

    /// Folds a constant expression to its value. One that fails (`CAST('a' AS INT)`, an
    /// overflow) stays as it is: the error is the query's only if a row reaches it, as in
    /// DuckDB (`... WHERE false` never fails).
    static func fold(_ e: BoundExpr) -> BoundExpr {
        switch e {
        case .constant, .nullLiteral: return e
        default: break
        }
        guard e.isConstant, let c = try? ExpressionEvaluator.evaluate(e, DataChunk(columns: [], count: 1)) else { return e }
        return .constant(c.value(at: 0), e.type)
    }

    /// `e` with every constant part folded, from the leaves up (after subquery results
    /// were put in).
    static func foldAll(_ e: BoundExpr) -> BoundExpr { fold(e.mapChildren(foldAll)) }

    /// Makes `e` of type `t`: NULL constants take the type, constants are converted now.
    /// `x + INTERVAL '1 month 2 days'`: DATEADD(month, 1, DATEADD(day, 2, x))... in the order
    /// written (months before days, as Snowflake and PostgreSQL add them).
    static func addInterval(_ x: BoundExpr, _ parts: [(amount: Int64, unit: String)], negated: Bool, at position: Int) throws(SQLError) -> BoundExpr {
        var value = x
        if isTextConstant(value) { value = try coerce(value, to: readsAs(value, .date) ? .date : .timestamp) }
        guard value.type == .date || value.type == .timestamp || isNullConstant(value) else {
            throw SQLError(.type, "an INTERVAL is added to a date or timestamp, not \(value.type)", at: position)
        }
        for (amount, unit) in parts {
            let (n, overflow) = negated ? Int64(0).subtractingReportingOverflow(amount) : (amount, false)
            guard !overflow else { throw SQLError(.runtime, "INTERVAL amount out of range", at: position) }
            value = try call("dateadd", [.constant(.string(unit), .varchar), .constant(.int(n), .int64), value])
        }
        return value
    }

    static func coerce(_ e: BoundExpr, to t: LogicalType) throws(SQLError) -> BoundExpr {
        if e.type == t { return e }
        if case .nullLiteral = e { return .constant(.null, t) }
        if case .constant(.null, _) = e { return .constant(.null, t) }
        return try fold(.cast(e, t))
    }

    mutating func bindExpr(_ e: Expr, _ scope: Scope, _ aggregate: AggregateContext?) throws(SQLError) -> BoundExpr {
        try StackGuard.check()
        if let aggregate {
            let key = Self.fingerprint(e, in: aggregate.input)
            if let i = aggregate.groupKeys.firstIndex(of: key) {
                return .column(index: i, type: aggregate.groups[i].type, name: Self.outputName(e))
            }
            if case .function(let name, let args, _, _, _) = e.kind, Self.isGroupingFunction(name) {
                return try bindGrouping(args, aggregate, at: e.position)
            }
            if case .function(let name, let args, let distinct, let star, let clauses) = e.kind, let function = FunctionRegistry.aggregate(name) {
                if let j = aggregate.aggregateKeys.firstIndex(of: key) {
                    return .column(index: aggregate.groups.count + j, type: aggregate.aggregates[j].type, name: Self.outputName(e))
                }
                let call = try bindAggregate(function, args, distinct: distinct, star: star, clauses: clauses, input: aggregate.input, at: e.position)
                aggregate.aggregates.append(call)
                aggregate.aggregateKeys.append(key)
                return .column(index: aggregate.groups.count + aggregate.aggregates.count - 1, type: call.type, name: Self.outputName(e))
            }
            if case .column(let parts) = e.kind {
                let i = try aggregate.input.resolve(parts, at: e.position)
                throw SQLError(.binder, "column '\(aggregate.input.columns[i].name)' must appear in the GROUP BY clause or be used in an aggregate function", at: e.position)
            }
        }
        func sub(_ x: Expr) throws(SQLError) -> BoundExpr { try bindExpr(x, scope, aggregate) }
        switch e.kind {
        case .column(let parts):
            let i = try scope.resolve(parts, at: e.position)
            if scope.isUntypedNull(i) { return .nullLiteral }
            return .column(index: i, type: scope.columns[i].type, name: scope.columns[i].name)
        case .literal(let v):
            switch v {
            case .null: return .nullLiteral
            case .int: return .constant(v, .int64)
            case .double: return .constant(v, .double)
            case .string: return .constant(v, .varchar)
            case .bool: return .constant(v, .boolean)
            case .date: return .constant(v, .date)
            case .timestamp: return .constant(v, .timestamp)
            case .list: return .constant(v, .listVarchar)
            }
        case .star:
            throw SQLError(.binder, "* is only allowed in the select list and COUNT(*)", at: e.position)
        case .unary(let op, let x):
            return try bindUnary(op, try sub(x), at: e.position)
        case .binary(let op, let a, let b):
            // x ± INTERVAL '...': DATEADD per part (INTERVAL + x as well).
            if case .arithmetic(let arithmetic) = op, arithmetic == .add || arithmetic == .subtract {
                if let parts = Parser.intervalParts(b) {
                    return try Self.addInterval(try sub(a), parts, negated: arithmetic == .subtract, at: e.position)
                }
                if arithmetic == .add, let parts = Parser.intervalParts(a) {
                    return try Self.addInterval(try sub(b), parts, negated: false, at: e.position)
                }
            }
            return try bindBinary(op, try sub(a), try sub(b), at: e.position)
        case .window(let w):
            return try bindWindow(w, scope, aggregate, at: e.position)
        case .function(let name, let args, let distinct, let star, let clauses):
            if name == Parser.rowFunction {
                throw SQLError(.unsupported, "a row value (a, b) is only compared with =, <> or IN ((x, y), ...)", at: e.position)
            }
            if name == Parser.distinctRowFunction { return try sub(Parser.distinctRow(args, at: e.position)) }
            if name == Parser.intervalFunction {
                throw SQLError(.unsupported, "an INTERVAL can only be added to or subtracted from a date or timestamp "
                               + "(or be a RANGE frame's offset)", at: e.position)
            }
            if !star && !distinct && clauses.isEmpty, let expanded = try Self.macro(name, args, at: e.position) { return try sub(expanded) }
            if name.lowercased() == "typeof" && args.count == 1 && !star && !distinct && clauses.isEmpty {
                // DuckDB's TYPEOF(x): the bound type's name, in DuckDB's spelling.
                return .constant(.string(Self.duckDBTypeName(try sub(args[0]).type)), .varchar)
            }
            if args.isEmpty && !star && !distinct && clauses.isEmpty, let value = sessionValue(name.lowercased()) {
                return .constant(.string(value), .varchar)
            }
            let function = try Self.scalarFunction(name, distinct: distinct, star: star, clauses: clauses, at: e.position)
            // The current time is the statement's: every call in it sees the same instant.
            if args.isEmpty && function.name == "current_timestamp" { return .constant(.timestamp(statementTime), .timestamp) }
            if args.isEmpty && function.name == "current_date" {
                return .constant(.date(Int32(truncatingIfNeeded: CivilTime.day(micros: statementTime))), .date)
            }
            var bound: [BoundExpr] = []
            for a in args { bound.append(try sub(a)) }
            return try Self.call(function, bound, positions: args.map(\.position), at: e.position)
        case .cast(let x, let t):
            return try Self.fold(.cast(try sub(x), t))
        case .isNull(let x, let negated):
            return try Self.fold(.isNull(try sub(x), negated: negated))
        case .inList(let x, let items, let negated):
            return try bindInList(try sub(x), items.map { (item) throws(SQLError) in (try sub(item), item.position) }, negated: negated, at: e.position)
        case .between(let x, let lo, let hi, let negated):
            let v = try sub(x)
            let both = BoundExpr.logical(.and, try bindBinary(.comparison(.greaterOrEqual), v, try sub(lo), at: e.position),
                                         try bindBinary(.comparison(.lessOrEqual), v, try sub(hi), at: e.position))
            return negated ? .not(both) : both
        case .like(let x, let p, let ci, let negated):
            return try bindLike(try sub(x), pattern: try sub(p), at: p.position, caseInsensitive: ci, negated: negated)
        case .caseWhen(let operand, let whens, let otherwise):
            let op = try operand.map { (o) throws(SQLError) in try sub(o) }
            var conditions: [BoundExpr] = []
            var results: [BoundExpr] = []
            for (w, r) in whens {
                var c = try sub(w)
                if let op { c = try bindBinary(.comparison(.equal), op, c, at: w.position) }
                try requireBoolean(c, "WHEN", at: w.position)
                conditions.append(c)
                results.append(try sub(r))
            }
            var fallback = try otherwise.map { (o) throws(SQLError) in try sub(o) }
            var t: LogicalType? = nil
            let branches = results + (fallback.map { [$0] } ?? [])
            // Text constants last: they take the other branches' type when they read as it.
            let typedFirst = branches.filter { !Self.isTextConstant($0) } + branches.filter(Self.isTextConstant)
            for r in typedFirst where !Self.isNullConstant(r) {
                if let current = t, Self.isTextConstant(r), Self.readsAs(r, current) { continue }
                if let current = t {
                    guard let c = TypeRules.common(current, r.type) else {
                        throw SQLError(.type, "CASE branches have types \(current) and \(r.type)", at: e.position)
                    }
                    t = c
                } else {
                    t = r.type
                }
            }
            let type = t ?? .varchar
            results = try results.map { (r) throws(SQLError) in try Self.coerce(r, to: type) }
            fallback = try fallback.map { (f) throws(SQLError) in try Self.coerce(f, to: type) }
            return .caseWhen(whens: Array(zip(conditions, results)), otherwise: fallback, type)
        case .subscript_(let list, let index):
            let subject = try sub(list), at = try sub(index)
            if subject.type == .varchar {
                // JSON text, as Snowflake reads a VARIANT: v['key'] and v[0] are path steps (text
                // that is not JSON is an error here, not DuckDB's character index read as NULL).
                func text(_ s: String) -> BoundExpr { .constant(.string(s), .varchar) }
                let step: BoundExpr = at.type.isInteger ? .concat(.concat(text("["), .cast(at, .varchar)), text("]"))
                    : .concat(.concat(text("['"), try Self.call(try Self.scalarFunction("replace", distinct: false, star: false, at: e.position),
                                                                  [at.type == .varchar ? at : .cast(at, .varchar), text("'"), text("''")],
                                                                  positions: [index.position, index.position, index.position],
                                                                  at: e.position)), text("']"))
                return try Self.call(try Self.scalarFunction("json_extract_path_text", distinct: false, star: false, at: e.position),
                                     [subject, step], positions: [list.position, index.position], at: e.position)
            }
            // `list[i]` is GET(list, i): 0-based, as in Snowflake.
            return try Self.call(try Self.scalarFunction("get", distinct: false, star: false, at: e.position),
                                 [subject, at], positions: [list.position, index.position], at: e.position)
        case .inSubquery(let x, let q, let negated):
            // Inside an expression (not a WHERE conjunct, which becomes a join): uncorrelated
            // only; the values are read once and hashed.
            if Parser.rowItems(x) != nil {
                throw SQLError(.unsupported, "(a, b) \(negated ? "NOT IN" : "IN") (SELECT ...) is supported as a WHERE condition (AND-ed with the others); here write \(negated ? "NOT " : "")EXISTS (SELECT ... WHERE x = a AND y = b)",
                               at: e.position)
            }
            let (plan, columns) = try uncorrelated(q, at: e.position)
            guard columns.count == 1 else { throw SQLError(.binder, "IN (SELECT ...) must select one column", at: e.position) }
            var key = try sub(x)
            guard let t = Self.comparedType(&key, with: plan, column: 0, columns[0].type) else {
                throw SQLError(.type, "IN compares \(key.type) with \(columns[0].type)", at: e.position)
            }
            if key.type != t { key = .cast(key, t) }
            let values = columns[0].type == t ? plan
                : Plan.project(plan, [.cast(.column(index: 0, type: columns[0].type, name: columns[0].name), t)], names: [columns[0].name])
            return .inSubquery(key, id: subqueries.add(values, .values, at: e.position), negated: negated)
        case .exists(let q, let negated):
            let (plan, _) = try uncorrelated(q, at: e.position)
            let exists = BoundExpr.subqueryValue(id: subqueries.add(plan, .exists, at: e.position), .boolean)
            return negated ? .not(exists) : exists
        case .scalarSubquery(let q):
            if let joined = correlatedValues[e.position] { return joined }  // correlated: a LEFT JOIN's column
            // Uncorrelated: run once, before the outer query, and then a constant there (so it
            // can also skip segments of the outer scan).
            var inner = self
            let (plan, columns) = try inner.bind(q)
            guard columns.count == 1 else {
                throw SQLError(.binder, "a subquery used as a value must select one column, not \(columns.count)", at: e.position)
            }
            // `(SELECT NULL)`: the bare NULL itself, which takes the type its use needs.
            if case .project(.values(let rows, _), let exprs, _) = plan, rows.count == 1, case .nullLiteral = exprs[0] { return .nullLiteral }
            return .subqueryValue(id: subqueries.add(plan, .value, at: e.position), columns[0].type)
        }
    }

    /// The type `key IN (SELECT ...)` compares in, with column `i` (of `type`) of the
    /// subquery's `plan`; nil when they have none. A NULL literal on either side takes the
    /// other's type (`NULL IN (SELECT x ...)`, `x IN (SELECT NULL)`).
    static func comparedType(_ key: inout BoundExpr, with plan: Plan, column i: Int, _ type: LogicalType) -> LogicalType? {
        if case .nullLiteral = key { key = .constant(.null, type); return type }
        if isUntypedNull(plan, i) { return key.type }
        return TypeRules.common(key.type, type)
    }

    /// Whether output column `i` of `plan` is a NULL literal on every row (`SELECT NULL`).
    static func isUntypedNull(_ plan: Plan, _ i: Int) -> Bool {
        switch plan {
        case .project(_, let exprs, _):
            if case .nullLiteral = exprs[i] { return true }
            return false
        case .distinct(let c), .shared(let c, _): return isUntypedNull(c, i)
        case .union(let l, let r): return isUntypedNull(l, i) && isUntypedNull(r, i)
        default: return false
        }
    }

    /// Binds a subquery used inside an expression, which may not name the outer query's
    /// columns (only WHERE conditions are rewritten into joins).
    mutating func uncorrelated(_ q: SelectStatement, at position: Int) throws(SQLError) -> (Plan, [PlanColumn]) {
        var inner = self
        do throws(SQLError) {
            return try inner.bind(q)
        } catch {
            // A name the subquery cannot find may be the outer query's: say why that is refused.
            guard error.reason == .undefinedColumn else { throw error }
            throw SQLError(error.code, error.message + " (a subquery inside an expression cannot refer to the outer query; "
                           + "[NOT] EXISTS and IN can as WHERE conditions)", at: error.position ?? position, reason: error.reason)
        }
    }
    static func convertConstant(_ v: Value, _ from: LogicalType, to t: LogicalType, at position: Int) throws(SQLError) -> Value {
        if from == t { return v }
        let c = try ExpressionEvaluator.cast(ColumnData.constant(v, type: from, count: 1), to: t)
        return c.value(at: 0)
    }

    /// A type as DuckDB's TYPEOF names it.
    static func duckDBTypeName(_ t: LogicalType) -> String {
        switch t {
        case .int32: "INTEGER"
        case .listVarchar: "VARCHAR[]"
        default: t.description
        }
    }
}
