// SKEW and KURTOSIS: each group keeps the count and double-double sums of the first four
// powers of its values (taken from a shift, see `PowerSums`), and the centred moments come
// out of them at the end (m_k = Σ(x - mean)^k / n expanded into the power sums; the shift
// cancels). The sums differ with the order rows arrive in only far below a double's digits.
// The answers are the sample statistics Snowflake, DuckDB and spreadsheets give:
//
//   SKEW     = sqrt(n(n-1)) / (n-2) · m3 / m2^1.5                  (NULL below 3 rows)
//   KURTOSIS = (n-1) / ((n-2)(n-3)) · ((n+1) · m4 / m2² - 3(n-1))  (NULL below 4 rows)
//
// and NULL where the values do not vary (m2 = 0).

import Columnar

final class HigherMomentsAccumulator: GroupAccumulator {
    private let function: AggregateCall.Function
    private var counts: [Int64] = []
    private var sums: [PowerSums] = []

    init(_ call: AggregateCall) { function = call.function }

    private func grow(to n: Int) {
        guard counts.count < n else { return }
        counts += [Int64](repeating: 0, count: n - counts.count)
        sums += [PowerSums](repeating: PowerSums(), count: n - sums.count)
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let x = ColumnAccess.doubles(columns[0]), validity = columns[0].validity
        counts.withUnsafeMutableBufferPointer { c in
            sums.withUnsafeMutableBufferPointer { s in
                for r in 0..<ids.count where (include?[r] ?? true) && (validity?.isValid(r) ?? true) {
                    c[ids[r]] &+= 1
                    s[ids[r]].add(x[r])
                }
            }
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! HigherMomentsAccumulator
        grow(to: groups)
        for g in 0..<o.counts.count {
            sums[ids[g]].add(o.sums[g], count: o.counts[g])
            counts[ids[g]] += o.counts[g]
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: .double, capacity: groups)
        for g in 0..<groups {
            if let v = Self.value(function, count: counts[g], sums[g]) { b.append(.double(v)) } else { b.appendNull() }
        }
        return b.finish()
    }

    static func value(_ function: AggregateCall.Function, count: Int64, _ s: PowerSums) -> Double? {
        guard count >= (function == .kurtosis ? 4 : 3) else { return nil }
        let n = Double(count)
        // Any NaN or infinity among the values (or powers past the largest double) makes
        // every moment undefined.
        guard s.shift.isFinite, s.s1.hi.isFinite, s.s2.hi.isFinite, s.s3.hi.isFinite, s.s4.hi.isFinite else { return .nan }
        let mean = s.s1 / n
        let a2 = s.s2 / n, a3 = s.s3 / n, a4 = s.s4 / n
        let mean2 = mean * mean
        func scaled(_ k: Double, _ x: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: k, lo: 0) * x }
        let m2 = a2 - mean2
        guard m2.value > 0 else { return nil }
        // The last steps in double-double too: a kurtosis near 0 is a difference of two
        // numbers near 3(n-1).
        switch function {
        case .skewness:
            let m3 = a3 - scaled(3, mean * a2) + scaled(2, mean2 * mean)
            return (scaled((n * (n - 1)).squareRoot() / (n - 2), m3) / (m2 * m2.squareRoot())).value
        default:
            let m4 = a4 - scaled(4, mean * a3) + scaled(6, mean2 * a2) - scaled(3, mean2 * mean2)
            let excess = scaled(n + 1, m4 / (m2 * m2)) - DoubleDouble(hi: 3 * (n - 1), lo: 0)
            return scaled((n - 1) / ((n - 2) * (n - 3)), excess).value
        }
    }
}

/// Σy, Σy², Σy³ and Σy⁴ of a group in double-double, where y = x - shift and the shift is
/// the first value the group met: the powers of values near the mean keep their digits where
/// the powers of x itself (1e9 ± 2, say) would cancel past 106 bits. Partial sums with another
/// shift are moved onto this one exactly before they are added.
struct PowerSums {
    var shift = 0.0
    var started = false
    var s1 = DoubleDouble.zero, s2 = DoubleDouble.zero, s3 = DoubleDouble.zero, s4 = DoubleDouble.zero

    mutating func add(_ x: Double) {
        if !started { shift = x; started = true }
        let (hi, lo) = DoubleDouble.twoSum(x, -shift)
        let y = DoubleDouble(hi: hi, lo: lo), square = y * y
        s1.add(y)
        s2.add(square)
        s3.add(square * y)
        s4.add(square * square)
    }

    /// Adds `other` (of `count` rows) moved onto this shift: with d = other.shift - shift,
    /// Σ(y + d)^k expands into the other's sums by the binomial theorem.
    mutating func add(_ other: PowerSums, count: Int64) {
        guard other.started else { return }
        if !started { self = other; return }
        let (hi, lo) = DoubleDouble.twoSum(other.shift, -shift)
        let d = DoubleDouble(hi: hi, lo: lo), d2 = d * d, d3 = d2 * d, d4 = d2 * d2
        func k(_ c: Double) -> DoubleDouble { DoubleDouble(hi: c, lo: 0) }
        let n = k(Double(count))
        s1.add(other.s1 + n * d)
        s2.add(other.s2 + k(2) * d * other.s1 + n * d2)
        s3.add(other.s3 + k(3) * d * other.s2 + k(3) * d2 * other.s1 + n * d3)
        s4.add(other.s4 + k(4) * d * other.s3 + k(6) * d2 * other.s2 + k(4) * d3 * other.s1 + n * d4)
    }
}
