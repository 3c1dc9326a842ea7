// Window functions in a SELECT: each call is bound over the rows after grouping (so
// `SUM(COUNT(*)) OVER ()` works), registered once (equal calls share a column), and read
// by the SELECT list, QUALIFY and ORDER BY as a column of the plan's WINDOW node. Window
// functions elsewhere (WHERE, GROUP BY, HAVING, inside an aggregate or another window) are
// errors, as in every SQL engine.

import Columnar

extension Binder {
    /// The window calls of the SELECT being bound, and its named windows.
    final class WindowContext {
        /// Calls refer to their column as `placeholderBase + k` until the WINDOW node's
        /// position is known (aggregates found later come before it).
        static let placeholderBase = 1 << 40
        let named: [String: WindowSpec]
        var calls: [WindowExpression] = []
        var keys: [String] = []

        init(named: [String: WindowSpec]) { self.named = named }

        /// Where each call's placeholder goes once the input of the WINDOW node has `width` columns.
        func columnMap(width: Int) -> [Int: Int] {
            Dictionary(uniqueKeysWithValues: calls.indices.map { (Self.placeholderBase + $0, width + $0) })
        }
    }

    /// `e` with each unqualified name that is no input column but a SELECT alias replaced by
    /// the aliased expression.
    static func substitutingAliases(_ e: Expr, _ items: [(expr: Expr, alias: String?)], _ scope: Scope) -> Expr {
        e.rewritten { x in
            guard case .column(let parts) = x.kind, parts.count == 1, (try? scope.resolve(parts, at: 0)) == nil,
                  let item = items.first(where: { $0.alias?.lowercased() == parts[0].lowercased() }) else { return nil }
            return item.expr
        }
    }

    /// The SELECT items with the aliases of earlier items read as their expressions.
    static func lateralAliases(_ items: [(expr: Expr, alias: String?)], _ scope: Scope) -> [(expr: Expr, alias: String?)] {
        var out: [(expr: Expr, alias: String?)] = []
        for item in items { out.append((out.isEmpty ? item.expr : substitutingAliases(item.expr, out, scope), item.alias)) }
        return out
    }

    static func containsWindow(_ e: Expr) -> Bool {
        e.contains { if case .window = $0.kind { true } else { false } }
    }

    /// The named windows of a SELECT, each resolved against those before it.
    func namedWindows(_ list: [(name: String, spec: WindowSpec)]) throws(SQLError) -> [String: WindowSpec] {
        var named: [String: WindowSpec] = [:]
        for (name, spec) in list {
            guard named[name.lowercased()] == nil else { throw SQLError(.binder, "window \(name) is defined twice") }
            named[name.lowercased()] = try Self.resolve(spec, named)
        }
        return named
    }

    /// `spec` with the named window it starts from merged in (its partitioning and order, when
    /// `spec` gives none; a named window with a frame cannot be extended).
    static func resolve(_ spec: WindowSpec, _ named: [String: WindowSpec], at position: Int? = nil) throws(SQLError) -> WindowSpec {
        guard let baseName = spec.base else { return spec }
        guard let base = named[baseName.lowercased()] else {
            throw SQLError(.binder, "window \(baseName) is not defined (define it with WINDOW \(baseName) AS (...))", at: position)
        }
        // `OVER w`: the named window as it is, frame included.
        if spec.partitionBy.isEmpty && spec.orderBy.isEmpty && spec.frame == nil { return base }
        guard spec.partitionBy.isEmpty else {
            throw SQLError(.binder, "a window that extends \(baseName) cannot have its own PARTITION BY", at: position)
        }
        guard base.frame == nil else { throw SQLError(.binder, "window \(baseName) has a frame and cannot be extended", at: position) }
        guard spec.orderBy.isEmpty || base.orderBy.isEmpty else {
            throw SQLError(.binder, "window \(baseName) already has an ORDER BY", at: position)
        }
        return WindowSpec(base: nil, partitionBy: base.partitionBy, orderBy: base.orderBy.isEmpty ? spec.orderBy : base.orderBy,
                          frame: spec.frame)
    }

    /// Binds a window call; returns the column that will hold its value.
    mutating func bindWindow(_ w: WindowCall, _ scope: Scope, _ aggregate: AggregateContext?, at position: Int) throws(SQLError) -> BoundExpr {
        guard let context = windows else {
            throw SQLError(.binder, "window function \(w.name.uppercased()) is not allowed here: window functions belong in the "
                           + "SELECT list, QUALIFY and ORDER BY (not in WHERE, GROUP BY, HAVING, or inside an aggregate or another window)",
                           at: position)
        }
        let key = Self.fingerprint(Expr(.window(w), at: position), in: scope)
        if let k = context.keys.firstIndex(of: key) {
            return .column(index: WindowContext.placeholderBase + k, type: context.calls[k].type, name: Self.outputName(Expr(.window(w), at: position)))
        }
        let spec = try Self.resolve(w.over, context.named, at: position)
        // Nothing inside a window may be a window itself.
        windows = nil
        defer { windows = context }
        var arguments: [BoundExpr] = []
        for a in w.args { arguments.append(try bindExpr(a, scope, aggregate)) }
        var partitionBy: [BoundExpr] = []
        for p in spec.partitionBy { partitionBy.append(try bindExpr(p, scope, aggregate)) }
        var orderBy: [SortKey] = []
        for o in spec.orderBy {
            orderBy.append(SortKey(expr: try bindExpr(o.expr, scope, aggregate), descending: o.descending,
                                   nullsFirst: o.nullsFirst ?? o.descending))
        }
        let name = w.name.lowercased()
        var call: WindowExpression
        if name == "ratio_to_report" {
            // RATIO_TO_REPORT(x) OVER (PARTITION BY ...): x over the partition's sum of x.
            guard w.args.count == 1, w.clauses.isEmpty, !w.distinct, spec.orderBy.isEmpty, spec.frame == nil else {
                throw SQLError(.binder, "RATIO_TO_REPORT takes one argument and a window with PARTITION BY only", at: position)
            }
            windows = context
            var total = w
            total.name = "sum"
            let ratio = Expr(.binary(op: .arithmetic(.divide), Expr(.cast(w.args[0], .double), at: position), Expr(.window(total), at: position)),
                             at: position)
            return try bindExpr(ratio, scope, aggregate)
        }
        if let function = FunctionRegistry.window(name) {
            guard w.clauses.isEmpty else {
                throw SQLError(.binder, "\(name.uppercased()) takes no FILTER, ORDER BY or WITHIN GROUP inside its call", at: position)
            }
            guard !w.star, !w.distinct else {
                throw SQLError(.binder, "\(name.uppercased()) takes no * or DISTINCT", at: position)
            }
            guard function.arity.contains(arguments.count) else {
                let a = function.arity
                throw SQLError(.binder, "\(name.uppercased()) takes \(a.lowerBound == a.upperBound ? "\(a.lowerBound)" : "\(a.lowerBound) to \(a.upperBound)") arguments, got \(arguments.count)",
                               at: position)
            }
            if w.ignoreNulls && !function.kind.skipsNulls {
                throw SQLError(.binder, "IGNORE NULLS applies to LAG, LEAD, FIRST_VALUE, LAST_VALUE and NTH_VALUE, not \(name.uppercased())", at: position)
            }
            arguments = try Self.windowArguments(function.kind, arguments, w.args, at: position)
            if function.kind == .conditionalTrueEvent || function.kind == .conditionalChangeEvent, orderBy.isEmpty {
                throw SQLError(.binder, "\(name.uppercased()) needs ORDER BY in its OVER clause: events are counted in order", at: position)
            }
            call = WindowExpression(function: .window(function.kind), arguments: arguments, ignoreNulls: w.ignoreNulls,
                                    partitionBy: partitionBy, orderBy: orderBy, frame: .partition, type: function.returnType(arguments))
            if function.kind.usesFrame {
                call.frame = try frame(spec.frame, orderBy: orderBy, w, at: position)
            }
        } else if let function = FunctionRegistry.aggregate(name) {
            if w.ignoreNulls { throw SQLError(.binder, "IGNORE NULLS does not apply to \(name.uppercased())", at: position) }
            var within: [SortKey] = []
            for o in w.clauses.orderBy {
                within.append(SortKey(expr: try bindExpr(o.expr, scope, aggregate), descending: o.descending, nullsFirst: o.nullsFirst ?? o.descending))
            }
            let filter = try w.clauses.filter.map { (f) throws(SQLError) in try bindExpr(f, scope, aggregate) }
            if let filter { try requireBoolean(filter, "FILTER", at: position) }
            var aggregateCall = try function.call(AggregateArguments(name: function.name, arguments: arguments, distinct: w.distinct, star: w.star,
                                                                     orderBy: within, filter: filter, position: position))
            // DISTINCT changes no extreme.
            if aggregateCall.function == .min || aggregateCall.function == .max { aggregateCall.distinct = false }
            if aggregateCall.function.isBasic, !aggregateCall.distinct, let f = aggregateCall.filter {
                // COUNT_IF (a count with a filter) and its kin: the filter moves into the
                // argument, NULL where it does not hold, so every frame works.
                let value = aggregateCall.argument ?? .constant(.int(1), .int64)
                if aggregateCall.function == .countStar { aggregateCall.function = .count }
                aggregateCall.argument = .caseWhen(whens: [(f, value)], otherwise: nil, value.type)
                aggregateCall.filter = nil
            }
            let bounds = try frame(spec.frame, orderBy: orderBy, w, at: position)
            if aggregateCall.function.isBasic && aggregateCall.filter == nil && !aggregateCall.distinct {
                call = WindowExpression(function: .aggregate(aggregateCall.function), arguments: aggregateCall.argument.map { [$0] } ?? [],
                                        ignoreNulls: false, partitionBy: partitionBy, orderBy: orderBy, frame: bounds, type: aggregateCall.type)
            } else {
                // The other aggregates run on their GROUP BY accumulators: over each whole
                // partition when the frame is all of it (no ORDER BY and no frame written, or
                // both ends unbounded), else over each row's frame, as SUM's frame slides.
                let whole = bounds.start == .unboundedPreceding && bounds.end == .unboundedFollowing
                if !whole && aggregateCall.distinct && aggregateCall.function.isBasic {
                    switch aggregateCall.function {
                    case .count, .countStar: break
                    default:
                        throw SQLError(.unsupported, "\(name.uppercased())(DISTINCT ...) over a running or sliding frame is not supported; "
                                       + "COUNT(DISTINCT ...) is, and \(name.uppercased()) without DISTINCT", at: position)
                    }
                }
                call = WindowExpression(function: .aggregate(aggregateCall.function), arguments: aggregateCall.arguments,
                                        ignoreNulls: false, partitionBy: partitionBy, orderBy: whole ? [] : orderBy,
                                        frame: whole ? .partition : bounds, type: aggregateCall.type)
                call.aggregate = aggregateCall
            }
        } else {
            if FunctionRegistry.scalar(name) != nil {
                throw SQLError(.binder, "\(name.uppercased()) is not a window or aggregate function; OVER applies to those only", at: position)
            }
            throw FunctionRegistry.unknown(name, at: position)
        }
        context.calls.append(call)
        context.keys.append(key)
        return .column(index: WindowContext.placeholderBase + context.calls.count - 1, type: call.type,
                       name: Self.outputName(Expr(.window(w), at: position)))
    }

    /// The arguments of a ranking or navigation function, checked and typed: LAG/LEAD's
    /// offset a constant integer >= 0 and its default of the value's type, NTILE's and
    /// NTH_VALUE's count a constant integer >= 1.
    static func windowArguments(_ kind: WindowFunction.Kind, _ arguments: [BoundExpr], _ written: [Expr],
                                at position: Int) throws(SQLError) -> [BoundExpr] {
        var out = arguments
        func positiveConstant(_ i: Int, minimum: Int64, what: String) throws(SQLError) {
            guard case .constant(.int(let n), _) = fold(out[i]), n >= minimum else {
                throw SQLError(.binder, "\(kind.rawValue.uppercased())'s \(what) must be an integer constant of at least \(minimum)",
                               at: written[i].position)
            }
            out[i] = .constant(.int(n), .int64)
        }
        switch kind {
        case .ntile: try positiveConstant(0, minimum: 1, what: "bucket count")
        case .nthValue, .nthValueFromLast: try positiveConstant(1, minimum: 1, what: "position")
        case .conditionalTrueEvent:
            guard out[0].type == .boolean || isNullConstant(out[0]) else {
                throw SQLError(.type, "CONDITIONAL_TRUE_EVENT needs a condition (BOOLEAN), got \(out[0].type)", at: written[0].position)
            }
            if isNullConstant(out[0]) { out[0] = .constant(.null, .boolean) }
        case .conditionalChangeEvent:
            if isNullConstant(out[0]) { out[0] = .constant(.null, .varchar) }
        case .lag, .lead:
            if out.count > 1 { try positiveConstant(1, minimum: 0, what: "offset") }
            if out.count > 2 {
                // The default takes the value's type (a constant is converted now).
                let t = out[0].type
                guard isNullConstant(out[2]) || out[2].type == t || TypeRules.common(out[2].type, t) != nil else {
                    throw SQLError(.type, "\(kind.rawValue.uppercased())'s default has type \(out[2].type), the value \(t)", at: written[2].position)
                }
                out[2] = try coerce(out[2], to: t)
            }
            if case .nullLiteral = out[0] { out[0] = .constant(.null, .varchar) }
        default:
            break
        }
        return out
    }

    /// The frame of an aggregate or a frame-reading navigation function: the one written,
    /// else the whole partition without ORDER BY and everything up to the current row's
    /// last peer with it (SQL's default).
    func frame(_ written: WindowFrame?, orderBy: [SortKey], _ w: WindowCall, at position: Int) throws(SQLError) -> WindowFrameBounds {
        guard let written else { return orderBy.isEmpty ? .partition : .toCurrentPeers }
        let keyType = orderBy.count == 1 ? orderBy[0].expr.type : nil
        let temporalKey = keyType == .date || keyType == .timestamp
        func offset(_ e: Expr) throws(SQLError) -> Double {
            // `RANGE BETWEEN INTERVAL '7 days' PRECEDING ...` over one DATE or TIMESTAMP key: the
            // key's own units (days, microseconds); months and years have no fixed length.
            if let parts = Parser.intervalParts(e) {
                guard written.unit == .range, temporalKey else {
                    throw SQLError(.binder, "an INTERVAL frame offset needs RANGE and one DATE or TIMESTAMP ORDER BY key", at: e.position)
                }
                let micros = try Self.fixedLength(parts, of: "a RANGE frame offset", hint: "give it in days", at: e.position)
                guard micros >= 0 else { throw SQLError(.binder, "a frame offset must not be negative", at: e.position) }
                if keyType == .date {
                    guard micros % CivilTime.microsPerDay == 0 else {
                        throw SQLError(.binder, "a frame offset over a DATE key is a whole number of days", at: e.position)
                    }
                    return Double(micros / CivilTime.microsPerDay)
                }
                return Double(micros)
            }
            if keyType == .timestamp && written.unit == .range {
                throw SQLError(.binder, "a RANGE frame over a TIMESTAMP key takes an INTERVAL offset (INTERVAL '1 hour' PRECEDING)", at: e.position)
            }
            let bound = Self.fold((try? constantExpression(e)) ?? .nullLiteral)
            switch bound {
            case .constant(.int(let n), _) where n >= 0: return Double(n)
            case .constant(.double(let d), _) where d >= 0 && d.isFinite && (written.unit == .range || d == d.rounded()): return d
            default:
                throw SQLError(.binder, "a frame offset must be a non-negative \(written.unit != .range ? "integer " : "")constant", at: e.position)
            }
        }
        func bound(_ b: WindowFrame.Bound) throws(SQLError) -> WindowFrameBounds.Bound {
            switch b {
            case .unboundedPreceding: return .unboundedPreceding
            case .preceding(let e): return .preceding(try offset(e))
            case .currentRow: return .currentRow
            case .following(let e): return .following(try offset(e))
            case .unboundedFollowing: return .unboundedFollowing
            }
        }
        let frame = WindowFrameBounds(unit: written.unit, start: try bound(written.start), end: try bound(written.end))
        if frame.start == .unboundedFollowing || frame.end == .unboundedPreceding {
            throw SQLError(.binder, "a frame cannot start at UNBOUNDED FOLLOWING or end at UNBOUNDED PRECEDING", at: position)
        }
        // A frame that starts after the current row ends after it too (PostgreSQL's and
        // DuckDB's rule): ROWS BETWEEN 1 FOLLOWING AND 1 PRECEDING is a mistake, not an empty frame.
        switch (frame.start, frame.end) {
        case (.following, .preceding), (.following, .currentRow):
            throw SQLError(.binder, "a frame starting at a following row cannot end at the current or a preceding row", at: position)
        case (.currentRow, .preceding):
            throw SQLError(.binder, "a frame starting at the current row cannot end at a preceding row", at: position)
        default: break
        }
        if written.unit == .range {
            let offsets = [frame.start, frame.end].contains { if case .preceding = $0 { true } else if case .following = $0 { true } else { false } }
            if offsets {
                guard orderBy.count == 1, TypeRules.isNumeric(orderBy[0].expr.type) || temporalKey, orderBy[0].expr.type != .boolean else {
                    throw SQLError(.binder, "a RANGE frame with offsets needs exactly one numeric, DATE or TIMESTAMP ORDER BY key", at: position)
                }
            }
        }
        return frame
    }

    /// A constant expression bound without any columns (a frame offset).
    /// An INTERVAL's length in microseconds, for the units of fixed length (weeks, days,
    /// hours, minutes, seconds); `what` and `hint` word the error for months and years.
    static func fixedLength(_ parts: [(amount: Int64, unit: String)], of what: String, hint: String,
                            at position: Int) throws(SQLError) -> Int64 {
        var micros: Int64 = 0
        for (n, unit) in parts {
            let size: Int64
            switch DateFunctions.Unit.names[unit] {
            case .week: size = 7 * CivilTime.microsPerDay
            case .day: size = CivilTime.microsPerDay
            case .hour: size = 3_600_000_000
            case .minute: size = 60_000_000
            case .second: size = 1_000_000
            case .millisecond: size = 1_000
            case .microsecond: size = 1
            default: throw SQLError(.unsupported, "\(what) in \(unit) has no fixed length; \(hint)", at: position)
            }
            let (d, o1) = n.multipliedReportingOverflow(by: size)
            let (t, o2) = micros.addingReportingOverflow(d)
            guard !o1, !o2 else { throw SQLError(.binder, "\(what) is out of range", at: position) }
            micros = t
        }
        return micros
    }

    func constantExpression(_ e: Expr) throws(SQLError) -> BoundExpr {
        var copy = self
        return try copy.bindExpr(e, Scope(), nil)
    }
}
