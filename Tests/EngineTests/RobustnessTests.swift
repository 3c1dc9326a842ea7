// Statements and data at the edges: deep nesting stops with an error (never a stack
// overflow, on any thread), keys at the ends of Int64 group correctly, a join's output is
// bounded and interruptible, and a batch of the wrong type is refused before it is written.

import Columnar
@testable import Engine
import MovieLens
import Foundation
import Testing
import TestSupport

@Suite struct DeepNestingTests {
    static func engine() throws -> QueryEngine { QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1) }

    static func expectTooDeep(_ sql: String, _ engine: QueryEngine) {
        #expect { _ = try engine.query(sql) } throws: { error in
            guard let e = error as? SQLError else { return false }
            return e.message.contains("nested too deeply")
        }
    }

    static func nestedCase(_ n: Int) -> String {
        var e = "movieId"
        for i in 0..<n { e = "CASE WHEN movieId > \(-i) THEN \(e) ELSE 0 END" }
        return "SELECT max(\(e)) FROM raw_movies"
    }

    static func nestedSubqueries(_ n: Int) -> String {
        var s = "SELECT 1"
        for _ in 0..<n { s = "SELECT (\(s))" }
        return s
    }

    @Test func tooDeepStatementsAreErrors() throws {
        let e = try Self.engine()
        Self.expectTooDeep("SELECT " + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000), e)
        Self.expectTooDeep("SELECT " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000), e)
        Self.expectTooDeep("SELECT " + Array(repeating: "1", count: 6_300).joined(separator: " + "), e)
        Self.expectTooDeep(Self.nestedCase(1_800), e)
        Self.expectTooDeep(Self.nestedSubqueries(2_000), e)
        Self.expectTooDeep("SELECT " + String(repeating: "NOT ", count: 5_000) + "TRUE", e)
        Self.expectTooDeep("SELECT " + String(repeating: "- ", count: 5_000) + "1", e)
        Self.expectTooDeep(Array(repeating: "SELECT 1", count: 2_000).joined(separator: " UNION ALL "), e)
    }

    /// The first value of `sql`'s result, run on a thread with a stack of `stack` bytes (debug
    /// builds take far more stack per level than release builds).
    static func firstValue(_ sql: String, stack: Int = 256 << 20) throws -> Value {
        nonisolated(unsafe) var outcome: Result<Value, SQLError> = .success(.null)
        let done = DispatchSemaphore(value: 0)
        let shared = UncheckedSendable(try engine())
        let thread = Thread {
            do throws(SQLError) { outcome = .success(try shared.value.query(sql).rows.columns[0].value(at: 0)) } catch { outcome = .failure(error) }
            done.signal()
        }
        thread.stackSize = stack
        thread.start()
        done.wait()
        return try outcome.get()
    }

    /// Long chains of AND / OR (generated filters) are balanced trees: thousands are fine.
    @Test func longConditionChainsRun() throws {
        let and = (0..<1_800).map { "movieId > \($0 - 2000)" }.joined(separator: " AND ")
        #expect(try Self.firstValue("SELECT count(*) FROM raw_movies WHERE \(and)", stack: 8 << 20) == .int(12))
        let or = (0..<5_000).map { "movieId = \($0)" }.joined(separator: " OR ")
        #expect(try Self.firstValue("SELECT count(*) FROM raw_movies WHERE \(or)", stack: 8 << 20) == .int(12))
        let sum = Array(repeating: "1", count: 900).joined(separator: " + ")
        #expect(try Self.firstValue("SELECT \(sum)") == .int(900))
        #expect(try Self.firstValue(Self.nestedCase(400)) == .int(12))
        #expect(try Self.firstValue(Self.nestedSubqueries(300)) == .int(1))
    }

    /// On a thread with a small stack, a statement within the parser's depth limit stops
    /// with an error when the stack runs short, instead of crashing the process.
    @Test func smallStackGivesAnErrorNotACrash() throws {
        var deep = "movieId"
        for _ in 0..<900 { deep = "(\(deep) + 1)" }
        let sql = "SELECT max(\(deep)) FROM raw_movies"
        #expect { _ = try Self.firstValue(sql, stack: 1 << 20) } throws: { error in
            (error as? SQLError)?.message.contains("nested too deeply") == true
        }
        // With enough stack, the same statement runs.
        #expect(try Self.firstValue(sql) == .int(912))
    }
}

@Suite struct ExtremeKeyTests {
    /// Integer keys anywhere in Int64 (both ends, both signs, and double bit patterns) get
    /// the same ids as a dictionary would give them.
    @Test(arguments: [0, 1, 2])
    func integerIndexAgreesWithADictionary(seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed))
        let special: [Int64] = [.min, .max, .min + 1, .max - 1, 0, -1, 1, Int64(bitPattern: (-1.0).bitPattern), Int64(bitPattern: (5.0).bitPattern)]
        let index = IntegerGroupIndex()
        var reference: [Int64: Int] = [:]
        for _ in 0..<20 {
            let batch: [Int64] = (0..<500).map { i in
                switch rng.next() % 4 {
                case 0: return special[Int(rng.next() % UInt64(special.count))]
                case 1: return Int64(bitPattern: rng.next())
                case 2: return Int64(rng.next() % 100) - 50
                default: return Int64.max - Int64(rng.next() % 64) - Int64(i % 2) * (Int64.max - 10)
                }
            }
            var ids = [Int](repeating: 0, count: batch.count), inserted = [Bool](repeating: false, count: batch.count)
            index.ids(batch, validity: nil, ids: &ids, inserted: &inserted)
            for (k, id) in zip(batch, ids) {
                if let known = reference[k] { #expect(known == id) } else { reference[k] = id }
            }
            #expect(index.lookup(batch, validity: nil) == ids)
        }
        #expect(index.count == reference.count)
    }

    /// Statistics spanning all of Int64 do not overflow the sizing of a table.
    @Test func fullRangeStatisticsSizeSafely() {
        let index = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: 10, range: Int64.min...Int64.max))
        var ids = [0, 0], inserted = [false, false]
        index.ids([.min, .max], validity: nil, ids: &ids, inserted: &inserted)
        #expect(ids == [0, 1])
    }

    @Test func distinctPairsAtTheEndsOfInt64() {
        let pairs = DistinctPairs()
        let values: [Int64] = [.max, .min, .max, 0, .max - 1, .min]
        var include = [Bool](repeating: true, count: values.count)
        pairs.keepFirst(groups: [0, 0, 0, 0, 0, 1], values: values, include: &include)
        #expect(include == [true, true, false, true, true, true])
    }
}

@Suite struct JoinLimitTests {
    /// A cross join is produced in bounded pieces, so a time limit stops it.
    @Test func aTimeLimitStopsACrossJoin() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1)
        engine.limits = QueryContext.Limits(time: 0.3)
        let start = Date()
        #expect { _ = try engine.query("SELECT count(*) FROM raw_ratings a, raw_ratings b, raw_ratings c, raw_ratings d, raw_ratings e, raw_ratings f, raw_ratings g") } throws: { error in
            (error as? SQLError)?.reason == .timeLimit
        }
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func joinRowLimitStopsARunawayJoin() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1)
        engine.limits = QueryContext.Limits(joinRows: 1_000)
        #expect(try engine.query("SELECT count(*) FROM raw_ratings a, raw_movies b").rows.columns[0].value(at: 0) == .int(240))
        #expect { _ = try engine.query("SELECT count(*) FROM raw_ratings a, raw_ratings b, raw_ratings c") } throws: { error in
            (error as? SQLError)?.code == .limit && (error as? SQLError)?.reason == .joinRows
        }
    }

    /// Pieces smaller than the pairs of one probe batch give the same rows, for every kind.
    @Test(arguments: [1, 3, 2048])
    func piecesGiveTheSameRows(batch: Int) throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1)
        let queries = [
            "SELECT count(*), sum(a.rating * b.rating) FROM raw_ratings a, raw_ratings b",
            "SELECT count(*), sum(b.rating) FROM raw_ratings a JOIN raw_ratings b ON a.userId = b.userId AND a.timestamp < b.timestamp",
            "SELECT count(*), count(b.movieId) FROM raw_movies a LEFT JOIN raw_ratings b ON a.movieId = b.movieId AND b.rating > 3",
            "SELECT count(*) FROM raw_movies a WHERE EXISTS (SELECT 1 FROM raw_ratings b WHERE b.movieId = a.movieId AND b.rating < a.movieId)",
            "SELECT count(*) FROM raw_movies a WHERE NOT EXISTS (SELECT 1 FROM raw_ratings b WHERE b.movieId = a.movieId AND b.rating < a.movieId)",
        ]
        let expected = try queries.map { try engine.query($0).rows.columns.map { $0.value(at: 0) } }
        let got = BatchSize.$rows.withValue(batch) {
            queries.map { q in (try? engine.query(q)).map { $0.rows.columns.map { $0.value(at: 0) } } }
        }
        for (q, (want, have)) in zip(queries, zip(expected, got)) { #expect(have == want, "\(q)") }
    }
}

@Suite struct TableWriterTests {
    /// A batch whose column type differs from the table's is refused before anything is
    /// written: a committed table must read back.
    @Test func mismatchedBatchIsRefused() throws {
        let chunk = DataChunk(columns: [ColumnData(type: .int64, storage: .int64([1, 2]))], count: 2)
        var refused: SQLError? = nil
        do { try TableWriter.check(chunk, types: [.int32], label: "main.t") } catch { refused = error }
        #expect(refused?.code == .internal)
        try TableWriter.check(chunk, types: [.int64], label: "main.t")
    }
}

/// SQL text holds neither NUL nor bytes that are not UTF-8: both are refused with where they
/// are, never cut short or replaced with U+FFFD and run as another statement.
@Suite struct SQLTextTests {
    @Test func nulIsRefusedWhereItIs() throws {
        #expect { _ = try Lexer.tokenize("SELECT 'a\u{0}b'") } throws: { error in
            guard let e = error as? SQLError else { return false }
            return e.code == .syntax && e.reason == .invalidText && e.position == 9
        }
        // CHR(0) makes one at run time, where text may hold it.
        _ = try Lexer.tokenize("SELECT CHR(0)")
    }

    @Test func invalidUTF8IsRefusedWithItsLineAndColumn() throws {
        #expect(try SQLText.decode(Array("SELECT 'żółw'".utf8)) == "SELECT 'żółw'")
        let bad: [UInt8] = Array("SELECT 1;\nSELECT 'ż".utf8) + [0xC5] + Array("'".utf8)
        #expect { _ = try SQLText.decode(bad) } throws: { error in
            guard let e = error as? SQLError else { return false }
            return e.reason == .invalidText && e.message.hasSuffix("byte 0xC5 at line 2, column 10 (byte offset 20)")
        }
        #expect(SQLText.firstInvalidByte([0x61, 0xED, 0xA0, 0x80]) == 1)  // a UTF-16 surrogate
        #expect(SQLText.firstInvalidByte([0x61, 0xF0, 0x9F]) == 1)  // cut short
        #expect(SQLText.firstInvalidByte([0xFF]) == 0)
    }
}
