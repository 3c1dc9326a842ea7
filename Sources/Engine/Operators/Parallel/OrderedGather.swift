// The exchange at the top of a parallel streaming pipeline (a filter, projection, flatten or
// join probe over a large scan): worker threads run copies of the pipeline over the table's
// row groups, and the consumer receives their batches in table order, as if one thread had
// produced them. Results stay deterministic and memory stays bounded: a worker that gets more
// than `window` row groups ahead of what the consumer has taken waits. The producers are
// the pool's idle workers; with none idle the consumer runs the pipeline itself.
//
//   worker i: scan (next row group) -> filter/project/... -> put(morsel, batch)
//   consumer: take() -> batches of morsel m once no worker can still add to an earlier one

import Columnar
import Foundation

final class OrderedGatherOperator: ParallelOperator {
    let name: String
    let pipelines: [PhysicalOperator]
    var children: [PhysicalOperator] { pipelines }
    private let exchange: Exchange
    private var started = false
    private var serial = false
    private var servedPipeline = 0

    init(pipelines: [PhysicalOperator]) {
        self.pipelines = pipelines
        exchange = Exchange(workers: pipelines.count, window: 2 * pipelines.count)
        name = "ORDERED_GATHER workers=\(pipelines.count)"
    }

    deinit { exchange.cancel() }  // a LIMIT above stopped pulling: release the workers

    func next() throws(SQLError) -> DataChunk? {
        if !started {
            started = true
            serial = start() == 0
        }
        if serial {
            // No idle worker: this thread runs the copies in turn (the first takes every row
            // group, in order; the others add only what they emit at the end).
            while servedPipeline < pipelines.count {
                if let chunk = try pipelines[servedPipeline].next() { return chunk }
                servedPipeline += 1
            }
            return nil
        }
        return try exchange.take()
    }

    /// Starts the producers on idle workers; returns how many started. Every copy of the
    /// pipeline runs once, whichever producer takes it: the copies of a right join count
    /// each other down before the last emits the unmatched build rows.
    private func start() -> Int {
        let copies = UncheckedSendable(pipelines)
        let exchange = self.exchange
        let tasks = IndexQueue(pipelines.count)
        let producers = Workers.startIdle(upTo: pipelines.count) { w in
            do throws(SQLError) {
                while let i = tasks.take() {
                    var position = PipelinePosition(copies.value[i])
                    while let chunk = try copies.value[i].next() {
                        let morsel = position.record(rows: chunk.count).morsel
                        guard exchange.put(chunk, morsel: morsel, worker: w) else { break }
                    }
                }
                exchange.finish(worker: w, error: nil)
            } catch {
                exchange.finish(worker: w, error: error)
            }
        }
        for w in producers..<pipelines.count { exchange.finish(worker: w, error: nil) }
        return producers
    }

    /// The buffer between the workers and the consumer.
    final class Exchange: @unchecked Sendable {
        private let condition = NSCondition()
        /// Batches per morsel, in the order their worker produced them.
        private var buffered: [Int: [DataChunk]] = [:]
        /// Each worker's current morsel (-1 before its first batch, Int.max when done).
        private var reported: [Int]
        /// The consumer has taken every batch of the morsels before this one.
        private var consumed = -1
        private let window: Int
        private var failure: SQLError?
        private var cancelled = false

        init(workers: Int, window: Int) {
            reported = Array(repeating: -1, count: workers)
            self.window = window
        }

        /// Adds a batch; waits while the worker is too far ahead. False: stop producing.
        func put(_ chunk: DataChunk, morsel: Int, worker: Int) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            reported[worker] = morsel
            buffered[morsel, default: []].append(chunk)
            condition.broadcast()
            while !cancelled && failure == nil && morsel > consumed &+ window && morsel != Int(Int32.max) {
                condition.wait()
            }
            return !cancelled && failure == nil
        }

        func finish(worker: Int, error: SQLError?) {
            condition.lock()
            defer { condition.unlock() }
            reported[worker] = Int.max
            if let error, failure == nil { failure = error }
            condition.broadcast()
        }

        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next batch in table order, nil at the end; rethrows a worker's error.
        func take() throws(SQLError) -> DataChunk? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                if let failure { throw failure }
                // Every morsel below the slowest worker's is complete; the slowest worker's own
                // morsel can be passed on as it grows, since only that worker adds to it.
                let floor = reported.min()!
                if let m = buffered.keys.min(), m <= floor {
                    var list = buffered[m]!
                    let chunk = list.removeFirst()
                    if list.isEmpty { buffered[m] = nil } else { buffered[m] = list }
                    if m - 1 > consumed { consumed = m - 1; condition.broadcast() }
                    return chunk
                }
                if floor == Int.max { return nil }
                if floor - 1 > consumed { consumed = floor - 1; condition.broadcast() }
                condition.wait()
            }
        }
    }
}
