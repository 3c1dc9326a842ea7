// HASH, MD5, SHA2, UUID_STRING and RANDOM. HASH is a 64-bit hash of its arguments taken as one key
// (equal values hash equal: NULLs, 0.0 and -0.0, INT and BIGINT), the same in every process
// and on every machine; MD5 and SHA2 give the hex digests other engines give (dbt_utils
// surrogate keys). UUID_STRING() is a random (version 4) UUID per row; UUID_STRING(namespace,
// name) the name-based (version 5, SHA-1) one, the same for the same arguments.

import Columnar
import Crypto

enum HashFunctions {
    static let sampleRandom = "\u{1}random"
    static let all: [ScalarFunction] = [
        ScalarFunction("hash", nulls: .kernel, [
            FunctionSignature([.any], variadic: true, returns: .type(.int64), kernel: hash),
        ]),
        // A random 64-bit value per row: the key of a SAMPLE over rows without row ids.
        ScalarFunction(sampleRandom, volatility: .volatile, [
            FunctionSignature([], returns: .type(.int64)) { input in
                var rng = SystemRandomNumberGenerator()
                return ColumnData(type: .int64, storage: .int64((0..<input.count).map { _ in Int64(bitPattern: rng.next()) }))
            },
        ]),
        // RANDOM(): a DOUBLE in [0, 1) per row, as DuckDB and PostgreSQL give (Snowflake's is a
        // random BIGINT; ORDER BY RANDOM() samples the same either way).
        ScalarFunction("random", volatility: .volatile, [
            FunctionSignature([], returns: .type(.double)) { input in
                var rng = SystemRandomNumberGenerator()
                return ColumnData(type: .double, storage: .double((0..<input.count).map { _ in Double.random(in: 0..<1, using: &rng) }))
            },
        ]),
        ScalarFunction("md5", aliases: ["md5_hex"], [FunctionSignature([.type(.varchar)], returns: .type(.varchar), kernel: md5)]),
        ScalarFunction("sha2", aliases: ["sha2_hex"], canFail: true, [
            FunctionSignature([.type(.varchar), .type(.int64)], optional: 1, returns: .type(.varchar), kernel: sha2),
        ]),
        ScalarFunction("sha256", [
            FunctionSignature([.type(.varchar)], returns: .type(.varchar), kernel: sha2),
        ]),
        ScalarFunction("uuid_string", aliases: ["gen_random_uuid", "uuid"], volatility: .volatile, canFail: true, [
            FunctionSignature([], returns: .type(.varchar)) { (input) throws(SQLError) in
                var out = TextBuilder(function: "uuid_string", count: input.count)
                var rng = SystemRandomNumberGenerator()
                for _ in 0..<input.count {
                    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    bytes[6] = bytes[6] & 0x0F | 0x40
                    bytes[8] = bytes[8] & 0x3F | 0x80
                    out.append(uuidText(bytes))
                    try out.endValue()
                }
                return out.finish()
            },
            FunctionSignature([.type(.varchar), .type(.varchar)], returns: .type(.varchar), kernel: nameBasedUUID),
        ]),
    ]

    /// 8-4-4-4-12 lowercase hex.
    static func uuidText(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for (k, b) in bytes.enumerated() {
            if k == 4 || k == 6 || k == 8 || k == 10 { out.append(UInt8(ascii: "-")) }
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// UUID_STRING(namespace, name): RFC 4122's version 5 UUID.
    private static func nameBasedUUID(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let namespaces = input.text(0), names = input.text(1)
        var out = TextBuilder(function: "uuid_string", count: input.count)
        for r in 0..<input.count {
            if !input.skips(r) {
                let text = namespaces[r].filter { $0 != "-" }
                let utf8 = Array(text.utf8)
                guard utf8.count == 32, let namespace = (0..<16).map({ k in UInt8(String(decoding: utf8[(2 * k)..<(2 * k + 2)], as: UTF8.self), radix: 16) }) as [UInt8?]?,
                      !namespace.contains(nil) else {
                    throw SQLError(.runtime, "UUID_STRING: '\(namespaces[r])' is not a UUID", reason: .invalidText)
                }
                var hasher = Insecure.SHA1()
                hasher.update(data: namespace.map { $0! })
                hasher.update(data: Array(names[r].utf8))
                var bytes = Array(hasher.finalize().prefix(16))
                bytes[6] = bytes[6] & 0x0F | 0x50
                bytes[8] = bytes[8] & 0x3F | 0x80
                out.append(uuidText(bytes))
            }
            try out.endValue()
        }
        return out.finish()
    }

    /// SHA2(text[, bits]): the SHA-2 digest in hex; 256 (the default), 384 or 512 bits.
    private static func sha2(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let texts = input.text(0)
        let bits = input.arguments.count > 1 ? ColumnAccess.int64s(input.arguments[1]) : nil
        var out = TextBuilder(function: "sha2", count: input.count)
        let hex = Array("0123456789abcdef".utf8)
        for r in 0..<input.count {
            if !input.skips(r) {
                let data = Array(texts[r].utf8)
                let digest: [UInt8]
                switch bits?[r] ?? 256 {
                case 256: digest = Array(SHA256.hash(data: data))
                case 384: digest = Array(SHA384.hash(data: data))
                case 512: digest = Array(SHA512.hash(data: data))
                case let b: throw SQLError(.runtime, "SHA2 takes 256, 384 or 512 bits, got \(b)")
                }
                for b in digest { out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
            }
            try out.endValue()
        }
        return out.finish()
    }

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
