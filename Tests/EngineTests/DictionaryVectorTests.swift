// Dictionary vectors: codes into a column of values. Every operation on one must give what
// the same operation gives on the flat column, NULLs included; and a join's build-side text
// must actually come out as codes (not copied), with grouping and FLATTEN reading them.

import Columnar
@testable import Engine
import MovieLens
import Foundation
import Testing
import TestSupport

@Suite struct DictionaryVectorTests {
    /// Values with a NULL and an empty string; codes that repeat, skip and revisit entries.
    static let values: ColumnData = {
        var b = ColumnBuilder(type: .varchar)
        for v: Value in [.string("Drama"), .null, .string(""), .string("Comedy"), .string("Drama")] { b.append(v) }
        return b.finish()
    }()
    static let codes: [UInt32] = [3, 1, 0, 0, 2, 4, 1, 3, 3]
    static let coded = ColumnData.dictionary(values: values, codes: codes)
    static let flat = values.selecting(codes.map { Int($0) })

    static func rows(_ c: ColumnData) -> [Value] { (0..<c.count).map { c.value(at: $0) } }

    @Test func behavesLikeTheFlatColumn() throws {
        let c = Self.coded, f = Self.flat
        #expect(c.count == f.count)
        #expect(Self.rows(c) == Self.rows(f))
        #expect((0..<c.count).map(c.isNull) == (0..<f.count).map(f.isNull))
        #expect(c.nullCount == 2)
        #expect(c.flattened() == f)
        #expect(Self.rows(c.selecting([8, 1, 4])) == Self.rows(f.selecting([8, 1, 4])))
        #expect(c.selecting([8, 1, 4]).dictionary != nil)
        #expect(Self.rows(c.slice(2..<6)) == Self.rows(f.slice(2..<6)))
        #expect(Self.rows(ColumnData.concatenate([c, f, c.slice(0..<2)], type: .varchar))
                == Self.rows(f) + Self.rows(f) + Self.rows(f.slice(0..<2)))
        #expect(SegmentStats.compute(c) == SegmentStats.compute(f))
        let s = SegmentCodec.encode(c)
        let decoded = try s.payload.withUnsafeBytes {
            try SegmentCodec.decode(type: s.type, encoding: s.encoding, compression: s.compression, rowCount: s.rowCount,
                                    rawLength: s.rawLength, payload: $0)
        }
        #expect(Self.rows(decoded) == Self.rows(f))
        var b = ColumnBuilder(type: .varchar)
        for r in 0..<c.count { b.append(from: c, row: r) }
        #expect(Self.rows(b.finish()) == Self.rows(f))
    }

    /// A join's text written straight from its codes: the same rows and statistics as the
    /// flattened text, as a dictionary segment; batches sharing one build column concatenate
    /// as codes.
    @Test func writtenFromCodes() throws {
        var b = ColumnBuilder(type: .varchar)
        for i in 0..<60 { if i == 7 { b.append(.null) } else { b.append(.string(i == 9 ? "" : "title \(i % 50) " + String(repeating: "x", count: i))) } }
        let values = b.finish()
        var generator = SplitMix64(seed: 3)
        let batches = (0..<3).map { _ in ColumnData.dictionary(values: values, codes: (0..<4000).map { _ in UInt32(generator.next() % 60) }) }
        let column = ColumnData.concatenate(batches, type: .varchar)
        #expect(column.dictionary != nil && column.count == 12_000)
        let flat = column.flattened()
        let s = SegmentCodec.encode(column)
        #expect(s.encoding == .dictionary)
        #expect(s.stats == SegmentCodec.encode(flat).stats)
        let decoded = try s.payload.withUnsafeBytes {
            try SegmentCodec.decode(type: s.type, encoding: s.encoding, compression: s.compression, rowCount: s.rowCount,
                                    rawLength: s.rawLength, payload: $0)
        }
        #expect(decoded == flat)  // NULL rows hold "" as everywhere else
    }

    @Test func expressionsAndGroupingSeeTheValues() throws {
        let chunk = DataChunk(columns: [Self.coded], count: Self.codes.count)
        let flatChunk = DataChunk(columns: [Self.flat], count: Self.codes.count)
        for sql in ["upper(#0)", "length(#0)", "#0 IS NULL", "coalesce(#0, 'none')", "#0 = 'Drama'", "#0 || '!'"] {
            let e = try Self.bind(sql)
            #expect(Self.rows(try ExpressionEvaluator.evaluate(e, chunk)) == Self.rows(try ExpressionEvaluator.evaluate(e, flatChunk)), "\(sql)")
        }
        // One text key given as codes, over two batches sharing the dictionary.
        let key = BoundExpr.column(index: 0, type: .varchar, name: "g")
        let count = AggregateCall(function: .countStar, argument: nil, distinct: false, type: .int64)
        let coded = AggregationTable(groups: [key], aggregates: [count]), plain = AggregationTable(groups: [key], aggregates: [count])
        for _ in 0..<2 {
            try coded.consume(chunk)
            try plain.consume(flatChunk)
        }
        let a = try coded.result(QueryContext()), b = try plain.result(QueryContext())
        #expect(a.count == 4)  // Comedy, NULL, Drama, ''
        #expect(Self.rows(a.columns[0]) == Self.rows(b.columns[0]))
        #expect(Self.rows(a.columns[1]) == Self.rows(b.columns[1]))
    }

    /// Over many rows of few values the expression runs once per distinct code used, with
    /// the same answers; values no row uses are not evaluated (no error from them).
    @Test func expressionsRunOncePerDistinctCode() throws {
        var b = ColumnBuilder(type: .varchar)
        for v: Value in [.string("12"), .string("not a number"), .null, .string("7")] { b.append(v) }
        let values = b.finish()
        let codes = (0..<200).map { UInt32([0, 2, 3][$0 % 3]) }
        let coded = DataChunk(columns: [.dictionary(values: values, codes: codes)], count: codes.count)
        let flat = DataChunk(columns: [coded.columns[0].flattened()], count: codes.count)
        let col = BoundExpr.column(index: 0, type: .varchar, name: "g")
        for e: BoundExpr in [.cast(col, .int64), try Binder.call("upper", [col]), .isNull(col, negated: true),
                             .arithmetic(.add, .cast(col, .int64), .constant(.int(1), .int64), .int64)] {
            #expect(try ExpressionEvaluator.overDistinctCodes(e, coded) != nil, "\(e)")
            #expect(Self.rows(try ExpressionEvaluator.evaluate(e, coded)) == Self.rows(try ExpressionEvaluator.evaluate(e, flat)), "\(e)")
        }
        // Every code used: the cast of "not a number" fails, as on the flat column.
        let all = DataChunk(columns: [.dictionary(values: values, codes: (0..<200).map { UInt32($0 % 4) })], count: 200)
        #expect(throws: SQLError.self) { try ExpressionEvaluator.evaluate(.cast(col, .int64), all) }
    }

    /// `#0` stands for the dictionary column in these expressions.
    static func bind(_ text: String) throws -> BoundExpr {
        let col = BoundExpr.column(index: 0, type: .varchar, name: "g")
        switch text {
        case "upper(#0)": return try Binder.call("upper", [col])
        case "length(#0)": return try Binder.call("length", [col])
        case "#0 IS NULL": return .isNull(col, negated: false)
        case "coalesce(#0, 'none')": return try Binder.call("coalesce", [col, .constant(.string("none"), .varchar)])
        case "#0 = 'Drama'": return .comparison(.equal, col, .constant(.string("Drama"), .varchar))
        default: return .concat(col, .constant(.string("!"), .varchar))
        }
    }

    /// A filter's surviving text rows are a selection (codes) over the scanned column; a few
    /// survivors are copied instead. A text constant is one value under codes.
    @Test func selectionsAndConstantsAreCodes() throws {
        let dir = TestEnvironment.temporaryDirectory("dictionary-ctas")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.copyWarehouse(ParallelExecutionTests.warehouse, to: dir + "/db")
        let engine = QueryEngine(warehouse: try Warehouse.open(dir + "/db"), threads: 1)
        func first(_ sql: String) throws -> DataChunk {
            try #require(try engine.run(try engine.statements(sql)[0]).next())
        }
        let most = try first("SELECT tag, userId FROM raw_tags WHERE userId % 10 <> 3")
        #expect(most.columns[0].dictionary != nil && most.columns[1].dictionary == nil)
        let few = try first("SELECT title FROM raw_movies WHERE movieId = 1")  // titles are stored plain
        #expect(few.count == 1 && few.columns[0].dictionary == nil)
        // Text stored dictionary-coded is scanned as codes.
        let scanned = try first("SELECT tag FROM raw_tags")
        #expect(scanned.columns[0].dictionary != nil)
        let labelled = try first("SELECT 'rated' AS kind, userId FROM raw_ratings")
        #expect(labelled.columns[0].dictionary?.values.count == 1)
        #expect(labelled.columns[0].value(at: labelled.count - 1) == .string("rated"))
        // Written and read back as the same rows.
        _ = try engine.query("CREATE OR REPLACE TABLE main.kept AS SELECT 'rated' AS kind, tag, userId FROM raw_tags WHERE userId % 10 <> 3")
        let back = try engine.query("SELECT count(*), count(DISTINCT kind), min(kind), count(DISTINCT tag) FROM main.kept").rows
        let truth = try engine.query("SELECT count(*), 1, 'rated', count(DISTINCT tag) FROM raw_tags WHERE userId % 10 <> 3").rows
        #expect((0..<4).map { back.columns[$0].value(at: 0) } == (0..<4).map { truth.columns[$0].value(at: 0) })
    }

    @Test func joinOutputCarriesBuildTextAsCodes() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(ParallelExecutionTests.warehouse), threads: 1)
        let cursor = try engine.run(try engine.statements(
            "SELECT r.rating, m.title, m.genres FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId")[0])
        let chunk = try #require(try cursor.next())
        #expect(chunk.columns[1].dictionary != nil && chunk.columns[2].dictionary != nil)
        #expect(chunk.columns[0].dictionary == nil)
        // Grouping by the joined title (codes) and flattening the joined genres (codes into
        // lists) agree with the same queries over copied text.
        for (coded, copied) in [
            ("SELECT m.title, count(*), avg(r.rating) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.title",
             "SELECT m.title, count(*), avg(r.rating) FROM raw_ratings r JOIN (SELECT movieId, title || '' AS title FROM raw_movies) m ON r.movieId = m.movieId GROUP BY m.title"),
            ("SELECT m.movieId, m.title, count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.movieId, m.title",
             "SELECT m.movieId, m.title || '', count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.movieId, m.title || ''"),
            ("SELECT value, count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId, LATERAL FLATTEN(input => split(m.genres, '|')) GROUP BY value",
             "SELECT value || '', count(*) FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId, LATERAL FLATTEN(input => split(m.genres || '', '|')) GROUP BY value || ''"),
        ] {
            let a = try engine.query(coded).rows, b = try engine.query(copied).rows
            let ra = (0..<a.count).map { r in a.columns.map { $0.value(at: r).description }.joined(separator: "|") }.sorted()
            let rb = (0..<b.count).map { r in b.columns.map { $0.value(at: r).description }.joined(separator: "|") }.sorted()
            #expect(ra == rb)
            #expect(ra.count > 10)
        }
    }
}
