// GROUP BY ROLLUP, CUBE and GROUPING SETS: one aggregation per set, the keys a set leaves
// out shown as NULL, the results appended. When every aggregate can be combined from partial
// results (COUNT, SUM, AVG, MIN, MAX without DISTINCT or FILTER), the input is aggregated once
// by all the keys and each set aggregates those partial rows, a few instead of all the
// input's; otherwise each set reads the input, computed once and shared.
//
// The output has the layout of one aggregate node: the keys, then the number of the set the
// row belongs to (what GROUPING() reads), then one column per aggregate.

import Columnar

extension Binder {
    static func isGroupingFunction(_ name: String) -> Bool {
        let n = name.lowercased()
        return n == "grouping" || n == "grouping_id"
    }

    static func isConstant(_ e: Expr) -> Bool {
        if case .literal = e.kind { return true }
        return false
    }

    /// `GROUPING(a, b, ...)`: a bit per argument, set when the row's grouping set leaves that
    /// key out (the first argument the most significant bit).
    mutating func bindGrouping(_ args: [Expr], _ aggregate: AggregateContext, at position: Int) throws(SQLError) -> BoundExpr {
        guard !args.isEmpty else { throw SQLError(.binder, "GROUPING needs at least one GROUP BY expression", at: position) }
        let keyCount = aggregate.groupingSets == nil ? aggregate.groups.count : aggregate.groups.count - 1
        var positions: [Int] = []
        for var a in args {
            if case .column(let parts) = a.kind, parts.count == 1, (try? aggregate.input.resolve(parts, at: 0)) == nil,
               let item = aggregate.aliases[parts[0].lowercased()] {
                a = item
            }
            let key = Self.fingerprint(a, in: aggregate.input)
            guard let i = aggregate.groupKeys.prefix(keyCount).firstIndex(of: key) else {
                throw SQLError(.binder, "GROUPING's arguments must be GROUP BY expressions; \(Self.outputName(a)) is not", at: a.position)
            }
            positions.append(i)
        }
        guard let sets = aggregate.groupingSets else { return .constant(.int(0), .int64) }
        let setColumn = BoundExpr.column(index: keyCount, type: .int64, name: "grouping set")
        var whens: [(BoundExpr, BoundExpr)] = []
        for (k, set) in sets.enumerated() {
            var bits: Int64 = 0
            for p in positions { bits = bits << 1 | (set.contains(p) ? 0 : 1) }
            whens.append((.comparison(.equal, setColumn, .constant(.int(Int64(k)), .int64)), .constant(.int(bits), .int64)))
        }
        return .caseWhen(whens: whens, otherwise: .constant(.int(0), .int64), .int64)
    }

    /// The rows of every grouping set, appended: keys (NULL where the set leaves one out),
    /// the set's number, the aggregates.
    mutating func groupingSetsPlan(_ input: Plan, keys: [BoundExpr], sets: [[Int]], aggregates: [AggregateCall]) -> Plan {
        let n = keys.count
        let combinable = aggregates.allSatisfy { $0.function.isBasic && !$0.distinct && $0.filter == nil }
        var branches: [Plan] = []
        func output(_ set: [Int], _ k: Int, _ aggregateColumns: [BoundExpr]) -> ([BoundExpr], [String]) {
            var exprs: [BoundExpr] = []
            for i in 0..<n {
                if let j = set.firstIndex(of: i) {
                    exprs.append(.column(index: j, type: keys[i].type, name: keys[i].description))
                } else {
                    exprs.append(.constant(.null, keys[i].type))
                }
            }
            exprs.append(.constant(.int(Int64(k)), .int64))
            exprs += aggregateColumns
            return (exprs, exprs.indices.map { "#\($0)" })
        }
        if combinable {
            // Partial states by every key; each set combines them.
            var partials: [AggregateCall] = []
            var combine: [(AggregateCall.Function, [Int], LogicalType)] = []
            for a in aggregates {
                let base = n + partials.count
                switch a.function {
                case .countStar, .count:
                    partials.append(a)
                    combine.append((.sum, [base], .int64))
                case .avg:
                    let arg = a.argument!
                    partials.append(AggregateCall(function: .sum, argument: arg, distinct: false, type: arg.type == .double ? .double : .int64))
                    partials.append(AggregateCall(function: .count, argument: arg, distinct: false, type: .int64))
                    combine.append((.avg, [base, base + 1], .double))
                default:
                    partials.append(a)
                    combine.append((a.function, [base], a.type))
                }
            }
            let partialPlan = Plan.aggregate(input, groups: keys, aggregates: partials)
            let types = partialPlan.types
            let shared = Plan.shared(Optimizer.optimize(partialPlan), id: sharedCTEs.nextId)
            sharedCTEs.nextId += 1
            for (k, set) in sets.enumerated() {
                var finals: [AggregateCall] = []
                var results: [BoundExpr] = []
                let groups = set.map { BoundExpr.column(index: $0, type: types[$0], name: "#\($0)") }
                for (function, columns, type) in combine {
                    let c = columns.map { BoundExpr.column(index: $0, type: types[$0], name: "#\($0)") }
                    let at = set.count + finals.count
                    switch function {
                    case .avg:
                        finals.append(AggregateCall(function: .sum, argument: c[0], distinct: false, type: types[columns[0]]))
                        finals.append(AggregateCall(function: .sum, argument: c[1], distinct: false, type: .int64))
                        let total = BoundExpr.column(index: at, type: types[columns[0]], name: "sum")
                        let count = BoundExpr.column(index: at + 1, type: .int64, name: "count")
                        let quotient = BoundExpr.arithmetic(.divide, total.type == .double ? total : .cast(total, .double), .cast(count, .double), .double)
                        results.append(.caseWhen(whens: [(.comparison(.equal, count, .constant(.int(0), .int64)), .constant(.null, .double))],
                                                 otherwise: quotient, .double))
                    case .sum where type == .int64 && columns.count == 1 && function == .sum && partials[columns[0] - n].function != .sum:
                        // A count: groups without rows count 0 (no NULL from an empty SUM).
                        finals.append(AggregateCall(function: .sum, argument: c[0], distinct: false, type: .int64))
                        results.append(.function(FunctionCall(function: FunctionRegistry.scalar("coalesce")!, signature: 0),
                                                 args: [.column(index: at, type: .int64, name: "count"), .constant(.int(0), .int64)], .int64))
                    default:
                        finals.append(AggregateCall(function: function, argument: c[0], distinct: false, type: type))
                        results.append(.column(index: at, type: type, name: "#\(at)"))
                    }
                }
                let (exprs, names) = output(set, k, results)
                branches.append(.project(.aggregate(shared, groups: groups, aggregates: finals), exprs, names: names))
            }
        } else {
            let shared = Plan.shared(Optimizer.optimize(input), id: sharedCTEs.nextId)
            sharedCTEs.nextId += 1
            for (k, set) in sets.enumerated() {
                let columns = aggregates.enumerated().map { BoundExpr.column(index: set.count + $0, type: $1.type, name: $1.description) }
                let (exprs, names) = output(set, k, columns)
                branches.append(.project(.aggregate(shared, groups: set.map { keys[$0] }, aggregates: aggregates), exprs, names: names))
            }
        }
        return branches.dropFirst().reduce(branches[0]) { .union($0, $1) }
    }
}
