// Variance, standard deviation, covariance, correlation and the REGR_ family: each group keeps
// the count and double-double sums of x, y, x², y² and xy (squares and products taken
// exactly), and the centred moments come out of them at the end:
//
//   Mxx = Σx² - (Σx)²/n    Myy = Σy² - (Σy)²/n    Cxy = Σxy - Σx·Σy/n
//
// With 106-bit sums the subtraction cancels no digit a double answer needs, and the sums do
// not depend on the order rows arrive in, so the answer is the same at any thread count.
// Arguments are (y, x) as in SQL: `REGR_SLOPE(y, x)`, `COVAR_POP(y, x)`.

import Columnar

final class MomentsAccumulator: GroupAccumulator {
    private let function: AggregateCall.Function
    /// Whether the call reads two arguments.
    private let paired: Bool
    private var counts: [Int64] = []
    private var sumY: [DoubleDouble] = [], sumYY: [DoubleDouble] = []
    private var sumX: [DoubleDouble] = [], sumXX: [DoubleDouble] = [], sumXY: [DoubleDouble] = []

    init(_ call: AggregateCall) {
        function = call.function
        paired = call.arguments.count == 2
    }

    private func grow(to n: Int) {
        guard counts.count < n else { return }
        let more = n - counts.count
        counts += [Int64](repeating: 0, count: more)
        sumY += [DoubleDouble](repeating: .zero, count: more)
        sumYY += [DoubleDouble](repeating: .zero, count: more)
        if paired {
            sumX += [DoubleDouble](repeating: .zero, count: more)
            sumXX += [DoubleDouble](repeating: .zero, count: more)
            sumXY += [DoubleDouble](repeating: .zero, count: more)
        }
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        grow(to: groups)
        let n = ids.count
        // Rows where every argument is present (and FILTER holds).
        var keep = include ?? []
        if let v = ColumnAccess.merge(Array(columns.prefix(paired ? 2 : 1))) {
            if keep.isEmpty { keep = [Bool](repeating: true, count: n) }
            for r in 0..<n where !v.isValid(r) { keep[r] = false }
        }
        let all = keep.isEmpty
        let y = ColumnAccess.doubles(columns[0])
        if !paired {
            counts.withUnsafeMutableBufferPointer { c in
                sumY.withUnsafeMutableBufferPointer { sy in
                    sumYY.withUnsafeMutableBufferPointer { syy in
                        for r in 0..<n where all || keep[r] {
                            let g = ids[r], v = y[r]
                            c[g] &+= 1
                            sy[g].add(v)
                            let (p, e) = DoubleDouble.twoProduct(v, v)
                            syy[g].add(p, e)
                        }
                    }
                }
            }
            return
        }
        let x = ColumnAccess.doubles(columns[1])
        counts.withUnsafeMutableBufferPointer { c in
            sumY.withUnsafeMutableBufferPointer { sy in
                sumYY.withUnsafeMutableBufferPointer { syy in
                    sumX.withUnsafeMutableBufferPointer { sx in
                        sumXX.withUnsafeMutableBufferPointer { sxx in
                            sumXY.withUnsafeMutableBufferPointer { sxy in
                                for r in 0..<n where all || keep[r] {
                                    let g = ids[r], vy = y[r], vx = x[r]
                                    c[g] &+= 1
                                    sy[g].add(vy)
                                    sx[g].add(vx)
                                    let (yy, eyy) = DoubleDouble.twoProduct(vy, vy)
                                    syy[g].add(yy, eyy)
                                    let (xx, exx) = DoubleDouble.twoProduct(vx, vx)
                                    sxx[g].add(xx, exx)
                                    let (xy, exy) = DoubleDouble.twoProduct(vx, vy)
                                    sxy[g].add(xy, exy)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        let o = other as! MomentsAccumulator
        grow(to: groups)
        for g in 0..<o.counts.count {
            let t = ids[g]
            counts[t] += o.counts[g]
            sumY[t].add(o.sumY[g])
            sumYY[t].add(o.sumYY[g])
            if paired {
                sumX[t].add(o.sumX[g])
                sumXX[t].add(o.sumXX[g])
                sumXY[t].add(o.sumXY[g])
            }
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        grow(to: groups)
        var b = ColumnBuilder(type: function == .regrCount ? .int64 : .double, capacity: groups)
        for g in 0..<groups {
            if function == .regrCount { b.append(.int(counts[g])); continue }
            if let v = value(g) { b.append(.double(v)) } else { b.appendNull() }
        }
        return b.finish()
    }

    /// The answer for group `g`, nil for NULL (too few rows, or no variance to divide by).
    private func value(_ g: Int) -> Double? {
        Self.value(function, FrameSums(count: counts[g], y: sumY[g], yy: sumYY[g], x: paired ? sumX[g] : .zero,
                                       xx: paired ? sumXX[g] : .zero, xy: paired ? sumXY[g] : .zero))
    }

    /// The answer of `function` from the count and sums of its rows.
    static func value(_ function: AggregateCall.Function, _ sums: FrameSums) -> Double? {
        let n = sums.count
        guard n > 0 else { return nil }
        let count = Double(n)
        // Centred second moments, never below zero; NaN and infinity stay what they are (a
        // NaN or infinite value, or squares past the largest double).
        func centred(_ sumSquares: DoubleDouble, _ a: DoubleDouble, _ b: DoubleDouble) -> Double {
            // Finite values whose squares passed the largest double: the moment is infinite.
            if sumSquares.hi == .infinity && a.hi.isFinite && b.hi.isFinite { return .infinity }
            return (sumSquares - (a * b) / count).value
        }
        func nonNegative(_ x: Double) -> Double { x < 0 ? 0 : x }
        let myy = nonNegative(centred(sums.yy, sums.y, sums.y))
        switch function {
        case .varPop: return myy / count
        case .varSamp: return n > 1 ? myy / (count - 1) : nil
        case .stddevPop: return (myy / count).squareRoot()
        case .stddevSamp: return n > 1 ? (myy / (count - 1)).squareRoot() : nil
        default: break
        }
        let mxx = nonNegative(centred(sums.xx, sums.x, sums.x))
        let cxy = centred(sums.xy, sums.x, sums.y)
        switch function {
        case .covarPop: return cxy / count
        case .covarSamp: return n > 1 ? cxy / (count - 1) : nil
        case .corr:
            guard mxx > 0 && myy > 0 else { return nil }
            return max(-1, min(1, cxy / (mxx.squareRoot() * myy.squareRoot())))
        case .regrSlope: return mxx > 0 ? cxy / mxx : nil
        case .regrIntercept:
            guard mxx > 0 else { return nil }
            return (sums.y - DoubleDouble(hi: cxy / mxx, lo: 0) * sums.x).value / count
        case .regrR2:
            guard mxx > 0 else { return nil }
            guard myy > 0 else { return 1 }
            return (cxy * cxy) / (mxx * myy)
        case .regrAvgX: return sums.x.value / count
        case .regrAvgY: return sums.y.value / count
        case .regrSxx: return mxx
        case .regrSyy: return myy
        case .regrSxy: return cxy
        default: return nil
        }
    }
}

/// The count and sums of a group or a window frame; in a frame a row enters with sign 1 and
/// leaves with sign -1.
struct FrameSums {
    var count: Int64 = 0
    var y = DoubleDouble.zero, yy = DoubleDouble.zero
    var x = DoubleDouble.zero, xx = DoubleDouble.zero, xy = DoubleDouble.zero

    @inline(__always)
    mutating func add(_ vy: Double, _ vx: Double, sign: Double, paired: Bool) {
        count += sign > 0 ? 1 : -1
        y.add(sign * vy)
        let (p, e) = DoubleDouble.twoProduct(vy, vy)
        yy.add(sign * p, sign * e)
        guard paired else { return }
        x.add(sign * vx)
        let (q, f) = DoubleDouble.twoProduct(vx, vx)
        xx.add(sign * q, sign * f)
        let (r, g) = DoubleDouble.twoProduct(vx, vy)
        xy.add(sign * r, sign * g)
    }
}
