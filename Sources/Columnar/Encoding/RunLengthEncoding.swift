// Run-length coding: (value, length) pairs, each list frame-of-reference coded. Pays for
// sorted low-cardinality columns such as userId in file order or a constant flag.

/// Run-length coding of Int64 values.
package enum RunLength {
    /// Number of runs of equal neighbours.
    package static func runCount(_ values: UnsafeBufferPointer<Int64>) -> Int {
        guard !values.isEmpty else { return 0 }
        var runs = 1
        for i in 1..<values.count where values[i] != values[i - 1] { runs += 1 }
        return runs
    }

    package static func runs(_ values: UnsafeBufferPointer<Int64>) -> (values: [Int64], lengths: [Int64]) {
        var vs: [Int64] = []
        var ls: [Int64] = []
        vs.reserveCapacity(64)
        ls.reserveCapacity(64)
        var i = 0
        while i < values.count {
            let v = values[i]
            var j = i + 1
            while j < values.count && values[j] == v { j += 1 }
            vs.append(v)
            ls.append(Int64(j - i))
            i = j
        }
        return (vs, ls)
    }

    package static func encodedSize(_ values: UnsafeBufferPointer<Int64>) -> Int {
        let (vs, ls) = runs(values)
        return 4 + vs.withUnsafeBufferPointer { FrameOfReference.encodedSize($0) }
            + ls.withUnsafeBufferPointer { FrameOfReference.encodedSize($0) }
    }

    package static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        let (vs, ls) = runs(values)
        out.write(UInt32(vs.count))
        FrameOfReference.encode(vs, into: &out)
        FrameOfReference.encode(ls, into: &out)
    }

    package static func decode(_ reader: inout ByteReader, count: Int,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        let runCount = Int(try reader.read(UInt32.self))
        guard runCount <= max(count, 1) else { throw .corrupt("run-length segment has \(runCount) runs for \(count) rows") }
        let vs = try FrameOfReference.decode(&reader, count: runCount)
        let ls = try FrameOfReference.decode(&reader, count: runCount)
        var at = 0
        for r in 0..<runCount {
            let len = Int(ls[r])
            guard len >= 0, at + len <= count else { throw .corrupt("run lengths exceed the segment's row count") }
            for i in at..<(at + len) { dst[i] = vs[r] }
            at += len
        }
        guard at == count else { throw .corrupt("run lengths cover \(at) of \(count) rows") }
    }
}
