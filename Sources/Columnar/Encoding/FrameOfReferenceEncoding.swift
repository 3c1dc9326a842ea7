// Frame of reference: per miniblock of 128 values, store the minimum and each value's offset
// from it at the smallest bit width that fits. Locality (a user's timestamps, nearby ids)
// turns into narrow miniblocks even when the segment's full range is wide.

/// Frame-of-reference coding of Int64 values in 128-value miniblocks.
package enum FrameOfReference {
    package static let miniblock = 128

    /// Exact encoded size in bytes.
    package static func encodedSize(_ values: UnsafeBufferPointer<Int64>) -> Int {
        guard !values.isEmpty else { return 8 }
        var base = Int64.max
        for v in values where v < base { base = v }
        var size = 8
        var start = 0
        while start < values.count {
            let end = min(start + miniblock, values.count)
            var lo = values[start], hi = values[start]
            for i in (start + 1)..<end {
                let v = values[i]
                lo = min(lo, v)
                hi = max(hi, v)
            }
            let width = BitPacking.width(of: UInt64(bitPattern: hi &- lo))
            size += 1 + varintSize(UInt64(bitPattern: lo &- base)) + BitPacking.byteCount(count: end - start, width: width)
            start = end
        }
        return size
    }

    package static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        var base = Int64.max
        for v in values where v < base { base = v }
        if values.isEmpty { base = 0 }
        out.write(base)
        var scratch = [UInt64](repeating: 0, count: miniblock)
        var start = 0
        while start < values.count {
            let end = min(start + miniblock, values.count)
            var lo = values[start], hi = values[start]
            for i in (start + 1)..<end {
                let v = values[i]
                lo = min(lo, v)
                hi = max(hi, v)
            }
            let width = BitPacking.width(of: UInt64(bitPattern: hi &- lo))
            out.write(UInt8(width))
            out.writeVarint(UInt64(bitPattern: lo &- base))
            scratch.withUnsafeMutableBufferPointer { s in
                for i in start..<end { s[i - start] = UInt64(bitPattern: values[i] &- lo) }
                BitPacking.pack(UnsafeBufferPointer(rebasing: s[0..<(end - start)]), width: width, into: &out)
            }
            start = end
        }
    }

    package static func decode(_ reader: inout ByteReader, count: Int,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        precondition(dst.count >= count)
        let base: Int64 = try reader.read()
        var scratch = [UInt64](repeating: 0, count: miniblock)
        var start = 0
        while start < count {
            let n = min(miniblock, count - start)
            let width = Int(try reader.read(UInt8.self))
            guard width <= 64 else { throw .corrupt("frame-of-reference width \(width) is over 64") }
            let lo = base &+ Int64(bitPattern: try reader.readVarint())
            let packed = try reader.take(BitPacking.byteCount(count: n, width: width))
            try scratch.withUnsafeMutableBufferPointer { (s) throws(StorageError) in
                try BitPacking.unpack(packed, width: width, count: n, into: s)
                for i in 0..<n { dst[start + i] = lo &+ Int64(bitPattern: s[i]) }
            }
            start += n
        }
    }

    /// Convenience for small arrays (lengths, run values, dictionaries).
    package static func encode(_ values: [Int64], into out: inout ByteWriter) {
        values.withUnsafeBufferPointer { encode($0, into: &out) }
    }

    package static func decode(_ reader: inout ByteReader, count: Int) throws(StorageError) -> [Int64] {
        // The count comes from the payload: every miniblock takes at least two bytes, so a
        // count the rest cannot hold is corruption, found before allocating for it.
        guard count >= 0, count == 0 || 8 + 2 * ((count + miniblock - 1) / miniblock) <= reader.remaining else {
            throw .corrupt("frame-of-reference count \(count) does not fit in the \(reader.remaining) bytes left")
        }
        var result = [Int64](repeating: 0, count: count)
        try result.withUnsafeMutableBufferPointer { (d) throws(StorageError) in try decode(&reader, count: count, into: d) }
        return result
    }

    /// Exact sizes of frame-of-reference and delta coding, the run count and the range, in
    /// one pass over the values without allocating: what the encoder chooses between.
    package static func profile(_ v: UnsafeBufferPointer<Int64>) -> (forSize: Int, deltaSize: Int, runs: Int, min: Int64, max: Int64) {
        let n = v.count
        guard n > 1 else { return (8 + (n == 1 ? 1 + 1 : 0), 8 + 8, n, v.first ?? 0, v.first ?? 0) }
        let blocks = (n + miniblock - 1) / miniblock
        // Per miniblock: value min and width, delta min and width (deltas d[i] = v[i] - v[i-1]
        // for i in 1..<n, grouped as the encoder groups them: 1..<129, 129..<257, ...).
        var valueMin = [Int64](repeating: 0, count: blocks), valueWidth = [Int](repeating: 0, count: blocks)
        var deltaMin = [Int64](repeating: 0, count: blocks), deltaWidth = [Int](repeating: 0, count: blocks)
        var base = Int64.max, top = Int64.min, deltaBase = Int64.max
        var runs = 1
        for b in 0..<blocks {
            let start = b * miniblock, end = Swift.min(start + miniblock, n)
            // Values start..<end and, in the same loop, the deltas that follow each of them
            // (the encoder's delta miniblock b holds d[start+1 ... end]).
            var lo = v[start], hi = v[start]
            var dlo = Int64.max, dhi = Int64.min
            var changes = 0
            let deltaEnd = Swift.min(end, n - 1)
            var i = start
            while i < deltaEnd {
                let x = v[i], next = v[i &+ 1]
                lo = Swift.min(lo, x); hi = Swift.max(hi, x)
                let d = next &- x
                dlo = Swift.min(dlo, d); dhi = Swift.max(dhi, d)
                changes &+= d != 0 ? 1 : 0
                i &+= 1
            }
            while i < end { let x = v[i]; lo = Swift.min(lo, x); hi = Swift.max(hi, x); i &+= 1 }
            valueMin[b] = lo
            valueWidth[b] = BitPacking.width(of: UInt64(bitPattern: hi &- lo))
            base = Swift.min(base, lo)
            top = Swift.max(top, hi)
            if deltaEnd > start {
                runs &+= changes
                deltaMin[b] = dlo
                deltaWidth[b] = BitPacking.width(of: UInt64(bitPattern: dhi &- dlo))
                deltaBase = Swift.min(deltaBase, dlo)
            }
        }
        var forSize = 8
        var deltaSize = 8 + 8
        for b in 0..<blocks {
            let count = Swift.min(miniblock, n - b * miniblock)
            forSize += 1 + varintSize(UInt64(bitPattern: valueMin[b] &- base)) + BitPacking.byteCount(count: count, width: valueWidth[b])
            let dcount = Swift.min(miniblock, n - 1 - b * miniblock)
            if dcount > 0 {
                deltaSize += 1 + varintSize(UInt64(bitPattern: deltaMin[b] &- deltaBase)) + BitPacking.byteCount(count: dcount, width: deltaWidth[b])
            }
        }
        return (forSize, deltaSize, runs, base, top)
    }

    @inline(__always)
    static func varintSize(_ v: UInt64) -> Int { max(1, (BitPacking.width(of: v) + 6) / 7) }
}
