// The framing of one segment inside a data file: a fixed header, the payload and a CRC32
// over both. A reader verifies the checksum before it decodes a byte, so a flipped bit
// becomes a checksum error naming the file, never a wrong value.
//
//   offset  size  field
//   0       4     magic "MCB1"
//   4       1     block format version (1)
//   5       1     LogicalType raw value
//   6       1     EncodingKind raw value
//   7       1     CompressionKind raw value
//   8       4     row count
//   12      4     stored payload length
//   16      4     raw (uncompressed) payload length
//   20      4     reserved (0)
//   24      n     payload
//   24+n    4     CRC32 of bytes [0, 24+n)

/// Framing and verification of segment blocks.
package enum BlockFormat {
    package static let magic: UInt32 = 0x3142_434D  // "MCB1" little-endian
    package static let version: UInt8 = 1
    package static let headerSize = 24
    package static let trailerSize = 4

    /// The decoded header of a verified block.
    package struct Header {
        package var type: LogicalType
        package var encoding: EncodingKind
        package var compression: CompressionKind
        package var rowCount: Int
        package var storedLength: Int
        package var rawLength: Int
    }

    /// The block bytes for `segment`.
    package static func frame(_ segment: EncodedSegment) -> [UInt8] {
        var w = ByteWriter(capacity: headerSize + segment.payload.count + trailerSize)
        w.write(magic)
        w.write(version)
        w.write(segment.type.rawValue)
        w.write(segment.encoding.rawValue)
        w.write(segment.compression.rawValue)
        w.write(UInt32(segment.rowCount))
        w.write(UInt32(segment.payload.count))
        w.write(UInt32(segment.rawLength))
        w.write(UInt32(0))
        w.write(segment.payload)
        w.write(Zlib.crc32(w.bytes))
        return w.bytes
    }

    /// Verifies a whole block and returns its header and payload.
    package static func open(_ block: UnsafeRawBufferPointer, path: String, offset: Int) throws(StorageError) -> (Header, UnsafeRawBufferPointer) {
        func fail(_ what: String, _ code: StorageError.Code = .corrupt) -> StorageError {
            StorageError(code, "\(what) in the block at byte offset \(offset)", path: path)
        }
        guard block.count >= headerSize + trailerSize else { throw fail("truncated block") }
        let body = UnsafeRawBufferPointer(rebasing: block[0..<(block.count - trailerSize)])
        let stored = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: block.count - trailerSize, as: UInt32.self))
        let actual = Zlib.crc32(body)
        guard stored == actual else {
            throw fail("checksum mismatch (stored \(hex(stored)), computed \(hex(actual))): the file is corrupted", .checksumMismatch)
        }
        var r = ByteReader(body)
        guard (try? r.read(UInt32.self)) == magic else { throw fail("bad block magic") }
        guard (try? r.read(UInt8.self)) == version else { throw fail("unsupported block version", .unsupportedVersion) }
        guard let type = LogicalType(rawValue: try r.read()),
              let encoding = EncodingKind(rawValue: try r.read()),
              let compression = CompressionKind(rawValue: try r.read()) else { throw fail("unknown type, encoding or compression tag") }
        let rows = Int(try r.read(UInt32.self))
        let storedLength = Int(try r.read(UInt32.self))
        let rawLength = Int(try r.read(UInt32.self))
        _ = try r.read(UInt32.self)
        guard storedLength == body.count - headerSize else { throw fail("payload length disagrees with the block size") }
        let header = Header(type: type, encoding: encoding, compression: compression, rowCount: rows,
                            storedLength: storedLength, rawLength: rawLength)
        return (header, UnsafeRawBufferPointer(rebasing: body[headerSize...]))
    }

    private static func hex(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - s.count) + s
    }
}
