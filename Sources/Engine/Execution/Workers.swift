// Parallel pipelines run on the process's worker pool (`WorkerPool.shared`), with the
// caller's batch size and SQL errors carried across threads.

import Columnar
import Foundation

enum Workers {
    /// Runs `body(0)` ... `body(count - 1)` on the calling thread and idle workers; the first
    /// error of any call is rethrown once all have returned.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) throws(SQLError) -> Void) throws(SQLError) {
        let errors = WorkerErrors()
        let batch = BatchSize.rows
        WorkerPool.current.forEach(count) { w in
            BatchSize.$rows.withValue(batch) {
                do throws(SQLError) { try body(w) } catch { errors.record(error) }
            }
        }
        if let e = errors.first { throw e }
    }

    /// Starts `body(i)` on up to `count` idle workers and returns how many started (none
    /// when every worker is busy: the caller then does the work itself).
    static func startIdle(upTo count: Int, _ body: @escaping @Sendable (Int) -> Void) -> Int {
        let batch = BatchSize.rows
        return WorkerPool.current.startIdle(upTo: count) { w in BatchSize.$rows.withValue(batch) { body(w) } }
    }
}

/// A value handed to worker threads that the code arranges to use from one thread at a time.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The first error of any worker.
final class WorkerErrors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [SQLError] = []
    func record(_ e: SQLError) { lock.lock(); errors.append(e); lock.unlock() }
    var first: SQLError? { lock.lock(); defer { lock.unlock() }; return errors.first }
}
