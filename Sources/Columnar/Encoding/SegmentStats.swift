// Per-segment statistics kept in the manifest: enough for a scan to skip a segment whose
// [min, max] cannot match a predicate, and for `describe` to report NULLs.

/// A typed statistic value.
public enum StatValue: Sendable, Hashable, Codable, Comparable {
    case int(Int64)
    case double(Double)
    case string(String)

    public static func < (a: StatValue, b: StatValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): x < y
        case (.double(let x), .double(let y)): x < y
        case (.string(let x), .string(let y)): Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        case (.int(let x), .double(let y)): Double(x) < y
        case (.double(let x), .int(let y)): x < Double(y)
        default: false
        }
    }
}

/// Statistics of one column segment.
public struct SegmentStats: Sendable, Hashable, Codable {
    public var rowCount: Int
    public var nullCount: Int
    /// Smallest non-NULL value; nil when all NULL, NaN present, or not tracked (lists).
    public var min: StatValue?
    /// Largest non-NULL value; nil as for `min`, or for strings longer than `maxStringStat`.
    public var max: StatValue?

    public init(rowCount: Int, nullCount: Int, min: StatValue? = nil, max: StatValue? = nil) {
        self.rowCount = rowCount
        self.nullCount = nullCount
        self.min = min
        self.max = max
    }

    /// Strings longer than this are not kept as min/max (a truncated max is no upper bound).
    public static let maxStringStat = 64

    /// Statistics of `column`.
    public static func compute(_ column: ColumnData) -> SegmentStats {
        if column.dictionary != nil { return compute(column.flattened()) }
        let n = column.count
        let nulls = column.nullCount
        var s = SegmentStats(rowCount: n, nullCount: nulls)
        guard nulls < n else { return s }
        let valid: (Int) -> Bool = { i in column.validity?.isValid(i) ?? true }
        if column.validity == nil {
            // The common case, without a validity test per value.
            switch column.storage {
            case .int32(let v):
                s.min = .int(Int64(v.min()!)); s.max = .int(Int64(v.max()!))
                return s
            case .int64(let v):
                s.min = .int(v.min()!); s.max = .int(v.max()!)
                return s
            case .double(let v):
                var lo = Double.infinity, hi = -Double.infinity
                var nan = false
                for x in v { lo = Swift.min(lo, x); hi = Swift.max(hi, x); nan = nan || x.isNaN }
                if !nan && lo.isFinite && hi.isFinite { s.min = .double(lo); s.max = .double(hi) }
                return s
            default:
                break
            }
        }
        switch column.storage {
        case .dictionary:
            preconditionFailure("flattened above")
        case .int32(let v):
            var lo = Int32.max, hi = Int32.min
            for i in 0..<n where valid(i) { lo = Swift.min(lo, v[i]); hi = Swift.max(hi, v[i]) }
            s.min = .int(Int64(lo)); s.max = .int(Int64(hi))
        case .int64(let v):
            var lo = Int64.max, hi = Int64.min
            for i in 0..<n where valid(i) { lo = Swift.min(lo, v[i]); hi = Swift.max(hi, v[i]) }
            s.min = .int(lo); s.max = .int(hi)
        case .boolean(let v):
            var lo: Int64 = 1, hi: Int64 = 0
            for i in 0..<n where valid(i) { let x: Int64 = v[i] ? 1 : 0; lo = Swift.min(lo, x); hi = Swift.max(hi, x) }
            s.min = .int(lo); s.max = .int(hi)
        case .double(let v):
            var lo = Double.infinity, hi = -Double.infinity
            for i in 0..<n where valid(i) {
                let x = v[i]
                if x.isNaN { return s }
                lo = Swift.min(lo, x); hi = Swift.max(hi, x)
            }
            if lo.isFinite && hi.isFinite { s.min = .double(lo); s.max = .double(hi) }
        case .varchar(let v):
            var lo: Int? = nil, hi: Int? = nil
            v.bytes.withUnsafeBufferPointer { b in
                func slice(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[Int(v.offsets[i])..<Int(v.offsets[i + 1])]) }
                for i in 0..<n where valid(i) {
                    if lo == nil || slice(i).lexicographicallyPrecedes(slice(lo!)) { lo = i }
                    if hi == nil || slice(hi!).lexicographicallyPrecedes(slice(i)) { hi = i }
                }
            }
            // Bounds are kept only as the exact bytes: text that is not valid UTF-8 would come
            // back from `String` with replacement characters, which sort elsewhere.
            if let lo {
                // A prefix of the minimum is still a lower bound, cut where a character
                // starts: a cut inside one would decode to U+FFFD, which sorts above it.
                var bytes = Array(v.withValueBytes(lo) { $0 })
                if bytes.count > maxStringStat {
                    var end = maxStringStat
                    while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
                    bytes.removeSubrange(end...)
                }
                s.min = String(validating: bytes, as: UTF8.self).map { .string($0) }
            }
            if let hi, v.length(hi) <= maxStringStat {
                s.max = v.withValueBytes(hi) { String(validating: $0, as: UTF8.self) }.map { .string($0) }
            }
        case .listVarchar:
            break
        }
        return s
    }
}
