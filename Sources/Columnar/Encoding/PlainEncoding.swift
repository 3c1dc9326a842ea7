// Plain coding: fixed-width values little-endian as they are; strings as frame-of-reference
// coded lengths followed by the concatenated bytes. The fallback every type supports.

/// Plain coding of fixed-width values and strings.
package enum PlainCoding {
    package static func encode(_ values: UnsafeBufferPointer<Int64>, width: Int, into out: inout ByteWriter) {
        switch width {
        case 1: for v in values { out.write(UInt8(truncatingIfNeeded: v)) }
        case 4: for v in values { out.write(Int32(truncatingIfNeeded: v)) }
        default: for v in values { out.write(v) }
        }
    }

    package static func decode(_ reader: inout ByteReader, count: Int, width: Int, signed: Bool = true,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        let raw = try reader.take(count * width)
        switch width {
        case 1: for i in 0..<count { dst[i] = Int64(raw[i]) }
        case 4: for i in 0..<count { dst[i] = Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))) }
        default: for i in 0..<count { dst[i] = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)) }
        }
    }

    package static func encodedSize(_ strings: StringArray) -> Int {
        lengths(strings).withUnsafeBufferPointer { FrameOfReference.encodedSize($0) } + strings.bytes.count
    }

    package static func encode(_ strings: StringArray, into out: inout ByteWriter) {
        FrameOfReference.encode(lengths(strings), into: &out)
        out.write(strings.bytes)
    }

    package static func decodeStrings(_ reader: inout ByteReader, count: Int) throws(StorageError) -> StringArray {
        let lens = try FrameOfReference.decode(&reader, count: count)
        var offsets = [UInt32](repeating: 0, count: count + 1)
        var total = 0
        for i in 0..<count {
            guard lens[i] >= 0 else { throw .corrupt("negative string length") }
            total += Int(lens[i])
            guard total <= reader.remaining else { throw .corrupt("string lengths run past the payload") }
            offsets[i + 1] = UInt32(total)
        }
        let raw = try reader.take(total)
        return StringArray(offsets: offsets, bytes: [UInt8](raw))
    }

    package static func lengths(_ strings: StringArray) -> [Int64] {
        (0..<strings.count).map { Int64(strings.length($0)) }
    }
}
