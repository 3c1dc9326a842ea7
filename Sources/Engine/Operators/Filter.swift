// Keeps the rows where a predicate is true (not false, not NULL).

import Columnar

final class FilterOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let predicate: BoundExpr

    init(_ child: PhysicalOperator, predicate: BoundExpr) {
        self.child = child
        self.predicate = predicate
        name = "FILTER \(predicate)"
    }

    func next() throws(SQLError) -> DataChunk? {
        while let chunk = try child.next() {
            let mask = try ExpressionEvaluator.evaluate(predicate, chunk)
            let keep = Self.selected(mask)
            if keep.count == chunk.count { return chunk }
            if keep.isEmpty { continue }
            return chunk.gather(keep)
        }
        return nil
    }

    /// Indexes of rows that are true and not NULL.
    static func selected(_ mask: ColumnData) -> [Int] {
        let bools = ColumnAccess.bools(mask)
        var keep: [Int] = []
        keep.reserveCapacity(bools.count)
        if let v = mask.validity {
            for i in 0..<bools.count where bools[i] && v.isValid(i) { keep.append(i) }
        } else {
            for i in 0..<bools.count where bools[i] { keep.append(i) }
        }
        return keep
    }
}
