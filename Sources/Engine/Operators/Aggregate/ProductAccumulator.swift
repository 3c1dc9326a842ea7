// PRODUCT and GEOMEAN (DuckDB): the product of a group's values, and the exponential of the
// mean of their logarithms. Both are kept in double-double, so the answer does not depend on
// the order partial states merge in; an infinity, NaN or zero takes the plain double rules
// (0 x infinity is NaN, the logarithm of 0 is -infinity, of a negative value NaN). NULL for
// a group without a value.

import Columnar
import Foundation

final class ProductAccumulator: GroupAccumulator {
    private let geometric: Bool
    /// PRODUCT: the product so far; GEOMEAN: the sum of the finite logarithms.
    private var values: [DoubleDouble] = []
    /// GEOMEAN: the sum of the logarithms that are not finite (-infinity, infinity, NaN).
    private var specials: [Double] = []
    private var counts: [Int64] = []

    init(_ call: AggregateCall) { geometric = call.function == .geometricMean }

    private func grow(to n: Int) {
        guard values.count < n else { return }
        values += [DoubleDouble](repeating: geometric ? .zero : DoubleDouble(hi: 1, lo: 0), count: n - values.count)
        specials += [Double](repeating: 0, count: n - specials.count)
        counts += [Int64](repeating: 0, count: n - counts.count)
    }

    /// `a` x `b` in double-double while it stays finite, else as doubles multiply.
    @inline(__always)
    private static func multiply(_ a: DoubleDouble, _ b: DoubleDouble) -> DoubleDouble {
        let p = a * b
        return p.hi.isFinite && p.lo.isFinite && a.hi != 0 && b.hi != 0 ? p : DoubleDouble(hi: a.hi * b.hi, lo: 0)
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let x = ColumnAccess.doubles(columns[0]), validity = columns[0].validity
        for r in 0..<ids.count where (include?[r] ?? true) && (validity?.isValid(r) ?? true) {
            let g = ids[r]
            counts[g] += 1
            if geometric {
                let l = Foundation.log(x[r])
                if l.isFinite { values[g].add(l) } else { specials[g] += l }
            } else {
                values[g] = Self.multiply(values[g], DoubleDouble(hi: x[r], lo: 0))
            }
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! ProductAccumulator
        grow(to: groups)
        for g in 0..<o.values.count where o.counts[g] > 0 {
            let t = ids[g]
            counts[t] += o.counts[g]
            if geometric {
                values[t].add(o.values[g])
                specials[t] += o.specials[g]
            } else {
                values[t] = Self.multiply(values[t], o.values[g])
            }
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: .double, capacity: groups)
        for g in 0..<groups {
            guard counts[g] > 0 else { b.appendNull(); continue }
            if geometric {
                let mean = specials[g] != 0 || specials[g].isNaN ? specials[g] : (values[g] / Double(counts[g])).value
                b.append(.double(Foundation.exp(mean)))
            } else {
                b.append(.double(values[g].value))
            }
        }
        return b.finish()
    }
}
