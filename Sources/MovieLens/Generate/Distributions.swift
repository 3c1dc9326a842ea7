// The distributions the generator draws from, over its SplitMix64 streams: normals, Gumbel,
// Poisson, the normal CDF and quantile, piecewise-linear curves and Vose alias tables. Each is
// a fixed sequence of draws, so a stream gives the same values on every run and thread count.

#if canImport(Glibc)
import Glibc
#endif

extension SplitMix64 {
    /// Standard normal (Box-Muller, one value per two uniforms).
    mutating func normal() -> Double {
        let u1 = 1 - unit(), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Standard Gumbel: the key that makes "largest log-weight + Gumbel" a weighted draw.
    mutating func gumbel() -> Double { -log(-log(1 - unit() * (1 - 0x1p-53))) }

    /// Poisson with the given mean: inversion for small means, the rounded normal above 30
    /// (the session counts it draws only need the right mean and spread).
    mutating func poisson(mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        var k = 0
        var p = exp(-mean), cdf = p
        let u = unit()
        while u > cdf && k < 200 { k += 1; p *= mean / Double(k); cdf += p }
        return k
    }
}

enum Distribution {
    /// Standard normal CDF.
    static func normalCDF(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Standard normal quantile: Acklam's rational approximation refined by one Halley step
    /// (relative error below 1e-15 over (0, 1)).
    static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
                (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = normalCDF(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// The piecewise-linear curve through `points` (x ascending) at x, flat outside.
    static func interpolate(_ points: [(Double, Double)], at x: Double) -> Double {
        if x <= points[0].0 { return points[0].1 }
        for k in 1..<points.count where x <= points[k].0 {
            let (x0, y0) = points[k - 1], (x1, y1) = points[k]
            return y0 + (x - x0) / (x1 - x0) * (y1 - y0)
        }
        return points[points.count - 1].1
    }
}

/// Vose's alias table: a weighted draw in O(1), one uniform per draw.
struct AliasTable: Sendable {
    private var probability: [Double]
    private var alias: [Int32]

    init(weights: [Double]) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { $0 * Double(n) / total }
        probability = [Double](repeating: 1, count: n)
        alias = [Int32](repeating: 0, count: n)
        var small: [Int] = [], large: [Int] = []
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast() {
            guard let l = large.last else { probability[s] = 1; continue }
            probability[s] = scaled[s]
            alias[s] = Int32(l)
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        for l in large { probability[l] = 1 }
    }

    @inline(__always)
    func draw(_ rng: inout SplitMix64) -> Int {
        let x = rng.unit() * Double(probability.count)
        let i = min(Int(x), probability.count - 1)
        return x - Double(i) < probability[i] ? i : Int(alias[i])
    }
}
