// VALUES: a fixed set of rows (SELECT without FROM, information_schema).

import Columnar

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
