// Which rows of its partition a row's frame holds, as positions [start, end] in window
// order (empty when start > end). ROWS counts rows; RANGE with CURRENT ROW reaches the
// current row's peers; RANGE with offsets compares the one numeric order key (binary search
// over the sorted partition; NULL keys frame their NULL peers).

import Columnar

enum WindowFrames {
    /// The first order key as numbers with its validity, for RANGE frames with offsets.
    struct RangeKey: Sendable {
        let values: [Double]
        /// Integer keys as themselves: past 2^53 a double would merge neighbouring keys.
        let ints: [Int64]?
        let validity: ValidityBitmap?
        let descending: Bool
    }

    static func rangeKey(_ w: WindowExpression, _ sorted: SortedPartitions) -> RangeKey? {
        guard w.frame.unit == .range, let first = sorted.comparators.first else { return nil }
        let usesOffsets = [w.frame.start, w.frame.end].contains {
            switch $0 { case .preceding, .following: true; default: false }
        }
        guard usesOffsets else { return nil }
        switch first.values {
        case .ints(let x): return RangeKey(values: [], ints: x, validity: first.validity, descending: first.descending)
        case .int32s(let x): return RangeKey(values: [], ints: x.map(Int64.init), validity: first.validity, descending: first.descending)
        case .doubles(let x): return RangeKey(values: x, ints: nil, validity: first.validity, descending: first.descending)
        default: return nil
        }
    }

    /// Whether frames of this kind read the peer groups.
    static func needsPeers(_ frame: WindowFrameBounds) -> Bool { frame.unit != .rows }

    /// The frame of every position of a partition of `count` rows: positions `starts[i]` to
    /// `ends[i]` (empty where start > end). One plain loop per bound kind.
    static func ranges(_ frame: WindowFrameBounds, count: Int, peers: WindowKernels.Peers?, key: RangeKey?,
                       positions: Range<Int>, sorted: SortedPartitions, starts: inout [Int], ends: inout [Int]) {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        starts.reserveCapacity(count)
        ends.reserveCapacity(count)
        if frame.unit == .groups, let peers {
            groupRanges(frame, count: count, peers: peers, starts: &starts, ends: &ends)
            return
        }
        func fill(_ bound: WindowFrameBounds.Bound, isStart: Bool, into out: inout [Int]) {
            switch bound {
            case .unboundedPreceding:
                for _ in 0..<count { out.append(0) }
            case .unboundedFollowing:
                for _ in 0..<count { out.append(count - 1) }
            case .currentRow:
                if frame.unit == .rows || peers == nil {
                    for i in 0..<count { out.append(i) }
                } else {
                    out.append(contentsOf: isStart ? peers!.start : peers!.end)
                }
            case .preceding(let k), .following(let k):
                var following = false
                if case .following = bound { following = true }
                if frame.unit == .rows || key == nil {
                    let offset = Int(min(k, Double(count + 1)))
                    if frame.unit == .range, let peers {
                        // RANGE offsets without a numeric key: the peer group.
                        out.append(contentsOf: isStart ? peers.start : peers.end)
                        return
                    }
                    for i in 0..<count { out.append(following ? i + offset : i - offset) }
                    return
                }
                let key = key!
                for i in 0..<count {
                    let row = sorted.order[positions.lowerBound + i]
                    if let v = key.validity, !v.isValid(row), let peers {
                        out.append(isStart ? peers.start[i] : peers.end[i])
                        continue
                    }
                    // In the direction of the order, "following" adds; descending order reverses it.
                    let delta = (following != key.descending) ? k : -k
                    if let ints = key.ints {
                        // The integer keys on the frame's side of value + delta: the target
                        // rounded toward the frame (ceiling below it, floor above), saturating.
                        let roundUp = isStart != key.descending
                        let step = roundUp ? delta.rounded(.up) : delta.rounded(.down)
                        let target = step >= 0x1p63 ? Int64.max : step < -0x1p63 ? Int64.min
                            : ints[row].addingReportingOverflow(Int64(step)).overflow ? (step > 0 ? Int64.max : Int64.min)
                            : ints[row] + Int64(step)
                        out.append(isStart ? firstAtLeast(target, ints, count, key, positions, sorted)
                                           : lastAtMost(target, ints, count, key, positions, sorted))
                        continue
                    }
                    let target = key.values[row] + delta
                    out.append(isStart ? firstAtLeast(target, key.values, count, key, positions, sorted)
                                       : lastAtMost(target, key.values, count, key, positions, sorted))
                }
            }
        }
        fill(frame.start, isStart: true, into: &starts)
        fill(frame.end, isStart: false, into: &ends)
        for i in 0..<count {
            if starts[i] < 0 { starts[i] = 0 }
            if ends[i] > count - 1 { ends[i] = count - 1 }
        }
    }

    /// GROUPS frames: offsets count peer groups (rows with equal order keys) before or after
    /// the current row's group; a bound reaches the first row of its group when it starts the
    /// frame and the last when it ends it.
    private static func groupRanges(_ frame: WindowFrameBounds, count: Int, peers: WindowKernels.Peers,
                                    starts: inout [Int], ends: inout [Int]) {
        var group = [Int](repeating: 0, count: count)
        var firsts: [Int] = [], lasts: [Int] = []
        for i in 0..<count {
            if peers.start[i] == i {
                firsts.append(i)
                lasts.append(peers.end[i])
            }
            group[i] = firsts.count - 1
        }
        func position(_ bound: WindowFrameBounds.Bound, isStart: Bool, _ i: Int) -> Int {
            switch bound {
            case .unboundedPreceding: return 0
            case .unboundedFollowing: return count - 1
            case .currentRow: return isStart ? peers.start[i] : peers.end[i]
            case .preceding(let k):
                let g = group[i] - Int(min(k, Double(count + 1)))
                if g < 0 { return isStart ? 0 : -1 }
                return isStart ? firsts[g] : lasts[g]
            case .following(let k):
                let g = group[i] + Int(min(k, Double(count + 1)))
                if g >= firsts.count { return isStart ? count : count - 1 }
                return isStart ? firsts[g] : lasts[g]
            }
        }
        for i in 0..<count {
            starts.append(position(frame.start, isStart: true, i))
            ends.append(position(frame.end, isStart: false, i))
        }
    }

    /// The first position whose key (`values`, by row) is at or past `target` in window order
    /// (NULL keys, which sort at one end, count as past everything on their side). Integer
    /// keys compare as integers, doubles as doubles.
    private static func firstAtLeast<K: Comparable>(_ target: K, _ values: [K], _ count: Int, _ key: RangeKey,
                                                    _ positions: Range<Int>, _ sorted: SortedPartitions) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            let row = sorted.order[positions.lowerBound + mid]
            let before: Bool
            if let v = key.validity, !v.isValid(row) { before = nullsComeFirst(key, sorted) }
            else { before = key.descending ? values[row] > target : values[row] < target }
            if before { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The last position whose key is at or before `target` in window order.
    private static func lastAtMost<K: Comparable>(_ target: K, _ values: [K], _ count: Int, _ key: RangeKey,
                                                  _ positions: Range<Int>, _ sorted: SortedPartitions) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            let row = sorted.order[positions.lowerBound + mid]
            let after: Bool
            if let v = key.validity, !v.isValid(row) { after = !nullsComeFirst(key, sorted) }
            else { after = key.descending ? values[row] < target : values[row] > target }
            if !after { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    @inline(__always)
    private static func nullsComeFirst(_ key: RangeKey, _ sorted: SortedPartitions) -> Bool {
        sorted.comparators.first?.nullsFirst ?? false
    }
}
