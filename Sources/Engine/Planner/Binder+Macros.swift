// Functions that are other SQL: Snowflake's NVL2, ZEROIFNULL, NULLIFZERO, DIV0, DIV0NULL,
// BOOLAND / BOOLOR / BOOLXOR / BOOLNOT, TIMESTAMP_FROM_PARTS, DECODE and
// EQUAL_NULL (which `IS [NOT] DISTINCT FROM` also means) expand into CASE expressions before
// binding, so their arguments take the usual types, NULL rules and lazy evaluation, and a
// branch that can fail runs only on the rows that take it. MOD, SQUARE, PI, LOG(base, x),
// CONCAT_WS, TRUNC(date, unit), INSTR / STRPOS, SPACE and the TO_NUMBER /
// TO_DOUBLE / TO_BOOLEAN conversions are operators, casts or other functions.

import Columnar

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
        case "div0null":
            // DIV0NULL(a, b): a / b, and 0 where b is 0 or NULL (Snowflake).
            try arity(2...2)
            return e(.caseWhen(operand: nil, whens: [(e(.binary(op: .logical(.or), equals(args[1], zero), isNull(args[1]))), zero)],
                               otherwise: e(.binary(op: .arithmetic(.divide), args[0], args[1]))))
        case "booland", "boolor", "boolxor", "boolnot":
            // Snowflake's logic over numbers: non-zero is TRUE, zero FALSE, NULL unknown, with
            // SQL's three-valued AND / OR / NOT (XOR: NULL when either side is).
            try arity(name.lowercased() == "boolnot" ? 1...1 : 2...2)
            let truth = args.map { e(.binary(op: .comparison(.notEqual), e(.cast($0, .double)), zero)) }
            switch name.lowercased() {
            case "booland": return e(.binary(op: .logical(.and), truth[0], truth[1]))
            case "boolor": return e(.binary(op: .logical(.or), truth[0], truth[1]))
            case "boolxor": return e(.binary(op: .comparison(.notEqual), truth[0], truth[1]))
            default: return e(.unary(op: .not, truth[0]))
            }
        case "timestamp_from_parts", "timestamp_ntz_from_parts", "timestamp_ltz_from_parts", "timestamp_tz_from_parts", "timestampfromparts":
            // (year, month, day, hour, minute, second [, nanosecond]): parts out of range carry
            // into the next (hour 25 is 1 o'clock the next day), as in Snowflake; nanoseconds
            // are kept to the microsecond. The two-argument (date, time) form needs TIME.
            guard (6...7).contains(args.count) else {
                throw SQLError(.binder, "\(name.uppercased()) takes year, month, day, hour, minute, second [, nanosecond]", at: position)
            }
            func call(_ f: String, _ a: [Expr]) -> Expr { e(.function(name: f, args: a, distinct: false, star: false, clauses: .none)) }
            func op(_ o: ArithmeticOperator, _ a: Expr, _ b: Expr) -> Expr { e(.binary(op: .arithmetic(o), a, b)) }
            func int(_ x: Expr) -> Expr { e(.cast(x, .int64)) }
            let seconds = op(.add, op(.multiply, op(.add, op(.multiply, int(args[3]), e(.literal(.int(60)))), int(args[4])), e(.literal(.int(60)))),
                             int(args[5]))
            var micros = op(.multiply, seconds, e(.literal(.int(1_000_000))))
            if args.count == 7 { micros = op(.add, micros, call("divide", [int(args[6]), e(.literal(.int(1000)))])) }
            let day = e(.cast(call("date_from_parts", [args[0], args[1], args[2]]), .timestamp))
            return call("dateadd", [e(.literal(.string("microsecond"))), micros, day])
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
        case "lpad" where args.count == 2, "rpad" where args.count == 2:
            // The fill defaults to a space (Snowflake, DuckDB).
            return e(.function(name: name, args: args + [e(.literal(.string(" ")))], distinct: false, star: false, clauses: .none))
        case "floor" where args.count == 2, "ceil" where args.count == 2, "ceiling" where args.count == 2:
            // FLOOR / CEIL(x, digits): to a multiple of 10^-digits.
            let scale = e(.function(name: "power", args: [e(.literal(.double(10))), args[1]], distinct: false, star: false, clauses: .none))
            let scaled = e(.binary(op: .arithmetic(.multiply), e(.cast(args[0], .double)), scale))
            let rounded = e(.function(name: name, args: [scaled], distinct: false, star: false, clauses: .none))
            return e(.binary(op: .arithmetic(.divide), rounded, scale))
        case "width_bucket":
            // WIDTH_BUCKET(x, low, high, n): which of n equal buckets between low and high x
            // falls in, 0 below and n + 1 above (high below low counts down, as in Snowflake
            // and PostgreSQL); NULL when low equals high.
            try arity(4...4)
            let (x, low, high, n) = (args[0], args[1], args[2], args[3])
            func op(_ o: BinaryOperator, _ a: Expr, _ b: Expr) -> Expr { e(.binary(op: o, a, b)) }
            func bucket(_ from: Expr, _ distance: Expr, _ width: Expr) -> Expr {
                let scaled = op(.arithmetic(.divide), op(.arithmetic(.multiply), e(.cast(distance, .double)), n), width)
                return op(.arithmetic(.add), e(.cast(e(.function(name: "floor", args: [scaled], distinct: false, star: false, clauses: .none)), .int64)),
                          e(.literal(.int(1))))
            }
            let above = op(.arithmetic(.add), n, e(.literal(.int(1))))
            let up = e(.caseWhen(operand: nil, whens: [(op(.comparison(.less), x, low), zero), (op(.comparison(.greaterOrEqual), x, high), above)],
                                 otherwise: bucket(low, op(.arithmetic(.subtract), x, low), op(.arithmetic(.subtract), high, low))))
            let down = e(.caseWhen(operand: nil, whens: [(op(.comparison(.greater), x, low), zero), (op(.comparison(.lessOrEqual), x, high), above)],
                                   otherwise: bucket(low, op(.arithmetic(.subtract), low, x), op(.arithmetic(.subtract), low, high))))
            return e(.caseWhen(operand: nil, whens: [(op(.comparison(.less), low, high), up), (op(.comparison(.greater), low, high), down)],
                               otherwise: nil))
        case "mod":
            // MOD(a, b): the remainder with the sign of a (a % b; NULL where b is 0).
            try arity(2...2)
            return e(.binary(op: .arithmetic(.modulo), args[0], args[1]))
        case "square":
            try arity(1...1)
            return e(.binary(op: .arithmetic(.multiply), args[0], args[0]))
        case "pi":
            try arity(0...0)
            return e(.literal(.double(Double.pi)))
        case "log":
            // LOG(base, x) (Snowflake and DuckDB); LOG(x) is the base-10 logarithm (DuckDB).
            try arity(1...2)
            if args.count == 1 { return e(.function(name: "log10", args: args, distinct: false, star: false, clauses: .none)) }
            func ln(_ x: Expr) -> Expr { e(.function(name: "ln", args: [x], distinct: false, star: false, clauses: .none)) }
            return e(.binary(op: .arithmetic(.divide), ln(args[1]), ln(args[0])))
        case "concat_ws":
            // CONCAT_WS(separator, a, b, ...): NULL where any argument is NULL, as Snowflake's.
            guard args.count >= 2 else { throw SQLError(.binder, "CONCAT_WS takes a separator and at least one value", at: position) }
            var joined = args[1]
            for a in args.dropFirst(2) { joined = e(.binary(op: .concat, e(.binary(op: .concat, joined, args[0])), a)) }
            return args.count == 2 ? e(.binary(op: .concat, joined, e(.literal(.string(""))))) : joined
        case "trunc", "truncate":
            // TRUNC(date, 'unit') is DATE_TRUNC; TRUNC(x [, digits]) cuts a number toward zero.
            if args.count == 2, case .literal(.string) = args[1].kind {
                return e(.function(name: "date_trunc", args: [args[1], args[0]], distinct: false, star: false, clauses: .none))
            }
            return nil
        case "instr", "strpos":
            // DuckDB's INSTR / STRPOS(text, search): CHARINDEX with the arguments the other way.
            try arity(2...2)
            return e(.function(name: "charindex", args: [args[1], args[0]], distinct: false, star: false, clauses: .none))
        case "space":
            try arity(1...1)
            return e(.function(name: "repeat", args: [e(.literal(.string(" "))), args[0]], distinct: false, star: false, clauses: .none))
        case "to_number", "to_decimal", "to_numeric", "try_to_number", "try_to_decimal", "try_to_numeric":
            // Snowflake's TO_NUMBER(x [, precision [, scale]]): NUMBER(38, 0) unless given, the
            // value rounded half away from zero; an error where it is not a number or does not
            // fit (TRY_TO_NUMBER gives NULL).
            try arity(1...3)
            let orNull = name.lowercased().hasPrefix("try_")
            if args.count == 1 { return orNull ? nil : e(.cast(e(.cast(args[0], .double)), .int64)) }
            var parameters: [Int] = []
            for a in args.dropFirst() {
                guard case .literal(.int(let v)) = a.kind, let v = Int(exactly: v) else {
                    throw SQLError(.binder, "\(name.uppercased()) takes an integer precision and scale (a format argument is not supported)", at: a.position)
                }
                parameters.append(v)
            }
            let scale = parameters.count > 1 ? parameters[1] : 0
            try NumericCast.checkPrecision(parameters[0], scale, at: position)
            return Parser.cast(args[0], to: TypeName(type: scale == 0 ? .int64 : .double, numeric: NumericPrecision(precision: parameters[0], scale: scale)),
                               orNull: orNull, at: position)
        case "regexp_extract_all" where args.count == 3:
            // Snowflake reads the third argument as a position, DuckDB as a group: refused
            // rather than answered the way the writer may not mean.
            throw SQLError(.binder, "REGEXP_EXTRACT_ALL(subject, pattern, x) means a position in Snowflake and a group in DuckDB; "
                           + "write REGEXP_SUBSTR_ALL(subject, pattern, position) or REGEXP_SUBSTR_ALL(subject, pattern, 1, 1, 'e', group)",
                           at: position)
        case "list_contains" where args.count == 2, "array_has" where args.count == 2, "list_has" where args.count == 2:
            // DuckDB's LIST_CONTAINS(list, x): Snowflake's ARRAY_CONTAINS(x, list).
            return e(.function(name: "array_contains", args: [args[1], args[0]], distinct: false, star: false, clauses: .none))
        case "regexp_matches":
            // DuckDB's REGEXP_MATCHES(text, pattern [, options]): the pattern found anywhere
            // (REGEXP_LIKE, Snowflake's and REGEXP_FULL_MATCH's, matches the whole text).
            try arity(2...3)
            let found = e(.function(name: "regexp_instr", args: args.count == 3 ? [args[0], args[1], e(.literal(.int(1))), e(.literal(.int(1))), zero, args[2]]
                                                                : [args[0], args[1]], distinct: false, star: false, clauses: .none))
            return e(.binary(op: .comparison(.greater), found, zero))
        case "regexp_full_match":
            try arity(2...3)
            return e(.function(name: "regexp_like", args: args, distinct: false, star: false, clauses: .none))
        case "today":
            // DuckDB's TODAY(): the statement's CURRENT_DATE.
            try arity(0...0)
            return e(.function(name: "current_date", args: [], distinct: false, star: false, clauses: .none))
        case "date_add" where args.count == 2:
            // DuckDB's DATE_ADD(date, interval): date + interval.
            return e(.binary(op: .arithmetic(.add), args[0], args[1]))
        case "to_double":
            try arity(1...1)
            return e(.cast(args[0], .double))
        case "to_boolean":
            try arity(1...1)
            return e(.cast(args[0], .boolean))
        default:
            return nil
        }
    }

    /// The names `macro` expands, for the registry's list of functions.
    static let macroNames: Set<String> = ["nvl2", "width_bucket", "zeroifnull", "nullifzero", "div0", "div0null", "booland", "boolor",
                                          "boolxor", "boolnot", "timestamp_from_parts", "timestamp_ntz_from_parts", "timestamp_ltz_from_parts",
                                          "timestamp_tz_from_parts", "timestampfromparts", "equal_null", "decode", "mod", "square", "pi", "log",
                                          "concat_ws", "instr", "strpos", "space", "to_number", "to_decimal",
                                          "to_numeric", "to_double", "to_boolean", "today", "date_add", "regexp_extract_all", "list_contains", "array_has", "list_has", "regexp_matches",
                                          "regexp_full_match"]
}
