// Packs unsigned integers of a fixed bit width back to back, least significant bit first.
// The building block of frame-of-reference, delta, RLE and dictionary indices.

/// Bit-packing of `UInt64` values at widths 0...64.
package enum BitPacking {
    /// Bits needed to represent `value` (0 for 0).
    @inline(__always)
    package static func width(of value: UInt64) -> Int { 64 - value.leadingZeroBitCount }

    /// Bytes that `count` values of `width` bits occupy.
    @inline(__always)
    package static func byteCount(count: Int, width: Int) -> Int { (count * width + 7) >> 3 }

    /// Appends `values` (each below `2^width`) packed at `width` bits.
    package static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into out: inout ByteWriter) {
        guard width > 0, !values.isEmpty else { return }
        let total = byteCount(count: values.count, width: width)
        let start = out.reserve(total + 8)  // slack for the last whole-word store
        out.bytes.withUnsafeMutableBytes { raw in
            let dst = raw.baseAddress! + start
            var acc: UInt64 = 0
            var used = 0
            var pos = 0
            for v in values {
                acc |= v << UInt64(used)
                used += width
                if used >= 64 {
                    (dst + pos).storeBytes(of: acc.littleEndian, as: UInt64.self)
                    pos += 8
                    used -= 64
                    acc = used == 0 ? 0 : v >> UInt64(width - used)
                }
            }
            if used > 0 { (dst + pos).storeBytes(of: acc.littleEndian, as: UInt64.self) }
        }
        out.bytes.removeLast(8)
    }

    /// Unpacks `count` values of `width` bits from `src` into `dst`.
    package static func unpack(_ src: UnsafeRawBufferPointer, width: Int, count: Int,
                               into dst: UnsafeMutableBufferPointer<UInt64>) throws(StorageError) {
        precondition(dst.count >= count)
        guard width > 0 else {
            for i in 0..<count { dst[i] = 0 }
            return
        }
        guard src.count >= byteCount(count: count, width: width) else { throw .corrupt("bit-packed run is truncated") }
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let base = src.baseAddress!
        let n = src.count
        var pos = 0
        @inline(__always) func nextWord() -> UInt64 {
            defer { pos += 8 }
            if pos + 8 <= n { return UInt64(littleEndian: (base + pos).loadUnaligned(as: UInt64.self)) }
            var w: UInt64 = 0
            var k = 0
            while pos + k < n { w |= UInt64(base.load(fromByteOffset: pos + k, as: UInt8.self)) << UInt64(8 * k); k += 1 }
            return w
        }
        var acc: UInt64 = 0
        var avail = 0
        for i in 0..<count {
            if avail >= width {
                dst[i] = acc & mask
                acc = acc >> UInt64(width)
                avail -= width
            } else {
                let next = nextWord()
                dst[i] = (acc | (next << UInt64(avail))) & mask
                let usedFromNext = width - avail
                acc = next >> UInt64(usedFromNext)
                avail = 64 - usedFromNext
            }
        }
    }
}
