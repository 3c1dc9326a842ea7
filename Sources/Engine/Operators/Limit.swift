// LIMIT / OFFSET: passes on the rows in the window and stops pulling after it. DuckDB's
// LIMIT p% must count the rows first: it holds them until its input ends.

import Columnar

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

/// LIMIT p% [OFFSET n]: p percent of all the rows (rounded down, as DuckDB), after the offset.
final class LimitPercentOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let percent: Double, offset: Int
    private let context: QueryContext
    private var held: [DataChunk] = []
    private var reserved = 0
    private var limit: LimitOperator?

    deinit { context.release(reserved) }

    init(_ child: PhysicalOperator, percent: Double, offset: Int, context: QueryContext) {
        self.child = child
        self.percent = percent
        self.offset = offset
        self.context = context
        name = "LIMIT \(percent)% OFFSET \(offset)"
    }

    func next() throws(SQLError) -> DataChunk? {
        if limit == nil {
            var total = 0
            while let chunk = try child.next() {
                try context.check()
                try context.reserve(chunk.byteSize)
                reserved += chunk.byteSize
                held.append(chunk)
                total += chunk.count
            }
            // percent / 100 first, as DuckDB computes it (29% of 100 rows is 28.999... -> 28).
            let rows = Int((percent / 100 * Double(total)).rounded(.down))
            limit = LimitOperator(HeldChunks(held), limit: rows, offset: offset)
            held = []
        }
        return try limit!.next()
    }
}

/// Chunks read again in order.
private final class HeldChunks: PhysicalOperator {
    let name = "HELD ROWS"
    var children: [PhysicalOperator] { [] }
    private var chunks: [DataChunk]
    private var at = 0

    init(_ chunks: [DataChunk]) { self.chunks = chunks }

    func next() throws(SQLError) -> DataChunk? {
        guard at < chunks.count else { return nil }
        defer { chunks[at] = DataChunk(columns: [], count: 0); at += 1 }
        return chunks[at]
    }
}
