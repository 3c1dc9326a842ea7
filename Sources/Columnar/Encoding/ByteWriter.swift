// Little-endian byte writing and bounds-checked reading for segment payloads. Readers throw
// on overrun (a truncated or corrupted block), never trap.

/// An append-only little-endian byte buffer.
package struct ByteWriter {
    package var bytes: [UInt8]

    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    package var count: Int { bytes.count }

    @inline(__always)
    package mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    package mutating func write(_ raw: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: raw)
    }

    package mutating func write(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// LEB128 unsigned varint.
    package mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends `count` zero bytes and returns the offset of the first.
    package mutating func reserve(_ count: Int) -> Int {
        let at = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        return at
    }
}

/// A bounds-checked cursor over a payload.
package struct ByteReader {
    package let base: UnsafeRawBufferPointer
    package var offset: Int

    package init(_ base: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = base
        self.offset = offset
    }

    package var remaining: Int { base.count - offset }

    @inline(__always)
    package mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(StorageError) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= base.count else { throw .corrupt("segment payload ends early") }
        let v = base.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    package mutating func readVarint() throws(StorageError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < base.count else { throw .corrupt("varint runs past the end of the payload") }
            let b = base[offset]
            offset += 1
            guard shift < 64 else { throw .corrupt("varint longer than 64 bits") }
            result |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// Returns the next `count` bytes and advances past them.
    package mutating func take(_ count: Int) throws(StorageError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= base.count - offset else { throw .corrupt("segment payload ends early") }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + count)])
        offset += count
        return slice
    }
}
