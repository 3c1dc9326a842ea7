// Implicit type rules: the common type of two expressions (for CASE, COALESCE, UNION and
// comparisons), as DuckDB and Snowflake resolve them for the types moviecol has.

import Columnar

enum TypeRules {
    static func isNumeric(_ t: LogicalType) -> Bool { t == .int32 || t == .int64 || t == .double || t == .boolean }

    /// The type both can be converted to, or nil.
    static func common(_ a: LogicalType, _ b: LogicalType) -> LogicalType? {
        if a == b { return a }
        switch (a, b) {
        case (.int32, .int64), (.int64, .int32): return .int64
        case (.int32, .double), (.double, .int32), (.int64, .double), (.double, .int64): return .double
        case (.boolean, .int32), (.int32, .boolean), (.boolean, .int64), (.int64, .boolean): return .int64
        case (.date, .timestamp), (.timestamp, .date): return .timestamp
        default: return nil
        }
    }

    /// What it costs to pass a value of type `from` where a function parameter wants `to`
    /// (nil when it cannot be passed): the binder picks the overload that costs least.
    /// Numbers widen, DATE becomes TIMESTAMP, a DOUBLE rounds to an integer parameter, and
    /// any value becomes text, as Snowflake coerces function arguments.
    static func implicitCastCost(_ from: LogicalType, to: LogicalType) -> Int? {
        if from == to { return 0 }
        switch (from, to) {
        case (.int32, .int64), (.date, .timestamp): return 1
        case (.int32, .double), (.int64, .double): return 2
        case (.boolean, .int64), (.boolean, .int32): return 3
        case (.boolean, .double): return 4
        case (.double, .int64): return 6
        case (.listVarchar, .varchar): return nil
        case (_, .varchar): return 10
        default: return nil
        }
    }
}
