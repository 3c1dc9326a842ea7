// Snowflake's bitwise functions on BIGINT: BITAND, BITOR, BITXOR, BITNOT and the shifts
// (a shift by 64 or more gives 0, or -1 shifting a negative value right; a negative shift
// is an error).

import Columnar

enum BitwiseFunctions {
    static let all: [ScalarFunction] = [
        binary("bitand", &), binary("bitor", |), binary("bitxor", ^, aliases: ["xor"]),
        ScalarFunction("bitnot", [
            FunctionSignature([.type(.int64)], returns: .type(.int64)) { input in
                ColumnData(type: .int64, storage: .int64(ColumnAccess.int64s(input.arguments[0]).map { ~$0 }))
            },
        ]),
        shift("bitshiftleft", left: true), shift("bitshiftright", left: false),
        // DuckDB's BIT_COUNT: the set bits of the value in its own width (an INT's 32, a BIGINT's 64).
        ScalarFunction("bit_count", [
            FunctionSignature([.type(.int32)], returns: .type(.int64)) { input in
                let x = ColumnAccess.int64s(input.arguments[0])
                return ColumnData(type: .int64, storage: .int64(x.map { Int64(Int32(truncatingIfNeeded: $0).nonzeroBitCount) }))
            },
            FunctionSignature([.type(.int64)], returns: .type(.int64)) { input in
                ColumnData(type: .int64, storage: .int64(ColumnAccess.int64s(input.arguments[0]).map { Int64($0.nonzeroBitCount) }))
            },
        ]),
    ]

    private static func binary(_ name: String, _ f: @escaping @Sendable (Int64, Int64) -> Int64, aliases: [String] = []) -> ScalarFunction {
        ScalarFunction(name, aliases: aliases, [
            FunctionSignature([.type(.int64), .type(.int64)], returns: .type(.int64)) { input in
                let a = ColumnAccess.int64s(input.arguments[0]), b = ColumnAccess.int64s(input.arguments[1])
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count { out[i] = f(a[i], b[i]) }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ])
    }

    private static func shift(_ name: String, left: Bool) -> ScalarFunction {
        ScalarFunction(name, canFail: true, [
            FunctionSignature([.type(.int64), .type(.int64)], returns: .type(.int64)) { (input) throws(SQLError) in
                let a = ColumnAccess.int64s(input.arguments[0]), b = ColumnAccess.int64s(input.arguments[1])
                var out = [Int64](repeating: 0, count: input.count)
                for i in 0..<input.count where !input.skips(i) {
                    guard b[i] >= 0 else { throw SQLError(.runtime, "\(name.uppercased()) cannot shift by a negative count (\(b[i]))") }
                    // Swift's smart shifts: past the width, 0 (or the sign bits shifting right).
                    out[i] = left ? a[i] << b[i] : a[i] >> b[i]
                }
                return ColumnData(type: .int64, storage: .int64(out))
            },
        ])
    }
}
