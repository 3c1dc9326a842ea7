// The operators of SQL expressions, as types: the parser produces them, the binder checks
// their operands, the evaluator switches on them once per batch. A new operator is a case
// here, its typing in `Binder+Operators.swift` and its kernel in the evaluator.

/// `+ - * / %`.
public enum ArithmeticOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
}

/// `= <> < <= > >=`.
public enum ComparisonOperator: String, Sendable {
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// The operator that holds with the operands swapped (`a < b` is `b > a`).
    public var flipped: ComparisonOperator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
        }
    }

    /// Whether the operator holds for a three-way comparison result (<0, 0, >0).
    @inline(__always)
    public func holds(_ c: Int) -> Bool {
        switch self {
        case .equal: c == 0
        case .notEqual: c != 0
        case .less: c < 0
        case .lessOrEqual: c <= 0
        case .greater: c > 0
        case .greaterOrEqual: c >= 0
        }
    }
}

/// `AND`, `OR` (SQL's three-valued logic).
public enum LogicalOperator: String, Sendable {
    case and = "AND", or = "OR"
}

/// A binary operator as written in SQL.
public enum BinaryOperator: Sendable, Equatable, CustomStringConvertible {
    case arithmetic(ArithmeticOperator)
    case comparison(ComparisonOperator)
    case logical(LogicalOperator)
    /// `||`, text concatenation.
    case concat

    /// The operator a symbol or keyword spells (`!=` is `<>`), or nil.
    public init?(_ text: String) {
        if let op = ArithmeticOperator(rawValue: text) { self = .arithmetic(op) }
        else if let op = ComparisonOperator(rawValue: text == "!=" ? "<>" : text) { self = .comparison(op) }
        else if let op = LogicalOperator(rawValue: text.uppercased()) { self = .logical(op) }
        else if text == "||" { self = .concat }
        else { return nil }
    }

    public var description: String {
        switch self {
        case .arithmetic(let op): op.rawValue
        case .comparison(let op): op.rawValue
        case .logical(let op): op.rawValue
        case .concat: "||"
        }
    }
}

/// A prefix operator: `-x`, `NOT x`.
public enum UnaryOperator: String, Sendable {
    case negate = "-", not = "NOT"
}
