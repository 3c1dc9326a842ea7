// Typing of operators: which operand types each accepts, the result type, and the casts
// that bring both sides to one type. `NULL` without a type takes the other side's.

import Columnar

extension Binder {
    func bindUnary(_ op: UnaryOperator, _ b: BoundExpr, at position: Int) throws(SQLError) -> BoundExpr {
        switch op {
        case .not:
            try requireBoolean(b, "NOT", at: position)
            return try Self.fold(.not(Self.coerce(b, to: .boolean)))
        case .negate:
            guard (TypeRules.isNumeric(b.type) && b.type != .boolean) || Self.isNullConstant(b) else {
                throw SQLError(.type, "cannot negate \(b.type)", at: position)
            }
            return Self.fold(.negate(Self.isNullConstant(b) ? .constant(.null, .int64) : b))
        }
    }

    func bindBinary(_ op: BinaryOperator, _ a: BoundExpr, _ b: BoundExpr, at position: Int) throws(SQLError) -> BoundExpr {
        switch op {
        case .logical(let op):
            try requireBoolean(a, op.rawValue, at: position)
            try requireBoolean(b, op.rawValue, at: position)
            return try Self.fold(.logical(op, try Self.coerce(a, to: .boolean), try Self.coerce(b, to: .boolean)))
        case .concat:
            let l = a.type == .varchar ? a : try Self.coerce(a, to: .varchar)
            let r = b.type == .varchar ? b : try Self.coerce(b, to: .varchar)
            return Self.fold(.concat(l, r))
        case .arithmetic(let op):
            // Dates count in days: DATE ± n is n days later (earlier), DATE - DATE the days
            // between (Snowflake and DuckDB).
            if op == .add || op == .subtract, a.type == .date || b.type == .date {
                if a.type == .date && b.type == .date && op == .subtract {
                    return try Self.call("datediff", [.constant(.string("day"), .varchar), b, a])
                }
                if a.type == .date && b.type.isInteger && b.type != .boolean {
                    let days = op == .add ? b : Self.fold(.negate(b))
                    return try Self.call("dateadd", [.constant(.string("day"), .varchar), days, a])
                }
                if b.type == .date && a.type.isInteger && a.type != .boolean && op == .add {
                    return try Self.call("dateadd", [.constant(.string("day"), .varchar), a, b])
                }
            }
            var l = a, r = b
            if Self.isNullConstant(l) { l = .constant(.null, TypeRules.isNumeric(r.type) ? r.type : .int64) }
            if Self.isNullConstant(r) { r = .constant(.null, TypeRules.isNumeric(l.type) ? l.type : .int64) }
            guard TypeRules.isNumeric(l.type) && TypeRules.isNumeric(r.type) else {
                throw SQLError(.type, "cannot apply \(op.rawValue) to \(l.type) and \(r.type)", at: position)
            }
            // Division is always DOUBLE (5 / 2 is 2.5, as in DuckDB and Snowflake).
            let t: LogicalType = (l.type == .double || r.type == .double || op == .divide) ? .double : .int64
            return Self.fold(.arithmetic(op, l, r, t))
        case .comparison(let op):
            var l = a, r = b
            if Self.isNullConstant(l) { l = .constant(.null, r.type) }
            if Self.isNullConstant(r) { r = .constant(.null, l.type) }
            // A string constant against a typed column is read as that type ('2019-01-01', '5').
            if l.type == .varchar && r.type != .varchar, case .constant = l { l = try Self.coerce(l, to: r.type) }
            if r.type == .varchar && l.type != .varchar, case .constant = r { r = try Self.coerce(r, to: l.type) }
            let comparable = l.type == r.type || TypeRules.common(l.type, r.type) != nil
            guard comparable, l.type != .listVarchar else {
                throw SQLError(.type, "cannot compare \(l.type) with \(r.type)", at: position)
            }
            return Self.fold(.comparison(op, l, r))
        }
    }

    /// `x [NOT] IN (items)`: the constant items as one list, any others as equalities.
    func bindInList(_ left: BoundExpr, _ items: [(BoundExpr, Int)], negated: Bool, at position: Int) throws(SQLError) -> BoundExpr {
        var values: [Value] = []
        var nonConstant: [BoundExpr] = []
        for (item, itemPosition) in items {
            let b = Self.fold(item)
            if case .nullLiteral = b { values.append(.null); continue }
            if case .constant(let v, _) = b {
                // Numbers stay as written and compare by value (`int_col IN (1.5)` matches
                // nothing; 3000000000 is no error against an INT); other constants are read
                // as the left side's type ('2019-01-01' against a DATE).
                let numbers: Set<LogicalType> = [.int32, .int64, .double]
                let keep = v == .null || (numbers.contains(left.type) && numbers.contains(b.type))
                values.append(keep ? v : try Self.convertConstant(v, b.type, to: left.type, at: itemPosition))
            } else {
                nonConstant.append(b)
            }
        }
        if nonConstant.isEmpty { return .inList(left, values, negated: negated) }
        // x IN (a, b, col): an OR of equalities.
        var alternatives: [BoundExpr] = values.isEmpty ? [] : [.inList(left, values, negated: false)]
        for b in nonConstant { alternatives.append(try bindBinary(.comparison(.equal), left, b, at: position)) }
        let result = BoundExpr.disjunction(alternatives)!
        return negated ? .not(result) : result
    }

    /// `x [NOT] [I]LIKE pattern`, the pattern a constant (compiled once per batch).
    func bindLike(_ x: BoundExpr, pattern p: BoundExpr, at position: Int, caseInsensitive: Bool,
                  negated: Bool) throws(SQLError) -> BoundExpr {
        guard case .constant(let pattern, _) = Self.fold(p) else {
            throw SQLError(.unsupported, "LIKE patterns must be constants", at: position)
        }
        if pattern == .null { return .constant(.null, .boolean) }
        let s = x.type == .varchar ? x : .cast(x, .varchar)
        return .like(s, pattern: pattern.description, caseInsensitive: caseInsensitive, negated: negated)
    }
}
