// A join's build keys narrow its probe side's scan: once an inner or semi hash join has read
// its build side, the least and greatest integer key are known, and a probe-side row group
// whose key segment lies wholly outside them cannot have a partner, so the scan skips it
// without decoding (DuckDB's join filter pushdown). `fct_ratings JOIN (one user's movies)`
// then reads the row groups that hold those movies, not all 25M rows.

import Columnar
import Synchronization

/// The key range one join publishes for one column of a table its probe side scans.
final class KeyRangeFilter: Sendable {
    /// The table column (not the scan's output position) the range applies to.
    let column: Int
    /// nil until the build side is read; an empty build side publishes `empty`.
    private let state = Mutex<(range: ClosedRange<Int64>?, empty: Bool)>((nil, false))

    init(column: Int) { self.column = column }

    func publish(_ range: ClosedRange<Int64>?) {
        state.withLock { $0 = (range, range == nil) }
    }

    /// Whether a segment with `stats` may hold a key in the published range (true until
    /// one is published).
    func mayMatch(_ stats: SegmentStats) -> Bool {
        let (range, empty) = state.withLock { $0 }
        if empty { return false }
        guard let range else { return true }
        if stats.nullCount == stats.rowCount { return false }
        guard case .int(let lo)? = stats.min, case .int(let hi)? = stats.max else { return true }
        return lo <= range.upperBound && hi >= range.lowerBound
    }
}

extension PhysicalPlanner {
    /// The scan that produces column `column` of `op`'s output unchanged (through filters,
    /// projections of plain columns and the probe side of joins), with that column's table
    /// column; nil when the column is computed or comes from elsewhere.
    static func sourceScan(of op: PhysicalOperator, column: Int) -> (TableScan, Int)? {
        switch op {
        case let scan as TableScan: return scan.tableColumn(column).map { (scan, $0) }
        case let filter as FilterOperator: return sourceScan(of: filter.child, column: column)
        case let projection as ProjectionOperator:
            guard column < projection.exprs.count, case .column(let i, _, _) = projection.exprs[column] else { return nil }
            return sourceScan(of: projection.child, column: i)
        case let join as HashJoinOperator:
            guard column < join.probeWidth else { return nil }
            return sourceScan(of: join.probeInput, column: column)
        default: return nil
        }
    }
}
