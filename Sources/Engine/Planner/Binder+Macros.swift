// Functions that are other SQL: Snowflake's NVL2, ZEROIFNULL, NULLIFZERO, DIV0, DECODE and
// EQUAL_NULL (which `IS [NOT] DISTINCT FROM` also means) expand into CASE expressions before
// binding, so their arguments take the usual types, NULL rules and lazy evaluation, and a
// branch that can fail runs only on the rows that take it.

extension Binder {
    /// The expansion of `name(args)` when it is one of these functions; nil otherwise.
    static func macro(_ name: String, _ args: [Expr], at position: Int) throws(SQLError) -> Expr? {
        func arity(_ n: ClosedRange<Int>) throws(SQLError) {
            guard n.contains(args.count) else {
                let takes = n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)"
                throw SQLError(.binder, "\(name.uppercased()) takes \(takes) arguments, got \(args.count)", at: position)
            }
        }
        func e(_ kind: Expr.Kind) -> Expr { Expr(kind, at: position) }
        let null = e(.literal(.null)), zero = e(.literal(.int(0)))
        func isNull(_ x: Expr) -> Expr { e(.isNull(x, negated: false)) }
        func equals(_ a: Expr, _ b: Expr) -> Expr { e(.binary(op: .comparison(.equal), a, b)) }
        /// `a` equals `b`, NULL equal to NULL: never NULL itself.
        func equalNull(_ a: Expr, _ b: Expr) -> Expr {
            e(.caseWhen(operand: nil, whens: [(isNull(a), isNull(b)), (isNull(b), e(.literal(.bool(false))))], otherwise: equals(a, b)))
        }
        switch name.lowercased() {
        case "nvl2":
            // NVL2(x, a, b): a where x is not NULL, else b.
            try arity(3...3)
            return e(.caseWhen(operand: nil, whens: [(e(.isNull(args[0], negated: true)), args[1])], otherwise: args[2]))
        case "zeroifnull":
            try arity(1...1)
            return e(.caseWhen(operand: nil, whens: [(isNull(args[0]), zero)], otherwise: args[0]))
        case "nullifzero":
            try arity(1...1)
            return e(.caseWhen(operand: nil, whens: [(equals(args[0], zero), null)], otherwise: args[0]))
        case "div0":
            // DIV0(a, b): a / b, and 0 where b is 0 (Snowflake).
            try arity(2...2)
            return e(.caseWhen(operand: nil, whens: [(equals(args[1], zero), zero)], otherwise: e(.binary(op: .arithmetic(.divide), args[0], args[1]))))
        case "equal_null":
            try arity(2...2)
            return equalNull(args[0], args[1])
        case "decode":
            // DECODE(x, s1, r1, s2, r2, ..., [default]): the first r whose s equals x (NULL
            // matching NULL), else the default or NULL.
            guard args.count >= 3 else { throw SQLError(.binder, "DECODE takes an expression, then search and result pairs", at: position) }
            var whens: [(Expr, Expr)] = []
            var i = 1
            while i + 1 < args.count {
                whens.append((equalNull(args[0], args[i]), args[i + 1]))
                i += 2
            }
            return e(.caseWhen(operand: nil, whens: whens, otherwise: i < args.count ? args[i] : nil))
        default:
            return nil
        }
    }

    /// The names `macro` expands, for the registry's list of functions.
    static let macroNames: Set<String> = ["nvl2", "zeroifnull", "nullifzero", "div0", "equal_null", "decode"]
}
