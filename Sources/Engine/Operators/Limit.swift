// LIMIT / OFFSET: passes on the rows in the window and stops pulling after it.

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
