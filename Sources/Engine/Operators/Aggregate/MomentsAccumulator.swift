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

    /// Sets group k to the frame of position k of `order` (rows `order[starts[k]...ends[k]]`,
    /// empty when start > end) for every position: the sums slide with the frame, each row
    /// added as it enters and subtracted as it leaves, so a frame costs what it moved by, not
    /// its size. Sums stay those of the frame alone (double-double, as in `update`); a frame
    /// holding a value that is not finite, or whose square is not, is summed afresh, giving
    /// what `update` would.
    func slide(_ columns: [ColumnData], include: [Bool]?, order: [Int], starts: [Int], ends: [Int]) {
        let n = order.count
        grow(to: n)
        var keep = include ?? [Bool](repeating: true, count: n)
        if let v = ColumnAccess.merge(Array(columns.prefix(paired ? 2 : 1))) {
            for r in 0..<keep.count where !v.isValid(r) { keep[r] = false }
        }
        let y = ColumnAccess.doubles(columns[0])
        let x = paired ? ColumnAccess.doubles(columns[1]) : []
        func special(_ v: Double) -> Bool { !v.isFinite || !(v * v).isFinite }
        var sums = FrameSums()
        var lo = 0, hi = 0, specials = 0
        func move(_ p: Int, _ sign: Double) {
            let r = order[p]
            guard keep[r] else { return }
            if special(y[r]) || (paired && special(x[r])) { specials += sign > 0 ? 1 : -1; return }
            sums.add(y[r], paired ? x[r] : 0, sign: sign, paired: paired)
        }
        for k in 0..<n {
            let s = starts[k], e = ends[k] + 1
            if s >= e {
                store(FrameSums(), at: k)
                continue
            }
            if s < lo || e < hi || s >= hi {
                // Not a slide forward of the last frame (a new partition): start again.
                sums = FrameSums(); specials = 0; lo = s; hi = s
            }
            while hi < e { move(hi, 1); hi += 1 }
            while lo < s { move(lo, -1); lo += 1 }
            if specials == 0 { store(sums, at: k); continue }
            var fresh = FrameSums()
            for p in s..<e where keep[order[p]] { fresh.add(y[order[p]], paired ? x[order[p]] : 0, sign: 1, paired: paired) }
            store(fresh, at: k)
        }
    }

    private func store(_ f: FrameSums, at g: Int) {
        counts[g] = f.count
        sumY[g] = f.y; sumYY[g] = f.yy
        if paired { sumX[g] = f.x; sumXX[g] = f.xx; sumXY[g] = f.xy }
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
        let n = counts[g]
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
        let myy = nonNegative(centred(sumYY[g], sumY[g], sumY[g]))
        switch function {
        case .varPop: return myy / count
        case .varSamp: return n > 1 ? myy / (count - 1) : nil
        case .stddevPop: return (myy / count).squareRoot()
        case .stddevSamp: return n > 1 ? (myy / (count - 1)).squareRoot() : nil
        default: break
        }
        let mxx = nonNegative(centred(sumXX[g], sumX[g], sumX[g]))
        let cxy = centred(sumXY[g], sumX[g], sumY[g])
        switch function {
        case .covarPop: return cxy / count
        case .covarSamp: return n > 1 ? cxy / (count - 1) : nil
        case .corr:
            guard mxx > 0 && myy > 0 else { return nil }
            return max(-1, min(1, cxy / (mxx.squareRoot() * myy.squareRoot())))
        case .regrSlope: return mxx > 0 ? cxy / mxx : nil
        case .regrIntercept:
            guard mxx > 0 else { return nil }
            return (sumY[g] - DoubleDouble(hi: cxy / mxx, lo: 0) * sumX[g]).value / count
        case .regrR2:
            guard mxx > 0 else { return nil }
            guard myy > 0 else { return 1 }
            return (cxy * cxy) / (mxx * myy)
        case .regrAvgX: return sumX[g].value / count
        case .regrAvgY: return sumY[g].value / count
        case .regrSxx: return mxx
        case .regrSyy: return myy
        case .regrSxy: return cxy
        default: return nil
        }
    }
}

/// The sums of one frame; a row enters with sign 1 and leaves with sign -1.
private struct FrameSums {
    var count: Int64 = 0
    var y = DoubleDouble.zero, yy = DoubleDouble.zero
    var x = DoubleDouble.zero, xx = DoubleDouble.zero, xy = DoubleDouble.zero

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
