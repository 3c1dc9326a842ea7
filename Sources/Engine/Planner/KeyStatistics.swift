// What the planner knows about a key before any row is read: an upper bound on the number of
// distinct values and, for integer keys, the range of values, from the segment min/max of
// the table the key comes from. Hash tables are sized from it instead of growing by doubling
// (each doubling rehashes every key and briefly holds both tables).

import Columnar

/// Size hints for a hash table over one or more keys.
package struct KeyStatistics: Sendable, Equatable {
    /// At most this many distinct keys are expected (capped: a wrong guess costs memory).
    package var expectedKeys: Int
    /// For one integer key: every non-NULL value lies in this range.
    package var range: ClosedRange<Int64>?

    /// The largest number of entries a hint may reserve up front.
    package static let reserveLimit = 1 << 22

    package init(expectedKeys: Int, range: ClosedRange<Int64>? = nil) {
        self.expectedKeys = min(max(0, expectedKeys), Self.reserveLimit)
        self.range = range
    }

    /// Statistics of the values of `keys`, columns of `plan`'s output: known when every key
    /// is an integer column read from a table. GROUP BY (integer, text), which the aggregate
    /// groups by the integer first, gets the integer's statistics.
    static func of(_ keys: [BoundExpr], over plan: Plan) -> KeyStatistics? {
        guard !keys.isEmpty else { return nil }
        if keys.count == 2, keys[0].type.isInteger, keys[1].type == .varchar { return of([keys[0]], over: plan) }
        let rows = max(1, Int(Cardinality.estimate(plan)))
        var product = 1
        var range: ClosedRange<Int64>? = nil
        for k in keys {
            guard case .column(let i, let type, _) = k, type.isInteger, let r = columnRange(plan, i) else {
                return nil
            }
            guard let width = IntegerGroupIndex.width(r.lowerBound, r.upperBound), width < Int64(reserveLimit) else { return KeyStatistics(expectedKeys: rows, range: keys.count == 1 ? r : nil) }
            product = product.multipliedReportingOverflow(by: Int(width) + 1).overflow ? Int.max : product * (Int(width) + 1)
            range = r
        }
        return KeyStatistics(expectedKeys: min(rows, product), range: keys.count == 1 ? range : nil)
    }

    /// The [min, max] of integer column `index` of `plan`'s output, traced down to the
    /// segment statistics of the table it is read from.
    static func columnRange(_ plan: Plan, _ index: Int) -> ClosedRange<Int64>? {
        switch plan {
        case .scan(let table, let columns, _):
            guard index < columns.count, columns[index] >= 0, !table.rowGroups.isEmpty else { return nil }
            var lo = Int64.max, hi = Int64.min
            for g in table.rowGroups {
                let stats = g.segments[columns[index]].stats
                if stats.nullCount == stats.rowCount { continue }
                guard case .int(let a)? = stats.min, case .int(let b)? = stats.max else { return nil }
                lo = min(lo, a)
                hi = max(hi, b)
            }
            return lo <= hi ? lo...hi : nil
        case .filter(let c, _), .sort(let c, _, _), .limit(let c, _, _), .limitPercent(let c, _, _), .distinct(let c), .shared(let c, _),
             .subqueries(let c, _):
            return columnRange(c, index)
        case .project(let c, let exprs, _):
            guard index < exprs.count, case .column(let j, _, _) = exprs[index] else { return nil }
            return columnRange(c, j)
        case .join(let l, let r, let kind, _, _, _):
            let leftCount = l.types.count
            if index < leftCount { return columnRange(l, index) }
            return kind.keepsProbeOnly ? nil : columnRange(r, index - leftCount)
        case .asofJoin(let l, let r, _):
            let leftCount = l.types.count
            return index < leftCount ? columnRange(l, index) : columnRange(r, index - leftCount)
        case .flatten(let c, _), .window(let c, _):
            return index < c.types.count ? columnRange(c, index) : nil
        case .values, .aggregate, .union, .recursive, .workTable, .csvFile, .series:
            return nil
        }
    }
}
