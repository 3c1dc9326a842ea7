// CURRENT_TIMESTAMP and CURRENT_DATE are the statement's start, as Snowflake and DuckDB read
// them: one value on every row, in every batch and subquery of the statement. A plan keeps the
// calls (a view or a macro must not freeze its creation time); the statement that runs puts
// its start time in their place before anything is evaluated.

import Columnar

extension QueryEngine {
    /// `plan` (its subqueries' plans and shared CTEs included) with the statement's clock
    /// read once.
    static func fixingStatementTime(_ plan: Plan, startedAt micros: Int64) -> Plan {
        func fix(_ e: BoundExpr) -> BoundExpr {
            e.rewritten { x in
                guard case .function(let call, let args, let type) = x, args.isEmpty else { return nil }
                switch call.function.name {
                case "current_timestamp": return .constant(.timestamp(micros), type)
                case "current_date": return .constant(.date(Int32(truncatingIfNeeded: CivilTime.day(micros: micros))), type)
                default: return nil
                }
            }
        }
        guard plan.readsStatementTime else { return plan }
        return plan.transformUp(intoShared: true) { $0.mapExpressions(fix) }
    }
}

extension Plan {
    /// Whether an expression anywhere in the plan reads the clock.
    var readsStatementTime: Bool {
        let here = expressions.contains { e in
            var found = false
            _ = e.rewritten { x in
                if case .function(let call, let args, _) = x, args.isEmpty,
                   call.function.name == "current_timestamp" || call.function.name == "current_date" { found = true }
                return nil
            }
            return found
        }
        return here || children.contains(where: \.readsStatementTime)
    }
}
