// The process's worker threads, shared by loads and queries alike: started once and reused
// by every parallel operator, so a server running many queries does not start threads per
// operator. Work is only handed to threads that are idle at that moment; whoever asks for
// help also works (or runs serially when no thread is free), so concurrent and nested
// users never wait for a thread that cannot come: under load they get fewer helpers.

import Foundation

public final class WorkerPool: @unchecked Sendable {
    /// The pool of this process, one thread per core to begin with (see `reserve`).
    public static let shared = WorkerPool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// The pool work started here uses: the shared one, or one a test sets (a pool of no
    /// threads shows what a statement does when every worker is busy).
    @TaskLocal public static var current: WorkerPool = shared

    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    /// Threads waiting for a job and not promised to one.
    private var idle = 0
    private var started = 0
    private var capacity: Int
    /// Deep expression trees recurse: worker threads get the main thread's stack size.
    private static let stackSize = 8 << 20

    public init(threads: Int) { capacity = max(0, threads) }

    /// Makes room for `threads` workers (the pool grows, never shrinks): a query or load
    /// configured for more threads than the machine has cores gets them.
    public func reserve(_ threads: Int) {
        condition.lock()
        capacity = max(capacity, threads)
        condition.unlock()
    }

    /// The number of worker threads the pool may run.
    public var threads: Int {
        condition.lock()
        defer { condition.unlock() }
        return capacity
    }

    /// Starts `body(i)` for i in 0..<k on k idle threads, k = min(count, idle threads), and
    /// returns k. Each job has its own thread from the start (no job waits in a queue).
    public func startIdle(upTo count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Int {
        guard count > 0 else { return 0 }
        condition.lock()
        while started < capacity && idle < count { spawn() }
        let k = min(count, idle)
        idle -= k
        for i in 0..<k { jobs.append { body(i) } }
        condition.broadcast()
        condition.unlock()
        return k
    }

    /// Runs `body(0)` ... `body(count - 1)` on the calling thread and any idle workers;
    /// returns when every call has returned.
    public func forEach(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let tasks = IndexQueue(count)
        let done = CompletionCount()
        let helpers = startIdle(upTo: count - 1) { _ in
            while let i = tasks.take() { body(i) }
            done.finish()
        }
        while let i = tasks.take() { body(i) }
        done.wait(for: helpers)
    }

    /// Called with the lock held.
    private func spawn() {
        started += 1
        idle += 1
        let thread = Thread { self.work() }
        thread.stackSize = Self.stackSize
        thread.name = "moviecol-worker-\(started)"
        thread.start()
    }

    private func work() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
            condition.lock()
            idle += 1
            condition.unlock()
        }
    }
}

/// Indexes 0..<count handed out one at a time to whichever thread asks next.
package final class IndexQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    package init(_ count: Int) { self.count = count }

    package func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// Threads that have finished their part, for the one that waits for them.
package final class CompletionCount: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished = 0

    package init() {}

    package func finish() {
        condition.lock()
        finished += 1
        condition.broadcast()
        condition.unlock()
    }

    package func wait(for count: Int) {
        condition.lock()
        while finished < count { condition.wait() }
        condition.unlock()
    }
}
