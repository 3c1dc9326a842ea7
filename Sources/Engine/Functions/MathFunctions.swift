// Numeric functions. Integer overloads keep BIGINT (ABS, SIGN, FLOOR, CEIL, ROUND and TRUNC
// without digits), DOUBLE overloads work in doubles; an INT argument is widened to BIGINT
// first. Logarithms and roots of values outside their domain are NaN, as in DuckDB.

import Columnar
import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum MathFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("round", canFail: true, [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: { $0.arguments[0] }),
            FunctionSignature([.type(.double), .type(.int64), .type(.varchar)], optional: 2, returns: .type(.double), kernel: roundDouble),
        ]),
        ScalarFunction("abs", canFail: true, [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: absInt),
            doubles(.abs),
        ]),
        ScalarFunction("sign", [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: { ints($0) { $0.signum() } }),
            doubles(.sign),
        ]),
        ScalarFunction("floor", [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: { $0.arguments[0] }),
            doubles(.floor),
        ]),
        ScalarFunction("ceil", aliases: ["ceiling"], [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: { $0.arguments[0] }),
            doubles(.ceil),
        ]),
        ScalarFunction("sqrt", [doubles(.sqrt)]),
        ScalarFunction("cbrt", [doubles(.cbrt)]),
        ScalarFunction("ln", [doubles(.ln)]),
        ScalarFunction("log10", [doubles(.log10)]),
        ScalarFunction("log2", [doubles(.log2)]),
        ScalarFunction("exp", [doubles(.exp)]),
        ScalarFunction("sin", [doubles(.sin)]),
        ScalarFunction("cos", [doubles(.cos)]),
        ScalarFunction("tan", [doubles(.tan)]),
        ScalarFunction("asin", [doubles(.asin)]),
        ScalarFunction("acos", [doubles(.acos)]),
        ScalarFunction("atan", [doubles(.atan)]),
        ScalarFunction("degrees", [doubles(.degrees)]),
        ScalarFunction("radians", [doubles(.radians)]),
        ScalarFunction("atan2", [
            FunctionSignature([.type(.double), .type(.double)], returns: .type(.double)) { input in
                let y = ColumnAccess.doubles(input.arguments[0]), x = ColumnAccess.doubles(input.arguments[1])
                return ColumnData(type: .double, storage: .double((0..<input.count).map { Foundation.atan2(y[$0], x[$0]) }))
            },
        ]),
        // TRUNC / TRUNCATE(x [, digits]): toward zero (TRUNC(date, unit) is DATE_TRUNC: see the macros).
        ScalarFunction("trunc", aliases: ["truncate"], [
            FunctionSignature([.type(.int64)], returns: .type(.int64), kernel: { $0.arguments[0] }),
            FunctionSignature([.type(.double), .type(.int64)], optional: 1, returns: .type(.double)) { input in
                let x = ColumnAccess.doubles(input.arguments[0])
                let d = input.arguments.count > 1 ? ColumnAccess.int64s(input.arguments[1]) : nil
                var out = [Double](repeating: 0, count: input.count)
                for i in 0..<input.count {
                    let digits = Int(clamping: d?[i] ?? 0)
                    if digits == 0 || !x[i].isFinite { out[i] = x[i].rounded(.towardZero); continue }
                    let p = pow(10.0, Double(min(digits.magnitude, 300)))
                    let y = digits > 0 ? x[i] * p : x[i] / p
                    out[i] = y.isFinite ? (digits > 0 ? y.rounded(.towardZero) / p : y.rounded(.towardZero) * p) : x[i]
                }
                return ColumnData(type: .double, storage: .double(out))
            },
        ]),
        ScalarFunction("power", aliases: ["pow"], [
            FunctionSignature([.type(.double), .type(.double)], returns: .type(.double)) { input in
                let x = ColumnAccess.doubles(input.arguments[0]), y = ColumnAccess.doubles(input.arguments[1])
                var out = [Double](repeating: 0, count: input.count)
                for i in 0..<input.count { out[i] = pow(x[i], y[i]) }
                return ColumnData(type: .double, storage: .double(out))
            },
        ]),
        // DuckDB's `a // b` and DIVIDE(a, b): integer division toward zero for integers (NULL
        // dividing by 0, as `/`), plain division for doubles.
        ScalarFunction("divide", canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64)], returns: .type(.int64)) { (input) throws(SQLError) in
                let a = ColumnAccess.int64s(input.arguments[0]), b = ColumnAccess.int64s(input.arguments[1])
                var out = [Int64](repeating: 0, count: input.count)
                var validity = ValidityBitmap(allValid: input.count), anyNull = false
                for i in 0..<input.count where !input.skips(i) {
                    if b[i] == 0 { validity.setValid(i, false); anyNull = true; continue }
                    guard a[i] != .min || b[i] != -1 else { throw SQLError(.runtime, "overflow in \(a[i]) // -1 (out of range for BIGINT)") }
                    out[i] = a[i] / b[i]
                }
                return ColumnData(type: .int64, storage: .int64(out), validity: anyNull ? validity : nil)
            },
            FunctionSignature([.type(.double), .type(.double)], returns: .type(.double)) { input in
                let a = ColumnAccess.doubles(input.arguments[0]), b = ColumnAccess.doubles(input.arguments[1])
                var out = [Double](repeating: 0, count: input.count)
                var validity = ValidityBitmap(allValid: input.count), anyNull = false
                for i in 0..<input.count {
                    if b[i] == 0 { validity.setValid(i, false); anyNull = true; continue }
                    out[i] = a[i] / b[i]
                }
                return ColumnData(type: .double, storage: .double(out), validity: anyNull ? validity : nil)
            },
        ]),
        ScalarFunction("gamma", [doubles(.gamma)]),
        ScalarFunction("lgamma", [doubles(.lgamma)]),
        // EVEN(x): x rounded away from zero to an even integer (DuckDB).
        ScalarFunction("even", [doubles(.even)]),
        ScalarFunction("isnan", [classify { $0.isNaN }]),
        ScalarFunction("isinf", [classify { $0.isInfinite }]),
        ScalarFunction("isfinite", [classify { $0.isFinite }]),
        ScalarFunction("factorial", canFail: true, [
            FunctionSignature([.type(.int64)], returns: .type(.int64)) { (input) throws(SQLError) in
                let x = ColumnAccess.int64s(input.arguments[0])
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) {
                    guard x[i] >= 0 else { throw SQLError(.runtime, "FACTORIAL of a negative number (\(x[i])) is undefined") }
                    guard x[i] <= 20 else { throw SQLError(.runtime, "FACTORIAL(\(x[i])) is out of range for BIGINT (at most FACTORIAL(20))") }
                    out[i] = (1...max(1, x[i])).reduce(1, *)
                }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ]),
        checkedIntegers("gcd", aliases: ["greatest_common_divisor"]) { (a, b) throws(SQLError) in
            guard let v = Int64(exactly: gcd(a.magnitude, b.magnitude)) else { throw SQLError(.runtime, "GCD(\(a), \(b)) is out of range for BIGINT") }
            return v
        },
        checkedIntegers("lcm", aliases: ["least_common_multiple"]) { (a, b) throws(SQLError) in
            let x = a.magnitude, y = b.magnitude
            guard x != 0 && y != 0 else { return 0 }
            let (m, overflow) = (x / gcd(x, y)).multipliedReportingOverflow(by: y)
            guard !overflow, let v = Int64(exactly: m) else { throw SQLError(.runtime, "LCM(\(a), \(b)) is out of range for BIGINT") }
            return v
        },
    ]

    /// BIGINT x BIGINT -> BIGINT, row by row, where `f` may refuse a pair (out of range).
    private static func checkedIntegers(_ name: String, aliases: [String],
                                        _ f: @escaping @Sendable (Int64, Int64) throws(SQLError) -> Int64) -> ScalarFunction {
        ScalarFunction(name, aliases: aliases, canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64)], returns: .type(.int64)) { (input) throws(SQLError) in
                let a = ColumnAccess.int64s(input.arguments[0]), b = ColumnAccess.int64s(input.arguments[1])
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) { out[i] = try f(a[i], b[i]) }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ])
    }

    /// Euclid's greatest common divisor of two magnitudes.
    private static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// DOUBLE -> BOOLEAN tests (ISNAN, ISINF, ISFINITE).
    private static func classify(_ test: @escaping @Sendable (Double) -> Bool) -> FunctionSignature {
        FunctionSignature([.type(.double)], returns: .type(.boolean)) { input in
            ColumnData(type: .boolean, storage: .boolean(ColumnAccess.doubles(input.arguments[0]).map(test)))
        }
    }

    /// The DOUBLE -> DOUBLE functions: one switch per batch, then a plain loop.
    private enum DoubleFunction {
        case abs, sign, floor, ceil, sqrt, cbrt, ln, log10, log2, exp, sin, cos, tan, asin, acos, atan, degrees, radians
        case gamma, lgamma, even

        func apply(_ x: [Double]) -> [Double] {
            switch self {
            case .abs: x.map { Swift.abs($0) }
            case .sign: x.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 }
            case .floor: x.map { $0.rounded(.down) }
            case .ceil: x.map { $0.rounded(.up) }
            case .sqrt: x.map { $0.squareRoot() }
            case .ln: x.map { Foundation.log($0) }
            case .log10: x.map { Foundation.log10($0) }
            case .exp: x.map { Foundation.exp($0) }
            case .cbrt: x.map { Glibc.cbrt($0) }
            case .log2: x.map { Foundation.log2($0) }
            case .sin: x.map { Foundation.sin($0) }
            case .cos: x.map { Foundation.cos($0) }
            case .tan: x.map { Foundation.tan($0) }
            case .asin: x.map { Foundation.asin($0) }
            case .acos: x.map { Foundation.acos($0) }
            case .atan: x.map { Foundation.atan($0) }
            case .degrees: x.map { $0 * 180 / Double.pi }
            case .radians: x.map { $0 * Double.pi / 180 }
            // The C library's: a pole (0, a negative integer) is infinity or NaN, as DuckDB's.
            case .gamma: x.map { $0 == 0 ? .infinity : $0 < 0 && $0.rounded() == $0 ? .nan : Glibc.tgamma($0) }
            case .lgamma: x.map { Glibc.lgamma($0) }
            case .even: x.map { v in
                let away = v < 0 ? (v.rounded(.down)) : v.rounded(.up)
                return away.truncatingRemainder(dividingBy: 2) == 0 ? away : away + (v < 0 ? -1 : 1)
            }
            }
        }
    }

    private static func doubles(_ f: DoubleFunction) -> FunctionSignature {
        FunctionSignature([.type(.double)], returns: .type(.double)) { input in
            ColumnData(type: .double, storage: .double(f.apply(ColumnAccess.doubles(input.arguments[0]))))
        }
    }

    @inline(__always)
    private static func ints(_ input: KernelInput, _ f: (Int64) -> Int64) -> ColumnData {
        ColumnData(type: .int64, storage: .int64(ColumnAccess.int64s(input.arguments[0]).map(f)))
    }

    /// ABS of the smallest BIGINT has no BIGINT value: an overflow error.
    private static func absInt(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let x = ColumnAccess.int64s(input.arguments[0])
        var out = [Int64](repeating: 0, count: input.count)
        for i in 0..<input.count {
            if x[i] == .min && !input.skips(i) { throw SQLError(.runtime, "integer overflow in ABS(\(x[i])) (out of range for BIGINT)") }
            out[i] = x[i] == .min ? 0 : abs(x[i])
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// ROUND(x[, digits]) half away from zero.
    /// ROUND(x [, d [, mode]]): Snowflake's modes 'HALF_AWAY_FROM_ZERO' (the default) and
    /// 'HALF_TO_EVEN'.
    private static func roundDouble(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let x = ColumnAccess.doubles(input.arguments[0]), n = input.count
        var toEven = false
        if input.arguments.count > 2 {
            switch input.constantText(2)?.uppercased() {
            case "HALF_AWAY_FROM_ZERO": toEven = false
            case "HALF_TO_EVEN": toEven = true
            default:
                throw SQLError(.runtime, "ROUND's rounding mode is 'HALF_AWAY_FROM_ZERO' or 'HALF_TO_EVEN' (a constant)", reason: .invalidText)
            }
        }
        var out = [Double](repeating: 0, count: n)
        if input.arguments.count == 1 || input.constantInt(1) != nil {
            let digits = input.arguments.count == 1 ? 0 : Int(input.constantInt(1)!)
            for i in 0..<n { out[i] = roundHalf(x[i], digits: digits, toEven: toEven) }
        } else {
            let d = ColumnAccess.int64s(input.arguments[1])
            for i in 0..<n { out[i] = roundHalf(x[i], digits: Int(clamping: d[i]), toEven: toEven) }
        }
        return ColumnData(type: .double, storage: .double(out))
    }

    /// ROUND(x, d) on the exact binary value of x, ties away from zero (or `toEven`): the
    /// product x * 10^d is split into its rounded value and the exact error (fma), which
    /// decides whether a tie in floating point is a true one.
    static func roundHalf(_ x: Double, digits: Int, toEven: Bool = false) -> Double {
        let rule: FloatingPointRoundingRule = toEven ? .toNearestOrEven : .toNearestOrAwayFromZero
        guard x.isFinite else { return x }
        // Past 10^±400 every double rounds to itself or to zero.
        if digits < -400 { return 0 }
        if digits < 0 {
            let p = pow(10.0, Double(-digits))
            return (x / p).rounded(rule) * p
        }
        guard digits <= 22 else { return x }
        let p = pow(10.0, Double(digits))
        let y = x * p
        guard y.isFinite, abs(y) < 1e300 else { return x }
        let error = fma(x, p, -y)
        var r = y.rounded(rule)
        if abs(y - y.rounded(.towardZero)) == 0.5 {
            // y is exactly halfway in floating point; the exact product decides.
            if error < 0 { r = y.rounded(.down) } else if error > 0 { r = y.rounded(.up) }
        }
        return r / p
    }
}
