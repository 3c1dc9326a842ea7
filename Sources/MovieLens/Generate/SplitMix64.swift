// The generator's random numbers: SplitMix64, tiny and fast, seeded per user or per movie
// so any part of the data set can be generated independently and in parallel, yet the
// bytes depend only on the seed.

/// A deterministic 64-bit PRNG.
package struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    /// A generator for stream `stream` of `seed`, independent of the others.
    package init(seed: UInt64, stream: UInt64) {
        var s = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        state = s.next() ^ stream
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    package mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<n.
    package mutating func below(_ n: Int) -> Int { Int((UInt64(n).multipliedFullWidth(by: next())).high) }

    package mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Exponential with the given mean.
    package mutating func exponential(mean: Double) -> Double { -mean * log1p(-unit()) }
}

#if canImport(Glibc)
import Glibc
#endif
