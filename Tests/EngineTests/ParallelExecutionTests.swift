// Parallel pipelines give the same answers as one thread: aggregates over a table of many
// row groups, with filters, projections, flatten and a join, at 1 and 2 workers.

import Columnar
import Engine
import Foundation
import Testing
import TestSupport

@Suite struct ParallelExecutionTests {
    /// Small chunks: many row groups, so several workers share the scan.
    static let warehouse: String = {
        do { return try Fixtures.generatedWarehouse("parallel", ratings: 30_000, seed: 4, chunkSize: 16_384) } catch {
            fatalError("cannot build the test warehouse: \(error)")
        }
    }()

    static let queries = [
        "SELECT movieId, count(*), avg(rating), min(timestamp), max(rating) FROM raw_ratings GROUP BY movieId",
        "SELECT count(*), sum(rating), avg(rating) FROM raw_ratings WHERE rating >= 3",
        "SELECT userId % 7, count(*) FROM raw_ratings WHERE timestamp > 1200000000 GROUP BY userId % 7",
        "SELECT m.genres, count(*), avg(r.rating) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.genres",
        "SELECT value, count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) GROUP BY value",
        "SELECT year(to_timestamp(timestamp)) AS y, min(userId), max(userId) FROM raw_ratings GROUP BY y",
        "SELECT year(to_timestamp(timestamp)) AS y, count(DISTINCT userId), sum(DISTINCT movieId), avg(DISTINCT movieId) FROM raw_ratings GROUP BY y",
        "SELECT count(DISTINCT movieId), count(DISTINCT rating * 2) FROM raw_ratings",
        // A small preserved side LEFT JOIN the big table: built once per worker, the workers
        // share which rows matched, the last one emits the unmatched rows.
        "SELECT m.movieId, count(r.rating), avg(r.rating) FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId AND r.rating > 4 GROUP BY m.movieId",
        "SELECT count(*), count(r.userId) FROM (SELECT movieId FROM raw_movies UNION ALL SELECT -1) m LEFT JOIN raw_ratings r ON m.movieId = r.movieId",
    ]

    /// CREATE TABLE AS over a streaming plan runs on every worker and keeps the row order one
    /// thread produces.
    @Test func parallelCreateTableKeepsOrder() throws {
        let dir = TestEnvironment.temporaryDirectory("parallel-ctas")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.copyWarehouse(Self.warehouse, to: dir + "/db")
        let sql = "SELECT r.userId, r.movieId, r.rating * 2 AS twice, m.title FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId WHERE r.rating >= 2"
        var results: [[String]] = []
        for threads in [1, 2, 4] {
            let engine = QueryEngine(warehouse: try Warehouse.open(dir + "/db"), threads: threads)
            _ = try engine.query("CREATE OR REPLACE TABLE main.copy\(threads) AS \(sql)")
            let (_, chunk) = try engine.query("SELECT * FROM main.copy\(threads)")
            results.append((0..<chunk.count).map { r in chunk.columns.map { $0.value(at: r).description }.joined(separator: "|") })
        }
        #expect(results[0].count > 10_000)
        #expect(results[0] == results[1] && results[0] == results[2])
    }

    @Test(arguments: queries)
    func sameAnswersOnOneAndTwoWorkers(sql: String) throws {
        let w = try Warehouse.open(Self.warehouse)
        #expect(w.table("raw", "raw_ratings")!.rowGroups.count > 4)
        let serial = try rows(QueryEngine(warehouse: w, threads: 1), sql)
        let parallel = try rows(QueryEngine(warehouse: w, threads: 2), sql)
        #expect(serial == parallel)
        #expect(!serial.isEmpty)
    }

    /// Streaming results and sorts come out in exactly the order one thread produces, ties
    /// included: batches are gathered back into table order, and parallel sorts break ties
    /// by table position.
    static let orderedQueries = [
        "SELECT userId, movieId, rating FROM raw_ratings WHERE rating >= 4",
        "SELECT userId, movieId FROM raw_ratings ORDER BY rating DESC LIMIT 50",
        "SELECT userId, movieId, rating FROM raw_ratings ORDER BY rating, timestamp % 1000 DESC",
        "SELECT r.userId, m.title FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId WHERE r.rating = 5 ORDER BY m.title LIMIT 100",
        "SELECT m.movieId, r.userId FROM raw_movies m LEFT JOIN raw_ratings r ON m.movieId = r.movieId AND r.rating > 4.5",
        "SELECT userId FROM raw_ratings WHERE rating > 1 LIMIT 10 OFFSET 5000",
        "SELECT userId, rating FROM raw_ratings ORDER BY rating NULLS FIRST LIMIT 7 OFFSET 20000",
    ]

    @Test(arguments: orderedQueries)
    func sameOrderOnOneAndSeveralWorkers(sql: String) throws {
        let w = try Warehouse.open(Self.warehouse)
        let serial = try rows(QueryEngine(warehouse: w, threads: 1), sql, sorted: false)
        #expect(!serial.isEmpty)
        for threads in [2, 3] {
            let parallel = try rows(QueryEngine(warehouse: w, threads: threads), sql, sorted: false)
            #expect(serial == parallel, "\(threads) workers")
        }
    }

    @Test func parallelSortAndGatherAreUsed() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Self.warehouse), threads: 2)
        for (sql, op) in [("SELECT userId FROM raw_ratings ORDER BY rating DESC LIMIT 5", "PARALLEL_TOP_N 5 workers=2"),
                          ("SELECT userId FROM raw_ratings WHERE rating > 4 ORDER BY timestamp", "PARALLEL_ORDER workers=2"),
                          ("SELECT userId FROM raw_ratings WHERE rating > 4", "ORDERED_GATHER workers=2")] {
            let (_, rows) = try engine.query("EXPLAIN ANALYZE " + sql)
            let text = rows.columns[0].value(at: 0).description
            #expect(text.contains(op), "\(text)")
        }
    }

    /// A LIMIT that stops pulling from an ordered gather releases its workers.
    @Test func abandonedGatherStopsItsWorkers() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Self.warehouse), threads: 2)
        for _ in 0..<20 {
            let (_, chunk) = try engine.query("SELECT userId FROM raw_ratings WHERE rating > 0 LIMIT 3")
            #expect(chunk.count == 3)
        }
    }

    @Test func parallelPlanIsUsed() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Self.warehouse), threads: 2)
        let (_, rows) = try engine.query("EXPLAIN ANALYZE SELECT movieId, count(*) FROM raw_ratings GROUP BY movieId")
        let text = rows.columns[0].value(at: 0).description
        #expect(text.contains("PARALLEL_HASH_AGGREGATE workers=2"), "\(text)")
    }

    private func rows(_ engine: QueryEngine, _ sql: String, sorted: Bool = true) throws -> [String] {
        let (_, chunk) = try engine.query(sql)
        let lines = (0..<chunk.count).map { r in
            chunk.columns.map { c -> String in
                if case .double(let d) = c.value(at: r) { return String(format: "%.9g", d) }
                return c.value(at: r).description
            }.joined(separator: "|")
        }
        return sorted ? lines.sorted() : lines
    }
}
