// Sign-in throttling: free failures, then doubling waits per address and per user, cleared by
// a success and forgotten after a quiet while.

import Testing
@testable import Web

@Suite struct SignInThrottleTests {
    @Test func waitsDoubleAfterTheFreeFailures() {
        let t = SignInThrottle(freeClientFailures: 3, freeUserFailures: 100)
        var now = 1000.0
        for i in 0..<3 {
            #expect(t.wait(client: "a", user: "u\(i)", now: now) == 0)
            t.record(client: "a", user: "u\(i)", succeeded: false, now: now)
        }
        #expect(t.wait(client: "a", user: "x", now: now) == 1)
        #expect(t.wait(client: "b", user: "x", now: now) == 0)  // another address is not held up
        now += 1
        #expect(t.wait(client: "a", user: "x", now: now) == 0)
        t.record(client: "a", user: "x", succeeded: false, now: now)
        #expect(t.wait(client: "a", user: "x", now: now) == 2)
        t.record(client: "a", user: "y", succeeded: false, now: now + 2)
        #expect(t.wait(client: "a", user: "z", now: now + 2) == 4)
    }

    @Test func perUserFailuresFromManyAddresses() {
        let t = SignInThrottle(freeClientFailures: 100, freeUserFailures: 2)
        t.record(client: "a", user: "Ana", succeeded: false, now: 0)
        t.record(client: "b", user: "ana", succeeded: false, now: 0)
        #expect(t.wait(client: "c", user: "ANA", now: 0.5) == 0.5)
        #expect(t.wait(client: "c", user: "leo", now: 0.5) == 0)
    }

    @Test func aSuccessClearsAndQuietForgets() {
        let t = SignInThrottle(freeClientFailures: 1, freeUserFailures: 1, maxDelay: 300, forgetAfter: 60)
        t.record(client: "a", user: "u", succeeded: false, now: 0)
        #expect(t.wait(client: "a", user: "v", now: 0) > 0)
        t.record(client: "a", user: "u", succeeded: true, now: 0.5)
        #expect(t.wait(client: "a", user: "u", now: 0.5) == 0)
        for k in 0..<20 { t.record(client: "b", user: "w", succeeded: false, now: Double(k)) }
        #expect(t.wait(client: "b", user: "q", now: 20) == 300 - 1)  // capped at maxDelay
        #expect(t.wait(client: "b", user: "q", now: 19 + 60) == 0)  // forgotten after a quiet minute
    }
}
