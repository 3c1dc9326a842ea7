// FLATTEN / UNNEST: one row per element of a list, with its index.

import Columnar

/// LATERAL FLATTEN / UNNEST: one output row per element of a list, with its index.
final class FlattenOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let input: BoundExpr

    init(_ child: PhysicalOperator, input: BoundExpr) {
        self.child = child
        self.input = input
        name = "FLATTEN \(input)"
    }

    func next() throws(SQLError) -> DataChunk? {
        while let chunk = try child.next() {
            // The lists may be codes into a join's build column: each row reads its list there.
            let lists = try ExpressionEvaluator.evaluateKeepingDictionary(input, chunk)
            let listOf: [UInt32]?
            let l: StringListArray
            switch lists.storage {
            case .listVarchar(let a): (l, listOf) = (a, nil)
            case .dictionary(let d):
                guard case .listVarchar(let a) = d.values.storage else { throw SQLError(.type, "FLATTEN needs an array") }
                (l, listOf) = (a, d.codes)
            default: throw SQLError(.type, "FLATTEN needs an array")
            }
            var rows: [Int] = []
            var elements: [UInt32] = []
            var indexes: [Int64] = []
            for r in 0..<chunk.count where !lists.isNull(r) {
                let list = listOf.map { Int($0[r]) } ?? r
                let lo = Int(l.offsets[list]), hi = Int(l.offsets[list + 1])
                for k in lo..<hi {
                    rows.append(r)
                    elements.append(UInt32(k))
                    indexes.append(Int64(k - lo))
                }
            }
            if rows.isEmpty { continue }
            var out = chunk.gather(rows)
            // `value` points into the lists' element strings instead of copying them.
            out.columns.append(.dictionary(values: ColumnData(type: .varchar, storage: .varchar(l.values)), codes: elements))
            out.columns.append(ColumnData(type: .int64, storage: .int64(indexes)))
            return out
        }
        return nil
    }
}
