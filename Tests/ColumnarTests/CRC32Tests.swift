// The carry-less-multiplication CRC-32 against zlib's table CRC: every length from 0 to 300
// at every alignment mod 16, longer random buffers, continued seeds, and the check value.

@testable import Columnar
import Testing

@Suite struct CRC32Tests {
    @Test func matchesZlibAtEveryLengthAndAlignment() {
        #if arch(x86_64)
        #expect(Zlib.clmul, "x86-64 machines of this project have PCLMULQDQ: the fast path must be the one tested")
        #endif
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<(300 + 16)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { all in
            for offset in 0..<16 {
                for length in 0...300 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    let seed = UInt32.random(in: 0...UInt32.max, using: &rng)
                    #expect(Zlib.crc32(slice) == Zlib.tableCRC32(slice), "length \(length) offset \(offset)")
                    #expect(Zlib.crc32(slice, seed: seed) == Zlib.tableCRC32(slice, seed: seed), "length \(length) seed \(seed)")
                }
            }
        }
    }

    @Test func matchesZlibOnLargeBuffersAndInPieces() {
        var rng = SystemRandomNumberGenerator()
        for length in [1 << 16, (1 << 20) + 13, 3_000_001] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            bytes.withUnsafeBytes { all in
                let whole = Zlib.tableCRC32(all)
                #expect(Zlib.crc32(all) == whole)
                let cut = length / 3 + 5
                let first = Zlib.crc32(UnsafeRawBufferPointer(rebasing: all[0..<cut]))
                #expect(Zlib.crc32(UnsafeRawBufferPointer(rebasing: all[cut...]), seed: first) == whole)
            }
        }
        // The standard check value of CRC-32/ISO-HDLC, and all-zero and all-one inputs.
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        for fill: UInt8 in [0, 0xFF] {
            let bytes = [UInt8](repeating: fill, count: 4096)
            #expect(bytes.withUnsafeBytes { Zlib.crc32($0) == Zlib.tableCRC32($0) })
        }
    }
}
