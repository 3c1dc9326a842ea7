// The aggregate functions: name and aliases, the arguments each takes and its result type.
// Their batch kernels are the accumulator states of `HashAggregate` (COUNT, SUM, AVG, MIN,
// MAX) and the `GroupAccumulator`s of the other families, which update a whole batch of
// group slots at a time.

import Columnar

/// An aggregate call as the binder hands it over: arguments bound, clauses bound.
package struct AggregateArguments {
    package var name: String
    package var arguments: [BoundExpr]
    package var distinct: Bool
    package var star: Bool
    package var orderBy: [SortKey]
    package var filter: BoundExpr?
    package var position: Int
}

package struct AggregateFunction: Sendable {
    package let name: String
    package let aliases: [String]
    /// Builds the call from bound arguments, checking their number and types.
    let bind: @Sendable (_ call: AggregateArguments) throws(SQLError) -> AggregateCall

    /// The call of this function, or a binder error.
    func call(_ arguments: AggregateArguments) throws(SQLError) -> AggregateCall {
        var call = try bind(arguments)
        if call.filter == nil { call.filter = arguments.filter }
        return call
    }

    static let all: [AggregateFunction] = basic + statistics + ordered + others

    // MARK: COUNT, SUM, AVG, MIN, MAX and what reduces to them

    private static let basic: [AggregateFunction] = [
        AggregateFunction(name: "count", aliases: []) { (c) throws(SQLError) in
            if c.star { return try plain(c, .countStar, star: true) { _ in .int64 } }
            return try plain(c, .count) { _ in .int64 }
        },
        AggregateFunction(name: "sum", aliases: []) { (c) throws(SQLError) in
            try plain(c, .sum, takes: "numbers") { TypeRules.isNumeric($0) ? ($0 == .double ? .double : .int64) : nil }
        },
        AggregateFunction(name: "avg", aliases: ["mean"]) { (c) throws(SQLError) in
            try plain(c, .avg, takes: "numbers") { TypeRules.isNumeric($0) ? .double : nil }
        },
        // DuckDB's FSUM / SUMKAHAN / KAHAN_SUM and FAVG: compensated sums, always DOUBLE. SUM and
        // AVG of doubles are exact already (double-double), so these are they over doubles.
        AggregateFunction(name: "fsum", aliases: ["sumkahan", "kahan_sum"]) { (c) throws(SQLError) in
            try plain(asDoubles(c), .sum, takes: "numbers") { TypeRules.isNumeric($0) ? .double : nil }
        },
        AggregateFunction(name: "favg", aliases: []) { (c) throws(SQLError) in
            try plain(asDoubles(c), .avg, takes: "numbers") { TypeRules.isNumeric($0) ? .double : nil }
        },
        AggregateFunction(name: "min", aliases: []) { (c) throws(SQLError) in try orderable(c, .min) },
        AggregateFunction(name: "max", aliases: []) { (c) throws(SQLError) in try orderable(c, .max) },
        // Any value of the group. The least one: the same answer on every run.
        AggregateFunction(name: "any_value", aliases: ["arbitrary"]) { (c) throws(SQLError) in try orderable(c, .min) },
        AggregateFunction(name: "count_if", aliases: ["countif"]) { (c) throws(SQLError) in
            let condition = try one(c)
            guard condition.type == .boolean || isNull(condition) else {
                throw SQLError(.type, "COUNT_IF needs a BOOLEAN condition, got \(condition.type)", at: c.position)
            }
            guard !c.distinct else { throw SQLError(.binder, "COUNT_IF does not take DISTINCT", at: c.position) }
            let holds = BoundExpr.conjunction([condition] + (c.filter.map { [$0] } ?? []))!
            var call = AggregateCall(function: .countStar, arguments: [], distinct: false, type: .int64)
            call.filter = holds
            return call
        },
        AggregateFunction(name: "bool_and", aliases: ["booland_agg", "every", "logical_and"]) { (c) throws(SQLError) in
            try logical(c, .min)
        },
        AggregateFunction(name: "bool_or", aliases: ["boolor_agg", "logical_or"]) { (c) throws(SQLError) in
            try logical(c, .max)
        },
        AggregateFunction(name: "bitand_agg", aliases: ["bit_and", "bitandagg"]) { (c) throws(SQLError) in try bitwise(c, .bitAnd) },
        AggregateFunction(name: "bitor_agg", aliases: ["bit_or", "bitoragg"]) { (c) throws(SQLError) in try bitwise(c, .bitOr) },
        AggregateFunction(name: "bitxor_agg", aliases: ["bit_xor", "bitxoragg"]) { (c) throws(SQLError) in try bitwise(c, .bitXor) },
        AggregateFunction(name: "min_by", aliases: ["arg_min", "argmin"]) { (c) throws(SQLError) in try extremeBy(c, .minBy) },
        AggregateFunction(name: "max_by", aliases: ["arg_max", "argmax"]) { (c) throws(SQLError) in try extremeBy(c, .maxBy) },
        AggregateFunction(name: "approx_count_distinct", aliases: ["approx_distinct", "hll"]) { (c) throws(SQLError) in
            let x = try one(c)
            guard x.type != .listVarchar else { throw SQLError(.type, "APPROX_COUNT_DISTINCT does not take arrays", at: c.position) }
            return AggregateCall(function: .approxCountDistinct, arguments: [x], distinct: false, type: .int64)
        },
    ]

    // MARK: Moments: variance, standard deviation, covariance, correlation, regression

    private static let statistics: [AggregateFunction] = {
        var out: [AggregateFunction] = []
        let single: [(String, [String], AggregateCall.Function)] = [
            ("var_samp", ["variance", "variance_samp"], .varSamp), ("var_pop", ["variance_pop"], .varPop),
            ("stddev_samp", ["stddev", "std"], .stddevSamp), ("stddev_pop", [], .stddevPop),
            ("skew", ["skewness"], .skewness), ("kurtosis", [], .kurtosis),
            ("product", [], .product), ("geomean", ["geometric_mean"], .geometricMean),
        ]
        for (name, aliases, function) in single {
            out.append(AggregateFunction(name: name, aliases: aliases) { (c) throws(SQLError) in
                try numeric(c, function, count: 1)
            })
        }
        let paired: [(String, AggregateCall.Function)] = [
            ("covar_samp", .covarSamp), ("covar_pop", .covarPop), ("corr", .corr), ("regr_slope", .regrSlope),
            ("regr_intercept", .regrIntercept), ("regr_r2", .regrR2), ("regr_count", .regrCount), ("regr_avgx", .regrAvgX),
            ("regr_avgy", .regrAvgY), ("regr_sxx", .regrSxx), ("regr_syy", .regrSyy), ("regr_sxy", .regrSxy),
        ]
        for (name, function) in paired {
            out.append(AggregateFunction(name: name, aliases: []) { (c) throws(SQLError) in
                try numeric(c, function, count: 2)
            })
        }
        return out
    }()

    // MARK: Functions of the ordered values: percentiles, mode, LISTAGG, ARRAY_AGG

    private static let ordered: [AggregateFunction] = [
        AggregateFunction(name: "median", aliases: []) { (c) throws(SQLError) in
            var call = try numeric(c, .percentileCont, count: 1)
            call.parameter = .double(0.5)
            call.orderBy = [SortKey(expr: call.arguments[0], descending: false, nullsFirst: false)]
            return call
        },
        AggregateFunction(name: "percentile_cont", aliases: []) { (c) throws(SQLError) in try percentile(c, .percentileCont) },
        AggregateFunction(name: "percentile_disc", aliases: []) { (c) throws(SQLError) in try percentile(c, .percentileDisc) },
        // DuckDB's spellings: the value first, then the fraction.
        AggregateFunction(name: "quantile_cont", aliases: ["approx_percentile", "approx_quantile"]) { (c) throws(SQLError) in
            try quantile(c, .percentileCont)
        },
        AggregateFunction(name: "quantile_disc", aliases: ["quantile"]) { (c) throws(SQLError) in try quantile(c, .percentileDisc) },
        AggregateFunction(name: "mode", aliases: []) { (c) throws(SQLError) in
            // MODE(x) (Snowflake, DuckDB) or MODE() WITHIN GROUP (ORDER BY x) (PostgreSQL).
            let x: BoundExpr
            if c.arguments.isEmpty && c.orderBy.count == 1 && !c.star { x = c.orderBy[0].expr } else { x = try one(c) }
            guard !c.distinct else { throw SQLError(.binder, "MODE does not take DISTINCT", at: c.position) }
            guard x.type != .listVarchar else { throw SQLError(.type, "MODE does not take arrays", at: c.position) }
            return AggregateCall(function: .mode, arguments: [x], distinct: false, type: x.type,
                                 orderBy: [SortKey(expr: x, descending: false, nullsFirst: false)])
        },
        // DuckDB's MAD(x): the median absolute deviation, a DOUBLE (NULL for no values).
        AggregateFunction(name: "mad", aliases: []) { (c) throws(SQLError) in
            var call = try numeric(c, .mad, count: 1)
            call.orderBy = [SortKey(expr: call.arguments[0], descending: false, nullsFirst: false)]
            return call
        },
        // DuckDB's ENTROPY(x): the base-2 entropy of the distinct values' shares (0 for none).
        AggregateFunction(name: "entropy", aliases: []) { (c) throws(SQLError) in
            try noOrder(c)
            let x = try one(c)
            guard !c.distinct else { throw SQLError(.binder, "ENTROPY does not take DISTINCT", at: c.position) }
            guard x.type != .listVarchar else { throw SQLError(.type, "ENTROPY does not take arrays", at: c.position) }
            return AggregateCall(function: .entropy, arguments: [x], distinct: false, type: .double,
                                 orderBy: [SortKey(expr: x, descending: false, nullsFirst: false)])
        },
        AggregateFunction(name: "listagg", aliases: []) { (c) throws(SQLError) in try listagg(c, defaultSeparator: "") },
        AggregateFunction(name: "string_agg", aliases: ["group_concat"]) { (c) throws(SQLError) in try listagg(c, defaultSeparator: ",") },
        AggregateFunction(name: "array_agg", aliases: ["list", "arrayagg"]) { (c) throws(SQLError) in
            let x = try one(c)
            guard x.type != .listVarchar else { throw SQLError(.unsupported, "ARRAY_AGG of arrays is not supported", at: c.position) }
            let text = x.type == .varchar ? x : BoundExpr.cast(x, .varchar)
            return try orderedCall(c, .arrayAgg, text, type: .listVarchar)
        },
        // DuckDB's FIRST(x [ORDER BY ...]) and LAST: the value, NULL included, of the first or
        // last row in the given order. Rows tied in it (and every row, without ORDER BY) are
        // ordered by the value, NULLs last, so the answer is the same on every run; DuckDB's
        // is the first row it happens to read.
        AggregateFunction(name: "first", aliases: []) { (c) throws(SQLError) in try firstOrLast(c, .first) },
        AggregateFunction(name: "last", aliases: []) { (c) throws(SQLError) in try firstOrLast(c, .last) },
        // Snowflake's ARRAY_UNIQUE_AGG(x): ARRAY_AGG(DISTINCT x).
        AggregateFunction(name: "array_unique_agg", aliases: []) { (c) throws(SQLError) in
            var c = c
            c.distinct = true
            let x = try one(c)
            guard x.type != .listVarchar else { throw SQLError(.unsupported, "ARRAY_UNIQUE_AGG of arrays is not supported", at: c.position) }
            return try orderedCall(c, .arrayAgg, x.type == .varchar ? x : BoundExpr.cast(x, .varchar), type: .listVarchar)
        },
    ]

    private static let others: [AggregateFunction] = [
        // The engine's own, for correlated subqueries that compute no aggregate: the name
        // cannot be written in SQL.
        AggregateFunction(name: AggregateFunction.singleValueName, aliases: []) { (c) throws(SQLError) in
            try noOrder(c)
            let x = try one(c)
            guard x.type != .listVarchar else { throw SQLError(.unsupported, "a subquery used as a value cannot return an array", at: c.position) }
            return AggregateCall(function: .singleValue, arguments: [x], distinct: false, type: x.type)
        },
    ]

    /// The name the binder calls `SingleValueAccumulator` by.
    static let singleValueName = "\u{1}single_value"

    // MARK: Binding helpers

    private static func isNull(_ e: BoundExpr) -> Bool {
        switch e {
        case .constant(.null, _), .nullLiteral: return true
        default: return false
        }
    }

    /// The one argument of a call that takes exactly one.
    private static func one(_ c: AggregateArguments) throws(SQLError) -> BoundExpr {
        guard !c.star else { throw SQLError(.binder, "\(c.name.uppercased())(*) is not allowed", at: c.position) }
        guard c.arguments.count == 1 else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes one argument, got \(c.arguments.count)", at: c.position)
        }
        return c.arguments[0]
    }

    private static func noOrder(_ c: AggregateArguments) throws(SQLError) {
        guard c.orderBy.isEmpty else {
            throw SQLError(.binder, "\(c.name.uppercased()) does not take ORDER BY or WITHIN GROUP", at: c.position)
        }
    }

    /// COUNT, SUM, AVG: one argument of a type `returns` accepts.
    private static func plain(_ c: AggregateArguments, _ function: AggregateCall.Function, star: Bool = false, takes: String = "any value",
                              returns: (LogicalType) -> LogicalType?) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        if star { return AggregateCall(function: .countStar, argument: nil, distinct: false, type: .int64) }
        let x = try one(c)
        guard let type = returns(x.type) else {
            throw SQLError(.type, "\(c.name.uppercased()) needs \(takes), got \(x.type)", at: c.position)
        }
        return AggregateCall(function: function, argument: x, distinct: c.distinct, type: type)
    }

    /// MIN and MAX (DISTINCT changes nothing).
    private static func orderable(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        let x = try one(c)
        return AggregateCall(function: function, argument: x, distinct: false, type: x.type)
    }

    /// BOOL_AND and BOOL_OR as MIN and MAX of a boolean; numbers are true when not zero
    /// (Snowflake's BOOLAND_AGG takes them).
    /// BITAND_AGG / BITOR_AGG / BITXOR_AGG of integers.
    private static func bitwise(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        var x = try one(c)
        guard !c.distinct else { throw SQLError(.unsupported, "DISTINCT is not supported in \(c.name.uppercased())", at: c.position) }
        if isNull(x) { x = .constant(.null, .int64) }
        guard x.type == .int64 || x.type == .int32 || x.type == .boolean else {
            throw SQLError(.type, "\(c.name.uppercased()) needs integers, got \(x.type)", at: c.position)
        }
        return AggregateCall(function: function, argument: x.type == .int64 ? x : .cast(x, .int64), distinct: false, type: .int64)
    }

    private static func logical(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        var x = try one(c)
        if TypeRules.isNumeric(x.type) {
            x = .comparison(.notEqual, x.type == .double ? x : .cast(x, .int64), .constant(x.type == .double ? .double(0) : .int(0), x.type == .double ? .double : .int64))
        } else if isNull(x) {
            x = .constant(.null, .boolean)
        }
        guard x.type == .boolean else { throw SQLError(.type, "\(c.name.uppercased()) needs a BOOLEAN, got \(x.type)", at: c.position) }
        return AggregateCall(function: function, argument: x, distinct: false, type: .boolean)
    }

    /// MIN_BY(value, key) / MAX_BY(value, key): the value at the row of the least or greatest key.
    private static func extremeBy(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        guard !c.star, c.arguments.count == 2 else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes two arguments (the value, then the key it is chosen by)", at: c.position)
        }
        for a in c.arguments where a.type == .listVarchar {
            throw SQLError(.unsupported, "\(c.name.uppercased()) of arrays is not supported", at: c.position)
        }
        return AggregateCall(function: function, arguments: c.arguments, distinct: false, type: c.arguments[0].type)
    }

    /// Functions of numbers that return a double: the moments, MEDIAN.
    /// The call with its numeric arguments cast to DOUBLE.
    private static func asDoubles(_ c: AggregateArguments) -> AggregateArguments {
        var c = c
        c.arguments = c.arguments.map { TypeRules.isNumeric($0.type) && $0.type != .double ? .cast($0, .double) : $0 }
        return c
    }

    private static func numeric(_ c: AggregateArguments, _ function: AggregateCall.Function, count: Int) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        guard !c.star, c.arguments.count == count else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes \(count == 1 ? "one argument" : "two arguments"), got \(c.arguments.count)",
                           at: c.position)
        }
        guard !c.distinct else { throw SQLError(.unsupported, "DISTINCT is not supported in \(c.name.uppercased())", at: c.position) }
        var arguments: [BoundExpr] = []
        for a in c.arguments {
            guard TypeRules.isNumeric(a.type) || isNull(a) else {
                throw SQLError(.type, "\(c.name.uppercased()) needs numbers, got \(a.type)", at: c.position)
            }
            arguments.append(a.type == .double ? a : .cast(a, .double))
        }
        return AggregateCall(function: function, arguments: arguments, distinct: false, type: function == .regrCount ? .int64 : .double)
    }

    /// A constant fraction between 0 and 1.
    private static func fraction(_ e: BoundExpr, _ c: AggregateArguments) throws(SQLError) -> Double {
        let value: Double?
        switch e {
        case .constant(.double(let d), _): value = d
        case .constant(.int(let i), _): value = Double(i)
        default: value = nil
        }
        guard let value, value >= 0 && value <= 1 else {
            throw SQLError(.binder, "\(c.name.uppercased())'s fraction must be a constant between 0 and 1", at: c.position)
        }
        return value
    }

    /// PERCENTILE_CONT(f) / PERCENTILE_DISC(f) WITHIN GROUP (ORDER BY x [DESC]).
    private static func percentile(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        guard c.arguments.count == 1, !c.star else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes one argument, the fraction", at: c.position)
        }
        guard c.orderBy.count == 1 else {
            throw SQLError(.binder, "\(c.name.uppercased()) needs WITHIN GROUP (ORDER BY one expression)", at: c.position)
        }
        let f = try fraction(c.arguments[0], c)
        return try percentileCall(c, function, value: c.orderBy[0].expr, descending: c.orderBy[0].descending, fraction: f)
    }

    /// DuckDB's QUANTILE_CONT(x, f) / QUANTILE_DISC(x, f).
    private static func quantile(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        try noOrder(c)
        guard c.arguments.count == 2, !c.star else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes two arguments, the value and the fraction", at: c.position)
        }
        return try percentileCall(c, function, value: c.arguments[0], descending: false, fraction: try fraction(c.arguments[1], c))
    }

    private static func percentileCall(_ c: AggregateArguments, _ function: AggregateCall.Function, value: BoundExpr, descending: Bool,
                                       fraction: Double) throws(SQLError) -> AggregateCall {
        guard !c.distinct else { throw SQLError(.unsupported, "DISTINCT is not supported in \(c.name.uppercased())", at: c.position) }
        var x = value
        let type: LogicalType
        if function == .percentileCont {
            guard TypeRules.isNumeric(x.type) || isNull(x) else {
                throw SQLError(.type, "\(c.name.uppercased()) needs numbers, got \(x.type)", at: c.position)
            }
            if x.type != .double { x = .cast(x, .double) }
            type = .double
        } else {
            guard x.type != .listVarchar else { throw SQLError(.type, "\(c.name.uppercased()) does not take arrays", at: c.position) }
            type = x.type
        }
        return AggregateCall(function: function, arguments: [x], distinct: false, type: type,
                             orderBy: [SortKey(expr: x, descending: descending, nullsFirst: false)], parameter: .double(fraction))
    }

    /// LISTAGG(x [, separator]) [WITHIN GROUP (ORDER BY ...)].
    private static func listagg(_ c: AggregateArguments, defaultSeparator: String) throws(SQLError) -> AggregateCall {
        guard !c.star, (1...2).contains(c.arguments.count) else {
            throw SQLError(.binder, "\(c.name.uppercased()) takes the value and an optional separator", at: c.position)
        }
        var separator = defaultSeparator
        if c.arguments.count == 2 {
            guard case .constant(let v, _) = c.arguments[1], case .string(let s) = v else {
                throw SQLError(.binder, "\(c.name.uppercased())'s separator must be a constant string", at: c.position)
            }
            separator = s
        }
        let x = c.arguments[0]
        guard x.type != .listVarchar else { throw SQLError(.type, "\(c.name.uppercased()) does not take arrays", at: c.position) }
        var call = try orderedCall(c, .listagg, x.type == .varchar ? x : .cast(x, .varchar), type: .varchar)
        call.parameter = .string(separator)
        return call
    }

    /// LISTAGG and ARRAY_AGG: the values in their WITHIN GROUP order, ties (and no order) by
    /// the value itself, so the answer is the same at any thread count. DISTINCT keeps one
    /// of each value; its order may only name the value (as in DuckDB and PostgreSQL).
    private static func firstOrLast(_ c: AggregateArguments, _ function: AggregateCall.Function) throws(SQLError) -> AggregateCall {
        let x = try one(c)
        guard !c.distinct else { throw SQLError(.binder, "\(c.name.uppercased()) does not take DISTINCT", at: c.position) }
        guard x.type != .listVarchar else { throw SQLError(.unsupported, "\(c.name.uppercased()) of arrays is not supported", at: c.position) }
        return AggregateCall(function: function, arguments: [x], distinct: false, type: x.type,
                             orderBy: c.orderBy + [SortKey(expr: x, descending: false, nullsFirst: false)])
    }

    private static func orderedCall(_ c: AggregateArguments, _ function: AggregateCall.Function, _ value: BoundExpr,
                                    type: LogicalType) throws(SQLError) -> AggregateCall {
        // Values order by what they are (numbers as numbers), not by their text.
        let original = c.arguments[0]
        var keys = c.orderBy
        if c.distinct {
            for k in keys where k.expr.description != original.description && k.expr.description != value.description {
                throw SQLError(.binder, "with DISTINCT, \(c.name.uppercased())'s ORDER BY may only name its argument", at: c.position)
            }
            keys = keys.map { SortKey(expr: original, descending: $0.descending, nullsFirst: $0.nullsFirst) }
        }
        if !c.distinct || keys.isEmpty { keys.append(SortKey(expr: original, descending: false, nullsFirst: false)) }
        return AggregateCall(function: function, arguments: [value], distinct: c.distinct, type: type, orderBy: keys)
    }
}
