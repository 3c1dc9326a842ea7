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
}
