// Functions that choose among their arguments: COALESCE, NULLIF, GREATEST, LEAST and IFF.
// The arguments share one type (their common type, cast when binding); each row picks
// the argument it takes, and the result is gathered from those columns in one pass.

import Columnar

enum ConditionalFunctions {
    static let all: [ScalarFunction] = [
        ScalarFunction("coalesce", aliases: ["ifnull", "nvl"], nulls: .kernel, [
            FunctionSignature([.common], variadic: true, returns: .common, kernel: coalesce),
        ]),
        ScalarFunction("greatest", aliases: ["greatest_ignore_nulls"], nulls: .kernel, [
            FunctionSignature([.common], variadic: true, returns: .common, kernel: { extreme($0, greatest: true) }),
        ]),
        ScalarFunction("least", aliases: ["least_ignore_nulls"], nulls: .kernel, [
            FunctionSignature([.common], variadic: true, returns: .common, kernel: { extreme($0, greatest: false) }),
        ]),
        ScalarFunction("nullif", nulls: .kernel, [
            FunctionSignature([.comparable, .comparable], returns: .parameter(0), kernel: nullif),
        ]),
        ScalarFunction("iff", aliases: ["if"], nulls: .kernel, [
            FunctionSignature([.type(.boolean), .common, .common], returns: .common, kernel: iff),
        ], rewrite: { arguments, type in
            // A branch that can fail runs only on its rows: IFF is then the CASE it means.
            guard arguments[1].canFail || arguments[2].canFail else { return nil }
            return .caseWhen(whens: [(arguments[0], arguments[1])], otherwise: arguments[2], type)
        }),
    ]

    /// The first argument that is not NULL, per row.
    private static func coalesce(_ input: KernelInput) -> ColumnData {
        let a = input.arguments, n = input.count
        var choice = [Int32](repeating: -1, count: n)
        for r in 0..<n {
            for k in 0..<a.count where !a[k].isNull(r) { choice[r] = Int32(k); break }
        }
        return .choosing(from: a, choice, type: input.type)
    }

    /// GREATEST / LEAST over the arguments that are not NULL (NULL when all are), as in
    /// DuckDB and PostgreSQL; ties keep the first.
    private static func extreme(_ input: KernelInput, greatest: Bool) -> ColumnData {
        let a = input.arguments, n = input.count
        var choice = [Int32](repeating: -1, count: n)
        let compare = RowComparator(a, type: input.type)
        for r in 0..<n {
            for k in 0..<a.count where !a[k].isNull(r) {
                if choice[r] < 0 { choice[r] = Int32(k); continue }
                let c = compare(k, Int(choice[r]), row: r)
                if greatest ? c > 0 : c < 0 { choice[r] = Int32(k) }
            }
        }
        return .choosing(from: a, choice, type: input.type)
    }

    /// NULLIF(a, b): NULL where a equals b (compared in their common type), else a in its
    /// own type (as DuckDB).
    private static func nullif(_ input: KernelInput) throws(SQLError) -> ColumnData {
        let a = input.arguments[0], b = input.arguments[1], n = input.count
        let common = TypeRules.common(a.type, b.type) ?? a.type
        let compare = RowComparator([try ExpressionEvaluator.cast(a, to: common), try ExpressionEvaluator.cast(b, to: common)], type: common)
        var choice = [Int32](repeating: 0, count: n)
        for r in 0..<n {
            if a.isNull(r) || (!b.isNull(r) && compare(0, 1, row: r) == 0) { choice[r] = -1 }
        }
        return .choosing(from: [a], choice, type: input.type)
    }

    /// IFF(condition, a, b): a where the condition holds, else b (NULL counts as false).
    private static func iff(_ input: KernelInput) -> ColumnData {
        let c = input.arguments[0], holds = ColumnAccess.bools(c), n = input.count
        var choice = [Int32](repeating: 2, count: n)
        for r in 0..<n where holds[r] && !c.isNull(r) { choice[r] = 1 }
        for r in 0..<n where input.arguments[Int(choice[r])].isNull(r) { choice[r] = -1 }
        return .choosing(from: input.arguments, choice, type: input.type)
    }

    /// Compares the values of two columns (of one type) in a row, in SQL's order: numbers
    /// by value with NaN greatest, text by bytes, false before true.
    private struct RowComparator {
        private enum Values {
            case ints([[Int64]]), doubles([[Double]]), texts([StringArray])
        }
        private let values: Values

        init(_ columns: [ColumnData], type: LogicalType) {
            switch type {
            case .double: values = .doubles(columns.map(ColumnAccess.doubles))
            case .varchar, .listVarchar: values = .texts(columns.map(ColumnAccess.strings))
            default: values = .ints(columns.map(ColumnAccess.int64s))
            }
        }

        func callAsFunction(_ x: Int, _ y: Int, row r: Int) -> Int {
            switch values {
            case .ints(let v): return v[x][r] < v[y][r] ? -1 : v[x][r] > v[y][r] ? 1 : 0
            case .doubles(let v): return ExpressionEvaluator.totalOrder(v[x][r], v[y][r])
            case .texts(let v):
                return v[x].withValueBytes(r) { a in v[y].withValueBytes(r) { b in ExpressionEvaluator.compareBytes(a, b) } }
            }
        }
    }
}
