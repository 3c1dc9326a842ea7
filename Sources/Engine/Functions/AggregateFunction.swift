// The aggregate functions: name and aliases, the argument types each takes and its result
// type. Their batch kernels are the accumulator states of `HashAggregate` (one per
// `AggregateCall.Function`), which update a whole batch of group slots at a time.

import Columnar

package struct AggregateFunction: Sendable {
    package let name: String
    package let aliases: [String]
    package let function: AggregateCall.Function
    /// Whether `f(*)` is allowed (COUNT(*)).
    package let acceptsStar: Bool
    /// Whether DISTINCT changes the answer (it does not for MIN and MAX, which drop it).
    package let distinctMatters: Bool
    /// The result type for an argument of `type`; nil when the function does not take it.
    let returns: @Sendable (_ type: LogicalType) -> LogicalType?
    /// What the function takes, for the error when `returns` refuses a type.
    let takes: String

    static let all: [AggregateFunction] = [
        AggregateFunction(name: "count", aliases: [], function: .count, acceptsStar: true, distinctMatters: true,
                          returns: { _ in .int64 }, takes: "any value"),
        AggregateFunction(name: "sum", aliases: [], function: .sum, acceptsStar: false, distinctMatters: true,
                          returns: { TypeRules.isNumeric($0) ? ($0 == .double ? .double : .int64) : nil }, takes: "numbers"),
        AggregateFunction(name: "avg", aliases: ["mean"], function: .avg, acceptsStar: false, distinctMatters: true,
                          returns: { TypeRules.isNumeric($0) ? .double : nil }, takes: "numbers"),
        AggregateFunction(name: "min", aliases: [], function: .min, acceptsStar: false, distinctMatters: false,
                          returns: { $0 }, takes: "any value"),
        AggregateFunction(name: "max", aliases: [], function: .max, acceptsStar: false, distinctMatters: false,
                          returns: { $0 }, takes: "any value"),
    ]

    /// The call of this function over `argument` (nil for `f(*)`), or a binder error.
    func call(_ argument: BoundExpr?, distinct: Bool, at position: Int) throws(SQLError) -> AggregateCall {
        guard let argument else {
            guard acceptsStar else { throw SQLError(.binder, "\(name.uppercased())(*) is not allowed", at: position) }
            return AggregateCall(function: .countStar, argument: nil, distinct: false, type: .int64)
        }
        guard let type = returns(argument.type) else {
            throw SQLError(.type, "\(name.uppercased()) needs \(takes), got \(argument.type)", at: position)
        }
        return AggregateCall(function: function, argument: argument, distinct: distinct && distinctMatters, type: type)
    }
}
