// zlib, reached through the system library: block compression for segments, CRC32 for
// checksums, and streaming inflate for `.csv.gz` files and deflated `.zip` entries.

import CSupport
import CZlib

/// Whole-buffer zlib compression and CRC32.
package enum Zlib {
    /// CRC-32 (IEEE) of `bytes`, continuing from `seed`.
    package static func crc32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = UInt(seed)
        var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var left = bytes.count
        // Whole 16-byte blocks by carry-less multiplication where the CPU has it (CSupport's
        // crc32_clmul.c, ~10x zlib's tables); the last few bytes through zlib.
        if left >= 64 && clmul, let start = p {
            let blocks = left & ~15
            crc = UInt(~moviecol_crc32_clmul(~UInt32(truncatingIfNeeded: crc), start, blocks))
            p = start + blocks
            left -= blocks
        }
        while left > 0 {
            let n = min(left, Int(UInt32.max >> 1))
            crc = CZlib.crc32(crc, p, UInt32(n))
            p = p! + n
            left -= n
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// Whether crc32 takes the carry-less multiplication path on this CPU.
    package static let clmul = moviecol_crc32_clmul_available() != 0

    /// zlib's CRC-32 alone, the reference the fast path is tested against.
    package static func tableCRC32(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        UInt32(truncatingIfNeeded: CZlib.crc32(UInt(seed), bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt32(bytes.count)))
    }

    package static func crc32(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0, seed: seed) }
    }

    /// zlib-format compression at `level` (1 fastest ... 9 smallest).
    package static func compress(_ input: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
        var bound = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let rc = out.withUnsafeMutableBufferPointer { o in
            compress2(o.baseAddress, &bound, input.baseAddress?.assumingMemoryBound(to: UInt8.self), uLong(input.count), level)
        }
        precondition(rc == Z_OK, "zlib compress2 failed with \(rc)")
        out.removeSubrange(Int(bound)...)
        return out
    }

    /// zlib-format compression with a deflate strategy: `Z_RLE` and `Z_HUFFMAN_ONLY` skip the
    /// match search, which bit-packed numbers rarely reward, and run several times faster.
    package static func compress(_ input: UnsafeRawBufferPointer, level: Int32, strategy: Int32) -> [UInt8] {
        var stream = z_stream()
        precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15, 8, strategy, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(input.count))))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        let produced = out.withUnsafeMutableBufferPointer { o -> Int in
            stream.next_out = o.baseAddress
            stream.avail_out = UInt32(o.count)
            let rc = deflate(&stream, Z_FINISH)
            precondition(rc == Z_STREAM_END, "zlib deflate failed with \(rc)")
            return o.count - Int(stream.avail_out)
        }
        out.removeSubrange(produced...)
        return out
    }

    package static let strategyRLE = Z_RLE
    package static let strategyHuffmanOnly = Z_HUFFMAN_ONLY

    /// Deflate's largest possible expansion on inflating (a 258-byte match in about two
    /// bits, plus block overhead): a raw length beyond this times the input is corrupt.
    package static let maxRatio = 1032

    /// Inflates a zlib-format buffer whose uncompressed size is known exactly.
    package static func decompress(_ input: UnsafeRawBufferPointer, rawLength: Int) throws(StorageError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        var destLen = uLong(rawLength)
        let rc = out.withUnsafeMutableBufferPointer { o in
            uncompress(o.baseAddress, &destLen, input.baseAddress?.assumingMemoryBound(to: UInt8.self), uLong(input.count))
        }
        guard rc == Z_OK, Int(destLen) == rawLength else {
            throw .corrupt("zlib data does not inflate to \(rawLength) bytes (zlib code \(rc))")
        }
        return out
    }
}

/// Streaming inflate of gzip (`.gz`) or raw deflate (zip entries) input.
package final class Inflater {
    package enum Format: Sendable { case gzip, rawDeflate }

    private var stream = z_stream()
    /// Whether the last call ended exactly at the end of a gzip member or deflate stream.
    public private(set) var atStreamEnd = false

    package init(format: Format) throws(StorageError) {
        let bits: Int32 = format == .gzip ? 15 + 16 : -15
        let rc = inflateInit2_(&stream, bits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw StorageError(.io, "zlib inflateInit2 failed with \(rc)") }
    }

    deinit { inflateEnd(&stream) }

    /// Inflates from `input` into `output`; returns (bytes consumed, bytes produced).
    /// A gzip stream of several members (as `cat a.gz b.gz` makes) continues across members;
    /// raw deflate data after the end of its stream is the caller's to reject.
    package func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(StorageError) -> (consumed: Int, produced: Int) {
        if atStreamEnd {
            guard !input.isEmpty else { return (0, 0) }
            // More input after a complete member: another gzip member follows.
            inflateReset(&stream)
            atStreamEnd = false
        }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(output.count)
        let rc = CZlib.inflate(&stream, Z_NO_FLUSH)
        let consumed = input.count - Int(stream.avail_in)
        let produced = output.count - Int(stream.avail_out)
        switch rc {
        case Z_OK, Z_BUF_ERROR:
            break
        case Z_STREAM_END:
            atStreamEnd = true
        default:
            let msg = stream.msg.map { String(cString: $0) } ?? "code \(rc)"
            throw StorageError(.corrupt, "compressed data is invalid: \(msg)")
        }
        return (consumed, produced)
    }
}
