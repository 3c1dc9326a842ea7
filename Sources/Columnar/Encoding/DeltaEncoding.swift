// Delta coding: the first value, then the differences between neighbours coded with frame
// of reference. Sorted columns (ids in file order, ingest timestamps) become near-constant
// deltas that pack into a few bits.

/// Delta coding of Int64 values.
package enum DeltaCoding {
    package static func deltas(_ values: UnsafeBufferPointer<Int64>) -> [Int64] {
        guard values.count > 1 else { return [] }
        return [Int64](unsafeUninitializedCapacity: values.count - 1) { buf, n in
            for i in 1..<values.count { buf[i - 1] = values[i] &- values[i - 1] }
            n = values.count - 1
        }
    }

    package static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        out.write(values.first ?? 0)
        FrameOfReference.encode(deltas(values), into: &out)
    }

    package static func decode(_ reader: inout ByteReader, count: Int,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        let first: Int64 = try reader.read()
        guard count > 0 else { _ = try FrameOfReference.decode(&reader, count: 0); return }
        dst[0] = first
        guard count > 1 else { _ = try FrameOfReference.decode(&reader, count: 0); return }
        try FrameOfReference.decode(&reader, count: count - 1, into: UnsafeMutableBufferPointer(rebasing: dst[1..<count]))
        var acc = first
        for i in 1..<count {
            acc = acc &+ dst[i]
            dst[i] = acc
        }
    }
}
