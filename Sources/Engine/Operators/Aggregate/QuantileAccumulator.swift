// PERCENTILE_CONT, PERCENTILE_DISC, MEDIAN and MODE of numbers, dates and timestamps. Each row
// read keeps 12 bytes: its group and its value as an order code (`OrderCode`: unsigned
// integers in SQL order, so one integer sort orders doubles with NaN and -0.0 right). At the
// end a counting sort places the codes group by group and the workers sort each group's
// slice; then every call picks its answer by position. Calls over the same values (MEDIAN
// and PERCENTILE_CONT(0.9) of one column) share one collection and one sort.

import Columnar
import Foundation

/// The values of one expression, per group, sorted once for every call that reads them.
final class SortedCodes {
    private var groupIds: [Int32] = []
    private var codes: [UInt64] = []
    /// After `sort`: the codes group by group, each group ascending; group g is
    /// `starts[g] ..< starts[g + 1]`.
    private(set) var sorted = UnsafeMutableBufferPointer<UInt64>(start: nil, count: 0)
    private(set) var starts: [Int] = []
    private var isSorted = false

    deinit { sorted.deallocate() }

    func update(_ value: ColumnData, include: [Bool]?, ids: [Int]) {
        let order = OrderCode.codes(value)
        let n = ids.count
        if include == nil && value.validity == nil {
            for r in 0..<n { groupIds.append(Int32(truncatingIfNeeded: ids[r])) }
            codes.append(contentsOf: order)
            return
        }
        for r in 0..<n where (include?[r] ?? true) && !value.isNull(r) {
            groupIds.append(Int32(truncatingIfNeeded: ids[r]))
            codes.append(order[r])
        }
    }

    func merge(_ other: SortedCodes, ids: [Int]) {
        for g in other.groupIds { groupIds.append(Int32(truncatingIfNeeded: ids[Int(g)])) }
        codes.append(contentsOf: other.codes)
    }

    /// Places and sorts the codes (once, for all the calls that share them).
    func sort(groups: Int, context: QueryContext) throws(SQLError) {
        guard !isSorted else { return }
        isSorted = true
        var starts = [Int](repeating: 0, count: groups + 1)
        for g in groupIds { starts[Int(g) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var next = starts
        let placed = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: codes.count)
        for (g, c) in zip(groupIds, codes) {
            placed[next[Int(g)]] = c
            next[Int(g)] += 1
        }
        groupIds = []
        codes = []
        sorted = placed
        // Groups in tasks of about n / (8 x threads) codes, sorted on all workers.
        let target = max(1, placed.count / max(1, context.threads * 8))
        var tasks: [Range<Int>] = []
        var first = 0
        for g in 0..<groups where starts[g + 1] - starts[first] >= target {
            tasks.append(first..<(g + 1))
            first = g + 1
        }
        if first < groups { tasks.append(first..<groups) }
        let shared = UncheckedSendable(placed)
        let bounds = starts, groupTasks = tasks
        try Workers.run(groupTasks.count) { (t) throws(SQLError) in
            for g in groupTasks[t] where bounds[g + 1] - bounds[g] > 1 {
                var slice = UnsafeMutableBufferPointer(rebasing: shared.value[bounds[g]..<bounds[g + 1]])
                slice.sort()
            }
        }
        self.starts = starts
    }
}

final class QuantileAccumulator: GroupAccumulator {
    private let call: AggregateCall
    let values: SortedCodes
    /// Whether this call fills `values` (the first of the calls that share them).
    private let owns: Bool

    init(_ call: AggregateCall, sharing: SortedCodes?) {
        self.call = call
        values = sharing ?? SortedCodes()
        owns = sharing == nil
    }

    /// Whether a call's answer comes from its sorted values alone.
    static func applies(_ call: AggregateCall) -> Bool {
        switch call.function {
        case .percentileCont, .percentileDisc, .mode, .entropy, .mad: return call.arguments[0].type != .varchar
        default: return false
        }
    }

    /// What two calls must agree on to share their values.
    static func sharingKey(_ call: AggregateCall) -> String {
        "\(call.arguments[0]) \(call.filter.map(\.description) ?? "")"
    }

    func update(_ columns: [ColumnData], include: [Bool]?, ids: [Int], groups: Int) throws(SQLError) {
        if owns { values.update(columns[0], include: include, ids: ids) }
    }

    func merge(_ other: GroupAccumulator, ids: [Int], groups: Int) {
        if owns { values.merge((other as! QuantileAccumulator).values, ids: ids) }
    }

    func finish(groups: Int, context: QueryContext?) throws(SQLError) -> ColumnData {
        try values.sort(groups: groups, context: context ?? QueryContext())
        let sorted = values.sorted, starts = values.starts
        let type = call.arguments[0].type
        let descending = call.orderBy.first?.descending ?? false
        var b = ColumnBuilder(type: call.type, capacity: groups)
        for g in 0..<groups {
            let lo = starts[g], n = starts[g + 1] - lo
            if call.function == .entropy {
                // Runs of equal values are the distinct values and their counts.
                var runs: [Int] = [], start = lo
                for i in lo..<(lo + n) where i > lo && sorted[i] != sorted[start] { runs.append(i - start); start = i }
                if n > 0 { runs.append(lo + n - start) }
                b.append(.double(Self.entropy(runs, total: n)))
                continue
            }
            guard n > 0 else { b.appendNull(); continue }
            if call.function == .mad {
                b.append(.double(Self.medianAbsoluteDeviation((lo..<(lo + n)).map { OrderCode.double(sorted[$0]) })))
                continue
            }
            // The k-th value in the call's order.
            func code(_ k: Int) -> UInt64 { sorted[descending ? lo + n - 1 - k : lo + k] }
            switch call.function {
            case .percentileCont:
                let position = Self.snapped(call.fraction * Double(n - 1))
                let below = Int(position.rounded(.down)), above = Int(position.rounded(.up))
                let a = OrderCode.double(code(below)), z = OrderCode.double(code(above))
                b.append(.double(below == above ? a : a + (position - Double(below)) * (z - a)))
            case .percentileDisc:
                // The first value whose cumulative share reaches the fraction.
                let k = max(0, Int(Self.snapped(call.fraction * Double(n)).rounded(.up)) - 1)
                b.append(OrderCode.value(code(min(k, n - 1)), type))
            default:
                // MODE: the longest run of equal values; the least value on a tie.
                var best = lo, bestLength = 0, start = lo
                for i in (lo + 1)..<(lo + n) where sorted[i] != sorted[start] {
                    if i - start > bestLength { best = start; bestLength = i - start }
                    start = i
                }
                if lo + n - start > bestLength { best = start }
                b.append(OrderCode.value(sorted[best], type))
            }
        }
        return b.finish()
    }

    /// MAD: the median of the distances from the median, both interpolated as MEDIAN is
    /// (DuckDB's). `ascending` holds one group's values in order.
    static func medianAbsoluteDeviation(_ ascending: [Double]) -> Double {
        func median(_ a: [Double]) -> Double {
            let position = Double(a.count - 1) / 2
            let below = Int(position.rounded(.down)), above = Int(position.rounded(.up))
            return below == above ? a[below] : a[below] + (position - Double(below)) * (a[above] - a[below])
        }
        let m = median(ascending)
        return median(ascending.map { abs($0 - m) }.sorted())
    }

    /// ENTROPY: -sum p log2 p over the distinct values' shares (DuckDB); 0 for no values.
    static func entropy(_ counts: [Int], total: Int) -> Double {
        guard total > 0 else { return 0 }
        // log2 n - (sum c log2 c) / n: the same sum, as DuckDB computes it.
        var sum = 0.0
        for c in counts { sum += Double(c) * Foundation.log2(Double(c)) }
        return Foundation.log2(Double(total)) - sum / Double(total)
    }

    /// `x` moved to the nearest integer when it is within rounding error of it, so that a
    /// fraction such as 0.6 of 5 rows is 3 as it is in decimal (DuckDB reads the fraction as
    /// a decimal; PostgreSQL's rule is the same).
    static func snapped(_ x: Double) -> Double {
        let r = x.rounded()
        return abs(x - r) <= 1e-9 * max(1, abs(x)) ? r : x
    }
}
