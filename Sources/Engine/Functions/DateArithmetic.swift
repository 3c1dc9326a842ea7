// Date arithmetic as Snowflake writes it: DATEADD / TIMESTAMPADD (a number of units added,
// months clamped to the month's last day), DATEDIFF / TIMESTAMPDIFF (the unit boundaries
// crossed between two instants, as both Snowflake and DuckDB count them), LAST_DAY, and the
// names DAYNAME / MONTHNAME (three letters, as Snowflake). Units are those of DATE_TRUNC, and
// may be written bare (`DATEADD(day, 7, d)`): the parser reads a bare unit as its name.

import Columnar
import Foundation

enum DateArithmetic {
    static let all: [ScalarFunction] = [
        ScalarFunction("dateadd", aliases: ["timestampadd"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.int64), .type(.date)], returns: .type(.date), kernel: dateAdd),
            FunctionSignature([.type(.varchar), .type(.int64), .type(.timestamp)], returns: .type(.timestamp), kernel: dateAdd),
        ], check: { arguments, positions throws(SQLError) in
            try checkUnit(arguments[0], at: positions[0])
            // Hours, minutes and seconds added to a DATE give a TIMESTAMP (Snowflake): the
            // binder casts the date first (see `rewrite`).
        }, rewrite: { arguments, _ in
            guard arguments[2].type == .date, case .constant(.string(let u), _) = arguments[0],
                  let unit = DateFunctions.Unit.names[u.lowercased()], unit.belowDay else { return nil }
            return try? Binder.call("dateadd", [arguments[0], arguments[1], .cast(arguments[2], .timestamp)])
        }),
        // ADD_MONTHS(x, n): DATEADD(month, n, x), except that the last day of a month goes
        // to the last day of the new one (Snowflake: 2020-02-29 plus one month is 2020-03-31).
        ScalarFunction("add_months", canFail: true, [
            FunctionSignature([.type(.date), .type(.int64)], returns: .type(.date), kernel: addMonths),
            FunctionSignature([.type(.timestamp), .type(.int64)], returns: .type(.timestamp), kernel: addMonths),
        ]),
        // MONTHS_BETWEEN(a, b): whole months from the years and months, plus the rest of the
        // days and times over 31-day months; none when the days of the month are equal or
        // both the last of their months (Snowflake, Oracle).
        ScalarFunction("months_between", [
            FunctionSignature([.type(.timestamp), .type(.timestamp)], returns: .type(.double), kernel: monthsBetween),
        ]),
        ScalarFunction("datediff", aliases: ["timestampdiff", "date_diff", "timediff"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.timestamp), .type(.timestamp)], returns: .type(.int64), kernel: dateDiff),
        ], check: { arguments, positions throws(SQLError) in try checkUnit(arguments[0], at: positions[0]) }),
        ScalarFunction("week", aliases: ["weekofyear", "weekiso"], [
            // The ISO week of the year (weeks start on Monday; week 1 holds the first Thursday).
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in
                let micros = ColumnAccess.micros(input.arguments[0])
                return ColumnData(type: .int64, storage: .int64(micros.map { isoWeek(days: CivilTime.day(micros: $0)) }))
            },
        ]),
        // The ISO year of the ISO week (the year of its Thursday): 2021-01-01 is in 2020's week 53.
        ScalarFunction("yearofweek", aliases: ["yearofweekiso", "isoyear"], [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in
                let micros = ColumnAccess.micros(input.arguments[0])
                return ColumnData(type: .int64, storage: .int64(micros.map { isoYear(days: CivilTime.day(micros: $0)) }))
            },
        ]),
        // DuckDB's YEARWEEK: the ISO year times 100 plus the ISO week (2021-01-01 is 202053).
        ScalarFunction("yearweek", [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in
                let micros = ColumnAccess.micros(input.arguments[0])
                return ColumnData(type: .int64, storage: .int64(micros.map { m in
                    let days = CivilTime.day(micros: m)
                    return isoYear(days: days) * 100 + isoWeek(days: days)
                }))
            },
        ]),
        // Monday 1 ... Sunday 7.
        ScalarFunction("dayofweekiso", aliases: ["isodow"], [
            FunctionSignature([.type(.timestamp)], returns: .type(.int64)) { input in
                let micros = ColumnAccess.micros(input.arguments[0])
                return ColumnData(type: .int64, storage: .int64(micros.map { (CivilTime.day(micros: $0) % 7 + 10) % 7 + 1 }))
            },
        ]),
        // NEXT_DAY(date, 'fr') / PREVIOUS_DAY: the first date after (before) it on that weekday
        // (the name's first two letters or more, as Snowflake reads them).
        ScalarFunction("next_day", canFail: true, [
            FunctionSignature([.type(.date), .type(.varchar)], returns: .type(.date)) { (input) throws(SQLError) in try nextDay(input, forward: true) },
        ]),
        ScalarFunction("previous_day", canFail: true, [
            FunctionSignature([.type(.date), .type(.varchar)], returns: .type(.date)) { (input) throws(SQLError) in try nextDay(input, forward: false) },
        ]),
        ScalarFunction("current_date", volatility: .stable, [
            FunctionSignature([], returns: .type(.date)) { input in
                let today = Int32(truncatingIfNeeded: CivilTime.day(micros: Int64(Date().timeIntervalSince1970 * 1_000_000)))
                return ColumnData(type: .date, storage: .int32([Int32](repeating: today, count: input.count)))
            },
        ]),
        ScalarFunction("last_day", [
            FunctionSignature([.type(.date)], returns: .type(.date)) { input in
                let days = ColumnAccess.int64s(input.arguments[0])
                return ColumnData(type: .date, storage: .int32(days.map { d in
                    let c = CivilTime.civil(days: Int32(truncatingIfNeeded: d))
                    return CivilTime.days(year: c.year, month: c.month, day: CivilTime.daysInMonth(year: c.year, month: c.month))
                }))
            },
        ]),
        ScalarFunction("dayname", [
            FunctionSignature([.type(.timestamp)], returns: .type(.varchar)) { input in
                names(input, ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]) { days in Int(((days % 7) + 7) % 7) }
            },
        ]),
        ScalarFunction("monthname", [
            FunctionSignature([.type(.timestamp)], returns: .type(.varchar)) { input in
                names(input, ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]) { days in
                    CivilTime.civil(days: Int32(truncatingIfNeeded: days)).month - 1
                }
            },
        ]),
    ]

    private static func checkUnit(_ unit: BoundExpr, at position: Int) throws(SQLError) {
        if case .constant(.string(let u), _) = unit, DateFunctions.Unit.names[u.lowercased()] == nil {
            throw SQLError(.binder, "unknown date or time unit '\(u)' (expected year, quarter, month, week, day, hour, minute, second, millisecond or microsecond)",
                           at: position)
        }
    }

    private static func unit(_ input: KernelInput, _ row: Int, _ constant: DateFunctions.Unit?) throws(SQLError) -> DateFunctions.Unit {
        if let constant { return constant }
        let name = input.text(0)[row]
        guard let u = DateFunctions.Unit.names[name.lowercased()] else { throw SQLError(.runtime, "unknown date or time unit '\(name)'") }
        return u
    }

    /// DATEADD(unit, n, x) in x's type.
    private static func dateAdd(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        let constant = input.constantText(0).flatMap { DateFunctions.Unit.names[$0.lowercased()] }
        let amounts = ColumnAccess.int64s(input.arguments[1])
        let isDate = input.arguments[2].type == .date
        let micros = ColumnAccess.micros(input.arguments[2])
        var out = [Int64](repeating: 0, count: n)
        for r in 0..<n where !input.skips(r) {
            let u = try unit(input, r, constant)
            guard let t = add(u, amounts[r], to: micros[r]), CivilTime.isValid(micros: t) else {
                throw SQLError(.runtime, "DATEADD: the result is out of range for \(isDate ? "DATE" : "TIMESTAMP")")
            }
            out[r] = t
        }
        if isDate {
            return ColumnData(type: .date, storage: .int32(out.map { Int32(truncatingIfNeeded: CivilTime.day(micros: $0)) }))
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }

    private static func addMonths(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        let isDate = input.arguments[0].type == .date
        let micros = ColumnAccess.micros(input.arguments[0])
        let amounts = ColumnAccess.int64s(input.arguments[1])
        var out = [Int64](repeating: 0, count: n)
        for r in 0..<n where !input.skips(r) {
            guard let t = add(.month, amounts[r], to: micros[r], monthEndSticks: true), CivilTime.isValid(micros: t) else {
                throw SQLError(.runtime, "ADD_MONTHS: the result is out of range for \(isDate ? "DATE" : "TIMESTAMP")")
            }
            out[r] = t
        }
        if isDate {
            return ColumnData(type: .date, storage: .int32(out.map { Int32(truncatingIfNeeded: CivilTime.day(micros: $0)) }))
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }

    /// `amount` units after `micros`; months (and quarters, years) keep the day of the month,
    /// clamped to the new month's last day. Nil on overflow.
    /// `monthEndSticks`: the last day of a month goes to the new month's last day (ADD_MONTHS).
    static func add(_ unit: DateFunctions.Unit, _ amount: Int64, to micros: Int64, monthEndSticks: Bool = false) -> Int64? {
        func times(_ step: Int64) -> Int64? {
            let (d, o1) = amount.multipliedReportingOverflow(by: step)
            let (t, o2) = micros.addingReportingOverflow(d)
            return o1 || o2 ? nil : t
        }
        switch unit {
        case .microsecond: return times(1)
        case .millisecond: return times(1_000)
        case .second: return times(1_000_000)
        case .minute: return times(60_000_000)
        case .hour: return times(3_600_000_000)
        case .day: return times(CivilTime.microsPerDay)
        case .week: return times(7 * CivilTime.microsPerDay)
        case .month, .quarter, .year:
            let (months, overflow) = amount.multipliedReportingOverflow(by: unit == .month ? 1 : unit == .quarter ? 3 : 12)
            guard !overflow, months > -12 * 600_000, months < 12 * 600_000 else { return nil }
            let day = CivilTime.day(micros: micros)
            let rem = micros - day * CivilTime.microsPerDay
            let c = CivilTime.civil(days: Int32(truncatingIfNeeded: day))
            let total = Int64(c.year) * 12 + Int64(c.month - 1) + months
            let year = Int(total >= 0 ? total / 12 : (total - 11) / 12), month = Int(total - Int64(year) * 12) + 1
            let lastDay = CivilTime.daysInMonth(year: year, month: month)
            let d = monthEndSticks && c.day == CivilTime.daysInMonth(year: c.year, month: c.month) ? lastDay : min(c.day, lastDay)
            // Past the TIMESTAMP range (about 292,000 years either way of 1970): nil, an error.
            let (start, o1) = Int64(CivilTime.days(year: year, month: month, day: d)).multipliedReportingOverflow(by: CivilTime.microsPerDay)
            let (t, o2) = start.addingReportingOverflow(rem)
            return o1 || o2 ? nil : t
        }
    }

    private static func monthsBetween(_ input: KernelInput) -> ColumnData {
        let a = ColumnAccess.micros(input.arguments[0]), b = ColumnAccess.micros(input.arguments[1])
        var out = [Double](repeating: 0, count: input.count)
        for r in 0..<input.count where !input.skips(r) {
            let dayA = CivilTime.day(micros: a[r]), dayB = CivilTime.day(micros: b[r])
            let x = CivilTime.civil(days: Int32(truncatingIfNeeded: dayA)), y = CivilTime.civil(days: Int32(truncatingIfNeeded: dayB))
            let months = Double((x.year - y.year) * 12 + (x.month - y.month))
            let bothLast = x.day == CivilTime.daysInMonth(year: x.year, month: x.month) && y.day == CivilTime.daysInMonth(year: y.year, month: y.month)
            if x.day == y.day || bothLast {
                out[r] = months
                continue
            }
            let timeA = a[r] - dayA * CivilTime.microsPerDay, timeB = b[r] - dayB * CivilTime.microsPerDay
            out[r] = months + (Double(x.day - y.day) + Double(timeA - timeB) / Double(CivilTime.microsPerDay)) / 31
        }
        return ColumnData(type: .double, storage: .double(out))
    }

    /// DATEDIFF(unit, a, b): the unit boundaries between a and b (negative when b is earlier).
    private static func dateDiff(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count
        let constant = input.constantText(0).flatMap { DateFunctions.Unit.names[$0.lowercased()] }
        let a = ColumnAccess.micros(input.arguments[1]), b = ColumnAccess.micros(input.arguments[2])
        var out = [Int64](repeating: 0, count: n)
        for r in 0..<n where !input.skips(r) {
            out[r] = ordinal(try unit(input, r, constant), b[r]) - ordinal(try unit(input, r, constant), a[r])
        }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// The number of the unit `micros` falls in, counted from 1970 (weeks from a Monday).
    static func ordinal(_ unit: DateFunctions.Unit, _ micros: Int64) -> Int64 {
        func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }
        let day = CivilTime.day(micros: micros)
        switch unit {
        case .microsecond: return micros
        case .millisecond: return floorDiv(micros, 1_000)
        case .second: return floorDiv(micros, 1_000_000)
        case .minute: return floorDiv(micros, 60_000_000)
        case .hour: return floorDiv(micros, 3_600_000_000)
        case .day: return day
        case .week: return floorDiv(day - 4, 7)  // 1970-01-05 was a Monday
        case .month, .quarter, .year:
            let c = CivilTime.civil(days: Int32(truncatingIfNeeded: day))
            let months = Int64(c.year) * 12 + Int64(c.month - 1)
            return unit == .month ? months : unit == .quarter ? floorDiv(months, 3) : Int64(c.year)
        }
    }

    /// The year of a day's ISO week.
    static func isoYear(days: Int64) -> Int64 {
        let weekday = ((days % 7) + 10) % 7
        return Int64(CivilTime.civil(days: Int32(truncatingIfNeeded: days - weekday + 3)).year)
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    private static func nextDay(_ input: KernelInput, forward: Bool) throws(SQLError) -> ColumnData {
        let days = ColumnAccess.int64s(input.arguments[0]), names = input.text(1)
        var out = [Int32](repeating: 0, count: input.count)
        for r in 0..<input.count where !input.skips(r) {
            let name = names[r].lowercased()
            guard name.count >= 2, let target = weekdays.firstIndex(where: { $0.hasPrefix(name) }) else {
                throw SQLError(.runtime, "\(forward ? "NEXT_DAY" : "PREVIOUS_DAY") takes a day of the week ('mo', 'tue', 'friday' ...), not '\(names[r])'")
            }
            let weekday = Int((days[r] % 7 + 10) % 7)
            let step = forward ? (target - weekday + 6) % 7 + 1 : (weekday - target + 6) % 7 + 1
            let d = days[r] + Int64(forward ? step : -step)
            guard let day = Int32(exactly: d), CivilTime.isValid(micros: Int64(day) * CivilTime.microsPerDay) else {
                throw SQLError(.runtime, "\(forward ? "NEXT_DAY" : "PREVIOUS_DAY") falls outside the DATE range", reason: .numericOutOfRange)
            }
            out[r] = day
        }
        return ColumnData(type: .date, storage: .int32(out))
    }

    /// The ISO 8601 week number of a day (days since 1970-01-01, a Thursday).
    static func isoWeek(days: Int64) -> Int64 {
        let weekday = ((days % 7) + 10) % 7  // Monday 0 ... Sunday 6
        let thursday = days - weekday + 3     // the Thursday of the same ISO week
        let year = CivilTime.civil(days: Int32(truncatingIfNeeded: thursday)).year
        let january1 = Int64(CivilTime.days(year: year, month: 1, day: 1))
        return (thursday - january1) / 7 + 1
    }

    private static func names(_ input: KernelInput, _ names: [String], _ index: (Int64) -> Int) -> ColumnData {
        let micros = ColumnAccess.micros(input.arguments[0])
        var out = StringArray()
        for r in 0..<input.count {
            out.append(input.skips(r) ? "" : names[index(CivilTime.day(micros: micros[r]))])
        }
        return ColumnData(type: .varchar, storage: .varchar(out))
    }
}

extension DateFunctions.Unit {
    /// Units shorter than a day.
    var belowDay: Bool { [.hour, .minute, .second, .millisecond, .microsecond].contains(self) }
}
