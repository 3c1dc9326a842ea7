// Snowflake's TIME_SLICE(x, n, unit [, 'START' | 'END']): the start (or the end: the next
// slice's start) of the n-unit slice holding x. Slices are counted from 1970-01-01 00:00:00
// (weeks from Monday 1969-12-29, the start of the week holding it), as Snowflake aligns them,
// so every row falls in the same grid whatever the data's range.

import Columnar

enum TimeSlice {
    static let all: [ScalarFunction] = [
        ScalarFunction("time_slice", canFail: true, [
            FunctionSignature([.type(.date), .type(.int64), .type(.varchar), .type(.varchar)], optional: 1, returns: .type(.date), kernel: slice),
            FunctionSignature([.type(.timestamp), .type(.int64), .type(.varchar), .type(.varchar)], optional: 1, returns: .type(.timestamp), kernel: slice),
        ], check: { arguments, positions throws(SQLError) in
            if case .constant(.string(let unit), _) = arguments[2] { _ = try resolve(unit, date: arguments[0].type == .date, at: positions[2]) }
            if arguments.count > 3, case .constant(.string(let edge), _) = arguments[3] { _ = try isEnd(edge, at: positions[3]) }
            if case .constant(.int(let n), _) = arguments[1], n < 1 { throw badLength(n, at: positions[1]) }
        }),
    ]

    private static func slice(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let n = input.count, date = input.type == .date
        let micros = ColumnAccess.micros(input.arguments[0]), lengths = ColumnAccess.int64s(input.arguments[1])
        let units = input.text(2)
        let edges = input.arguments.count > 3 ? input.text(3) : nil
        var out = [Int64](repeating: 0, count: n)
        for i in 0..<n where !input.skips(i) {
            let unit = try resolve(units[i], date: date, at: nil)
            let end = try edges.map { (e) throws(SQLError) in try isEnd(e[i], at: nil) } ?? false
            guard lengths[i] >= 1 else { throw badLength(lengths[i], at: nil) }
            guard let t = start(micros[i], length: lengths[i], unit: unit, end: end), CivilTime.isValid(micros: t) else {
                throw SQLError(.runtime, "TIME_SLICE(..., \(lengths[i]), '\(units[i])') falls outside the TIMESTAMP range",
                               reason: .numericOutOfRange)
            }
            out[i] = t
        }
        if date { return ColumnData(type: .date, storage: .int32(out.map { Int32(truncatingIfNeeded: CivilTime.day(micros: $0)) })) }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }

    /// The slice start (or end) in microseconds; nil when it overflows.
    static func start(_ micros: Int64, length: Int64, unit: DateFunctions.Unit, end: Bool) -> Int64? {
        let fixed: Int64
        switch unit {
        case .microsecond: fixed = 1
        case .millisecond: fixed = 1_000
        case .second: fixed = 1_000_000
        case .minute: fixed = 60_000_000
        case .hour: fixed = 3_600_000_000
        case .day: fixed = CivilTime.microsPerDay
        case .week: fixed = 7 * CivilTime.microsPerDay
        case .month, .quarter, .year:
            // Whole months since January 1970.
            let perUnit: Int64 = unit == .month ? 1 : unit == .quarter ? 3 : 12
            let (width, overflow) = length.multipliedReportingOverflow(by: perUnit)
            guard !overflow, width <= 12 * 600_000 else { return nil }
            let c = CivilTime.civil(days: Int32(truncatingIfNeeded: CivilTime.day(micros: micros)))
            let months = Int64(c.year - 1970) * 12 + Int64(c.month - 1)
            var first = floorDivide(months, width) * width
            if end { first += width }
            let year = 1970 + floorDivide(first, 12)
            guard year.magnitude < 300_000 else { return nil }
            return Int64(CivilTime.days(year: Int(year), month: Int(first - floorDivide(first, 12) * 12 + 1), day: 1)) * CivilTime.microsPerDay
        }
        let (width, overflow) = length.multipliedReportingOverflow(by: fixed)
        guard !overflow else { return nil }
        let origin = unit == .week ? -3 * CivilTime.microsPerDay : 0
        let (k, over) = floorDivide(micros - origin, width).multipliedReportingOverflow(by: width)
        guard !over else { return nil }
        let (s, o1) = (origin + k).addingReportingOverflow(end ? width : 0)
        return o1 ? nil : s
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func resolve(_ name: String, date: Bool, at position: Int?) throws(SQLError) -> DateFunctions.Unit {
        guard let unit = DateFunctions.Unit.names[name.lowercased()] else {
            throw SQLError(.binder, "TIME_SLICE takes YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE or SECOND, not '\(name)'", at: position)
        }
        if date, [.hour, .minute, .second].contains(unit) {
            throw SQLError(.binder, "TIME_SLICE of a DATE takes YEAR, QUARTER, MONTH, WEEK or DAY, not '\(name)'", at: position)
        }
        return unit
    }

    private static func isEnd(_ edge: String, at position: Int?) throws(SQLError) -> Bool {
        switch edge.uppercased() {
        case "START": return false
        case "END": return true
        default: throw SQLError(.binder, "TIME_SLICE's fourth argument is 'START' or 'END', not '\(edge)'", at: position)
        }
    }

    private static func badLength(_ n: Int64, at position: Int?) -> SQLError {
        SQLError(.runtime, "TIME_SLICE's slice length must be at least 1, not \(n)", at: position)
    }
}
