// The states of the aggregates beyond COUNT, SUM, AVG, MIN and MAX: one accumulator per call,
// holding every group's state in arrays indexed by group id and updating a whole batch at a
// time, as `AggregationTable` does for the basic ones. Parallel workers each fill their own
// and merge them; answers do not depend on which worker saw which rows.

import Columnar

/// Per-group state of one aggregate call.
protocol GroupAccumulator: AnyObject {
    /// Reads one batch. `columns` are the call's arguments, then its ORDER BY keys, one value
    /// per row; `include` (nil: every row) the rows its FILTER keeps; `ids` each row's group,
    /// all below `groups`.
    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError)
    /// Adds `other`'s states (of the same call), its group g going to group `ids[g]`.
    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int)
    /// One value per group.
    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData
}

enum GroupAccumulators {
    /// The accumulators for the calls that are not one of the basic five (nil for those).
    /// Percentiles and modes of the same values share them.
    static func make(_ calls: [AggregateCall]) -> [GroupAccumulator?] {
        var shared: [String: SortedCodes] = [:]
        return calls.map { call -> GroupAccumulator? in
            if call.function.isBasic { return nil }
            if QuantileAccumulator.applies(call) {
                let key = QuantileAccumulator.sharingKey(call)
                let accumulator = QuantileAccumulator(call, sharing: shared[key])
                shared[key] = accumulator.values
                return accumulator
            }
            return make(call)
        }
    }

    private static func make(_ call: AggregateCall) -> GroupAccumulator {
        switch call.function {
        case .minBy, .maxBy: return ExtremeByAccumulator(call)
        case .approxCountDistinct: return HyperLogLogAccumulator(call)
        case .skewness, .kurtosis: return HigherMomentsAccumulator(call)
        case .bitAnd, .bitOr, .bitXor: return BitwiseAccumulator(call)
        case .product, .geometricMean: return ProductAccumulator(call)
        case .singleValue: return SingleValueAccumulator(call)
        case .percentileCont, .percentileDisc, .mode, .entropy, .mad, .listagg, .arrayAgg, .first, .last: return OrderedValuesAccumulator(call)
        default: return MomentsAccumulator(call)
        }
    }
}

/// A double-double number: `hi + lo` with |lo| below half an ulp of `hi`, about 106 bits. Sums
/// of doubles and of their exact squares and products kept this way lose nothing in practice
/// to cancellation, and come out the same whatever order the rows arrive in.
struct DoubleDouble {
    var hi: Double
    var lo: Double

    static let zero = DoubleDouble(hi: 0, lo: 0)

    /// `a + b` and its exact rounding error (Knuth's TwoSum).
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
        let s = a + b
        let bb = s - a
        return (s, (a - (s - bb)) + (b - bb))
    }

    /// `a * b` and its exact rounding error. Between 2^-450 and 2^450 (where neither the
    /// product nor its error can overflow or underflow) by Dekker's splitting, in registers;
    /// elsewhere by a fused multiply-add, which the generic x86-64 target reaches only through
    /// a call into libm. Both give the exact error, so the answer is the same either way.
    @inline(__always)
    static func twoProduct(_ a: Double, _ b: Double) -> (Double, Double) {
        let p = a * b
        let m = Swift.max(abs(a), abs(b)), l = Swift.min(abs(a), abs(b))
        guard m < 0x1p450, l > 0x1p-450 else { return (p, (-p).addingProduct(a, b)) }
        @inline(__always) func split(_ x: Double) -> (Double, Double) {
            let c = 134_217_729.0 * x  // 2^27 + 1
            let hi = c - (c - x)
            return (hi, x - hi)
        }
        let (ah, al) = split(a), (bh, bl) = split(b)
        return (p, ((ah * bh - p) + ah * bl + al * bh) + al * bl)
    }

    /// Adds a number given as an unevaluated sum `x + error`.
    @inline(__always)
    mutating func add(_ x: Double, _ error: Double = 0) {
        let (s, e) = Self.twoSum(hi, x)
        hi = s
        lo += e + error
    }

    @inline(__always)
    mutating func add(_ other: DoubleDouble) { add(other.hi, other.lo) }

    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let (s, e) = twoSum(a.hi, b.hi)
        return normalized(s, e + a.lo + b.lo)
    }

    static prefix func - (a: DoubleDouble) -> DoubleDouble { DoubleDouble(hi: -a.hi, lo: -a.lo) }
    static func - (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble { a + (-b) }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let (p, e) = twoProduct(a.hi, b.hi)
        return normalized(p, e + (a.hi * b.lo + a.lo * b.hi))
    }

    static func / (a: DoubleDouble, b: Double) -> DoubleDouble {
        let q = a.hi / b
        let (p, e) = twoProduct(q, b)
        let r = ((a.hi - p) - e + a.lo) / b
        return normalized(q, r)
    }

    static func / (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let q = a.hi / b.hi
        let r = a - b * DoubleDouble(hi: q, lo: 0)
        return normalized(q, r.hi / b.hi)
    }

    /// The square root, one Newton step past the double one.
    func squareRoot() -> DoubleDouble {
        guard hi > 0 else { return DoubleDouble(hi: hi.squareRoot(), lo: 0) }
        let s = hi.squareRoot()
        let r = self - DoubleDouble(hi: s, lo: 0) * DoubleDouble(hi: s, lo: 0)
        return Self.normalized(s, r.hi / (2 * s))
    }

    private static func normalized(_ hi: Double, _ lo: Double) -> DoubleDouble {
        let (s, e) = twoSum(hi, lo)
        return DoubleDouble(hi: s, lo: e)
    }

    /// The value rounded to a double; infinities and NaN stand alone.
    var value: Double { hi.isFinite ? hi + lo : hi }
}
