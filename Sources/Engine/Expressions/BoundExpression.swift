// Expressions after binding: names resolved to input column indexes, every node typed,
// functions looked up. The evaluator runs these a batch at a time.

import Columnar

/// A typed expression over the columns of an input chunk.
package indirect enum BoundExpr: Sendable, CustomStringConvertible {
    case column(index: Int, type: LogicalType, name: String)
    case constant(Value, LogicalType)
    /// `NULL` written without a type. It takes its type from where it is used (the other
    /// operand, the other CASE branches, a function's parameter); alone it is VARCHAR. A NULL
    /// with a type (`CAST(NULL AS INT)`) is a `constant` and keeps that type.
    case nullLiteral
    case negate(BoundExpr)
    case not(BoundExpr)
    case arithmetic(ArithmeticOperator, BoundExpr, BoundExpr, LogicalType)
    case comparison(ComparisonOperator, BoundExpr, BoundExpr)
    case logical(LogicalOperator, BoundExpr, BoundExpr)
    case concat(BoundExpr, BoundExpr)
    case isNull(BoundExpr, negated: Bool)
    case inList(BoundExpr, [Value], negated: Bool)
    /// `x [NOT] IN (SELECT ...)` inside an expression: the subquery's values, hashed once.
    case inSet(BoundExpr, ValueSet, negated: Bool)
    /// The value (or, for EXISTS, the truth) of subquery `id` of the plan (`Plan.subqueries`),
    /// a constant once the subquery has run.
    case subqueryValue(id: Int, LogicalType)
    /// `x [NOT] IN (subquery id)`: an `inSet` once the subquery has run.
    case inSubquery(BoundExpr, id: Int, negated: Bool)
    case like(BoundExpr, pattern: String, caseInsensitive: Bool, negated: Bool)
    case caseWhen(whens: [(BoundExpr, BoundExpr)], otherwise: BoundExpr?, LogicalType)
    case cast(BoundExpr, LogicalType)
    /// A call of a registry function's chosen overload, its arguments already of the
    /// overload's parameter types.
    case function(FunctionCall, args: [BoundExpr], LogicalType)

    /// `parts[0] AND parts[1] AND ...` as a balanced tree (nil for no parts), so long chains
    /// of conditions nest log2(n) deep for the recursive passes and the evaluator.
    package static func conjunction(_ parts: [BoundExpr]) -> BoundExpr? { balanced(.and, parts) }

    /// `parts[0] OR parts[1] OR ...` as a balanced tree (nil for no parts).
    package static func disjunction(_ parts: [BoundExpr]) -> BoundExpr? { balanced(.or, parts) }

    private static func balanced(_ op: LogicalOperator, _ parts: [BoundExpr]) -> BoundExpr? {
        func build(_ lo: Int, _ hi: Int) -> BoundExpr {
            if lo == hi { return parts[lo] }
            let mid = (lo + hi + 1) / 2
            return .logical(op, build(lo, mid - 1), build(mid, hi))
        }
        return parts.isEmpty ? nil : build(0, parts.count - 1)
    }

    package var type: LogicalType {
        switch self {
        case .column(_, let t, _), .constant(_, let t), .arithmetic(_, _, _, let t), .caseWhen(_, _, let t),
             .cast(_, let t), .function(_, _, let t), .subqueryValue(_, let t):
            return t
        case .negate(let e): return e.type
        case .not, .comparison, .logical, .isNull, .inList, .inSet, .inSubquery, .like: return .boolean
        case .concat, .nullLiteral: return .varchar
        }
    }

    /// Whether the expression reads no column (it can be folded to a constant).
    package var isConstant: Bool {
        switch self {
        case .column, .subqueryValue, .inSubquery: return false
        case .constant, .nullLiteral: return true
        case .negate(let e), .not(let e), .isNull(let e, _), .inList(let e, _, _), .inSet(let e, _, _), .like(let e, _, _, _), .cast(let e, _):
            return e.isConstant
        case .arithmetic(_, let a, let b, _), .comparison(_, let a, let b), .logical(_, let a, let b), .concat(let a, let b):
            return a.isConstant && b.isConstant
        case .caseWhen(let whens, let otherwise, _):
            return whens.allSatisfy { $0.0.isConstant && $0.1.isConstant } && (otherwise?.isConstant ?? true)
        case .function(let call, let args, _): return call.function.volatility == .immutable && args.allSatisfy(\.isConstant)
        }
    }

    /// Whether it calls a function whose value may differ between evaluations.
    package var isVolatile: Bool {
        var found = false
        _ = rewritten { e in
            if case .function(let call, _, _) = e, call.function.volatility == .volatile { found = true }
            return nil
        }
        return found
    }

    /// Column indexes the expression reads.
    package var columnsUsed: Set<Int> {
        switch self {
        case .column(let i, _, _): return [i]
        case .constant, .nullLiteral, .subqueryValue: return []
        case .negate(let e), .not(let e), .isNull(let e, _), .inList(let e, _, _), .inSet(let e, _, _), .like(let e, _, _, _), .cast(let e, _),
             .inSubquery(let e, _, _):
            return e.columnsUsed
        case .arithmetic(_, let a, let b, _), .comparison(_, let a, let b), .logical(_, let a, let b), .concat(let a, let b):
            return a.columnsUsed.union(b.columnsUsed)
        case .caseWhen(let whens, let otherwise, _):
            var s = otherwise?.columnsUsed ?? []
            for (w, t) in whens { s.formUnion(w.columnsUsed); s.formUnion(t.columnsUsed) }
            return s
        case .function(_, let args, _): return args.reduce(into: Set<Int>()) { $0.formUnion($1.columnsUsed) }
        }
    }

    /// The same node over its children mapped by `f` (a leaf comes back as it is).
    package func mapChildren(_ f: (BoundExpr) -> BoundExpr) -> BoundExpr {
        switch self {
        case .column, .constant, .nullLiteral, .subqueryValue: return self
        case .negate(let e): return .negate(f(e))
        case .not(let e): return .not(f(e))
        case .arithmetic(let op, let a, let b, let t): return .arithmetic(op, f(a), f(b), t)
        case .comparison(let op, let a, let b): return .comparison(op, f(a), f(b))
        case .logical(let op, let a, let b): return .logical(op, f(a), f(b))
        case .concat(let a, let b): return .concat(f(a), f(b))
        case .isNull(let e, let n): return .isNull(f(e), negated: n)
        case .inList(let e, let v, let n): return .inList(f(e), v, negated: n)
        case .inSet(let e, let v, let n): return .inSet(f(e), v, negated: n)
        case .inSubquery(let e, let id, let n): return .inSubquery(f(e), id: id, negated: n)
        case .like(let e, let p, let ci, let n): return .like(f(e), pattern: p, caseInsensitive: ci, negated: n)
        case .caseWhen(let whens, let o, let t): return .caseWhen(whens: whens.map { (f($0.0), f($0.1)) }, otherwise: o.map(f), t)
        case .cast(let e, let t): return .cast(f(e), t)
        case .function(let call, let args, let t): return .function(call, args: args.map(f), t)
        }
    }

    /// `replace` applied from the root down: where it returns an expression, that takes the
    /// node's place (and is not descended into); elsewhere the children are rewritten.
    package func rewritten(_ replace: (BoundExpr) -> BoundExpr?) -> BoundExpr {
        if let r = replace(self) { return r }
        return mapChildren { $0.rewritten(replace) }
    }

    /// The same expression reading column `map[i]` where it read column `i`.
    package func remapped(_ map: [Int: Int]) -> BoundExpr {
        rewritten { e in
            guard case .column(let i, let t, let n) = e else { return nil }
            return .column(index: map[i] ?? i, type: t, name: n)
        }
    }

    /// The same expression with `map[i]` in place of each column `i` it maps.
    package func substituting(_ map: [Int: BoundExpr]) -> BoundExpr {
        rewritten { e in
            guard case .column(let i, _, _) = e else { return nil }
            return map[i]
        }
    }

    /// The ids of the subqueries the expression reads.
    package var subqueryIds: Set<Int> {
        var out = Set<Int>()
        _ = rewritten { e in
            switch e {
            case .subqueryValue(let id, _): out.insert(id)
            case .inSubquery(_, let id, _): out.insert(id)
            default: break
            }
            return nil
        }
        return out
    }

    package var description: String {
        switch self {
        case .column(let i, _, let n): return n.isEmpty ? "#\(i)" : n
        case .constant(let v, let t): return t == .varchar && !v.isNull ? "'\(v)'" : v.description
        case .nullLiteral: return "NULL"
        case .negate(let e): return "-(\(e))"
        case .not(let e): return "NOT (\(e))"
        case .arithmetic(let op, let a, let b, _): return "(\(a) \(op.rawValue) \(b))"
        case .comparison(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .logical(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .concat(let a, let b): return "(\(a) || \(b))"
        case .isNull(let e, let n): return "(\(e) IS \(n ? "NOT " : "")NULL)"
        case .inList(let e, let v, let n): return "(\(e) \(n ? "NOT " : "")IN (\(v.map(\.description).joined(separator: ", "))))"
        case .inSet(let e, let v, let n): return "(\(e) \(n ? "NOT " : "")IN (subquery: \(v)))"
        case .subqueryValue(let id, _): return "$\(id)"
        case .inSubquery(let e, let id, let n): return "(\(e) \(n ? "NOT " : "")IN $\(id))"
        case .like(let e, let p, let ci, let n): return "(\(e) \(n ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") '\(p)')"
        case .caseWhen(let whens, let o, _):
            return "CASE " + whens.map { "WHEN \($0.0) THEN \($0.1)" }.joined(separator: " ") + (o.map { " ELSE \($0)" } ?? "") + " END"
        case .cast(let e, let t): return "CAST(\(e) AS \(t))"
        case .function(let call, let args, _): return "\(call.name)(\(args.map(\.description).joined(separator: ", ")))"
        }
    }
}
