// UNION ALL: the left input's rows, then the right's.

import Columnar

/// UNION ALL: the left input, then the right.
final class UnionOperator: PhysicalOperator {
    let name = "UNION ALL"
    let left: PhysicalOperator, right: PhysicalOperator
    var children: [PhysicalOperator] { [left, right] }
    private var leftDone = false

    init(_ left: PhysicalOperator, _ right: PhysicalOperator) {
        self.left = left
        self.right = right
    }

    func next() throws(SQLError) -> DataChunk? {
        if !leftDone {
            if let c = try left.next() { return c }
            leftDone = true
        }
        return try right.next()
    }
}
