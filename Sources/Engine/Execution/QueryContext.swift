// Everything one query carries from its owner to its operators: who runs it (the access
// policy its names resolve under), how many threads it may use, its limits, and the state
// it shares with the owner while it runs: a cancel request, rows scanned (progress), rows
// its joins produced and memory its operators hold. Operators check it between batches.

import Columnar
import Foundation
import Dispatch
import Synchronization

public final class QueryContext: Sendable {
    /// Bounds a query runs under; nil means none.
    public struct Limits: Sendable {
        /// Seconds from the start of the query.
        public var time: Double?
        /// Rows the query's joins may produce together (a cross join of two large tables is
        /// stopped before it floods a sort or the client).
        public var joinRows: Int?
        /// Bytes the query's operators may hold at once (hash tables, sort buffers, shared CTEs).
        public var memoryBytes: Int?

        public init(time: Double? = nil, joinRows: Int? = nil, memoryBytes: Int? = nil) {
            self.time = time
            self.joinRows = joinRows
            self.memoryBytes = memoryBytes
        }
    }

    public let threads: Int
    public let policy: AccessPolicy
    public let limits: Limits
    /// When the statement started, in microseconds since 1970: what CURRENT_TIMESTAMP and
    /// CURRENT_DATE read, the same on every row and in every subquery (Snowflake, DuckDB).
    public let startedAt = Int64(Date().timeIntervalSince1970 * 1_000_000)
    private let deadline: UInt64
    private let cancelled = Atomic<Bool>(false)
    private let scanned = Atomic<Int>(0)
    private let joinRows = Atomic<Int>(0)
    private let memory = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    public init(threads: Int = 1, policy: AccessPolicy = .unrestricted, limits: Limits = Limits()) {
        self.threads = max(1, threads)
        self.policy = policy
        self.limits = limits
        // A limit past about 500 years (or infinite, or NaN) is no limit.
        deadline = limits.time.flatMap { t -> UInt64? in
            let ns = max(0, t) * 1e9
            guard ns < 1.6e19 else { return nil }
            let (d, overflow) = DispatchTime.now().uptimeNanoseconds.addingReportingOverflow(UInt64(ns))
            return overflow ? nil : d
        } ?? .max
    }

    /// Asks the query to stop; it does at its operators' next check.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Rows the query's scans have read so far.
    public var rowsScanned: Int { scanned.load(ordering: .relaxed) }

    /// The most bytes the query's operators held at once.
    public var peakMemory: Int { peak.load(ordering: .relaxed) }

    /// Throws if the query was cancelled or ran past its time limit.
    public func check() throws(SQLError) {
        if cancelled.load(ordering: .relaxed) { throw SQLError(.cancelled, "query cancelled") }
        if deadline != .max, DispatchTime.now().uptimeNanoseconds > deadline {
            throw SQLError(.cancelled, "query stopped after its time limit of \(Value.format(limits.time ?? 0)) s", reason: .timeLimit)
        }
    }

    func addScanned(_ rows: Int) { scanned.wrappingAdd(rows, ordering: .relaxed) }

    /// Counts `n` rows produced by a join; an error once the query's joins pass the limit.
    func addJoinRows(_ n: Int) throws(SQLError) {
        guard let limit = limits.joinRows else { return }
        if joinRows.wrappingAdd(n, ordering: .relaxed).newValue > limit {
            throw SQLError(.limit, "the query's joins produced more than \(limit) rows, the limit here; add join conditions or filters",
                           reason: .joinRows)
        }
    }

    /// Records `bytes` more held by an operator; an error past the memory limit (the bytes
    /// are not counted then).
    func reserve(_ bytes: Int) throws(SQLError) {
        let now = memory.wrappingAdd(bytes, ordering: .relaxed).newValue
        if let limit = limits.memoryBytes, now > limit {
            memory.wrappingSubtract(bytes, ordering: .relaxed)
            throw SQLError(.limit, "the query needs more than \(limit >> 20) MiB of memory, the limit here", reason: .memory)
        }
        var seen = peak.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, current) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = current
        }
    }

    func release(_ bytes: Int) { memory.wrappingSubtract(bytes, ordering: .relaxed) }
}
