// Snowflake's CONVERT_TIMEZONE. TIMESTAMP values are UTC instants or wall-clock times with no
// zone of their own, so:
//   CONVERT_TIMEZONE(target, t)          t read as UTC, the wall-clock time in `target`
//   CONVERT_TIMEZONE(source, target, t)  t read as a wall-clock time in `source`, the same
//                                        instant's wall-clock time in `target`
// Zones are IANA names ('America/New_York', 'UTC'), from the system's time zone database
// through Foundation. A wall-clock time a change of offset skips or repeats is read in
// standard time (the later instant), as DuckDB's ICU does.

import Columnar
import Foundation

enum TimeZoneFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("convert_timezone", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.timestamp)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try convert(input, source: nil, target: 0, value: 1)
            },
            FunctionSignature([.type(.varchar), .type(.varchar), .type(.timestamp)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try convert(input, source: 0, target: 1, value: 2)
            },
        ]),
    ]

    /// The zone named `name`, or an error naming it.
    static func zone(_ name: String) throws(SQLError) -> TimeZone {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if ["utc", "gmt", "z", "etc/utc", "etc/gmt"].contains(trimmed.lowercased()) { return TimeZone(secondsFromGMT: 0)! }
        guard let zone = TimeZone(identifier: trimmed) else {
            throw SQLError(.runtime, "unknown time zone '\(name)' (expected a name such as 'America/New_York' or 'UTC')")
        }
        return zone
    }

    /// Seconds east of UTC in `zone` at the instant `seconds` after 1970.
    @inline(__always)
    static func offset(_ zone: TimeZone, _ seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }

    /// The UTC instant (seconds) of wall-clock `local` seconds in `zone`: of the offsets a day
    /// either side, the one that gives back `local`; both (a repeated hour) or neither (a
    /// skipped hour): the later instant.
    static func utc(fromLocal local: Int64, in zone: TimeZone) -> Int64 {
        let before = offset(zone, local - 86_400), after = offset(zone, local + 86_400)
        let a = local - before, b = local - after
        let aHolds = offset(zone, a) == before, bHolds = offset(zone, b) == after
        if aHolds != bHolds { return aHolds ? a : b }
        return max(a, b)
    }

    private static func convert(_ input: KernelInput, source: Int?, target: Int, value: Int) throws(SQLError) -> ColumnData {
        let micros = ColumnAccess.micros(input.arguments[value])
        let targets = input.text(target), sources = source.map { input.text($0) }
        var zones: [String: TimeZone] = [:]
        func cached(_ name: String) throws(SQLError) -> TimeZone {
            if let z = zones[name] { return z }
            let z = try zone(name)
            zones[name] = z
            return z
        }
        var out = [Int64](repeating: 0, count: input.count)
        for i in 0..<input.count where !input.skips(i) {
            let m = micros[i]
            // Whole seconds (toward negative infinity) carry the offsets; the fraction rides along.
            var seconds = m / 1_000_000
            if m % 1_000_000 < 0 { seconds -= 1 }
            let fraction = m - seconds * 1_000_000
            var instant = seconds
            if let sources { instant = utc(fromLocal: seconds, in: try cached(sources[i])) }
            let to = try cached(targets[i])
            let result = (instant + offset(to, instant)) * 1_000_000 + fraction
            guard CivilTime.isValid(micros: result) else {
                throw SQLError(.runtime, "CONVERT_TIMEZONE of \(CivilTime.formatTimestamp(micros: m)) is outside the TIMESTAMP range",
                               reason: .numericOutOfRange)
            }
            out[i] = result
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }
}
