// The first N rows of each partition in window order, with their ROW_NUMBER: one pass over
// the input keeping, per partition, the N best candidates so far (order key, then input
// position, as the full window would number them). A candidate's row is copied into a
// survivor store when it enters; the store is compacted when evicted rows outnumber the
// living. Memory follows the groups times N, not the input.
//
//   per batch: partition ids, encoded order key -> compare with the group's worst candidate
//   end: each partition's candidates in order -> rows + row number

import Columnar

final class TopPerPartitionOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let window: WindowExpression
    private let limit: Int
    private let inputTypes: [LogicalType]
    private let context: QueryContext
    private var output: ChunkSplitter?

    static let maxLimit = 1024

    /// Order keys the one-pass path takes: those that encode to fixed-width integers.
    static func supports(_ type: LogicalType) -> Bool {
        type.isInteger || type == .double || type == .date || type == .timestamp || type == .boolean
    }

    init(_ child: PhysicalOperator, window: WindowExpression, inputTypes: [LogicalType], context: QueryContext) {
        self.child = child
        self.window = window
        self.limit = window.keepsTop ?? 0
        self.inputTypes = inputTypes
        self.context = context
        name = "TOP_PER_PARTITION \(limit) " + window.description
    }

    /// One candidate: its encoded order keys (the second 0 when there is one), its input
    /// position (for ties) and its slot in the survivor store.
    private struct Candidate {
        var key: UInt64
        var key2: UInt64
        var position: Int
        var slot: Int

        /// Whether this candidate comes before `other` in window order (ties: input order,
        /// and a later row never comes before an earlier one).
        @inline(__always)
        func precedes(_ other: Candidate) -> Bool { key < other.key || (key == other.key && key2 < other.key2) }
    }

    func next() throws(SQLError) -> DataChunk? {
        if output == nil {
            output = ChunkSplitter()
            output!.load(try run())
        }
        return output!.next()
    }

    private func run() throws(SQLError) -> DataChunk {
        let partitions = PartitionIds()
        var candidates: [[Candidate]] = []
        var store = SurvivorStore(types: inputTypes)
        var position = 0
        while let chunk = try child.next() {
            try context.check()
            let n = chunk.count
            guard n > 0 else { continue }
            let ids = try partitions.ids(window.partitionBy, chunk)
            while candidates.count < partitions.count { candidates.append([]) }
            var encoded: [[UInt64]] = []
            for key in window.orderBy {
                guard let e = EncodedOrder(try ExpressionEvaluator.evaluate(key.expr, chunk), key) else {
                    throw SQLError(.internal, "the top-per-partition path got an order key it cannot encode")
                }
                encoded.append(e.keys)
            }
            let first = encoded[0], second = encoded.count > 1 ? encoded[1] : [UInt64](repeating: 0, count: n)
            for r in 0..<n {
                let p = ids[r]
                let c = Candidate(key: first[r], key2: second[r], position: position + r, slot: -1)
                var list = candidates[p]
                if list.count == limit {
                    // Worse than (or tied after) the group's worst: it cannot enter.
                    guard let worst = list.last, c.precedes(worst) else { continue }
                    store.evict()
                    list.removeLast()
                }
                if limit == 0 { continue }
                var entered = c
                entered.slot = store.add(chunk, row: r)
                // Insert in order; an equal key goes after (its position is later).
                var at = list.count
                while at > 0 && entered.precedes(list[at - 1]) { at -= 1 }
                list.insert(entered, at: at)
                candidates[p] = list
            }
            position += n
            if store.needsCompaction {
                var living: [Int] = []
                for p in candidates.indices {
                    for i in candidates[p].indices {
                        living.append(candidates[p][i].slot)
                        candidates[p][i].slot = living.count - 1
                    }
                }
                store.compact(living)
            }
        }
        // Partitions in order of first appearance, each in window order.
        var slots: [Int] = []
        var numbers: [Int64] = []
        for list in candidates {
            for (i, c) in list.enumerated() {
                slots.append(c.slot)
                numbers.append(Int64(i + 1))
            }
        }
        let rows = store.rows().gather(slots)
        return DataChunk(columns: rows.columns + [ColumnData(type: .int64, storage: .int64(numbers))], count: slots.count)
    }
}

/// Dense ids of partition keys across batches, in order of first appearance.
final class PartitionIds {
    private var integers: IntegerGroupIndex?
    private var hashed: GroupHashTable?
    private(set) var count = 0

    func ids(_ keys: [BoundExpr], _ chunk: DataChunk) throws(SQLError) -> [Int] {
        let n = chunk.count
        var ids = [Int](repeating: 0, count: n)
        guard !keys.isEmpty else { count = max(count, 1); return ids }
        var columns: [ColumnData] = []
        for k in keys { columns.append(try ExpressionEvaluator.evaluate(k, chunk).flattened()) }
        var inserted = [Bool](repeating: false, count: n)
        if columns.count == 1, columns[0].type.isInteger || columns[0].type == .date || columns[0].type == .timestamp {
            if integers == nil { integers = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: 1 << 16, range: nil)) }
            integers!.ids(ColumnAccess.int64s(columns[0]), validity: columns[0].validity, ids: &ids, inserted: &inserted)
            count = integers!.count
        } else {
            if hashed == nil { hashed = GroupHashTable(capacity: 1 << 16) }
            hashed!.findOrInsert(EncodedKeys.encode(columns, rows: n), ids: &ids, inserted: &inserted)
            count = hashed!.count
        }
        return ids
    }
}

/// Rows copied out of their batches as they enter a top-N, in one growing column set;
/// evicted rows stay until a compaction keeps only the living ones.
struct SurvivorStore {
    private let types: [LogicalType]
    private var builders: [ColumnBuilder]
    private(set) var count = 0
    private var evicted = 0

    init(types: [LogicalType]) {
        self.types = types
        builders = types.map { ColumnBuilder(type: $0) }
    }

    /// Appends row `row` of `chunk`; returns its slot.
    mutating func add(_ chunk: DataChunk, row: Int) -> Int {
        for c in builders.indices { builders[c].append(from: chunk.columns[c], row: row) }
        count += 1
        return count - 1
    }

    mutating func evict() { evicted += 1 }

    var needsCompaction: Bool { evicted > 65_536 && evicted * 2 > count }

    /// Keeps the rows of slots `living`, slot `living[i]` becoming slot i.
    mutating func compact(_ living: [Int]) {
        let kept = rows().gather(living)
        builders = types.map { ColumnBuilder(type: $0, capacity: living.count) }
        for r in 0..<kept.count { for c in builders.indices { builders[c].append(from: kept.columns[c], row: r) } }
        count = living.count
        evicted = 0
    }

    func rows() -> DataChunk {
        DataChunk(columns: builders.map { $0.finish() }, count: count)
    }
}
