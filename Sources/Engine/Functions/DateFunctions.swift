// Date and time functions: parts (YEAR ... SECOND, DATE_PART), truncation (DATE_TRUNC),
// conversions (TO_TIMESTAMP, TO_DATE) and CURRENT_TIMESTAMP. Instants are microseconds
// since 1970-01-01 UTC; a DATE argument is widened to its midnight. Parts and units are
// checked when binding if they are constants, and resolved once per batch.

import Columnar
import Foundation

enum DateFunctions {
    static let all: [ScalarFunction] = [
        part("year", .year), part("month", .month), part("day", .day),
        part("hour", .hour), part("minute", .minute), part("second", .second),
        part("quarter", .quarter), part("dayofweek", .dayOfWeek), part("dayofyear", .dayOfYear), part("dayofmonth", .day),
        ScalarFunction("date_part", aliases: ["datepart"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.timestamp)], returns: .type(.int64), kernel: datePart),
        ], check: { arguments, positions throws(SQLError) in try checkUnit(arguments, positions, truncation: false) }),
        ScalarFunction("date_trunc", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.date)], returns: .type(.date), kernel: dateTrunc),
            FunctionSignature([.type(.varchar), .type(.timestamp)], returns: .type(.timestamp), kernel: dateTrunc),
        ], check: { arguments, positions throws(SQLError) in try checkUnit(arguments, positions, truncation: true) }),
        ScalarFunction("to_timestamp", aliases: ["to_timestamp_ltz", "to_timestamp_ntz"], canFail: true, [
            FunctionSignature([.type(.int64)], returns: .type(.timestamp), kernel: fromEpochSeconds),
            FunctionSignature([.type(.double)], returns: .type(.timestamp), kernel: fromEpochSeconds),
            FunctionSignature([.type(.timestamp)], returns: .type(.timestamp), kernel: { $0.arguments[0] }),
            FunctionSignature([.type(.varchar)], returns: .type(.timestamp), kernel: { (input) throws(SQLError) in try ExpressionEvaluator.cast(input.arguments[0], to: .timestamp) }),
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try FormatFunctions.readDates(input, style: .snowflake, as: .timestamp, orNull: false)
            },
            FunctionSignature([.type(.int64), .type(.int64)], returns: .type(.timestamp), kernel: FormatFunctions.fromScaledEpoch),
        ], check: { arguments, _ throws(SQLError) in try FormatFunctions.checkFormat(arguments, .snowflake) }),
        ScalarFunction("to_date", canFail: true, [
            FunctionSignature([.type(.date)], returns: .type(.date), kernel: { $0.arguments[0] }),
            FunctionSignature([.type(.timestamp)], returns: .type(.date), kernel: { (input) throws(SQLError) in try ExpressionEvaluator.cast(input.arguments[0], to: .date) }),
            FunctionSignature([.type(.varchar)], returns: .type(.date), kernel: { (input) throws(SQLError) in try ExpressionEvaluator.cast(input.arguments[0], to: .date) }),
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.date)) { (input) throws(SQLError) in
                try FormatFunctions.readDates(input, style: .snowflake, as: .date, orNull: false)
            },
        ], check: { arguments, _ throws(SQLError) in try FormatFunctions.checkFormat(arguments, .snowflake) }),
        // DATE_FROM_PARTS(y, m, d) (DuckDB's MAKE_DATE): months and days past their range
        // carry over, as Snowflake's do (month 13 is January of the next year, day 0 the
        // last day of the month before).
        ScalarFunction("date_from_parts", aliases: ["make_date", "datefromparts"], canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64), .type(.int64)], returns: .type(.date), kernel: dateFromParts),
        ]),
        ScalarFunction("current_timestamp", aliases: ["now", "getdate", "sysdate", "systimestamp", "localtimestamp"], volatility: .stable, [
            FunctionSignature([], returns: .type(.timestamp)) { input in
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                return ColumnData(type: .timestamp, storage: .int64([Int64](repeating: now, count: input.count)))
            },
        ]),
    ]

    private static func dateFromParts(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let y = ColumnAccess.int64s(input.arguments[0]), m = ColumnAccess.int64s(input.arguments[1]), d = ColumnAccess.int64s(input.arguments[2])
        var out = [Int32](repeating: 0, count: input.count)
        for i in 0..<input.count where !input.skips(i) {
            guard y[i].magnitude <= 200_000, m[i].magnitude <= 2_400_000, d[i].magnitude <= 73_000_000 else {
                throw SQLError(.runtime, "DATE_FROM_PARTS(\(y[i]), \(m[i]), \(d[i])) is outside the DATE range", reason: .numericOutOfRange)
            }
            // Months from year 0, so that any month number carries into the year.
            let months = y[i] * 12 + (m[i] - 1)
            let year = months >= 0 ? months / 12 : (months - 11) / 12
            let month = months - year * 12 + 1
            out[i] = Int32(Int64(CivilTime.days(year: Int(year), month: Int(month), day: 1)) + d[i] - 1)
        }
        return ColumnData(type: .date, storage: .int32(out))
    }

    // MARK: Parts

    /// A part of an instant DATE_PART can take.
    enum Part {
        case year, month, day, hour, minute, second, millisecond, microsecond, quarter
        case epochSecond, epochMillisecond, epochMicrosecond, dayOfWeek, dayOfYear
        /// ISO: Monday 1 ... Sunday 7, the week of the year, the year the week belongs to.
        case dayOfWeekIso, week, yearOfWeek
        /// Nanoseconds within the second (Snowflake's NANOSECOND; microsecond precision).
        case nanosecond

        /// Snowflake's names and common abbreviations.
        static let names: [String: Part] = {
            var out: [String: Part] = [:]
            let spellings: [(Part, [String])] = [
                (.year, ["year", "years", "yyyy", "yy", "y"]), (.month, ["month", "months", "mm", "mon"]),
                (.day, ["day", "days", "dd", "d", "dayofmonth"]), (.hour, ["hour", "hours", "hh", "h"]),
                (.minute, ["minute", "minutes", "mi", "m"]), (.second, ["second", "seconds", "ss", "s"]),
                (.millisecond, ["millisecond", "milliseconds", "ms"]), (.microsecond, ["microsecond", "microseconds", "us"]),
                (.quarter, ["quarter", "quarters", "q"]), (.epochSecond, ["epoch", "epoch_second", "epoch_seconds"]),
                (.epochMillisecond, ["epoch_millisecond", "epoch_milliseconds"]),
                (.epochMicrosecond, ["epoch_microsecond", "epoch_microseconds"]),
                (.dayOfWeek, ["dow", "dayofweek", "weekday", "dw"]), (.dayOfYear, ["doy", "dayofyear", "yearday", "dy"]),
                (.dayOfWeekIso, ["dayofweekiso", "dayofweek_iso", "weekday_iso", "dow_iso", "isodow"]),
                (.week, ["week", "weeks", "w", "wk", "weekofyear", "woy", "wy", "weekiso", "week_iso", "weekofyeariso", "weekofyear_iso"]),
                (.yearOfWeek, ["yearofweek", "yearofweekiso", "isoyear"]),
                (.nanosecond, ["nanosecond", "nanoseconds", "ns", "nsec", "nanosec", "nsecond", "nanosecs"]),
            ]
            for (part, words) in spellings { for w in words { out[w] = part } }
            return out
        }()

        /// The part of a valid instant (see `CivilTime.isValid`).
        @inline(__always)
        func of(days: Int64, rem: Int64, civil c: (year: Int, month: Int, day: Int)) -> Int64 {
            switch self {
            case .year: Int64(c.year)
            case .month: Int64(c.month)
            case .day: Int64(c.day)
            case .hour: rem / 3_600_000_000
            case .minute: rem / 60_000_000 % 60
            case .second: rem / 1_000_000 % 60
            case .millisecond: rem / 1_000 % 60_000
            case .microsecond: rem % 60_000_000
            case .quarter: Int64((c.month - 1) / 3 + 1)
            // Whole Unix seconds (floored), as Snowflake's EPOCH_SECOND.
            case .epochSecond: days * CivilTime.secondsPerDay + rem / 1_000_000
            case .epochMillisecond: days * 86_400_000 + rem / 1_000
            case .epochMicrosecond: days * CivilTime.microsPerDay + rem
            case .dayOfWeek: ((days % 7) + 11) % 7
            case .dayOfYear: days - Int64(CivilTime.days(year: c.year, month: 1, day: 1)) + 1
            case .dayOfWeekIso: (days % 7 + 10) % 7 + 1
            case .week: DateArithmetic.isoWeek(days: days)
            case .yearOfWeek: DateArithmetic.isoYear(days: days)
            case .nanosecond: rem % 1_000_000 * 1_000
            }
        }

        /// Whether the part needs the civil date (year, month, day) of the instant.
        var needsCivil: Bool {
            switch self {
            case .year, .month, .day, .quarter, .dayOfYear: true
            default: false
            }
        }
    }

    /// YEAR(x) ... SECOND(x): DATE_PART with the part in the name.
    private static func part(_ name: String, _ part: Part) -> ScalarFunction {
        ScalarFunction(name, [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in parts(part, input.arguments[0], input.count) },
        ])
    }

    /// `part` of every instant; consecutive rows on the same day reuse its civil date.
    static func parts(_ part: Part, _ column: ColumnData, _ n: Int) -> ColumnData {
        let micros = ColumnAccess.micros(column)
        var out = [Int64](repeating: 0, count: n)
        var lastDay = Int64.min
        var civil = (year: 0, month: 0, day: 0)
        let needsCivil = part.needsCivil
        for i in 0..<n {
            let day = CivilTime.day(micros: micros[i])
            let rem = micros[i] - day * CivilTime.microsPerDay
            if needsCivil && day != lastDay { civil = CivilTime.civil(days: Int32(truncatingIfNeeded: day)); lastDay = day }
            out[i] = part.of(days: day, rem: rem, civil: civil)
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    private static func datePart(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        if let name = input.constantText(0) {
            guard let part = Part.names[name.lowercased()] else { throw unknownUnit(name, truncation: false) }
            return parts(part, input.arguments[1], n)
        }
        let names = input.text(0), micros = ColumnAccess.micros(input.arguments[1])
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where !input.skips(i) {
            guard let part = Part.names[names[i].lowercased()] else { throw unknownUnit(names[i], truncation: false) }
            let day = CivilTime.day(micros: micros[i])
            out[i] = part.of(days: day, rem: micros[i] - day * CivilTime.microsPerDay, civil: CivilTime.civil(days: Int32(day)))
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    // MARK: Truncation

    /// A unit DATE_TRUNC can truncate to.
    enum Unit {
        case year, quarter, month, week, day, hour, minute, second, millisecond, microsecond

        static let names: [String: Unit] = {
            var out: [String: Unit] = [:]
            let spellings: [(Unit, [String])] = [
                (.year, ["year", "years", "yyyy", "yy", "y"]), (.quarter, ["quarter", "quarters", "q"]),
                (.month, ["month", "months", "mm", "mon"]), (.week, ["week", "weeks", "w"]),
                (.day, ["day", "days", "dd", "d"]), (.hour, ["hour", "hours", "hh", "h"]),
                (.minute, ["minute", "minutes", "mi", "m"]), (.second, ["second", "seconds", "ss", "s"]),
                (.millisecond, ["millisecond", "milliseconds", "ms", "msec"]),
                (.microsecond, ["microsecond", "microseconds", "us", "usec"]),
            ]
            for (unit, words) in spellings { for w in words { out[w] = unit } }
            return out
        }()

        /// The start of the unit `micros` falls in (weeks start on Monday).
        func truncate(_ micros: Int64) -> Int64 {
            let days = CivilTime.day(micros: micros)
            let rem = micros - days * CivilTime.microsPerDay
            let dayStart = days * CivilTime.microsPerDay
            func civil() -> (year: Int, month: Int, day: Int) { CivilTime.civil(days: Int32(days)) }
            switch self {
            case .year: return Int64(CivilTime.days(year: civil().year, month: 1, day: 1)) * CivilTime.microsPerDay
            case .quarter:
                let c = civil()
                return Int64(CivilTime.days(year: c.year, month: (c.month - 1) / 3 * 3 + 1, day: 1)) * CivilTime.microsPerDay
            case .month: let c = civil(); return Int64(CivilTime.days(year: c.year, month: c.month, day: 1)) * CivilTime.microsPerDay
            case .week: return (days - ((days % 7) + 10) % 7) * CivilTime.microsPerDay
            case .day: return dayStart
            case .hour: return dayStart + rem / 3_600_000_000 * 3_600_000_000
            case .minute: return dayStart + rem / 60_000_000 * 60_000_000
            case .second: return dayStart + rem / 1_000_000 * 1_000_000
            case .millisecond: return dayStart + rem / 1_000 * 1_000
            case .microsecond: return micros
            }
        }
    }

    /// DATE_TRUNC(unit, x), in x's type; a start before the TIMESTAMP range is an error.
    private static func dateTrunc(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        let micros = ColumnAccess.micros(input.arguments[1])
        let constant = input.constantText(0)
        let names = constant == nil ? input.text(0) : StringArray()
        var unit = try constant.map { (name) throws(SQLError) in try resolve(name) }
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where !input.skips(i) {
            if constant == nil { unit = try resolve(names[i]) }
            let t = unit!.truncate(micros[i])
            guard CivilTime.isValid(micros: t) else {
                throw SQLError(.runtime, "DATE_TRUNC('\(constant ?? names[i])', ...) falls before the TIMESTAMP range")
            }
            out[i] = t
        }
        if input.type == .date {
            return ColumnData(type: .date, storage: .int32(out.map { Int32(truncatingIfNeeded: CivilTime.day(micros: $0)) }))
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }

    private static func resolve(_ name: String) throws(SQLError) -> Unit {
        guard let unit = Unit.names[name.lowercased()] else { throw unknownUnit(name, truncation: true) }
        return unit
    }

    // MARK: Conversions

    /// TO_TIMESTAMP(seconds since 1970), BIGINT or DOUBLE; outside the TIMESTAMP range an error.
    private static func fromEpochSeconds(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        var out = [Int64](repeating: 0, count: n)
        if case .double(let seconds) = input.arguments[0].flattened().storage {
            for i in 0..<n where !input.skips(i) {
                guard let m = CivilTime.micros(epochSeconds: seconds[i]) else { throw epochOutOfRange(Value.format(seconds[i])) }
                out[i] = m
            }
        } else {
            let seconds = ColumnAccess.int64s(input.arguments[0])
            for i in 0..<n where !input.skips(i) {
                guard let m = CivilTime.micros(epochSeconds: seconds[i]) else { throw epochOutOfRange("\(seconds[i])") }
                out[i] = m
            }
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }

    static func epochOutOfRange(_ v: String) -> SQLError {
        SQLError(.runtime, "Conversion Error: epoch seconds \(v) are out of range for TIMESTAMP (years 290000 BC to 290000 AD)")
    }

    // MARK: Checks

    /// Checks a DATE_PART part or DATE_TRUNC unit given as a constant, when binding.
    private static func checkUnit(_ arguments: [BoundExpr], _ positions: [Int], truncation: Bool) throws(SQLError) {
        guard case .constant(.string(let name), _) = arguments[0] else { return }
        let known = truncation ? Array(Unit.names.keys) : Array(Part.names.keys)
        guard !known.contains(name.lowercased()) else { return }
        var error = unknownUnit(name, truncation: truncation)
        if let near = NameSuggestion.nearest(to: name, in: known.sorted()) { error.message += "; did you mean '\(near)'?" }
        throw SQLError(.binder, error.message, at: positions[0])
    }

    private static func unknownUnit(_ name: String, truncation: Bool) -> SQLError {
        SQLError(.runtime, truncation ? "DATE_TRUNC does not know the unit '\(name)'" : "DATE_PART does not know the part '\(name)'")
    }
}
