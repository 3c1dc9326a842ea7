// DuckDB's TRY(expression): the expression's value, or NULL on the rows where computing it
// raises an error (a conversion, an overflow, a bad pattern). The whole batch is computed at
// once; only a batch that fails is computed again row by row, to find the rows that become
// NULL. Errors that are not about a value (a cancelled query, a resource limit) still stop
// the statement.

import Columnar

enum TryExpression {
    static let function = ScalarFunction("try", nulls: .kernel, [
        // The evaluator computes the argument itself (see `evaluate`); the kernel only passes
        // an already computed value through.
        FunctionSignature([.any], returns: .parameter(0)) { input in input.arguments[0] },
    ])

    static func isTry(_ call: FunctionCall) -> Bool { call.function === function }

    /// `argument` over `chunk`, NULL on the rows where it fails.
    static func evaluate(_ argument: BoundExpr, _ type: LogicalType, _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        do {
            return try ExpressionEvaluator.evaluate(argument, chunk)
        } catch where error.code == .runtime {
            var b = ColumnBuilder(type: type, capacity: chunk.count)
            for r in 0..<chunk.count {
                do {
                    b.append(try ExpressionEvaluator.evaluate(argument, chunk.slice(r..<(r + 1))).value(at: 0))
                } catch where error.code == .runtime {
                    b.appendNull()
                }
            }
            return b.finish()
        }
    }
}
