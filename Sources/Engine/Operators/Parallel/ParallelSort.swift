// ORDER BY [LIMIT] over a parallel pipeline: each worker sorts (or keeps the top N of) the
// rows it produced, then one final sort merges the workers' runs. Ties must come out as a
// single thread would order them, so every row carries its position in table order
// (morsel << 32 | row within the morsel) as a last, hidden sort key. The final sort sees
// presorted runs, which the standard library's merge sort takes in near-linear time.
//
//   worker i: pipeline -> + position column -> sort / top-N  -> run i
//   finish:   run 0 ++ run 1 ++ ... -> sort (same keys + position) -> drop position

import Columnar

final class ParallelSortOperator: ParallelOperator {
    let name: String
    let pipelines: [PhysicalOperator]
    var children: [PhysicalOperator] { pipelines }
    private let keys: [SortKey]
    private let limit: Int?
    private let types: [LogicalType]
    private let context: QueryContext
    private var splitter: ChunkSplitter?

    init(pipelines: [PhysicalOperator], keys: [SortKey], limit: Int?, types: [LogicalType], context: QueryContext) {
        self.pipelines = pipelines
        self.context = context
        self.keys = keys
        self.limit = limit
        self.types = types
        name = "PARALLEL_" + (limit.map { "TOP_N \($0)" } ?? "ORDER") + " workers=\(pipelines.count) BY "
            + keys.map { "\($0.expr)\($0.descending ? " DESC" : "")" }.joined(separator: ", ")
    }

    func next() throws(SQLError) -> DataChunk? {
        if splitter == nil {
            splitter = ChunkSplitter()
            splitter!.load(try sortAll())
        }
        return splitter!.next()
    }

    private func sortAll() throws(SQLError) -> DataChunk {
        let tagged = types + [.int64]
        let allKeys = keys + [SortKey(expr: .column(index: types.count, type: .int64, name: "position"), descending: false, nullsFirst: false)]
        let runs = RunSlots(count: pipelines.count)
        let shared = UncheckedSendable(pipelines)
        let (keys, limit, context) = (allKeys, self.limit, self.context)
        try Workers.run(pipelines.count) { (w) throws(SQLError) in
            let sorter = SortOperator(PositionTagOperator(shared.value[w]), keys: keys, limit: limit, types: tagged, context: context)
            runs.set(w, try sorter.sortedInput())
        }
        let parts = runs.all
        let combined = DataChunk(columns: tagged.indices.map { i in ColumnData.concatenate(parts.map { $0.columns[i] }, type: tagged[i]) },
                                 count: parts.reduce(0) { $0 + $1.count })
        let merged = try SortOperator(ValuesOperator(combined), keys: allKeys, limit: limit, types: tagged, context: nil).sortedInput()
        return DataChunk(columns: Array(merged.columns.dropLast()), count: merged.count)
    }

    /// The workers' sorted runs, one slot per worker (each written by its own thread).
    final class RunSlots: @unchecked Sendable {
        private var slots: [DataChunk?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ chunk: DataChunk) { lock.lock(); slots[i] = chunk; lock.unlock() }
        var all: [DataChunk] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
    }
}

/// Appends each row's position in table order (morsel << 32 | row within the morsel) as a
/// last BIGINT column.
final class PositionTagOperator: PhysicalOperator {
    let name = "POSITION"
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private var position: PipelinePosition

    init(_ child: PhysicalOperator) {
        self.child = child
        position = PipelinePosition(child)
    }

    func next() throws(SQLError) -> DataChunk? {
        guard var chunk = try child.next() else { return nil }
        let at = position.record(rows: chunk.count)
        let base = Int64(at.morsel) << 32 | Int64(at.firstRow)
        let tags = [Int64](unsafeUninitializedCapacity: chunk.count) { buffer, count in
            for i in 0..<chunk.count { buffer[i] = base + Int64(i) }
            count = chunk.count
        }
        chunk.columns.append(ColumnData(type: .int64, storage: .int64(tags)))
        return chunk
    }
}

import Foundation
