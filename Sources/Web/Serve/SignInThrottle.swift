// Sign-in throttling: password guessing slows down exponentially, per client address and per
// user name. The first failures are free (people mistype: 10 per address, which may be a
// shared office proxy, and 5 per user); after them each further attempt from that client,
// or for that user, must wait 2^k seconds after the last failure
// (k the failures past the free ones, at most 5 minutes). An attempt that comes too early is
// refused with 429 and Retry-After before any password hash is computed, so guessing costs the
// server nothing either. A success clears the client's and the user's record; a record is
// forgotten 15 minutes after its last failure. Many addresses against one user are slowed by
// the user's record, which waits, never locks the account for good.

import Foundation
import Synchronization

package final class SignInThrottle: Sendable {
    /// Failures allowed before waits begin, per client address and per user name.
    let freeClientFailures: Int
    let freeUserFailures: Int
    /// The longest wait, in seconds.
    let maxDelay: Double
    /// A record with no failure for this long is forgotten.
    let forgetAfter: Double
    /// Records kept at most (the oldest are dropped).
    let capacity: Int

    private struct Record {
        var failures: Int
        var lastFailure: Double
    }

    private let records = Mutex<[String: Record]>([:])

    package init(freeClientFailures: Int = 10, freeUserFailures: Int = 5, maxDelay: Double = 300, forgetAfter: Double = 900,
                 capacity: Int = 100_000) {
        self.freeClientFailures = freeClientFailures
        self.freeUserFailures = freeUserFailures
        self.maxDelay = maxDelay
        self.forgetAfter = forgetAfter
        self.capacity = capacity
    }

    /// Seconds `client` must still wait before trying `user` (0: go ahead).
    package func wait(client: String, user: String, now: Double = Date().timeIntervalSince1970) -> Double {
        records.withLock { r in
            max(delay(r["c:" + client], free: freeClientFailures, now), delay(r["u:" + user.lowercased()], free: freeUserFailures, now))
        }
    }

    /// Records the outcome of a sign-in attempt.
    package func record(client: String, user: String, succeeded: Bool, now: Double = Date().timeIntervalSince1970) {
        let keys = ["c:" + client, "u:" + user.lowercased()]
        records.withLock { r in
            if succeeded {
                for k in keys { r[k] = nil }
                return
            }
            if r.count >= capacity { forgetOld(&r, now: now) }
            for k in keys {
                var rec = r[k] ?? Record(failures: 0, lastFailure: now)
                if now - rec.lastFailure >= forgetAfter { rec.failures = 0 }
                rec.failures += 1
                rec.lastFailure = now
                r[k] = rec
            }
        }
    }

    private func delay(_ record: Record?, free: Int, _ now: Double) -> Double {
        guard let record, record.failures >= free, now - record.lastFailure < forgetAfter else { return 0 }
        let wanted = min(maxDelay, pow(2, Double(record.failures - free)))
        return max(0, wanted - (now - record.lastFailure))
    }

    private func forgetOld(_ r: inout [String: Record], now: Double) {
        r = r.filter { now - $0.value.lastFailure < forgetAfter }
        if r.count >= capacity {
            // Still full: keep the most recent half.
            let kept = r.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(capacity / 2)
            r = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
