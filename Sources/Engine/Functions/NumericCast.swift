// CAST(x AS NUMBER(p, s)) / DECIMAL(p, s), TO_NUMBER(x, p, s) and a write to a column declared
// NUMBER(p, s): the value rounded half away from zero to s decimals, and an error (NULL for the
// TRY forms) where it needs more than p - s digits before the point, as Snowflake and DuckDB
// do. moviecol has no fixed-point type: scale 0 is a BIGINT, any other scale the double
// nearest the rounded decimal. A double is rounded as the decimal it prints as (its shortest
// round-trip digits), so `1.005::NUMBER(10, 2)` is 1.01 as the literal reads, not 1.00 as its
// binary value 1.00499999... would give.

import Columnar
import Foundation

package enum NumericCast {
    /// `cast_number(x, p, 0)` is a BIGINT, `cast_decimal(x, p, s)` a DOUBLE (s > 0): the parser
    /// and TO_NUMBER pick by the constant scale. The TRY forms give NULL for a value that does
    /// not convert or fit.
    static let all: [ScalarFunction] = [
        function("cast_number", returns: .int64, orNull: false),
        function("try_cast_number", returns: .int64, orNull: true),
        function("cast_decimal", returns: .double, orNull: false),
        function("try_cast_decimal", returns: .double, orNull: true),
    ]

    /// The function `CAST(... AS NUMBER(p, s))` calls.
    static func name(for n: NumericPrecision, orNull: Bool) -> String {
        (orNull ? "try_" : "") + (n.scale == 0 ? "cast_number" : "cast_decimal")
    }

    private static func function(_ name: String, returns type: LogicalType, orNull: Bool) -> ScalarFunction {
        ScalarFunction(name, canFail: !orNull, [
            FunctionSignature([.any, .type(.int64), .type(.int64)], returns: .type(type)) { (input) throws(SQLError) in
                if let p = input.constantInt(1), let s = input.constantInt(2) {
                    return try convert(input.arguments[0], to: NumericPrecision(precision: Int(p), scale: Int(s)), orNull: orNull)
                }
                return try rowByRow(input, returns: type, orNull: orNull)
            },
        ], check: { (arguments, positions) throws(SQLError) in
            // The parser and TO_NUMBER always pass constants; check them before any row is read.
            guard case .constant(.int(let p), _) = arguments[1], case .constant(.int(let s), _) = arguments[2] else { return }
            try checkPrecision(Int(p), Int(s), at: positions.first)
            try checkScale(Int(s), returns: type, at: positions.first)
        })
    }

    /// Scale 0 is the BIGINT function's, any other the DOUBLE one's.
    private static func checkScale(_ s: Int, returns type: LogicalType, at position: Int?) throws(SQLError) {
        guard (s == 0) == (type == .int64) else {
            throw SQLError(.binder, "a DECIMAL of scale \(s) is not a \(type)", at: position)
        }
    }

    /// A precision and scale that differ by row (a direct call with columns): each row alone.
    private static func rowByRow(_ input: KernelInput, returns type: LogicalType, orNull: Bool) throws(SQLError) -> ColumnData {
        let precisions = ColumnAccess.int64s(input.arguments[1]), scales = ColumnAccess.int64s(input.arguments[2])
        var out = ColumnBuilder(type: type, capacity: input.count)
        for i in 0..<input.count {
            guard !input.skips(i) else { out.appendNull(); continue }
            do throws(SQLError) {
                let p = Int(clamping: precisions[i]), s = Int(clamping: scales[i])
                try checkPrecision(p, s, at: nil)
                try checkScale(s, returns: type, at: nil)
                out.append(try convert(input.arguments[0].selecting([i]), to: NumericPrecision(precision: p, scale: s), orNull: orNull).value(at: 0))
            } catch {
                guard orNull else { throw error }
                out.appendNull()
            }
        }
        return out.finish()
    }

    /// The Snowflake / DuckDB limits: precision 1 to 38, scale 0 to precision.
    static func checkPrecision(_ p: Int, _ s: Int, at position: Int?) throws(SQLError) {
        guard (1...NumericPrecision.maximum).contains(p) else {
            throw SQLError(.type, "DECIMAL precision \(p) is not between 1 and \(NumericPrecision.maximum)", at: position)
        }
        guard (0...p).contains(s) else { throw SQLError(.type, "DECIMAL scale \(s) is not between 0 and the precision \(p)", at: position) }
    }

    /// `column` as NUMBER(p, s): rounded to the scale, checked against the precision.
    package static func convert(_ column: ColumnData, to n: NumericPrecision, orNull: Bool) throws(SQLError) -> ColumnData {
        let typed: ColumnData
        do { typed = try ExpressionEvaluator.cast(column, to: n.storageType).flattened() } catch {
            guard orNull else { throw error }
            typed = TryCastFunctions.tryCast(column, to: n.storageType).flattened()
        }
        var validity = typed.validity
        func refuse(_ i: Int, _ text: String) throws(SQLError) {
            guard orNull else {
                throw SQLError(.runtime, "Conversion Error: \(text) is out of range for \(n), which holds at most \(n.precision - n.scale) digits before the decimal point",
                               reason: .numericOutOfRange)
            }
            if validity == nil { validity = ValidityBitmap(allValid: typed.count) }
            validity!.setValid(i, false)
        }
        switch typed.storage {
        case .int64(var values):
            // Scale 0: the cast already rounded half away from zero; only the digits remain.
            if n.precision < 19 {
                let limit = power(n.precision).magnitude
                for i in values.indices where values[i].magnitude >= limit && !typed.isNull(i) {
                    try refuse(i, "\(values[i])")
                    values[i] = 0
                }
            }
            return ColumnData(type: .int64, storage: .int64(values), validity: validity)
        case .double(var values):
            let scale = pow(10.0, Double(n.scale)), limit = pow(10.0, Double(n.precision))
            for i in values.indices where !typed.isNull(i) {
                let x = values[i]
                guard x.isFinite else { try refuse(i, "\(x)"); values[i] = 0; continue }
                let scaled = rounded(x, scale: n.scale, factor: scale)
                guard abs(scaled) < limit else { try refuse(i, "\(x)"); values[i] = 0; continue }
                // `+ 0` makes a negative zero (-0.001 at scale 2) print as 0.
                values[i] = abs(x * scale) >= 0x1p52 ? x : scaled / scale + 0
            }
            return ColumnData(type: .double, storage: .double(values), validity: validity)
        default:
            throw SQLError(.internal, "a DECIMAL cast produced \(typed.type)")
        }
    }

    /// x * 10^scale rounded half away from zero, ties decided on x's shortest decimal digits.
    @inline(__always)
    static func rounded(_ x: Double, scale: Int, factor: Double) -> Double {
        let y = x * factor
        guard abs(y) < 0x1p52 else { return y.rounded() }
        let fraction = abs(y - y.rounded(.towardZero))
        // Far from a tie the binary product decides; near one, the digits the value prints as.
        guard abs(fraction - 0.5) < 1e-6 else { return y.rounded(.toNearestOrAwayFromZero) }
        return decimalRounded(x, scale: scale)
    }

    /// The shortest digits of `x`, rounded half away from zero at `scale` decimals, as the
    /// integer x * 10^scale.
    private static func decimalRounded(_ x: Double, scale: Int) -> Double {
        let number = DecimalDigits(x)
        let kept = number.point + scale
        var integer: Int64 = 0
        for k in 0..<max(kept, 0) { integer = integer * 10 + Int64(number.digit(at: k)) }
        if kept >= 0, number.digit(at: kept) >= 5 { integer += 1 }
        return x < 0 ? -Double(integer) : Double(integer)
    }

    private static func power(_ n: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<min(n, 18) { p *= 10 }
        return p
    }
}
