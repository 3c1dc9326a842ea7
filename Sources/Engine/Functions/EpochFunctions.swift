// DuckDB's epoch conversions: EPOCH(t) in seconds (DOUBLE, with the fraction), EPOCH_MS /
// EPOCH_US / EPOCH_NS(t) as BIGINT counts, EPOCH_MS(n) back to a TIMESTAMP, and
// MAKE_TIMESTAMP from parts or from microseconds. A DATE argument is its midnight.

import Columnar

enum EpochFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("epoch", [
            FunctionSignature([.type(.timestamp)], returns: .type(.double)) { input in
                ColumnData(type: .double, storage: .double(ColumnAccess.micros(input.arguments[0]).map { seconds($0) }))
            },
        ]),
        ScalarFunction("epoch_ms", canFail: true, [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in counts(input, per: 1_000) },
            // EPOCH_MS(n): the instant n milliseconds after 1970 (DuckDB; TO_TIMESTAMP(n, 3)).
            FunctionSignature([.type(.int64)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try FormatFunctions.fromScaledEpoch(KernelInput(arguments: [input.arguments[0], ColumnData.constant(.int(3), type: .int64, count: input.count)],
                                                                count: input.count, type: .timestamp, present: input.present))
            },
        ]),
        ScalarFunction("epoch_us", [FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in counts(input, per: 1) }]),
        ScalarFunction("epoch_ns", canFail: true, [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { (input) throws(SQLError) in
                let micros = ColumnAccess.micros(input.arguments[0])
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) {
                    let (ns, overflow) = micros[i].multipliedReportingOverflow(by: 1_000)
                    guard !overflow else {
                        throw SQLError(.runtime, "EPOCH_NS of \(CivilTime.formatTimestamp(micros: micros[i])) is out of range for BIGINT",
                                       reason: .numericOutOfRange)
                    }
                    out[i] = ns
                }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ]),
        ScalarFunction("make_timestamp", canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64), .type(.int64), .type(.int64), .type(.int64), .type(.double)],
                              returns: .type(.timestamp), kernel: fromParts),
            // MAKE_TIMESTAMP(micros): microseconds since 1970.
            FunctionSignature([.type(.int64)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                let micros = ColumnAccess.int64s(input.arguments[0])
                for i in 0..<input.count where !input.skips(i) && !CivilTime.isValid(micros: micros[i]) {
                    throw SQLError(.runtime, "MAKE_TIMESTAMP(\(micros[i])) is outside the TIMESTAMP range", reason: .numericOutOfRange)
                }
                return ColumnData(type: .timestamp, storage: .int64(micros))
            },
        ]),
    ]

    /// Microseconds as seconds: the whole seconds and the fraction apart, so that instants
    /// far from 1970 keep their microseconds as far as a double can.
    private static func seconds(_ micros: Int64) -> Double {
        let whole = micros >= 0 ? micros / 1_000_000 : -((-(micros + 1)) / 1_000_000) - 1
        return Double(whole) + Double(micros - whole * 1_000_000) / 1_000_000
    }

    /// Whole milliseconds (or microseconds) since 1970, rounded toward negative infinity as
    /// DuckDB's are.
    private static func counts(_ input: KernelInput, per unit: Int64) -> ColumnData {
        let micros = ColumnAccess.micros(input.arguments[0])
        return ColumnData(type: .int64, storage: .int64(micros.map { m in
            let q = m / unit
            return m % unit < 0 ? q - 1 : q
        }))
    }

    /// MAKE_TIMESTAMP(year, month, day, hour, minute, seconds): each part in its range (DuckDB),
    /// the seconds with their fraction to the microsecond.
    private static func fromParts(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let a = input.arguments
        let year = ColumnAccess.int64s(a[0]), month = ColumnAccess.int64s(a[1]), day = ColumnAccess.int64s(a[2])
        let hour = ColumnAccess.int64s(a[3]), minute = ColumnAccess.int64s(a[4]), second = ColumnAccess.doubles(a[5])
        var out = [Int64](repeating: 0, count: input.count)
        for i in 0..<input.count where !input.skips(i) {
            let parts = "\(year[i])-\(month[i])-\(day[i]) \(hour[i]):\(minute[i]):\(Value.format(second[i]))"
            guard year[i].magnitude <= 290_000, (1...12).contains(month[i]), day[i] >= 1,
                  day[i] <= Int64(CivilTime.daysInMonth(year: Int(year[i]), month: Int(month[i]))),
                  (0...23).contains(hour[i]), (0...59).contains(minute[i]), second[i] >= 0, second[i] < 60 else {
                throw SQLError(.runtime, "MAKE_TIMESTAMP(\(parts)) is not a valid timestamp", reason: .numericOutOfRange)
            }
            let days = Int64(CivilTime.days(year: Int(year[i]), month: Int(month[i]), day: Int(day[i])))
            let micros = days * CivilTime.microsPerDay + (hour[i] * 3_600 + minute[i] * 60) * 1_000_000 + Int64((second[i] * 1_000_000).rounded())
            guard CivilTime.isValid(micros: micros) else {
                throw SQLError(.runtime, "MAKE_TIMESTAMP(\(parts)) is outside the TIMESTAMP range", reason: .numericOutOfRange)
            }
            out[i] = micros
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }
}
