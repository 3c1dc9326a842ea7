// Expressions as written: conjuncts, aggregate detection, the canonical text that matches
// SELECT items with GROUP BY keys, and the names output columns get without an alias.

import Columnar

extension Binder {
    /// `parts` joined by AND as a balanced tree (nil for none).
    static func conjunction(_ parts: [Expr]) -> Expr? {
        func build(_ lo: Int, _ hi: Int) -> Expr {
            if lo == hi { return parts[lo] }
            let mid = (lo + hi + 1) / 2
            return Expr(.binary(op: .logical(.and), build(lo, mid - 1), build(mid, hi)), at: parts[mid].position)
        }
        return parts.isEmpty ? nil : build(0, parts.count - 1)
    }

    static func conjuncts(_ e: Expr) -> [Expr] {
        var out: [Expr] = []
        func walk(_ e: Expr) {
            if case .binary(.logical(.and), let a, let b) = e.kind { walk(a); walk(b) } else { out.append(e) }
        }
        walk(e)
        return out
    }

    static func containsAggregate(_ e: Expr) -> Bool {
        switch e.kind {
        case .function(let name, let args, _, _, let clauses):
            return FunctionRegistry.aggregate(name) != nil || args.contains(where: containsAggregate)
                || clauses.expressions.contains(where: containsAggregate)
        case .window(let w): return w.expressions.contains(where: containsAggregate)
        case .unary(_, let x), .cast(let x, _), .isNull(let x, _): return containsAggregate(x)
        case .binary(_, let a, let b), .like(let a, let b, _, _), .subscript_(let a, let b): return containsAggregate(a) || containsAggregate(b)
        case .between(let a, let b, let c, _): return containsAggregate(a) || containsAggregate(b) || containsAggregate(c)
        case .inList(let x, let items, _): return containsAggregate(x) || items.contains(where: containsAggregate)
        case .inSubquery(let x, _, _): return containsAggregate(x)
        case .caseWhen(let o, let whens, let otherwise):
            return (o.map(containsAggregate) ?? false) || whens.contains { containsAggregate($0.0) || containsAggregate($0.1) }
                || (otherwise.map(containsAggregate) ?? false)
        default: return false
        }
    }

    /// A canonical text of an expression, to match SELECT items with GROUP BY expressions.
    /// Columns are named by their position in `scope` when they resolve there, so `a.s` and
    /// `b.s` differ and `s` and `a.s` are the same column when `s` means `a.s`.
    static func fingerprint(_ e: Expr, in scope: Scope? = nil) -> String {
        func f(_ x: Expr) -> String { fingerprint(x, in: scope) }
        switch e.kind {
        case .column(let parts):
            if let scope, let i = try? scope.resolve(parts, at: e.position) { return "col#\(i)" }
            return "col(\(parts.map { $0.lowercased() }.joined(separator: ".")))"
        case .literal(let v): return "lit(\(v))"
        case .star(let q): return "*\(q ?? "")"
        case .unary(let op, let x): return "\(op.rawValue)(\(f(x)))"
        case .binary(let op, let a, let b): return "(\(f(a)) \(op) \(f(b)))"
        case .function(let n, let args, let d, let s, let clauses):
            var text = "\(n.lowercased())(\(d ? "distinct " : "")\(s ? "*" : "")\(args.map(f).joined(separator: ",")))"
            if !clauses.orderBy.isEmpty {
                text += " order(" + clauses.orderBy.map { "\(f($0.expr)) \($0.descending) \($0.nullsFirst.map(String.init) ?? "")" }.joined(separator: ",") + ")"
            }
            if let filter = clauses.filter { text += " filter(\(f(filter)))" }
            return text
        case .cast(let x, let t): return "cast(\(f(x)) as \(t))"
        case .isNull(let x, let n): return "isnull(\(f(x)),\(n))"
        case .inList(let x, let items, let n): return "in(\(f(x)),\(n),\(items.map(f).joined(separator: ",")))"
        case .between(let a, let b, let c, let n): return "between(\(f(a)),\(f(b)),\(f(c)),\(n))"
        case .like(let a, let b, let ci, let n): return "like(\(f(a)),\(f(b)),\(ci),\(n))"
        case .caseWhen(let o, let whens, let otherwise):
            return "case(\(o.map(f) ?? ""),\(whens.map { f($0.0) + "->" + f($0.1) }.joined(separator: ",")),\(otherwise.map(f) ?? ""))"
        case .subscript_(let a, let b): return "\(f(a))[\(f(b))]"
        case .inSubquery, .exists, .scalarSubquery: return "subquery@\(e.position)"
        case .window(let w):
            var call = "\(w.name.lowercased())(\(w.distinct ? "distinct " : "")\(w.star ? "*" : "")\(w.args.map(f).joined(separator: ",")))"
            if !w.clauses.orderBy.isEmpty { call += " order(" + w.clauses.orderBy.map { "\(f($0.expr)) \($0.descending)" }.joined(separator: ",") + ")" }
            if let filter = w.clauses.filter { call += " filter(\(f(filter)))" }
            return call + (w.ignoreNulls ? " ignore nulls" : "") + " over(" + windowText(w.over, f) + ")"
        }
    }

    /// A window specification as text, each expression written by `f`.
    static func windowText(_ spec: WindowSpec, _ f: (Expr) -> String) -> String {
        var parts: [String] = []
        if let base = spec.base { parts.append(base) }
        if !spec.partitionBy.isEmpty { parts.append("PARTITION BY " + spec.partitionBy.map(f).joined(separator: ", ")) }
        if !spec.orderBy.isEmpty {
            parts.append("ORDER BY " + spec.orderBy.map { f($0.expr) + ($0.descending ? " DESC" : "") }.joined(separator: ", "))
        }
        if let frame = spec.frame {
            func bound(_ b: WindowFrame.Bound) -> String {
                switch b {
                case .unboundedPreceding: "UNBOUNDED PRECEDING"
                case .preceding(let e): f(e) + " PRECEDING"
                case .currentRow: "CURRENT ROW"
                case .following(let e): f(e) + " FOLLOWING"
                case .unboundedFollowing: "UNBOUNDED FOLLOWING"
                }
            }
            parts.append("\(frame.unit.rawValue) BETWEEN \(bound(frame.start)) AND \(bound(frame.end))")
        }
        return parts.joined(separator: " ")
    }

    /// An operand inside an operator's or a function's name: text constants keep their quotes
    /// (`upper('a')`, as DuckDB and Snowflake name it).
    static func operandName(_ e: Expr) -> String {
        if case .literal(.string(let s)) = e.kind { return "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
        return outputName(e)
    }

    /// The column name a SELECT item gets without an alias.
    static func outputName(_ e: Expr) -> String {
        switch e.kind {
        case .column(let parts): return parts.last!
        case .function(let n, let args, _, _, _) where n == Parser.distinctRowFunction:
            return args.map(outputName).joined(separator: ", ")
        case .function(let n, let args, _, _, _) where n == Parser.rowFunction:
            return "(" + args.map(operandName).joined(separator: ", ") + ")"
        case .function where Parser.intervalParts(e) != nil:
            return "INTERVAL '" + Parser.intervalParts(e)!.map { "\($0.amount) \($0.unit)" }.joined(separator: " ") + "'"
        case .function(let n, let args, _, _, _) where ["cast_number", "cast_decimal", "try_cast_number", "try_cast_decimal"].contains(n) && args.count == 3:
            // [TRY_]CAST(x AS NUMBER(p, s)) is named as x, like every CAST.
            return outputName(args[0])
        case .function(let n, let args, let d, let star, let clauses):
            var text = star ? "count_star()" : "\(n.lowercased())(\(d ? "DISTINCT " : "")\(args.map(operandName).joined(separator: ", ")))"
            if !clauses.orderBy.isEmpty {
                text += " WITHIN GROUP (ORDER BY " + clauses.orderBy.map { outputName($0.expr) + ($0.descending ? " DESC" : "") }.joined(separator: ", ") + ")"
            }
            if let filter = clauses.filter { text += " FILTER (WHERE \(outputName(filter)))" }
            return text
        case .literal(let v): return v.description
        case .cast(let x, _): return outputName(x)
        // Operators read back as SQL, as DuckDB names them: `(rating * 2)`, `(x IS NULL)`.
        case .unary(let op, let x): return op == .not ? "(NOT \(operandName(x)))" : "-\(operandName(x))"
        case .binary(let op, let a, let b): return "(\(operandName(a)) \(op) \(operandName(b)))"
        case .isNull(let x, let n): return "(\(operandName(x)) IS \(n ? "NOT " : "")NULL)"
        case .inList(let x, let items, let n):
            return "(\(operandName(x)) \(n ? "NOT " : "")IN (\(items.map(outputName).joined(separator: ", "))))"
        case .between(let a, let b, let c, let n):
            return "(\(operandName(a)) \(n ? "NOT " : "")BETWEEN \(operandName(b)) AND \(operandName(c)))"
        case .like(let a, let b, let ci, let n): return "(\(operandName(a)) \(n ? "NOT " : "")\(ci ? "ILIKE" : "LIKE") \(operandName(b)))"
        case .inSubquery(let x, _, let n): return "(\(operandName(x)) \(n ? "NOT " : "")IN (SELECT ...))"
        case .exists(_, let n): return n ? "(NOT EXISTS (SELECT ...))" : "EXISTS (SELECT ...)"
        case .scalarSubquery: return "(SELECT ...)"
        case .caseWhen: return "CASE ... END"
        case .subscript_(let a, let b): return "\(outputName(a))[\(outputName(b))]"
        case .window(let w):
            let call = w.star ? "\(w.name.lowercased())(*)" : "\(w.name.lowercased())(\(w.distinct ? "DISTINCT " : "")\(w.args.map(operandName).joined(separator: ", ")))"
            return call + " OVER (" + windowText(w.over, outputName) + ")"
        default: return fingerprint(e)
        }
    }
}
