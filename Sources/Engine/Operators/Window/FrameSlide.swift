// The rows a sliding frame holds, moved from one row's frame to the next. Holistic framed
// aggregates (quantiles, distinct counts) keep a structure over the frame's rows that takes
// one row in or out cheaply; this walks the frame's ends so each row enters and leaves once
// while frames overlap, and starts afresh when a frame does not overlap the one before.

/// What a sliding frame keeps over its rows: a row's position enters and leaves.
protocol FrameContents {
    mutating func add(_ position: Int)
    mutating func remove(_ position: Int)
}

/// The positions a frame holds, `lo ..< hi`, within a partition.
struct FrameSlide {
    private(set) var lo = 0, hi = 0

    /// Moves to the frame `start ..< end`, adding each position that enters `contents` and
    /// removing each that leaves. Generic, not closures: it specializes to a direct call.
    @inline(__always)
    mutating func move<C: FrameContents>(to start: Int, _ end: Int, _ contents: inout C) {
        if start >= hi || end <= lo {
            while lo < hi { contents.remove(lo); lo += 1 }
            lo = start
            hi = start
        }
        while lo > start { lo -= 1; contents.add(lo) }
        while hi < end { contents.add(hi); hi += 1 }
        while lo < start { contents.remove(lo); lo += 1 }
        while hi > end { hi -= 1; contents.remove(hi) }
    }
}
