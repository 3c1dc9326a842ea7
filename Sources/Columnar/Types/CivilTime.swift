// Calendar arithmetic for DATE and TIMESTAMP without Foundation: proleptic Gregorian, UTC.
// Uses Howard Hinnant's days-from-civil algorithm, exact for every Int32 day number.

/// Conversions between day numbers, civil dates and their text forms.
package enum CivilTime {
    package static let microsPerSecond: Int64 = 1_000_000
    package static let secondsPerDay: Int64 = 86_400
    package static let microsPerDay: Int64 = 86_400_000_000

    /// The instants a TIMESTAMP may hold: 290000 BC to 290000 AD (about DuckDB's range). The
    /// margin to Int64's ends keeps every calendar step (a day, a week, the start of a year)
    /// representable, so date arithmetic on a valid value never overflows.
    package static let minMicros: Int64 = Int64(days(year: -290_000, month: 1, day: 1)) * microsPerDay
    package static let maxMicros: Int64 = Int64(days(year: 290_000, month: 12, day: 31)) * microsPerDay + microsPerDay - 1

    /// Whether `micros` is an instant a TIMESTAMP may hold.
    @inlinable package static func isValid(micros: Int64) -> Bool { micros >= minMicros && micros <= maxMicros }

    /// Microseconds of `seconds` since the epoch, or nil outside the TIMESTAMP range.
    package static func micros(epochSeconds seconds: Int64) -> Int64? {
        let (m, overflow) = seconds.multipliedReportingOverflow(by: microsPerSecond)
        return !overflow && isValid(micros: m) ? m : nil
    }

    /// Microseconds of fractional `seconds` since the epoch (rounded), or nil outside the range.
    package static func micros(epochSeconds seconds: Double) -> Int64? {
        let m = (seconds * 1_000_000).rounded()
        guard m.isFinite, m >= Double(minMicros), m <= Double(maxMicros) else { return nil }
        return Int64(m)
    }

    /// The day number of an instant (floored, for instants before 1970 too).
    @inlinable package static func day(micros: Int64) -> Int64 {
        let d = micros / microsPerDay
        return micros % microsPerDay < 0 ? d - 1 : d
    }

    /// Days since 1970-01-01 of a civil date.
    package static func days(year: Int, month: Int, day: Int) -> Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    /// The civil date of a day number.
    package static func civil(days: Int32) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    package static func formatDate(days: Int32) -> String {
        let c = civil(days: days)
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `YYYY-MM-DD HH:MM:SS` (UTC), with `.ffffff` only when there are fractional seconds.
    package static func formatTimestamp(micros: Int64) -> String {
        let (day, secOfDay, frac) = split(micros)
        var s = formatDate(days: Int32(truncatingIfNeeded: day)) + " "
            + pad(Int(secOfDay / 3600), 2) + ":" + pad(Int(secOfDay / 60 % 60), 2) + ":" + pad(Int(secOfDay % 60), 2)
        if frac != 0 { s += "." + pad(Int(frac), 6) }
        return s
    }

    /// Parses `YYYY-MM-DD`; returns nil on anything else or an impossible date.
    package static func parseDate(_ text: Substring) -> Int32? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return days(year: y, month: m, day: d)
    }

    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Appends `formatTimestamp(micros:)`'s text as bytes (batch casts and CSV output build
    /// no String per row).
    package static func appendTimestamp(micros: Int64, to out: inout [UInt8]) {
        let (day, secOfDay, frac) = split(micros)
        guard appendDate(days: Int32(truncatingIfNeeded: day), to: &out) else {
            out.append(contentsOf: formatTimestamp(micros: micros).utf8)
            return
        }
        out.append(32)
        appendDigits(Int(secOfDay / 3600), 2, &out)
        out.append(58)
        appendDigits(Int(secOfDay / 60 % 60), 2, &out)
        out.append(58)
        appendDigits(Int(secOfDay % 60), 2, &out)
        if frac != 0 {
            out.append(46)
            appendDigits(Int(frac), 6, &out)
        }
    }

    /// Day number, second of the day and microsecond of the second (floored, for instants before 1970 too).
    private static func split(_ micros: Int64) -> (day: Int64, second: Int64, micros: Int64) {
        var seconds = micros / microsPerSecond
        var frac = micros % microsPerSecond
        if frac < 0 { frac += microsPerSecond; seconds -= 1 }
        var day = seconds / secondsPerDay
        var secOfDay = seconds % secondsPerDay
        if secOfDay < 0 { secOfDay += secondsPerDay; day -= 1 }
        return (day, secOfDay, frac)
    }

    /// Appends `formatDate(days:)`'s text; false (nothing appended) for years outside 0-9999.
    @discardableResult
    package static func appendDate(days: Int32, to out: inout [UInt8]) -> Bool {
        let c = civil(days: days)
        guard (0...9999).contains(c.year) else { return false }
        appendDigits(c.year, 4, &out)
        out.append(45)
        appendDigits(c.month, 2, &out)
        out.append(45)
        appendDigits(c.day, 2, &out)
        return true
    }

    /// `v` (0 <= v < 10^width) as exactly `width` digits.
    @inline(__always) private static func appendDigits(_ v: Int, _ width: Int, _ out: inout [UInt8]) {
        let start = out.count
        for _ in 0..<width { out.append(48) }
        var x = v
        var i = start + width - 1
        while x > 0 && i >= start {
            out[i] = UInt8(48 + x % 10)
            x /= 10
            i -= 1
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
