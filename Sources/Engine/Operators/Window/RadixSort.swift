// A stable sort of (key, row) pairs by key: least-significant-byte radix passes over only
// the bytes in which the keys differ (timestamps of one partition differ in three or four),
// so ties keep their order (input order) and nothing calls a comparator per pair.

enum RadixSort {
    /// Sorts `pairs` by key, ties in their present order; `scratch` is reused space.
    static func sort(_ pairs: inout [(UInt64, Int)], scratch: inout [(UInt64, Int)]) {
        let n = pairs.count
        guard n > 64 else {
            // Insertion sort: stable, and fastest on short runs.
            for i in 1..<max(n, 1) {
                let item = pairs[i]
                var j = i - 1
                while j >= 0 && pairs[j].0 > item.0 { pairs[j + 1] = pairs[j]; j -= 1 }
                pairs[j + 1] = item
            }
            return
        }
        var lo = UInt64.max, hi = UInt64.min
        for p in pairs { lo = min(lo, p.0); hi = max(hi, p.0) }
        let span = hi - lo
        guard span > 0 else { return }
        let bytes = (64 - span.leadingZeroBitCount + 7) / 8
        if scratch.count < n { scratch = pairs }
        var counts = [Int](repeating: 0, count: 256)
        pairs.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                var source = a, target = b
                for pass in 0..<bytes {
                    let shift = UInt64(pass * 8)
                    for k in 0..<256 { counts[k] = 0 }
                    for i in 0..<n { counts[Int(((source[i].0 - lo) >> shift) & 0xFF)] += 1 }
                    var total = 0
                    for k in 0..<256 { let c = counts[k]; counts[k] = total; total += c }
                    for i in 0..<n {
                        let d = Int(((source[i].0 - lo) >> shift) & 0xFF)
                        target[counts[d]] = source[i]
                        counts[d] += 1
                    }
                    swap(&source, &target)
                }
                // An odd number of passes leaves the sorted pairs in the scratch space.
                if bytes % 2 == 1 { for i in 0..<n { a[i] = b[i] } }
            }
        }
    }
}
