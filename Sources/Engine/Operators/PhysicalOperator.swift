// The physical operator contract: pull-based, one batch (`DataChunk`) per `next()`, nil at
// the end. Dispatch through the protocol happens once per batch; the work inside an
// operator runs over column arrays.

import Columnar

/// A physical operator.
package protocol PhysicalOperator: AnyObject {
    /// A short name for EXPLAIN ANALYZE.
    var name: String { get }
    /// Children, for EXPLAIN ANALYZE.
    var children: [PhysicalOperator] { get }
    /// The next batch, or nil when there are no more rows.
    func next() throws(SQLError) -> DataChunk?
}

extension PhysicalOperator {
    /// Every remaining batch, concatenated into one (for blocking operators).
    func drain(types: [LogicalType]) throws(SQLError) -> DataChunk {
        var parts: [[ColumnData]] = Array(repeating: [], count: types.count)
        var total = 0
        while let chunk = try next() {
            guard chunk.count > 0 else { continue }
            for (i, c) in chunk.columns.enumerated() { parts[i].append(c) }
            total += chunk.count
        }
        return DataChunk(columns: types.enumerated().map { i, t in
            parts[i].isEmpty ? ColumnData.empty(t) : ColumnData.concatenate(parts[i], type: t)
        }, count: total)
    }
}

extension PhysicalOperator {
    /// Every remaining batch as one chunk, for an operator that holds its input: the query is
    /// checked between batches and the bytes held counted against its memory (the caller
    /// releases `bytes` when it lets the rows go).
    func drain(types: [LogicalType], context: QueryContext?) throws(SQLError) -> (chunk: DataChunk, bytes: Int) {
        guard let context else { return (try drain(types: types), 0) }
        var parts: [[ColumnData]] = Array(repeating: [], count: types.count)
        var total = 0, bytes = 0
        do throws(SQLError) {
            while let chunk = try next() {
                try context.check()
                guard chunk.count > 0 else { continue }
                try context.reserve(chunk.byteSize)
                bytes += chunk.byteSize
                for (i, c) in chunk.columns.enumerated() { parts[i].append(c) }
                total += chunk.count
            }
        } catch {
            context.release(bytes)
            throw error
        }
        // Column by column, each column's batches let go once copied: the peak is the rows
        // plus one column, not twice the rows.
        var columns: [ColumnData] = []
        for (i, t) in types.enumerated() {
            columns.append(parts[i].isEmpty ? ColumnData.empty(t) : ColumnData.concatenate(parts[i], type: t))
            parts[i] = []
        }
        return (DataChunk(columns: columns, count: total), bytes)
    }
}

/// An operator that fails when pulled: the error of a plan that cannot run.
final class FailingOperator: PhysicalOperator {
    let name = "FAIL"
    var children: [PhysicalOperator] { [] }
    private let error: SQLError
    init(_ error: SQLError) { self.error = error }
    func next() throws(SQLError) -> DataChunk? { throw error }
}

/// Splits a large chunk into batches of `BatchSize.rows`.
struct ChunkSplitter {
    private var pending: DataChunk?
    private var at = 0

    mutating func load(_ chunk: DataChunk) {
        pending = chunk
        at = 0
    }

    mutating func next() -> DataChunk? {
        guard let p = pending, at < p.count else { pending = nil; return nil }
        let end = min(p.count, at + max(1, BatchSize.rows))
        defer { at = end }
        return p.slice(at..<end)
    }
}

/// An operator whose children are copies of one pipeline run on worker threads at once.
protocol ParallelOperator: PhysicalOperator {}

/// Times and counts another operator, for EXPLAIN ANALYZE.
final class ProfiledOperator: PhysicalOperator {
    let inner: PhysicalOperator
    private(set) var rows = 0
    private(set) var nanoseconds: UInt64 = 0
    /// The inner operator's inputs, wrapped when the planner built them (they always are under
    /// `PhysicalPlanner.profile`); the copies of a parallel pipeline appear once per worker.
    var profiledChildren: [ProfiledOperator] { inner.children.compactMap { $0 as? ProfiledOperator } }

    init(_ inner: PhysicalOperator) {
        self.inner = inner
    }

    var name: String { inner.name }
    var children: [PhysicalOperator] { profiledChildren }

    func next() throws(SQLError) -> DataChunk? {
        let start = DispatchClock.now()
        let chunk = try inner.next()
        nanoseconds += DispatchClock.now() - start
        rows += chunk?.count ?? 0
        return chunk
    }

    /// Own time: total minus the children's. The pipelines of a parallel operator run at the
    /// same time, so only the longest of them is waited for.
    var selfNanoseconds: UInt64 {
        let times = profiledChildren.map(\.nanoseconds)
        let childTime = inner is ParallelOperator ? times.max() ?? 0 : times.reduce(0, +)
        return nanoseconds > childTime ? nanoseconds - childTime : 0
    }

    func report(indent: String = "") -> String {
        var s = indent + "\(name)  rows=\(rows)  time=\(String(format: "%.3f", Double(selfNanoseconds) / 1e9))s\n"
        for c in profiledChildren { s += c.report(indent: indent + "  ") }
        return s
    }
}

enum DispatchClock {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
