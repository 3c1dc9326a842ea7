// BITAND_AGG, BITOR_AGG and BITXOR_AGG: the bits of a group's BIGINT values combined; NULL
// for a group without a value. All three are associative and commutative, so partial
// states merge in any order to the same answer.

import Columnar

final class BitwiseAccumulator: GroupAccumulator {
    private let function: AggregateCall.Function
    private var values: [Int64] = []
    private var seen: [Bool] = []

    init(_ call: AggregateCall) { function = call.function }

    private func grow(to n: Int) {
        guard values.count < n else { return }
        values += [Int64](repeating: 0, count: n - values.count)
        seen += [Bool](repeating: false, count: n - seen.count)
    }

    @inline(__always)
    private func combine(_ a: Int64, _ b: Int64) -> Int64 {
        switch function {
        case .bitAnd: a & b
        case .bitOr: a | b
        default: a ^ b
        }
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let x = ColumnAccess.int64s(columns[0]), validity = columns[0].validity
        for r in 0..<ids.count where (include?[r] ?? true) && (validity?.isValid(r) ?? true) {
            let g = ids[r]
            values[g] = seen[g] ? combine(values[g], x[r]) : x[r]
            seen[g] = true
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! BitwiseAccumulator
        grow(to: groups)
        for g in 0..<o.values.count where o.seen[g] {
            let t = ids[g]
            values[t] = seen[t] ? combine(values[t], o.values[g]) : o.values[g]
            seen[t] = true
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: .int64, capacity: groups)
        for g in 0..<groups {
            if seen[g] { b.append(.int(values[g])) } else { b.appendNull() }
        }
        return b.finish()
    }
}
