// Cancelling a running query from outside (Ctrl-C at the prompt): a process-wide flag that
// scans check between row groups, so a long query stops within a batch or so.

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
