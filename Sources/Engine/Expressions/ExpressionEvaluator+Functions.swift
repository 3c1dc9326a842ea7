// Calls of registry functions: the arguments evaluated over the batch, then the chosen
// overload's kernel once. For functions whose NULL arguments make a NULL result the
// kernel is told which rows have one, and those rows come out NULL whatever it computed.

import Columnar

extension ExpressionEvaluator {
    static func evaluate(_ call: FunctionCall, _ args: [BoundExpr], _ type: LogicalType,
                         _ chunk: DataChunk) throws(SQLError) -> ColumnData {
        let n = chunk.count
        if TryExpression.isTry(call) { return try TryExpression.evaluate(args[0], type, chunk) }
        let columns = try args.map { (a) throws(SQLError) in try evaluate(a, chunk) }
        switch call.function.nulls {
        case .kernel:
            return try call.kernel(KernelInput(arguments: columns, count: n, type: type, present: nil))
        case .propagates:
            let present = ColumnAccess.merge(columns)
            if let present, n > 0, present.nullCount == n { return .constant(.null, type: type, count: n) }
            var out = try call.kernel(KernelInput(arguments: columns, count: n, type: type, present: present))
            out.validity = ColumnAccess.merge(out.validity, present)
            return out
        }
    }
}
