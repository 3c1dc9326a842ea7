// TRY_CAST(x AS type) and Snowflake's TRY_TO_* conversions: the cast, with NULL where a value
// does not convert instead of an error. A batch casts whole; only a batch with a failing value
// is cast again row by row, to find which rows become NULL.

import Columnar

enum TryCastFunctions {
    static let all: [ScalarFunction] = {
        // One function per target type: `try_cast_<type>`, what the parser makes of TRY_CAST.
        var out = LogicalType.allCases.map { t in
            let aliases: [String] = switch t {
            case .double: ["try_to_double"]
            case .date: ["try_to_date"]
            case .timestamp: ["try_to_timestamp", "try_to_timestamp_ntz", "try_to_timestamp_ltz"]
            case .boolean: ["try_to_boolean"]
            default: []
            }
            var signatures = [FunctionSignature([.any], returns: .type(t)) { input in tryCast(input.arguments[0], to: t) }]
            // TRY_TO_DATE(text, format), TRY_TO_TIMESTAMP(text, format).
            if t == .date || t == .timestamp {
                signatures.append(FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(t)) { (input) throws(SQLError) in
                    try FormatFunctions.readDates(input, style: .snowflake, as: t, orNull: true)
                })
            }
            // A value that does not convert is NULL; a format that is not one is an error.
            return ScalarFunction("try_cast_" + t.description.lowercased(), aliases: aliases, canFail: signatures.count > 1, signatures,
                                  check: { arguments, _ throws(SQLError) in try FormatFunctions.checkFormat(arguments, .snowflake) })
        }
        // TRY_TO_NUMBER: Snowflake's NUMBER with scale 0, the value rounded half away from zero.
        out.append(ScalarFunction("try_to_number", aliases: ["try_to_decimal", "try_to_numeric"], [
            FunctionSignature([.any], returns: .type(.int64)) { input in
                tryCast(tryCast(input.arguments[0], to: .double), to: .int64)
            },
        ]))
        return out
    }()

    static func tryCast(_ column: ColumnData, to type: LogicalType) -> ColumnData {
        if let whole = try? ExpressionEvaluator.cast(column, to: type) { return whole }
        var b = ColumnBuilder(type: type, capacity: column.count)
        for r in 0..<column.count {
            if let one = try? ExpressionEvaluator.cast(column.selecting([r]), to: type) {
                b.append(one.value(at: 0))
            } else {
                b.appendNull()
            }
        }
        return b.finish()
    }
}
