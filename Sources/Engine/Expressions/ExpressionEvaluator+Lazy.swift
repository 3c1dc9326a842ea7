// The parts of an expression that must not run on every row: a CASE branch runs only on the
// rows that take it, and the right side of AND / OR only where the left side leaves the
// answer open. `CASE WHEN s ~ '^[0-9]+$' THEN CAST(s AS INT) END` and `x <> 0 AND
// 10 % x = 1` then never fail on rows that do not reach the failing part, as in DuckDB and
// Snowflake. Only expressions that can fail take this path; the rest run over the whole batch.

import Columnar

extension BoundExpr {
    /// Whether evaluating the expression can raise an error for some row: a cast, integer
    /// arithmetic that can overflow, a function.
    var canFail: Bool {
        switch self {
        case .column, .constant, .nullLiteral, .subqueryValue: return false
        case .inSubquery(let e, _, _): return e.canFail
        case .negate(let e): return e.type != .double || e.canFail
        case .not(let e), .isNull(let e, _), .inList(let e, _, _), .inSet(let e, _, _), .like(let e, _, _, _): return e.canFail
        case .comparison(_, let a, let b), .logical(_, let a, let b), .concat(let a, let b): return a.canFail || b.canFail
        case .arithmetic(let op, let a, let b, let t): return (t != .double && op != .divide) || a.canFail || b.canFail
        case .caseWhen(let whens, let otherwise, _):
            return whens.contains { $0.0.canFail || $0.1.canFail } || (otherwise?.canFail ?? false)
        case .cast(let e, let t): return !Self.widens(e.type, to: t) || e.canFail
        case .function(let call, let args, _): return !TryExpression.isTry(call) && (call.function.canFail || args.contains { $0.canFail })
        }
    }
}

extension BoundExpr {
    /// Casts that hold every value of the source type (no parse, no range to leave).
    static func widens(_ from: LogicalType, to t: LogicalType) -> Bool {
        switch (from, t) {
        case (_, .varchar), (.int32, .int64), (.int32, .double), (.int64, .double), (.boolean, .int32), (.boolean, .int64),
             (.boolean, .double), (.date, .timestamp):
            return true
        default:
            return from == t
        }
    }
}

extension ExpressionEvaluator {
    /// `e` over rows `rows` (ascending) of `chunk`: a column of `rows.count` values. Only the
    /// columns `e` reads are gathered.
    static func evaluate(_ e: BoundExpr, _ chunk: DataChunk, rows: [Int]) throws(SQLError) -> ColumnData {
        if rows.count == chunk.count { return try evaluate(e, chunk) }
        var map: [Int: Int] = [:]
        var columns: [ColumnData] = []
        for c in e.columnsUsed.sorted() {
            map[c] = columns.count
            columns.append(chunk.columns[c].selecting(rows))
        }
        return try evaluate(e.remapped(map), DataChunk(columns: columns, count: rows.count))
    }

    /// Whether a CASE must run its branches only on their own rows.
    static func needsLazyCase(_ whens: [(BoundExpr, BoundExpr)], _ otherwise: BoundExpr?) -> Bool {
        whens.enumerated().contains { k, w in (k > 0 && w.0.canFail) || w.1.canFail } || (otherwise?.canFail ?? false)
    }

    /// CASE, branch by branch: each condition runs on the rows no earlier branch took, each
    /// result on the rows its branch took.
    static func lazyCase(_ whens: [(BoundExpr, BoundExpr)], _ otherwise: BoundExpr?, _ t: LogicalType,
                         _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        let n = chunk.count
        var remaining = Array(0..<n)
        var branchOf = [Int](repeating: whens.count, count: n)  // whens.count: the ELSE
        var rowsOf: [[Int]] = Array(repeating: [], count: whens.count + 1)
        for (k, (condition, _)) in whens.enumerated() where !remaining.isEmpty {
            let c = try evaluate(condition, chunk, rows: remaining)
            let holds = ColumnAccess.bools(c)
            var rest: [Int] = []
            rest.reserveCapacity(remaining.count)
            for (i, r) in remaining.enumerated() {
                if holds[i] && !c.isNull(i) { rowsOf[k].append(r); branchOf[r] = k } else { rest.append(r) }
            }
            remaining = rest
        }
        rowsOf[whens.count] = remaining
        var values: [ColumnData?] = []
        for k in 0...whens.count {
            let result = k < whens.count ? whens[k].1 : otherwise
            guard let result, !rowsOf[k].isEmpty else { values.append(nil); continue }
            values.append(try cast(try evaluate(result, chunk, rows: rowsOf[k]), to: t))
        }
        var position = [Int](repeating: 0, count: n)
        for rows in rowsOf { for (i, r) in rows.enumerated() { position[r] = i } }
        var builder = ColumnBuilder(type: t, capacity: n)
        for r in 0..<n {
            if let v = values[branchOf[r]] { builder.append(from: v, row: position[r]) } else { builder.appendNull() }
        }
        return builder.finish()
    }

    /// AND / OR whose right side can fail: it runs only where the left side does not decide
    /// (AND: left not false; OR: left not true). SQL's three-valued logic otherwise.
    static func lazyLogical(_ op: LogicalOperator, _ a: BoundExpr, _ b: BoundExpr, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        let n = chunk.count
        let l = try evaluate(a, chunk)
        let lv = ColumnAccess.bools(l)
        let isAnd = op == .and
        // Rows the left side decides: false for AND, true for OR.
        var open: [Int] = []
        open.reserveCapacity(n)
        for i in 0..<n where l.isNull(i) || lv[i] == isAnd { open.append(i) }
        if open.count == n { return logical(op, l, try evaluate(b, chunk)) }
        let r = try evaluate(b, chunk, rows: open)
        let rv = ColumnAccess.bools(r)
        var out = [Bool](repeating: !isAnd, count: n)
        var validity: ValidityBitmap? = nil
        for (k, i) in open.enumerated() {
            let ln = l.isNull(i), rn = r.isNull(k)
            let value: Bool?
            if isAnd {
                if !rn && !rv[k] { value = false } else if ln || rn { value = nil } else { value = true }
            } else {
                if !rn && rv[k] { value = true } else if ln || rn { value = nil } else { value = false }
            }
            if let value { out[i] = value } else {
                if validity == nil { validity = ValidityBitmap(allValid: n) }
                validity!.setValid(i, false)
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(out), validity: validity)
    }
}
