// A CTE that a query reads more than once is computed once: the first reader drains it into
// a buffer, every reader (including copies in parallel pipelines) scans that buffer.

import Foundation

/// The buffered results of the shared CTEs of one statement, by id.
final class SharedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: SharedResult] = [:]

    /// The result for `id`, whose rows `make` produces when first read.
    func result(_ id: Int, context: QueryContext, make: () -> PhysicalOperator) -> SharedResult {
        lock.lock()
        if let r = results[id] { lock.unlock(); return r }
        lock.unlock()
        // Built outside the lock: the operator tree may hold other shared CTEs.
        let made = SharedResult(make(), context: context)
        lock.lock()
        defer { lock.unlock() }
        if let r = results[id] { return r }
        results[id] = made
        return made
    }
}

/// One shared CTE: computed on first read, under a lock so parallel readers wait for it.
final class SharedResult: @unchecked Sendable {
    private let lock = NSLock()
    private let source: PhysicalOperator
    private let context: QueryContext
    private var rows: DataChunk?
    private var reserved = 0

    init(_ source: PhysicalOperator, context: QueryContext) {
        self.source = source
        self.context = context
    }

    deinit { context.release(reserved) }

    func chunk(types: [LogicalType]) throws(SQLError) -> DataChunk {
        lock.lock()
        defer { lock.unlock() }
        if let rows { return rows }
        let drained = try source.drain(types: types, context: context)
        reserved += drained.bytes
        rows = drained.chunk
        return drained.chunk
    }

    var operatorTree: PhysicalOperator { source }
}

/// Reads a shared CTE's buffered rows.
final class SharedScanOperator: PhysicalOperator {
    let name = "SHARED CTE SCAN"
    var children: [PhysicalOperator] { [] }
    private let result: SharedResult
    private let types: [LogicalType]
    private var splitter: ChunkSplitter?

    init(_ result: SharedResult, types: [LogicalType]) {
        self.result = result
        self.types = types
    }

    func next() throws(SQLError) -> DataChunk? {
        if splitter == nil {
            splitter = ChunkSplitter()
            splitter!.load(try result.chunk(types: types))
        }
        return splitter!.next()
    }
}

import Columnar
