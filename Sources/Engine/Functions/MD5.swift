// MD5 for SQL's MD5() and dbt_utils surrogate keys: not for security, only to produce the
// same hex digests other engines produce. The digest comes from swift-crypto; the batch
// kernel hashes straight from a string column's bytes into the output's bytes.

import Crypto

enum MD5 {
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
        var hasher = Insecure.MD5()
        hasher.update(bufferPointer: input)
        let digest = hasher.finalize()
        hexDigits.withUnsafeBufferPointer { d in
            digest.withUnsafeBytes { bytes in
                for (i, byte) in bytes.enumerated() {
                    out[2 * i] = d[Int(byte >> 4)]
                    out[2 * i + 1] = d[Int(byte & 15)]
                }
            }
        }
    }
}
