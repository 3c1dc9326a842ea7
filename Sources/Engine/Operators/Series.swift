// generate_series / range: an arithmetic sequence of BIGINT, DATE (days) or TIMESTAMP
// (microseconds) values, made a batch at a time as it is read (a date spine of a century
// or range(100000000) holds one batch in memory, not the sequence).

import Columnar

final class SeriesOperator: PhysicalOperator {
    let name: String
    var children: [PhysicalOperator] { [] }
    private let first: Int64
    private let step: Int64
    private let count: Int
    private let type: LogicalType
    private let context: QueryContext
    private var made = 0

    init(first: Int64, step: Int64, count: Int, type: LogicalType, context: QueryContext) {
        (self.first, self.step, self.count, self.type, self.context) = (first, step, count, type, context)
        name = "SERIES \(count) rows"
    }

    func next() throws(SQLError) -> DataChunk? {
        guard made < count else { return nil }
        // A long sequence is a source like a scan: it stops at the query's time limit.
        try context.check()
        let n = min(BatchSize.rows, count - made)
        // first + i * step stays in range for every i below count (the binder checked the last).
        let start = first &+ Int64(made) &* step, step = self.step
        let column: ColumnData
        if type == .date {
            column = ColumnData(type: .date, storage: .int32((0..<n).map { Int32(truncatingIfNeeded: start &+ Int64($0) &* step) }))
        } else {
            column = ColumnData(type: type, storage: .int64((0..<n).map { start &+ Int64($0) &* step }))
        }
        made += n
        return DataChunk(columns: [column], count: n)
    }
}
