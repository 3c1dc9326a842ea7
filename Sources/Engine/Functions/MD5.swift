// MD5 (RFC 1321), for SQL's MD5() and dbt_utils surrogate keys. Not for security: only to
// produce the same hex digests other engines produce. The batch kernel hashes straight from
// a string column's bytes into the output's bytes: no per-row allocation.

enum MD5 {
    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let constants: [UInt32] = (0..<64).map { i in
        UInt32(truncatingIfNeeded: Int64(abs(sin(Double(i + 1))) * 4_294_967_296.0))
    }
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The lowercase hex digest of `input`.
    static func hex<S: Sequence>(_ input: S) -> String where S.Element == UInt8 {
        let bytes = Array(input)
        var out = [UInt8](repeating: 0, count: 32)
        bytes.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { hex(b, into: $0.baseAddress!) } }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the 32 hex digits of the digest of `input` at `out`.
    static func hex(_ input: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UInt8>) {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        constants.withUnsafeBufferPointer { k in
            shifts.withUnsafeBufferPointer { s in
                let n = input.count
                var offset = 0
                while offset + 64 <= n {
                    block(input.baseAddress! + offset, &state, k, s)
                    offset += 64
                }
                // The tail, the 0x80 marker and the bit length, in one or two blocks.
                withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { tail in
                    let rest = n - offset
                    tail.initializeMemory(as: UInt8.self, repeating: 0)
                    if rest > 0 { tail.baseAddress!.copyMemory(from: input.baseAddress! + offset, byteCount: rest) }
                    tail[rest] = 0x80
                    let blocks = rest + 9 <= 64 ? 1 : 2
                    let bits = UInt64(n) &* 8
                    for i in 0..<8 { tail[blocks * 64 - 8 + i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(i))) }
                    for b in 0..<blocks { block(UnsafeRawPointer(tail.baseAddress! + b * 64), &state, k, s) }
                }
            }
        }
        hexDigits.withUnsafeBufferPointer { d in
            var o = 0
            for word in [state.0, state.1, state.2, state.3] {
                for i in 0..<4 {
                    let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))
                    out[o] = d[Int(byte >> 4)]
                    out[o + 1] = d[Int(byte & 15)]
                    o += 2
                }
            }
        }
    }

    @inline(__always)
    private static func block(_ p: UnsafeRawPointer, _ state: inout (UInt32, UInt32, UInt32, UInt32),
                              _ k: UnsafeBufferPointer<UInt32>, _ s: UnsafeBufferPointer<UInt32>) {
        var a = state.0, b = state.1, c = state.2, d = state.3
        for i in 0..<64 {
            var f: UInt32
            let g: Int
            switch i >> 4 {
            case 0: f = (b & c) | (~b & d); g = i
            case 1: f = (d & b) | (~d & c); g = (5 &* i &+ 1) & 15
            case 2: f = b ^ c ^ d; g = (3 &* i &+ 5) & 15
            default: f = c ^ (b | ~d); g = (7 &* i) & 15
            }
            let m = UInt32(littleEndian: p.loadUnaligned(fromByteOffset: g * 4, as: UInt32.self))
            f = f &+ a &+ k[i] &+ m
            a = d; d = c; c = b
            b = b &+ ((f << s[i]) | (f >> (32 &- s[i])))
        }
        state.0 = state.0 &+ a; state.1 = state.1 &+ b; state.2 = state.2 &+ c; state.3 = state.3 &+ d
    }
}

#if canImport(Glibc)
import Glibc
#endif
