// The value of a subquery used as a value that computes no aggregate, once correlated
// subqueries are rewritten as a grouping by their keys: each group's one value, NULL where
// the group is empty, and an error where it has more than one row (Snowflake: "single-row
// subquery returns more than one row"; DuckDB and PostgreSQL agree).

import Columnar

final class SingleValueAccumulator: GroupAccumulator {
    private let valueType: LogicalType
    private var rows: [Int] = []
    /// Values of fixed width as order codes (decoded at the end); text as strings.
    private var valueCodes: [UInt64] = []
    private var valueTexts: [String] = []
    private var valueNull: [Bool] = []

    init(_ call: AggregateCall) { valueType = call.arguments[0].type }

    private func grow(to n: Int) {
        guard rows.count < n else { return }
        let more = n - rows.count
        rows += [Int](repeating: 0, count: more)
        valueCodes += [UInt64](repeating: 0, count: more)
        valueTexts += [String](repeating: "", count: more)
        valueNull += [Bool](repeating: true, count: more)
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let values = columns[0].flattened()
        let text = valueType == .varchar
        let strings = text ? ColumnAccess.strings(values) : StringArray()
        let codes = text ? [] : OrderCode.codes(values)
        for r in 0..<ids.count where include?[r] ?? true {
            let g = ids[r]
            rows[g] += 1
            guard rows[g] == 1 else { continue }
            valueNull[g] = values.isNull(r)
            if valueNull[g] { continue }
            if text { valueTexts[g] = strings[r] } else { valueCodes[g] = codes[r] }
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! SingleValueAccumulator
        grow(to: groups)
        for g in 0..<o.rows.count where o.rows[g] > 0 {
            let t = ids[g]
            if rows[t] == 0 {
                valueCodes[t] = o.valueCodes[g]
                valueTexts[t] = o.valueTexts[g]
                valueNull[t] = o.valueNull[g]
            }
            rows[t] += o.rows[g]
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: valueType, capacity: groups)
        for g in 0..<groups {
            if rows[g] > 1 {
                throw SQLError(.runtime, "a subquery used as a value returned more than one row for one outer row "
                               + "(add a condition, an aggregate such as max(...), or LIMIT 1)")
            }
            guard rows[g] == 1, !valueNull[g] else { b.appendNull(); continue }
            if valueType == .varchar { b.append(.string(valueTexts[g])) } else { b.append(OrderCode.value(valueCodes[g], valueType)) }
        }
        return b.finish()
    }
}
