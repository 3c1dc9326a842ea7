// Date and time formats as Snowflake's conversion functions write them
// ('YYYY-MM-DD HH24:MI:SS.FF3', 'DD-MON-YYYY', '"Q"Q' literals in double quotes) and as
// DuckDB's STRFTIME / STRPTIME do ('%Y-%m-%d %H:%M:%S.%f'): both compile to one list of
// elements, once per distinct format, which prints an instant (TO_CHAR, STRFTIME) and reads
// one back (TO_DATE, TO_TIMESTAMP, STRPTIME and their TRY_ forms). Instants are UTC
// microseconds; a time zone element prints UTC (Snowflake's 'Z' for a timestamp without
// zone) and, when read, moves the instant to UTC.

import Columnar

struct DateFormat: Sendable {
    enum Element: Equatable, Sendable {
        case literal([UInt8])
        /// Four digits (up to four when read, with an optional sign), or the last two (a
        /// two-digit year reads as 1970-2069, Snowflake's default century window).
        case year(twoDigit: Bool)
        case month(padded: Bool)
        case monthAbbreviation, monthName
        case day(padded: Bool)
        case weekdayAbbreviation, weekdayName
        /// %w (Sunday 0) or %u (Monday 1 ... Sunday 7).
        case weekdayNumber(sundayFirst: Bool)
        case dayOfYear(padded: Bool)
        case hour24(padded: Bool), hour12(padded: Bool), meridiem
        case minute(padded: Bool), second(padded: Bool)
        /// Fractional seconds, this many digits when printed (any count up to 9 when read).
        case fraction(digits: Int)
        /// The UTC offset: 'Z' (Snowflake's TZH:TZM on a timestamp without zone), '+00:00',
        /// '+00' or the zone name, when printed; read, any of 'Z', '+hh', '+hh:mm', '+hhmm'.
        case offset(Offset)
        enum Offset: Sendable { case utcLetter, hoursMinutes, hours, name }
    }

    let elements: [Element]
    /// The format as written, for error messages.
    let text: String

    static let monthAbbreviations = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]
    /// Monday first, as day numbers count from a Thursday (1970-01-01).
    static let weekdayAbbreviations = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    // MARK: Compiling

    /// A Snowflake format: elements matched case-insensitively, longest first; text in double
    /// quotes and punctuation taken as written; 'AUTO' is not a format (the caller casts).
    static func snowflake(_ format: String) throws(SQLError) -> DateFormat {
        let s = Array(format.utf8)
        var out: [Element] = []
        var i = 0
        func at(_ word: String) -> Bool {
            let w = Array(word.utf8)
            guard i + w.count <= s.count else { return false }
            for k in 0..<w.count where s[i + k] | 0x20 != w[k] | 0x20 { return false }
            return true
        }
        func literal(_ bytes: [UInt8]) {
            if case .literal(let previous) = out.last { out[out.count - 1] = .literal(previous + bytes) } else { out.append(.literal(bytes)) }
        }
        // Longest spelling first where one is a prefix of another.
        let words: [(String, Element)] = [
            ("YYYY", .year(twoDigit: false)), ("YY", .year(twoDigit: true)),
            ("MMMM", .monthName), ("MON", .monthAbbreviation), ("MM", .month(padded: true)), ("MI", .minute(padded: true)),
            ("DD", .day(padded: true)), ("DY", .weekdayAbbreviation),
            ("HH24", .hour24(padded: true)), ("HH12", .hour12(padded: true)), ("HH", .hour12(padded: true)),
            ("AM", .meridiem), ("PM", .meridiem), ("SS", .second(padded: true)),
            ("TZH:TZM", .offset(.utcLetter)), ("TZHTZM", .offset(.utcLetter)), ("TZH", .offset(.utcLetter)),
        ]
        scan: while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\"") {
                guard let close = s[(i + 1)...].firstIndex(of: c) else {
                    throw SQLError(.runtime, "date format '\(format)' has an unterminated \"quoted\" literal", reason: .invalidText)
                }
                literal(Array(s[(i + 1)..<close]))
                i = close + 1
                continue
            }
            if at("FF") {
                i += 2
                if i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
                    out.append(.fraction(digits: Int(s[i] - UInt8(ascii: "0"))))
                    i += 1
                } else {
                    out.append(.fraction(digits: 9))
                }
                continue
            }
            for (word, element) in words where at(word) {
                out.append(element)
                i += word.utf8.count
                continue scan
            }
            let isLetter = (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z")
            // A lone T between date and time, as ISO 8601 writes it.
            if isLetter && c | 0x20 != UInt8(ascii: "t") {
                throw SQLError(.runtime, "date format '\(format)' has an unknown element at '\(String(decoding: s[i...].prefix(4), as: UTF8.self))'"
                               + " (elements: YYYY YY MM MON MMMM DD DY HH24 HH12 AM PM MI SS FF0-FF9 TZH:TZM; text in double quotes)",
                               reason: .invalidText)
            }
            literal([c])
            i += 1
        }
        return DateFormat(elements: out, text: format)
    }

    /// A strftime format (DuckDB's and C's): '%' codes, '%-' for no padding, '%%' a percent.
    static func strftime(_ format: String) throws(SQLError) -> DateFormat {
        let s = Array(format.utf8)
        var out: [Element] = []
        var i = 0
        func literal(_ b: UInt8) {
            if case .literal(let previous) = out.last { out[out.count - 1] = .literal(previous + [b]) } else { out.append(.literal([b])) }
        }
        while i < s.count {
            guard s[i] == UInt8(ascii: "%") else { literal(s[i]); i += 1; continue }
            i += 1
            var padded = true
            if i < s.count, s[i] == UInt8(ascii: "-") { padded = false; i += 1 }
            guard i < s.count else { throw SQLError(.runtime, "strftime format '\(format)' ends in '%'", reason: .invalidText) }
            let element: Element
            switch Unicode.Scalar(s[i]) {
            case "Y": element = .year(twoDigit: false)
            case "y": element = .year(twoDigit: true)
            case "m": element = .month(padded: padded)
            case "b", "h": element = .monthAbbreviation
            case "B": element = .monthName
            case "d", "e": element = .day(padded: padded)
            case "a": element = .weekdayAbbreviation
            case "A": element = .weekdayName
            case "w": element = .weekdayNumber(sundayFirst: true)
            case "u": element = .weekdayNumber(sundayFirst: false)
            case "j": element = .dayOfYear(padded: padded)
            case "H": element = .hour24(padded: padded)
            case "I": element = .hour12(padded: padded)
            case "p": element = .meridiem
            case "M": element = .minute(padded: padded)
            case "S": element = .second(padded: padded)
            case "f": element = .fraction(digits: 6)
            case "g": element = .fraction(digits: 3)
            case "n": element = .fraction(digits: 9)
            case "z": element = .offset(.hours)
            case "Z": element = .offset(.name)
            case "%": literal(UInt8(ascii: "%")); i += 1; continue
            default:
                throw SQLError(.runtime, "strftime format '\(format)' has an unknown code '%\(Unicode.Scalar(s[i]))'", reason: .invalidText)
            }
            out.append(element)
            i += 1
        }
        return DateFormat(elements: out, text: format)
    }

    // MARK: Printing

    /// Appends `micros` as the format prints it.
    func print(micros: Int64, to out: inout TextBuilder) {
        let day = CivilTime.day(micros: micros)
        let c = CivilTime.civil(days: Int32(truncatingIfNeeded: day))
        let rem = micros - day * CivilTime.microsPerDay
        let hour = Int(rem / 3_600_000_000), minute = Int(rem / 60_000_000 % 60), second = Int(rem / 1_000_000 % 60)
        let fraction = Int(rem % 1_000_000)
        let weekday = Int(((day % 7) + 10) % 7)  // Monday 0
        func number(_ v: Int, _ width: Int) {
            var v = v
            if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
            var digits: [UInt8] = []
            repeat { digits.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 } while v > 0
            for _ in digits.count..<max(width, digits.count) { out.append(UInt8(ascii: "0")) }
            for d in digits.reversed() { out.append(d) }
        }
        for e in elements {
            switch e {
            case .literal(let bytes): bytes.withUnsafeBytes { out.append($0) }
            case .year(let two): two ? number(((c.year % 100) + 100) % 100, 2) : number(c.year, 4)
            case .month(let p): number(c.month, p ? 2 : 1)
            case .monthAbbreviation: out.append(Self.monthAbbreviations[c.month - 1])
            case .monthName: out.append(Self.monthNames[c.month - 1])
            case .day(let p): number(c.day, p ? 2 : 1)
            case .weekdayAbbreviation: out.append(Self.weekdayAbbreviations[weekday])
            case .weekdayName: out.append(Self.weekdayNames[weekday])
            case .weekdayNumber(let sundayFirst): number(sundayFirst ? (weekday + 1) % 7 : weekday + 1, 1)
            case .dayOfYear(let p): number(Int(day) - Int(CivilTime.days(year: c.year, month: 1, day: 1)) + 1, p ? 3 : 1)
            case .hour24(let p): number(hour, p ? 2 : 1)
            case .hour12(let p): number(hour % 12 == 0 ? 12 : hour % 12, p ? 2 : 1)
            case .meridiem: out.append(hour < 12 ? "AM" : "PM")
            case .minute(let p): number(minute, p ? 2 : 1)
            case .second(let p): number(second, p ? 2 : 1)
            case .fraction(let digits):
                // Microseconds held; nanosecond places print as zeros, fewer places truncate.
                var scaled = fraction * 1000
                var text = [UInt8](repeating: UInt8(ascii: "0"), count: 9)
                for k in stride(from: 8, through: 0, by: -1) { text[k] = UInt8(ascii: "0") + UInt8(scaled % 10); scaled /= 10 }
                text[0..<digits].withUnsafeBytes { out.append($0) }
            case .offset(let kind):
                switch kind {
                case .utcLetter: out.append(UInt8(ascii: "Z"))
                case .hoursMinutes: out.append("+00:00")
                case .hours: out.append("+00")
                case .name: out.append("UTC")
                }
            }
        }
    }

    // MARK: Reading

    /// The instant `text` writes in this format, or nil when it does not match (wrong
    /// literal, a field out of range, text left over). Fields the format lacks are those of
    /// 1970-01-01 00:00:00.
    func read(_ text: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let n = text.count
        var year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0
        var pm: Bool? = nil, twelveHour = false, dayOfYear: Int? = nil, offsetMinutes = 0
        func digits(_ maxCount: Int) -> Int? {
            var v = 0, k = 0
            while k < maxCount, i < n, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
                v = v * 10 + Int(text[i] - UInt8(ascii: "0"))
                i += 1
                k += 1
            }
            return k == 0 ? nil : v
        }
        func name(_ names: [String]) -> Int? {
            for (k, w) in names.enumerated() {
                let bytes = Array(w.utf8)
                guard i + bytes.count <= n else { continue }
                var same = true
                for j in 0..<bytes.count where text[i + j] | 0x20 != bytes[j] | 0x20 { same = false; break }
                if same { i += bytes.count; return k }
            }
            return nil
        }
        for e in elements {
            switch e {
            case .literal(let bytes):
                for b in bytes {
                    guard i < n, text[i] == b || (b | 0x20 == text[i] | 0x20 && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) else { return nil }
                    i += 1
                }
            case .year(let two):
                if two {
                    guard let y = digits(2) else { return nil }
                    year = y < 70 ? 2000 + y : 1900 + y
                } else {
                    var sign = 1
                    if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { sign = text[i] == UInt8(ascii: "-") ? -1 : 1; i += 1 }
                    guard let y = digits(4) else { return nil }
                    year = sign * y
                }
            case .month: guard let v = digits(2) else { return nil }; month = v
            case .monthAbbreviation, .monthName:
                guard let k = name(Self.monthNames) ?? name(Self.monthAbbreviations) else { return nil }
                month = k + 1
            case .day: guard let v = digits(2) else { return nil }; day = v
            case .weekdayAbbreviation, .weekdayName:
                guard name(Self.weekdayNames) ?? name(Self.weekdayAbbreviations) != nil else { return nil }
            case .weekdayNumber: guard digits(1) != nil else { return nil }
            case .dayOfYear: guard let v = digits(3) else { return nil }; dayOfYear = v
            case .hour24: guard let v = digits(2) else { return nil }; hour = v
            case .hour12: guard let v = digits(2), (1...12).contains(v) else { return nil }; hour = v; twelveHour = true
            case .meridiem:
                guard let k = name(["AM", "PM"]) else { return nil }
                pm = k == 1
            case .minute: guard let v = digits(2) else { return nil }; minute = v
            case .second: guard let v = digits(2) else { return nil }; second = v
            case .fraction:
                let start = i
                guard let v = digits(9) else { return nil }
                var scaled = v
                for _ in (i - start)..<9 { scaled *= 10 }
                micros = scaled / 1000
            case .offset:
                guard i < n else { return nil }
                if text[i] == UInt8(ascii: "Z") || text[i] == UInt8(ascii: "z") { i += 1; continue }
                if name(["UTC", "GMT"]) != nil { continue }
                guard text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") else { return nil }
                let sign = text[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let h = digits(2) else { return nil }
                var m = 0
                if i < n, text[i] == UInt8(ascii: ":") { i += 1; guard let v = digits(2) else { return nil }; m = v } else if let v = digits(2) { m = v }
                offsetMinutes = sign * (h * 60 + m)
            }
        }
        guard i == n else { return nil }
        if let pm {
            if !twelveHour, !(1...12).contains(hour) { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        var days: Int64
        if let dayOfYear {
            let length = CivilTime.daysInMonth(year: year, month: 2) == 29 ? 366 : 365
            guard (1...length).contains(dayOfYear) else { return nil }
            days = Int64(CivilTime.days(year: year, month: 1, day: 1)) + Int64(dayOfYear - 1)
        } else {
            guard day >= 1, day <= CivilTime.daysInMonth(year: year, month: month) else { return nil }
            days = Int64(CivilTime.days(year: year, month: month, day: day))
        }
        let seconds = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        let value = days * CivilTime.microsPerDay + seconds * 1_000_000 + Int64(micros)
        return CivilTime.isValid(micros: value) ? value : nil
    }
}
