// The function registry: overload resolution picks the overload SQL users expect, and every
// overload of every function runs over a batch of edge values with NULLs: the result has
// one value per row and the bound type, NULL arguments give NULL where the function says
// so, and a function that says it cannot fail does not.

import Columnar
@testable import Engine
import Testing

@Suite struct FunctionRegistryTests {
    static func column(_ type: LogicalType) -> BoundExpr { .column(index: 0, type: type, name: "x") }

    @Test func overloadsResolveByArgumentTypes() throws {
        let cases: [(String, [LogicalType], LogicalType)] = [
            ("abs", [.int32], .int64), ("abs", [.double], .double), ("round", [.int64], .int64),
            ("round", [.double], .double), ("floor", [.int32], .int64), ("date_trunc", [.varchar, .date], .date),
            ("date_trunc", [.varchar, .timestamp], .timestamp), ("year", [.date], .int64),
            ("coalesce", [.int32, .int64], .int64), ("coalesce", [.int64, .double], .double),
            ("greatest", [.date, .timestamp], .timestamp), ("nullif", [.int64, .double], .int64),
            ("upper", [.int64], .varchar), ("concat", [.varchar, .int32, .date], .varchar),
            ("to_timestamp", [.int32], .timestamp), ("to_timestamp", [.varchar], .timestamp),
            ("split", [.varchar, .varchar], .listVarchar), ("hash", [.int32, .varchar, .double], .int64),
        ]
        for (name, types, expected) in cases {
            let args = types.enumerated().map { BoundExpr.column(index: $0, type: $1, name: "a\($0)") }
            let bound = try Binder.call(name, args)
            #expect(bound.type == expected, "\(name)(\(types)) is \(bound.type)")
        }
        // A NULL without a type takes the type of its neighbours, or the first overload's.
        #expect(try Binder.call("coalesce", [.nullLiteral, .constant(.string("a"), .varchar)]).type == .varchar)
        #expect(try Binder.call("abs", [.nullLiteral]).type == .int64)
        #expect(try Binder.call("nullif", [.nullLiteral, .constant(.string("a"), .varchar)]).type == .varchar)
    }

    @Test func mismatchesAreTypedErrors() {
        func code(_ name: String, _ types: [LogicalType]) -> SQLError.Code? {
            let args = types.enumerated().map { BoundExpr.column(index: $0, type: $1, name: "a\($0)") }
            do { _ = try Binder.call(name, args); return nil } catch { return error.code }
        }
        #expect(code("abs", [.varchar]) == .type)
        #expect(code("coalesce", [.int64, .varchar]) == .type)
        #expect(code("year", [.varchar]) == .type)
        #expect(code("array_size", [.varchar]) == .type)
        #expect(code("length", [.varchar, .varchar]) == .binder)
        #expect(code("current_timestamp", [.int64]) == .binder)
    }

    @Test func everyNameAndAliasResolves() {
        for (name, f) in FunctionRegistry.scalars {
            #expect(f.name == name || f.aliases.contains(name))
            #expect(!f.signatures.isEmpty, "\(name) has no overload")
            #expect(FunctionRegistry.aggregate(name) == nil, "\(name) is both scalar and aggregate")
        }
        #expect(FunctionRegistry.scalar("LCASE")?.name == "lower")
        #expect(FunctionRegistry.aggregate("mean")?.name == "avg")
    }

    /// Edge values of each type, every fourth row NULL.
    static func values(_ type: LogicalType, rows n: Int) -> ColumnData {
        var b = ColumnBuilder(type: type, capacity: n)
        for i in 0..<n {
            if i % 4 == 3 { b.appendNull(); continue }
            switch type {
            case .int32: b.append(.int([0, 1, -1, 42, 2_147_483_647, -2_147_483_648, 7][i % 7]))
            case .int64: b.append(.int([0, 1, -1, 42, .max, .min, 1_000_000][i % 7]))
            case .double: b.append(.double([0, -0.0, 1.5, -2.5, .nan, .infinity, 1e300][i % 7]))
            case .boolean: b.append(.bool(i % 2 == 0))
            case .varchar: b.append(.string(["", "a", " Hello World ", "héllo", "日本語", "x,y,z", "month"][i % 7]))
            case .date: b.append(.date([0, 18_000, -1_000, 2_932_896][i % 4]))
            case .timestamp: b.append(.timestamp([0, 1_600_000_000_000_000, -86_400_000_001, 253_402_300_799_000_000][i % 4]))
            case .listVarchar: b.append(.list([["a", "b"], [], ["x"], ["héllo", ""]][i % 4]))
            }
        }
        return b.finish()
    }

    @Test func everyOverloadRunsOverEdgeValuesAndNulls() throws {
        let n = 29
        var calls = 0
        for (name, function) in FunctionRegistry.scalars where name == function.name {
            for signature in function.signatures {
                for count in Set([signature.arity.lowerBound, min(signature.arity.upperBound, signature.parameters.count)]) {
                    let types: [LogicalType] = (0..<count).map { i in
                        if case .type(let t) = signature.parameter(i) { return t }
                        return .int64
                    }
                    // Each argument a column, shifted so that rows meet different combinations.
                    let columns = types.enumerated().map { k, t in
                        let c = Self.values(t, rows: n + k)
                        return c.selecting(Array(k..<(n + k)))
                    }
                    let args = types.enumerated().map { BoundExpr.column(index: $0, type: $1, name: "a\($0)") }
                    let bound = try Binder.call(name, args)
                    calls += 1
                    let result: ColumnData
                    do {
                        result = try ExpressionEvaluator.evaluate(bound, DataChunk(columns: columns, count: n))
                    } catch {
                        #expect(function.canFail, "\(name)(\(types)) failed though it says it cannot: \(error)")
                        continue
                    }
                    #expect(result.count == n, "\(name)(\(types))")
                    #expect(result.type == bound.type, "\(name)(\(types)) gave \(result.type), bound \(bound.type)")
                    if function.nulls == .propagates, case .function = bound {
                        for r in 0..<n where columns.contains(where: { $0.isNull(r) }) {
                            #expect(result.isNull(r), "\(name)(\(types)) row \(r): a NULL argument must give NULL")
                        }
                    }
                }
            }
        }
        #expect(calls > 60, "only \(calls) calls ran")
    }
}
