// Passwords are stored as PBKDF2-HMAC-SHA-256 (RFC 8018) with a random 16-byte salt and
// enough iterations to make each guess cost a noticeable fraction of a second on this
// hardware, in the common `pbkdf2-sha256$ITERATIONS$SALT$HASH` text form (base64).

import Columnar
import Engine
import Pipeline
import Crypto
import _CryptoExtras
import Foundation

package enum PasswordHash {
    /// Iterations for new passwords (OWASP's 2023 figure for PBKDF2-HMAC-SHA-256).
    package static let defaultIterations = 600_000

    /// The stored form of `password` with a fresh salt.
    package static func make(_ password: String, iterations: Int = defaultIterations) -> String {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let key = pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations, length: 32)
        return "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(key).base64EncodedString())"
    }

    /// Whether `password` matches `stored`. The derived keys are compared in constant time;
    /// a malformed record never matches.
    package static func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let iterations = Int(parts[1]), iterations > 0,
              let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
              !expected.isEmpty
        else { return false }
        let key = pbkdf2(password: Array(password.utf8), salt: Array(salt), iterations: iterations, length: expected.count)
        return constantTimeEqual(key, Array(expected))
    }

    /// Spends the time of verifying against `stored` (a real record, when there is one) for a
    /// user name that does not exist, so that the response time does not tell which part of a
    /// sign-in was wrong.
    package static func burnVerification(like stored: String?) {
        _ = verify("x", against: stored ?? make("x"))
    }

    /// Compares without an early exit: the time depends on the length only.
    package static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// PBKDF2-HMAC-SHA-256 (swift-crypto's, BoringSSL underneath).
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        // The only failures are a round count or length out of range, which `make` and `verify` never pass.
        let key = try! KDF.Insecure.PBKDF2.deriveKey(from: password, salt: salt, using: .sha256,
                                                     outputByteCount: length, unsafeUncheckedRounds: max(1, iterations))
        return key.withUnsafeBytes { Array($0) }
    }
}
