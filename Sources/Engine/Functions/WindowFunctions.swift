// The window functions: ranking (ROW_NUMBER, RANK, ...), distribution (PERCENT_RANK,
// CUME_DIST, NTILE), navigation (LAG, LEAD, FIRST_VALUE, ...) and Snowflake's event numbers
// (CONDITIONAL_TRUE_EVENT, CONDITIONAL_CHANGE_EVENT). Every aggregate of
// `AggregateFunction` also runs over a window. Their kernels are in
// `Operators/Window/WindowFunctionKernels.swift`.

import Columnar

package struct WindowFunction: Sendable {
    package enum Kind: String, Sendable {
        case rowNumber = "row_number", rank, denseRank = "dense_rank", percentRank = "percent_rank", cumeDist = "cume_dist"
        case ntile, lag, lead, firstValue = "first_value", lastValue = "last_value", nthValue = "nth_value"
        /// `NTH_VALUE(x, n) FROM LAST`: the n-th value counting back from the frame's end.
        case nthValueFromLast = "nth_value_from_last"
        /// Snowflake's event numbers: how many rows so far in the partition had the condition
        /// true (`CONDITIONAL_TRUE_EVENT`), or a value different from the row before
        /// (`CONDITIONAL_CHANGE_EVENT`, the running count of `x <> LAG(x)`).
        case conditionalTrueEvent = "conditional_true_event", conditionalChangeEvent = "conditional_change_event"

        /// Whether the function reads a frame (the others see the whole partition in order).
        var usesFrame: Bool { self == .firstValue || self == .lastValue || self == .nthValue || self == .nthValueFromLast }

        /// Whether `IGNORE NULLS` applies.
        var skipsNulls: Bool { self == .lag || self == .lead || usesFrame }
    }

    package let name: String
    package let kind: Kind
    package let arity: ClosedRange<Int>

    static let all: [WindowFunction] = [
        WindowFunction(name: "row_number", kind: .rowNumber, arity: 0...0),
        WindowFunction(name: "rank", kind: .rank, arity: 0...0),
        WindowFunction(name: "dense_rank", kind: .denseRank, arity: 0...0),
        WindowFunction(name: "percent_rank", kind: .percentRank, arity: 0...0),
        WindowFunction(name: "cume_dist", kind: .cumeDist, arity: 0...0),
        WindowFunction(name: "ntile", kind: .ntile, arity: 1...1),
        WindowFunction(name: "lag", kind: .lag, arity: 1...3),
        WindowFunction(name: "lead", kind: .lead, arity: 1...3),
        WindowFunction(name: "first_value", kind: .firstValue, arity: 1...1),
        WindowFunction(name: "last_value", kind: .lastValue, arity: 1...1),
        WindowFunction(name: "nth_value", kind: .nthValue, arity: 2...2),
        WindowFunction(name: "nth_value_from_last", kind: .nthValueFromLast, arity: 2...2),
        WindowFunction(name: "conditional_true_event", kind: .conditionalTrueEvent, arity: 1...1),
        WindowFunction(name: "conditional_change_event", kind: .conditionalChangeEvent, arity: 1...1),
    ]

    /// The result type for the bound arguments.
    func returnType(_ arguments: [BoundExpr]) -> LogicalType {
        switch kind {
        case .rowNumber, .rank, .denseRank, .ntile, .conditionalTrueEvent, .conditionalChangeEvent: .int64
        case .percentRank, .cumeDist: .double
        case .lag, .lead, .firstValue, .lastValue, .nthValue, .nthValueFromLast: arguments[0].type
        }
    }
}
