// Window rules. `QUALIFY ROW_NUMBER() OVER (PARTITION BY k ORDER BY t) <= N` (or `< N`,
// `= 1`) asks for the first N rows of each group: the window then keeps only those, in one
// pass with a few candidates per group (`TopPerPartitionOperator`), instead of numbering
// and filtering every row.

import Columnar

extension Optimizer {
    static func topPerPartition(_ plan: Plan) -> Plan {
        plan.transformUp { node in
            guard case .filter(.window(let input, let windows), let predicate) = node, windows.count == 1,
                  case .window(.rowNumber) = windows[0].function, (1...2).contains(windows[0].orderBy.count),
                  windows[0].orderBy.allSatisfy({ TopPerPartitionOperator.supports($0.expr.type) }) else { return node }
            let column = input.types.count
            var limit: Int? = nil
            for part in conjuncts(predicate) {
                guard let bound = rowNumberBound(part, column: column) else { continue }
                limit = min(limit ?? bound, bound)
            }
            guard let limit, limit <= TopPerPartitionOperator.maxLimit else { return node }
            var window = windows[0]
            window.keepsTop = max(0, limit)
            return .filter(.window(input, [window]), predicate)
        }
    }

    /// The largest row number `e` lets through when it compares column `column` (the row
    /// number) with an integer constant: `<= k` gives k, `< k` k - 1, `= k` k.
    private static func rowNumberBound(_ e: BoundExpr, column: Int) -> Int? {
        guard case .comparison(let written, let a, let b) = e else { return nil }
        var op = written
        let constant: BoundExpr
        if case .column(column, _, _) = a { constant = b } else if case .column(column, _, _) = b { constant = a; op = op.flipped } else { return nil }
        guard case .constant(let v, _) = constant else { return nil }
        let k: Int
        switch v {
        case .int(let x): guard let i = Int(exactly: x) else { return nil }; k = i
        case .double(let x) where x.isFinite && abs(x) < 1e15: k = Int(x.rounded(.down)); if op == .less && Double(k) != x { return k }
        default: return nil
        }
        switch op {
        case .lessOrEqual, .equal: return k
        case .less: return k - 1
        default: return nil
        }
    }
}
