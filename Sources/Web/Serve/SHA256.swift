// SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104): the primitives under the password hash
// and the session-token digests. Written here instead of pulling in a TLS library for two
// functions; checked against the standard's and RFC 4231's test vectors.

import Columnar
import Engine
import Pipeline

/// A SHA-256 computation.
struct SHA256 {
    private var state = SHA256.initial
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    init() { pending.reserveCapacity(64) }

    /// The digest of `bytes`.
    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finish()
    }

    mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for b in bytes {
            pending.append(b)
            length &+= 1
            if pending.count == 64 {
                pending.withUnsafeBufferPointer { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
    }

    mutating func finish() -> [UInt8] {
        let bits = length &* 8
        pending.append(0x80)
        while pending.count % 64 != 56 { pending.append(0) }
        for i in (0..<8).reversed() { pending.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        pending.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                compress(p.baseAddress! + offset)
                offset += 64
            }
        }
        pending.removeAll()
        return Self.bytes(of: state)
    }

    /// The state after hashing one 64-byte block that starts at `block`.
    mutating func compress(_ block: UnsafePointer<UInt8>) {
        state = Self.compress(state, block)
    }

    typealias State = (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)

    static let initial: State = (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)

    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    @inline(__always) static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }

    /// One compression of `block` (64 bytes, big-endian words) into `s`.
    static func compress(_ s: State, _ block: UnsafePointer<UInt8>) -> State {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            for i in 0..<16 {
                let p = block + i * 4
                w[i] = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
            }
            return schedule(s, w)
        }
    }

    /// One compression of 16 words already in `w[0..<16]` (the rest is scratch).
    static func schedule(_ s: State, _ w: UnsafeMutableBufferPointer<UInt32>) -> State {
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, h) = s
        k.withUnsafeBufferPointer { k in
            for i in 0..<64 {
                let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                h = g; g = f; f = e; e = d &+ t1
                d = c; c = b; b = a; a = t1 &+ t2
            }
        }
        return (s.0 &+ a, s.1 &+ b, s.2 &+ c, s.3 &+ d, s.4 &+ e, s.5 &+ f, s.6 &+ g, s.7 &+ h)
    }

    static func bytes(of s: State) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for v in [s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7] {
            out += [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
        }
        return out
    }
}

/// HMAC-SHA-256 with the key's inner and outer pads hashed once, so that the many
/// iterations of PBKDF2 cost two compressions each.
struct HMACSHA256 {
    private let inner: SHA256.State
    private let outer: SHA256.State

    init(key: [UInt8]) {
        var k = key.count > 64 ? SHA256.hash(key) : key
        k += [UInt8](repeating: 0, count: 64 - k.count)
        inner = k.map { $0 ^ 0x36 }.withUnsafeBufferPointer { SHA256.compress(SHA256.initial, $0.baseAddress!) }
        outer = k.map { $0 ^ 0x5c }.withUnsafeBufferPointer { SHA256.compress(SHA256.initial, $0.baseAddress!) }
    }

    /// HMAC of a message of any length.
    func authenticate(_ message: [UInt8]) -> [UInt8] {
        var padded = message
        padded.append(0x80)
        while padded.count % 64 != 56 { padded.append(0) }
        let bits = UInt64(64 + message.count) * 8
        for i in (0..<8).reversed() { padded.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
        var s = inner
        padded.withUnsafeBufferPointer { p in
            var offset = 0
            while offset < p.count {
                s = SHA256.compress(s, p.baseAddress! + offset)
                offset += 64
            }
        }
        return finishOuter(s)
    }

    private func finishOuter(_ innerState: SHA256.State) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            let d = innerState
            w[0] = d.0; w[1] = d.1; w[2] = d.2; w[3] = d.3; w[4] = d.4; w[5] = d.5; w[6] = d.6; w[7] = d.7
            HMACSHA256.padDigestBlock(w)
            return SHA256.bytes(of: SHA256.schedule(outer, w))
        }
    }

    /// Pads a 32-byte digest in w[0..<8] as the single last block of a 96-byte message.
    @inline(__always) static func padDigestBlock(_ w: UnsafeMutableBufferPointer<UInt32>) {
        w[8] = 0x8000_0000
        for i in 9..<15 { w[i] = 0 }
        w[15] = (64 + 32) * 8
    }

    /// U_{i+1} = HMAC(U_i) for a 32-byte U held as words: the PBKDF2 inner loop without
    /// allocation. `words` holds U on entry and the result on return.
    @inline(__always) func iterate(_ words: UnsafeMutableBufferPointer<UInt32>, scratch w: UnsafeMutableBufferPointer<UInt32>) {
        for i in 0..<8 { w[i] = words[i] }
        HMACSHA256.padDigestBlock(w)
        let i1 = SHA256.schedule(inner, w)
        w[0] = i1.0; w[1] = i1.1; w[2] = i1.2; w[3] = i1.3; w[4] = i1.4; w[5] = i1.5; w[6] = i1.6; w[7] = i1.7
        HMACSHA256.padDigestBlock(w)
        let o = SHA256.schedule(outer, w)
        words[0] = o.0; words[1] = o.1; words[2] = o.2; words[3] = o.3; words[4] = o.4; words[5] = o.5; words[6] = o.6; words[7] = o.7
    }
}
