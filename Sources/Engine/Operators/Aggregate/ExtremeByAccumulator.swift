// MIN_BY(value, key) and MAX_BY(value, key): the value at the row with the least (greatest)
// key. Rows where the key or the value is NULL are skipped (as DuckDB does). Ties on the key
// go to the least value, so the answer does not depend on the order the rows arrive in.

import Columnar

final class ExtremeByAccumulator: GroupAccumulator {
    private let wantsLeast: Bool
    private let valueType: LogicalType
    private let keyIsText: Bool
    private var valueIsText: Bool { valueType == .varchar }
    private var seen: [Bool] = []
    /// Keys of fixed width as order codes (`OrderCode`); text keys as strings.
    private var keyCodes: [UInt64] = []
    private var keyTexts: [String] = []
    /// Values of fixed width as order codes (decoded at the end); text as strings.
    private var valueCodes: [UInt64] = []
    private var valueTexts: [String] = []
    private var valueNull: [Bool] = []

    init(_ call: AggregateCall) {
        wantsLeast = call.function == .minBy
        valueType = call.arguments[0].type
        keyIsText = call.arguments[1].type == .varchar
    }

    private func grow(to n: Int) {
        guard seen.count < n else { return }
        let more = n - seen.count
        seen += [Bool](repeating: false, count: more)
        keyCodes += [UInt64](repeating: 0, count: more)
        keyTexts += [String](repeating: "", count: more)
        valueCodes += [UInt64](repeating: 0, count: more)
        valueTexts += [String](repeating: "", count: more)
        valueNull += [Bool](repeating: false, count: more)
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let values = columns[0].flattened(), keys = columns[1].flattened()
        let n = ids.count
        let keyStrings = keyIsText ? ColumnAccess.strings(keys) : StringArray()
        let keyOrder = keyIsText ? [] : OrderCode.codes(keys)
        let valueStrings = valueIsText ? ColumnAccess.strings(values) : StringArray()
        let valueOrder = valueIsText ? [] : OrderCode.codes(values)
        for r in 0..<n where (include?[r] ?? true) && !keys.isNull(r) && !values.isNull(r) {
            let g = ids[r]
            var c = 0
            if seen[g] {
                c = keyIsText ? OrderCode.compare(keyStrings[r], keyTexts[g]) : (keyOrder[r] < keyCodes[g] ? -1 : keyOrder[r] > keyCodes[g] ? 1 : 0)
                if !wantsLeast { c = -c }
                if c > 0 { continue }
                if c == 0 {
                    // Equal keys: the least value wins.
                    let isNull = values.isNull(r)
                    if isNull { continue }
                    if !valueNull[g] {
                        let v = valueIsText ? OrderCode.compare(valueStrings[r], valueTexts[g])
                            : (valueOrder[r] < valueCodes[g] ? -1 : valueOrder[r] > valueCodes[g] ? 1 : 0)
                        if v >= 0 { continue }
                    }
                }
            }
            seen[g] = true
            if keyIsText { keyTexts[g] = keyStrings[r] } else { keyCodes[g] = keyOrder[r] }
            valueNull[g] = values.isNull(r)
            if valueIsText { valueTexts[g] = valueNull[g] ? "" : valueStrings[r] } else { valueCodes[g] = valueOrder[r] }
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! ExtremeByAccumulator
        grow(to: groups)
        for g in 0..<o.seen.count where o.seen[g] {
            let t = ids[g]
            if seen[t] {
                var c = keyIsText ? OrderCode.compare(o.keyTexts[g], keyTexts[t])
                    : (o.keyCodes[g] < keyCodes[t] ? -1 : o.keyCodes[g] > keyCodes[t] ? 1 : 0)
                if !wantsLeast { c = -c }
                if c > 0 { continue }
                if c == 0 {
                    if o.valueNull[g] { continue }
                    if !valueNull[t] {
                        let v = valueIsText ? OrderCode.compare(o.valueTexts[g], valueTexts[t])
                            : (o.valueCodes[g] < valueCodes[t] ? -1 : o.valueCodes[g] > valueCodes[t] ? 1 : 0)
                        if v >= 0 { continue }
                    }
                }
            }
            seen[t] = true
            keyCodes[t] = o.keyCodes[g]; keyTexts[t] = o.keyTexts[g]
            valueCodes[t] = o.valueCodes[g]; valueTexts[t] = o.valueTexts[g]; valueNull[t] = o.valueNull[g]
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: valueType, capacity: groups)
        for g in 0..<groups {
            guard seen[g], !valueNull[g] else { b.appendNull(); continue }
            if valueType == .varchar { b.append(.string(valueTexts[g])) } else { b.append(OrderCode.value(valueCodes[g], valueType)) }
        }
        return b.finish()
    }
}

/// Values of fixed width as unsigned integers in SQL order: integers with the sign bit
/// flipped, doubles by their total order (-0.0 as 0.0, NaN greatest). NULLs get 0.
enum OrderCode {
    static func codes(_ column: ColumnData) -> [UInt64] {
        let c = column.flattened()
        switch c.storage {
        case .double(let d):
            return d.map { v in
                var x = v
                if x == 0 { x = 0 }
                if x.isNaN { x = .nan }
                let bits = x.bitPattern
                return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
            }
        default:
            return ColumnAccess.int64s(c).map { UInt64(bitPattern: $0) ^ (1 << 63) }
        }
    }

    /// The double an order code of a double stands for.
    @inline(__always)
    static func double(_ code: UInt64) -> Double {
        Double(bitPattern: code & (1 << 63) != 0 ? code & ~(1 << 63) : ~code)
    }

    /// The value an order code stands for.
    static func value(_ code: UInt64, _ type: LogicalType) -> Value {
        switch type {
        case .double:
            return .double(double(code))
        default:
            let x = Int64(bitPattern: code ^ (1 << 63))
            switch type {
            case .date: return .date(Int32(truncatingIfNeeded: x))
            case .timestamp: return .timestamp(x)
            case .boolean: return .bool(x != 0)
            default: return .int(x)
            }
        }
    }

    /// Byte-wise comparison of text (UTF-8 order is code point order).
    static func compare(_ a: String, _ b: String) -> Int {
        a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : (b.utf8.lexicographicallyPrecedes(a.utf8) ? 1 : 0)
    }
}
