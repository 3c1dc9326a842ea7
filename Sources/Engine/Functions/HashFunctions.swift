// HASH and MD5. HASH is a 64-bit hash of its arguments taken as one key (equal values hash
// equal: NULLs, 0.0 and -0.0, INT and BIGINT), the same in every process and on every
// machine; MD5 gives the hex digest other engines give (dbt_utils surrogate keys).

import Columnar

enum HashFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("hash", nulls: .kernel, [
            FunctionSignature([.any], variadic: true, returns: .type(.int64), kernel: hash),
        ]),
        ScalarFunction("md5", [FunctionSignature([.type(.varchar)], returns: .type(.varchar), kernel: md5)]),
    ]

    private static func hash(_ input: KernelInput) -> ColumnData {
        let keys = EncodedKeys.encode(input.arguments, rows: input.count)
        var out = [Int64](repeating: 0, count: input.count)
        for r in 0..<input.count { out[r] = keys.withKey(r) { Int64(bitPattern: GroupHashTable.hash($0)) } }
        return ColumnData(type: .int64, storage: .int64(out))
    }

    /// 32 hex digits per row, written in place: no per-row allocation.
    private static func md5(_ input: KernelInput) -> ColumnData {
        let s = input.text(0), n = input.count
        var out = StringArray()
        out.bytes = [UInt8](repeating: 0, count: n * 32)
        out.offsets = (0...n).map { UInt32($0 * 32) }
        out.bytes.withUnsafeMutableBufferPointer { o in
            for i in 0..<n where !input.skips(i) { s.withValueBytes(i) { MD5.hex($0, into: o.baseAddress! + i * 32) } }
        }
        return ColumnData(type: .varchar, storage: .varchar(out))
    }
}
