// The process's worker pool: parallel operators use only idle workers, so when every worker
// is busy (a server full of queries) a statement runs on its own thread and gives the same
// answer, in the same order; a load parses its chunks itself. Nothing waits for a thread.

import Columnar
@testable import Engine
import Foundation
import Synchronization
import MovieLens
import Testing
import TestSupport

@Suite struct WorkerPoolTests {
    static let queries = [
        "SELECT userId, movieId, rating FROM raw_ratings WHERE rating > 3",
        "SELECT movieId, count(*), avg(rating) FROM raw_ratings GROUP BY movieId ORDER BY movieId",
        "SELECT userId, movieId FROM raw_ratings ORDER BY timestamp DESC, userId, movieId LIMIT 50",
        "SELECT m.movieId, count(r.userId) FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId GROUP BY m.movieId ORDER BY 1",
        "SELECT count(*) FROM raw_movies m WHERE NOT EXISTS (SELECT 1 FROM raw_ratings r WHERE r.movieId = m.movieId AND r.rating = 5)",
    ]

    static func text(_ engine: QueryEngine, _ sql: String) throws -> [String] {
        let (_, chunk) = try engine.query(sql)
        return (0..<chunk.count).map { r in chunk.columns.map { $0.value(at: r).description }.joined(separator: "|") }
    }

    /// A pool whose every worker is busy: here, one with none.
    static let busy = WorkerPool(threads: 0)

    @Test func aBusyPoolGivesTheSameAnswers() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(ParallelExecutionTests.warehouse), threads: 2)
        let expected = try Self.queries.map { try Self.text(engine, $0) }
        #expect(Self.busy.startIdle(upTo: 1) { _ in } == 0)
        let answers = try WorkerPool.$current.withValue(Self.busy) { () throws -> [[String]] in
            try Self.queries.map { try Self.text(engine, $0) }
        }
        for (sql, (got, want)) in zip(Self.queries, zip(answers, expected)) { #expect(got == want, "\(sql)") }
    }

    @Test func aBusyPoolStillLoads() throws {
        let dir = TestEnvironment.temporaryDirectory("busy-pool-load")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.generateMovieLens(ratings: 5_000, seed: 9, to: dir + "/csv")
        let options = IngestOptions(load: LoadOptions(threads: 2, chunkSize: 8_192))
        _ = try IngestJob.run(source: IngestSource.resolve([dir + "/csv"]), warehouse: dir + "/idle", options: options)
        try WorkerPool.$current.withValue(Self.busy) { () throws -> Void in
            _ = try IngestJob.run(source: IngestSource.resolve([dir + "/csv"]), warehouse: dir + "/busy", options: options)
        }
        let sql = "SELECT userId, movieId, rating, timestamp FROM raw_ratings"
        let idle = QueryEngine(warehouse: try Warehouse.open(dir + "/idle"), threads: 1)
        let busy = QueryEngine(warehouse: try Warehouse.open(dir + "/busy"), threads: 1)
        #expect(try Self.text(busy, sql) == Self.text(idle, sql))
    }

    @Test func forEachRunsEveryIndexOnceWithOrWithoutHelpers() {
        for _ in 0..<2 {
            let seen = Mutex<[Int]>([])
            WorkerPool.shared.forEach(100) { i in seen.withLock { $0.append(i) } }
            #expect(seen.withLock { $0.sorted() } == Array(0..<100))
        }
        let seen = Mutex<[Int]>([])
        Self.busy.forEach(10) { i in seen.withLock { $0.append(i) } }
        #expect(seen.withLock { $0 } == Array(0..<10), "with no helper the caller runs them in order")
    }
}
