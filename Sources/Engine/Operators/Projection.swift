// PROJECT: computes the output expressions over each batch.

import Columnar

/// Computes expressions over each batch.
final class ProjectionOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    let exprs: [BoundExpr]

    init(_ child: PhysicalOperator, exprs: [BoundExpr]) {
        self.child = child
        self.exprs = exprs
        name = "PROJECT \(exprs.map(\.description).joined(separator: ", "))"
    }

    func next() throws(SQLError) -> DataChunk? {
        guard let chunk = try child.next() else { return nil }
        var columns: [ColumnData] = []
        for e in exprs { columns.append(try ExpressionEvaluator.evaluateKeepingDictionary(e, chunk)) }
        return DataChunk(columns: columns, count: chunk.count)
    }
}
