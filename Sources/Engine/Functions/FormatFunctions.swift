// Conversions with a format, as Snowflake and DuckDB users write them: TO_CHAR / TO_VARCHAR
// (a date or timestamp by a Snowflake date format, a number by a numeric format model, or
// anything as CAST to VARCHAR without one), TO_DATE / TO_TIMESTAMP / TRY_TO_* with a format
// ('AUTO' casts), TO_TIMESTAMP(n, scale), and DuckDB's STRFTIME / STRPTIME / TRY_STRPTIME.
// A constant format is compiled when binding (a bad one is an error before any row is read)
// and once per batch; a format that varies by row is compiled when it changes.

import Columnar

enum FormatFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("to_char", aliases: ["to_varchar"], canFail: true, [
            FunctionSignature([.any], returns: .type(.varchar)) { (input) throws(SQLError) in
                try ExpressionEvaluator.cast(input.arguments[0], to: .varchar)
            },
            FunctionSignature([.type(.timestamp), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try printDates(input, style: .snowflake, function: "to_char")
            },
            FunctionSignature([.type(.int64), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in try printNumbers(input) },
            FunctionSignature([.type(.double), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in try printNumbers(input) },
        ], check: { arguments, _ throws(SQLError) in
            guard arguments.count == 2, case .constant(.string(let f), _) = arguments[1] else { return }
            if arguments[0].type == .date || arguments[0].type == .timestamp { _ = try DateFormat.snowflake(f) } else { _ = try NumberFormat(f) }
        }),
        ScalarFunction("strftime", canFail: true, [
            FunctionSignature([.type(.timestamp), .type(.varchar)], returns: .type(.varchar)) { (input) throws(SQLError) in
                try printDates(input, style: .strftime, function: "strftime")
            },
        ], check: { arguments, _ throws(SQLError) in try checkFormat(arguments, .strftime) }),
        ScalarFunction("strptime", canFail: true, [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try readDates(input, style: .strftime, as: .timestamp, orNull: false)
            },
        ], check: { arguments, _ throws(SQLError) in try checkFormat(arguments, .strftime) }),
        ScalarFunction("try_strptime", [
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.timestamp)) { (input) throws(SQLError) in
                try readDates(input, style: .strftime, as: .timestamp, orNull: true)
            },
        ], check: { arguments, _ throws(SQLError) in try checkFormat(arguments, .strftime) }),
    ]

    /// Which syntax a format string is written in.
    enum Style { case snowflake, strftime }

    static func compile(_ format: String, _ style: Style) throws(SQLError) -> DateFormat {
        style == .snowflake ? try DateFormat.snowflake(format) : try DateFormat.strftime(format)
    }

    /// A constant format argument (the last one) checked when binding.
    static func checkFormat(_ arguments: [BoundExpr], _ style: Style) throws(SQLError) {
        guard arguments.count >= 2, case .constant(.string(let f), _) = arguments[arguments.count - 1] else { return }
        if style == .snowflake, f.uppercased() == "AUTO" { return }
        _ = try compile(f, style)
    }

    /// Formats compiled as rows ask for them: the batch's constant one, or the last one seen.
    private struct Formats<F> {
        let compile: (String) throws(SQLError) -> F
        var last: (text: String, format: F)?

        mutating func format(_ text: String) throws(SQLError) -> F {
            if let last, last.text == text { return last.format }
            let f = try compile(text)
            last = (text, f)
            return f
        }
    }

    static func printDates(_ input: KernelInput, style: Style, function: String) throws(SQLError) -> ColumnData {
        let micros = ColumnAccess.micros(input.arguments[0])
        let texts = input.text(1)
        var formats = Formats { (t) throws(SQLError) in try compile(t, style) }
        if let constant = input.constantText(1) { _ = try formats.format(constant) }
        var out = TextBuilder(function: function, count: input.count)
        for r in 0..<input.count {
            if !input.skips(r) { try formats.format(texts[r]).print(micros: micros[r], to: &out) }
            try out.endValue()
        }
        return out.finish()
    }

    static func printNumbers(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let texts = input.text(1)
        var formats = Formats { (t) throws(SQLError) in try NumberFormat(t) }
        if let constant = input.constantText(1) { _ = try formats.format(constant) }
        var out = TextBuilder(function: "to_char", count: input.count)
        let column = input.arguments[0].flattened()
        if column.type == .double {
            let values = ColumnAccess.doubles(column)
            for r in 0..<input.count {
                if !input.skips(r) { try formats.format(texts[r]).print(values[r], to: &out) }
                try out.endValue()
            }
        } else {
            let values = ColumnAccess.int64s(column)
            for r in 0..<input.count {
                if !input.skips(r) { try formats.format(texts[r]).print(values[r], to: &out) }
                try out.endValue()
            }
        }
        return out.finish()
    }

    /// Text read by a format into DATE (the day of the instant read) or TIMESTAMP values; a
    /// value that does not match is an error naming it and the format, or NULL for the TRY_
    /// forms. Snowflake's 'AUTO' format reads as CAST does.
    static func readDates(_ input: KernelInput, style: Style, as type: LogicalType, orNull: Bool) throws(SQLError) -> ColumnData {
        let n = input.count
        let texts = input.text(0), formatTexts = input.text(1)
        if style == .snowflake, let constant = input.constantText(1), constant.uppercased() == "AUTO" {
            return orNull ? TryCastFunctions.tryCast(input.arguments[0], to: type) : try ExpressionEvaluator.cast(input.arguments[0], to: type)
        }
        var formats = Formats { (t) throws(SQLError) in try compile(t, style) }
        var micros = [Int64](repeating: 0, count: n)
        var validity = input.present
        for r in 0..<n where !input.skips(r) {
            let format = try formats.format(formatTexts[r])
            let value = texts.withValueBytes(r) { format.read($0) }
            if let value {
                micros[r] = value
            } else if orNull {
                if validity == nil { validity = ValidityBitmap(allValid: n) }
                validity!.setValid(r, false)
            } else {
                throw SQLError(.runtime, "Conversion Error: can't parse '\(texts[r])' as \(type) with format '\(format.text)'", reason: .invalidText)
            }
        }
        if type == .date {
            return ColumnData(type: .date, storage: .int32(micros.map { Int32(truncatingIfNeeded: CivilTime.day(micros: $0)) }), validity: validity)
        }
        return ColumnData(type: .timestamp, storage: .int64(micros), validity: validity)
    }

    /// TO_TIMESTAMP(n, scale): n in units of 10^-scale seconds (3 milliseconds, 6 microseconds).
    static func fromScaledEpoch(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let values = ColumnAccess.int64s(input.arguments[0]), scales = ColumnAccess.int64s(input.arguments[1])
        var out = [Int64](repeating: 0, count: input.count)
        for r in 0..<input.count where !input.skips(r) {
            guard (0...9).contains(scales[r]) else { throw SQLError(.runtime, "TO_TIMESTAMP scale must be 0 to 9, got \(scales[r])") }
            var v = values[r]
            var s = scales[r]
            while s > 6 { v /= 10; s -= 1 }
            var overflow = false
            while s < 6, !overflow { (v, overflow) = v.multipliedReportingOverflow(by: 10); s += 1 }
            guard !overflow, CivilTime.isValid(micros: v) else {
                throw SQLError(.runtime, "Conversion Error: \(values[r]) at scale \(scales[r]) is outside the TIMESTAMP range", reason: .numericOutOfRange)
            }
            out[r] = v
        }
        return ColumnData(type: .timestamp, storage: .int64(out))
    }
}
