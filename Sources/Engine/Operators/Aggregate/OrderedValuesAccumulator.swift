// The aggregates that need each group's values in an order of their own: LISTAGG,
// ARRAY_AGG, DuckDB's FIRST and LAST, and PERCENTILE_DISC and MODE of text (those of fixed-width values take the
// faster `QuantileAccumulator`). Batches keep the rows they read (group id, value,
// order keys); at the end the rows are placed group by group and each group is sorted by its
// keys on all workers (`SortedPartitions`, the window operator's partition sort), then one
// pass per group computes the answer. Ties in the given order are broken by the value, so
// the answer is the same at any thread count.

import Columnar

extension AggregateCall {
    /// PERCENTILE's fraction.
    var fraction: Double {
        if case .double(let f)? = parameter { return f }
        return 0.5
    }
}

final class OrderedValuesAccumulator: GroupAccumulator {
    private let call: AggregateCall
    /// The rows read so far: group ids, then the value and order-key columns.
    private var ids: [[Int]] = []
    private var columns: [[ColumnData]] = []

    init(_ call: AggregateCall) { self.call = call }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        let value = columns[0]
        var rows: [Int] = []
        rows.reserveCapacity(ids.count)
        // FIRST and LAST read NULL values too; the others leave them out.
        let keepsNulls = call.function == .first || call.function == .last
        for r in 0..<ids.count where (include?[r] ?? true) && (keepsNulls || !value.isNull(r)) { rows.append(r) }
        guard !rows.isEmpty else { return }
        if rows.count == ids.count {
            self.ids.append(ids)
            self.columns.append(columns.map { $0.flattened() })
        } else {
            self.ids.append(rows.map { ids[$0] })
            self.columns.append(columns.map { $0.selecting(rows).flattened() })
        }
    }

    func merge(_ other: GroupAccumulator, ids map: [Int], groups: Int) {
        let o = other as! OrderedValuesAccumulator
        for (batch, batchColumns) in zip(o.ids, o.columns) {
            ids.append(batch.map { map[$0] })
            columns.append(batchColumns)
        }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        let allIds = ids.flatMap { $0 }
        ids = []
        let width = call.arguments.count + call.orderBy.count
        var all: [ColumnData] = []
        for c in 0..<width {
            let type = c < call.arguments.count ? call.arguments[c].type : call.orderBy[c - call.arguments.count].expr.type
            all.append(columns.isEmpty ? .empty(type) : ColumnData.concatenate(columns.map { $0[c] }, type: type))
        }
        columns = []
        let keys = Array(all[call.arguments.count...])
        let sorted = try SortedPartitions(ids: allIds, partitionCount: groups, orderColumns: keys, orderBy: call.orderBy,
                                          context: context ?? QueryContext())
        let value = all[0]
        var b = ColumnBuilder(type: call.type, capacity: groups)
        switch call.function {
        case .percentileCont:
            let x = ColumnAccess.doubles(value)
            let f = call.fraction
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                let position = Self.snapped(f * Double(range.count - 1))
                let lo = Int(position.rounded(.down)), hi = Int(position.rounded(.up))
                let a = x[sorted.order[range.lowerBound + lo]], z = x[sorted.order[range.lowerBound + hi]]
                b.append(.double(lo == hi ? a : a + (position - Double(lo)) * (z - a)))
            }
        case .percentileDisc:
            let f = call.fraction
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                // The first value whose cumulative share reaches the fraction.
                let k = max(0, Int(Self.snapped(f * Double(range.count)).rounded(.up)) - 1)
                b.append(value.value(at: sorted.order[range.lowerBound + min(k, range.count - 1)]))
            }
        case .mad:
            let x = ColumnAccess.doubles(value)
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                b.append(.double(QuantileAccumulator.medianAbsoluteDeviation(range.map { x[sorted.order[$0]] })))
            }
        case .entropy:
            for range in sorted.partitions {
                var runs: [Int] = [], start = range.lowerBound
                for i in range.dropFirst() where !sorted.peers(sorted.order[i], sorted.order[start]) { runs.append(i - start); start = i }
                if !range.isEmpty { runs.append(range.upperBound - start) }
                b.append(.double(QuantileAccumulator.entropy(runs, total: range.count)))
            }
        case .mode:
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                // The longest run of peers; the first (least value) on a tie.
                var best = range.lowerBound, bestLength = 0
                var start = range.lowerBound
                for i in range.dropFirst() where !sorted.peers(sorted.order[i], sorted.order[start]) {
                    if i - start > bestLength { best = start; bestLength = i - start }
                    start = i
                }
                if range.upperBound - start > bestLength { best = start }
                b.append(value.value(at: sorted.order[best]))
            }
        case .first, .last:
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                b.append(value.value(at: sorted.order[call.function == .first ? range.lowerBound : range.upperBound - 1]))
            }
        case .listagg, .arrayAgg:
            let text = ColumnAccess.strings(value)
            var separator = ""
            if case .string(let s)? = call.parameter { separator = s }
            var parts: [String] = []
            for range in sorted.partitions {
                guard !range.isEmpty else { b.appendNull(); continue }
                parts.removeAll(keepingCapacity: true)
                var previous = -1
                for i in range {
                    let r = sorted.order[i]
                    if call.distinct && previous >= 0 && sorted.peers(r, previous) { continue }
                    parts.append(text[r])
                    previous = r
                }
                b.append(call.function == .listagg ? .string(parts.joined(separator: separator)) : .list(parts))
            }
        default:
            throw SQLError(.internal, "\(call.function.rawValue) is not an ordered aggregate")
        }
        return b.finish()
    }

    private static func snapped(_ x: Double) -> Double { QuantileAccumulator.snapped(x) }
}
