// Cancelling a running query from outside (Ctrl-C at the prompt): a process-wide flag that
// scans check between row groups, so a long query stops within a batch or so.

import Dispatch
import Synchronization

/// The cancel request for the query running in this process.
public enum QueryCancellation {
    private static let requested = Atomic<Bool>(false)

    /// Asks the running query to stop (safe to call from a signal handler's thread).
    public static func request() { requested.store(true, ordering: .relaxed) }

    /// Clears the request before a new query starts.
    public static func reset() { requested.store(false, ordering: .relaxed) }

    public static var isRequested: Bool { requested.load(ordering: .relaxed) }

    static func check() throws(SQLError) {
        if isRequested { throw SQLError(.runtime, "query cancelled") }
    }
}

/// Rows scanned by the running query, for a progress display.
public enum QueryProgress {
    private static let rows = Atomic<Int>(0)

    public static func reset() { rows.store(0, ordering: .relaxed) }
    public static var rowsScanned: Int { rows.load(ordering: .relaxed) }
    static func add(_ n: Int) { rows.wrappingAdd(n, ordering: .relaxed) }
}

/// A stop request for one query, by its owner or after a time limit. The web app gives every
/// request its own, so one runaway ad-hoc query cannot hold a worker or stop the others.
public final class QueryInterrupt: Sendable {
    private let cancelled = Atomic<Bool>(false)
    private let deadline: UInt64
    private let limit: Double?
    /// The most rows the query's joins may produce together (a cross join of two large tables
    /// is stopped with an error before it floods a sort or the client); nil for no limit.
    public let joinRowLimit: Int?
    private let joinRows = Atomic<Int>(0)

    /// `timeLimit` in seconds; nil for none.
    public init(timeLimit: Double? = nil, joinRowLimit: Int? = nil) {
        limit = timeLimit
        // A limit past about 500 years (or infinite, or NaN) is no limit.
        deadline = timeLimit.flatMap { t -> UInt64? in
            let ns = max(0, t) * 1e9
            guard ns < 1.6e19 else { return nil }
            let (d, overflow) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(UInt64(ns))
            return overflow ? nil : d
        } ?? .max
        self.joinRowLimit = joinRowLimit
    }

    /// Counts `n` rows produced by a join; an error once the query's joins pass the limit.
    func addJoinRows(_ n: Int) throws(SQLError) {
        guard let joinRowLimit else { return }
        if joinRows.wrappingAdd(n, ordering: .relaxed).newValue > joinRowLimit {
            throw SQLError(.runtime, "the query's joins produced more than \(joinRowLimit) rows, the limit here; "
                           + "add join conditions or filters")
        }
    }

    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    func check() throws(SQLError) {
        if cancelled.load(ordering: .relaxed) { throw SQLError(.runtime, "query cancelled") }
        if deadline != .max, DispatchTime.now().uptimeNanoseconds > deadline {
            throw SQLError(.runtime, "query stopped after its time limit of \(Value.format(limit ?? 0)) s")
        }
    }
}
