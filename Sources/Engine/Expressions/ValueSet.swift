// The values of an uncorrelated `IN (SELECT ...)` used inside an expression (a SELECT item,
// an OR, a CASE): the subquery runs once, before the outer query, and its values are hashed
// once, so each row costs one set lookup however long the list is.

import Columnar

/// A set of values of one type, built once and shared by every batch and worker.
package final class ValueSet: Sendable, CustomStringConvertible {
    package let type: LogicalType
    private let integers: Set<Int64>
    private let doubles: Set<Double>
    private let strings: Set<String>
    /// The subquery returned a NULL: "not found" is then unknown (NULL), not false.
    package let hasNull: Bool
    private let hasNaN: Bool
    package let count: Int

    /// `column` holds the values, all of `type`.
    package init(_ column: ColumnData) {
        let column = column.flattened()
        type = column.type
        count = column.count
        var ints = Set<Int64>(), reals = Set<Double>(), texts = Set<String>()
        var sawNull = false, sawNaN = false
        for r in 0..<column.count {
            if column.isNull(r) { sawNull = true; continue }
            switch column.value(at: r) {
            case .int(let x), .timestamp(let x): ints.insert(x)
            case .date(let d): ints.insert(Int64(d))
            case .bool(let b): ints.insert(b ? 1 : 0)
            case .double(let d): if d.isNaN { sawNaN = true } else { reals.insert(d) }
            case .string(let s): texts.insert(s)
            default: break
            }
        }
        integers = ints
        doubles = reals
        strings = texts
        hasNull = sawNull
        hasNaN = sawNaN
    }

    package var description: String { "\(count) values" }

    /// For each row of `column` (of this set's type): found, not found, or NULL.
    func contains(_ column: ColumnData, negated: Bool) -> ColumnData {
        let n = column.count
        var result = [Bool](repeating: false, count: n)
        var validity = column.validity
        // x IN (empty) is false and x NOT IN (empty) true, even for a NULL x.
        if count == 0 { return ColumnData(type: .boolean, storage: .boolean([Bool](repeating: negated, count: n))) }
        var found = [Bool](repeating: false, count: n)
        switch column.type {
        case .double:
            let x = ColumnAccess.doubles(column)
            // NaN equals NaN in SQL, though not in Swift's Set.
            for i in 0..<n { found[i] = x[i].isNaN ? hasNaN : doubles.contains(x[i]) }
        case .varchar:
            let s = ColumnAccess.strings(column)
            for i in 0..<n where !column.isNull(i) { found[i] = strings.contains(s[i]) }
        default:
            let x = ColumnAccess.int64s(column)
            for i in 0..<n { found[i] = integers.contains(x[i]) }
        }
        for i in 0..<n {
            result[i] = found[i] != negated
            if !found[i] && hasNull && !column.isNull(i) {
                if validity == nil { validity = ValidityBitmap(allValid: n) }
                validity!.setValid(i, false)
            }
        }
        return ColumnData(type: .boolean, storage: .boolean(result), validity: validity)
    }
}
