// Signed-in sessions of the web app, in memory (a restart signs everyone out). The cookie
// carries 32 random bytes; the store keeps only their SHA-256, so a memory dump does not
// yield usable cookies, and lookups by digest do not compare secrets byte by byte.

import Columnar
import Engine
import Pipeline
import Crypto
import Foundation
import Synchronization

/// Who a request is from.
package struct WebSession: Sendable {
    package var user: String
    package var role: Role
    /// A digest of the user's stored password record when the session began: a new password
    /// (`moviecol user add NAME --replace`) ends the sessions opened with the old one.
    package var credential: String
    var lastSeen: Date
}

package final class SessionStore: Sendable {
    /// A session ends after this long without a request.
    package let idleTimeout: TimeInterval
    /// Oldest sessions are dropped beyond this many.
    let capacity: Int
    private let sessions = Mutex<[String: WebSession]>([:])

    package init(idleTimeout: TimeInterval = 8 * 3600, capacity: Int = 10_000) {
        self.idleTimeout = idleTimeout
        self.capacity = capacity
    }

    /// Starts a session and returns the cookie value.
    package func open(user: String, role: Role, credential: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
        let key = Self.digest(token)
        let now = Date()
        sessions.withLock { s in
            if s.count >= capacity, let oldest = s.min(by: { $0.value.lastSeen < $1.value.lastSeen })?.key { s[oldest] = nil }
            s[key] = WebSession(user: user, role: role, credential: credential, lastSeen: now)
        }
        return token
    }

    /// The live session for a cookie value, refreshed; nil when unknown or expired.
    package func session(_ token: String) -> WebSession? {
        guard token.count == 64 else { return nil }
        let key = Self.digest(token)
        let now = Date()
        return sessions.withLock { s -> WebSession? in
            guard var session = s[key] else { return nil }
            guard now.timeIntervalSince(session.lastSeen) < idleTimeout else {
                s[key] = nil
                return nil
            }
            session.lastSeen = now
            s[key] = session
            return session
        }
    }

    package func close(_ token: String) {
        let key = Self.digest(token)
        _ = sessions.withLock { $0.removeValue(forKey: key) }
    }

    /// Ends every session of `user` (after a password change or removal).
    package func closeAll(user: String) {
        sessions.withLock { s in s = s.filter { $0.value.user != user } }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
