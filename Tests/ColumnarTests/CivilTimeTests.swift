// The byte writers of dates and timestamps agree with the String formatters everywhere:
// negative instants, fractional seconds, leap days, the edges of the four-digit years.

import Testing
@testable import Columnar

@Suite struct CivilTimeTests {
    @Test func bytesMatchTheStringForm() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var samples: [Int64] = [0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 951_782_400_000_000,  // 2000-02-29
                                -62_167_219_200_000_000,  // 0000-01-01
                                253_402_300_799_999_999,  // 9999-12-31 23:59:59.999999
                                253_402_300_800_000_000, -62_167_219_200_000_001]  // outside four digits
        for _ in 0..<5000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let micros = Int64(bitPattern: seed) % 400_000_000_000_000_000
            samples.append(seed % 3 == 0 ? micros / 1_000_000 * 1_000_000 : micros)
        }
        for m in samples {
            var bytes: [UInt8] = []
            CivilTime.appendTimestamp(micros: m, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == CivilTime.formatTimestamp(micros: m), "\(m)")
            let day = Int32(truncatingIfNeeded: m / 86_400_000_000)
            var dateBytes: [UInt8] = []
            if CivilTime.appendDate(days: day, to: &dateBytes) {
                #expect(String(decoding: dateBytes, as: UTF8.self) == CivilTime.formatDate(days: day))
            }
        }
    }
}
