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

/// Computes expressions over each batch.
final class ProjectionOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let exprs: [BoundExpr]

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

/// A fixed set of rows (SELECT without FROM).
final class ValuesOperator: PhysicalOperator {
    let name = "VALUES"
    var children: [PhysicalOperator] { [] }
    private var chunk: DataChunk?

    init(_ chunk: DataChunk) { self.chunk = chunk }

    func next() throws(SQLError) -> DataChunk? {
        defer { chunk = nil }
        return chunk
    }
}

/// OFFSET then LIMIT.
final class LimitOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private var remaining: Int?
    private var toSkip: Int

    init(_ child: PhysicalOperator, limit: Int?, offset: Int) {
        self.child = child
        remaining = limit
        toSkip = offset
        name = "LIMIT \(limit.map(String.init) ?? "ALL") OFFSET \(offset)"
    }

    func next() throws(SQLError) -> DataChunk? {
        if let r = remaining, r <= 0 { return nil }
        while var chunk = try child.next() {
            if toSkip > 0 {
                if chunk.count <= toSkip { toSkip -= chunk.count; continue }
                chunk = chunk.slice(toSkip..<chunk.count)
                toSkip = 0
            }
            if let r = remaining {
                if chunk.count > r { chunk = chunk.slice(0..<r) }
                remaining = r - chunk.count
            }
            return chunk
        }
        return nil
    }
}

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
