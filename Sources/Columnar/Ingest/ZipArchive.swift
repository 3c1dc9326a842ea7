// Reads the central directory of a `.zip` (as GroupLens ships `ml-25m.zip`, files under a
// top folder) and opens entries as streams. Supports stored and deflated entries and the
// ZIP64 extensions for archives and entries over 4 GiB.

/// A zip archive's table of contents.
public struct ZipArchive: Sendable {
    public struct Entry: Sendable {
        /// Full path inside the archive (`ml-25m/ratings.csv`).
        public var path: String
        public var method: UInt16
        public var crc32: UInt32
        public var compressedSize: Int
        public var uncompressedSize: Int
        var localHeaderOffset: Int

        /// The last path component.
        public var fileName: String { String(path.split(separator: "/").last ?? Substring(path)) }
    }

    public let path: String
    public let entries: [Entry]

    public init(path: String) throws(StorageError) {
        self.path = path
        let bytes = try Self.readTail(path)
        entries = try Self.parseDirectory(path: path, tail: bytes.tail, tailOffset: bytes.offset, fileSize: bytes.size)
    }

    /// A stream of the entry's uncompressed bytes, CRC-checked at the end.
    public func open(_ entry: Entry) throws(StorageError) -> ByteStream {
        let header = try FileIO.readRange(path, offset: entry.localHeaderOffset, length: 30)
        var r = ByteReader(UnsafeRawBufferPointer(start: header, count: 30))
        defer { header.deallocate() }
        guard try r.read(UInt32.self) == 0x0403_4b50 else { throw StorageError(.corrupt, "bad local header for \(entry.path)", path: path) }
        r.offset = 26
        let nameLength = Int(try r.read(UInt16.self))
        let extraLength = Int(try r.read(UInt16.self))
        let dataOffset = entry.localHeaderOffset + 30 + nameLength + extraLength
        let raw = try FileByteStream(path: path, offset: dataOffset, length: entry.compressedSize)
        switch entry.method {
        case 0: return raw
        case 8:
            return try InflatingByteStream(source: raw, format: .rawDeflate, name: "\(path)!\(entry.path)",
                                           expectedCRC: entry.crc32, expectedSize: entry.uncompressedSize)
        default:
            throw StorageError(.invalidArgument, "\(entry.path) uses zip compression method \(entry.method); only stored and deflated entries are supported", path: path)
        }
    }

    private static func readTail(_ path: String) throws(StorageError) -> (tail: [UInt8], offset: Int, size: Int) {
        guard let size = FileIO.fileSize(path) else { throw StorageError(.notFound, "cannot open", path: path) }
        let want = min(size, 65_536 + 22 + 20 + 56)
        let p = try FileIO.readRange(path, offset: size - want, length: want)
        defer { p.deallocate() }
        return (Array(UnsafeBufferPointer(start: p.assumingMemoryBound(to: UInt8.self), count: want)), size - want, size)
    }

    private static func parseDirectory(path: String, tail: [UInt8], tailOffset: Int, fileSize: Int) throws(StorageError) -> [Entry] {
        func le32(_ a: [UInt8], _ i: Int) -> UInt32 { UInt32(a[i]) | UInt32(a[i + 1]) << 8 | UInt32(a[i + 2]) << 16 | UInt32(a[i + 3]) << 24 }
        func le16(_ a: [UInt8], _ i: Int) -> UInt16 { UInt16(a[i]) | UInt16(a[i + 1]) << 8 }
        func le64(_ a: [UInt8], _ i: Int) -> UInt64 { UInt64(le32(a, i)) | UInt64(le32(a, i + 4)) << 32 }
        guard tail.count >= 22, let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { le32(tail, $0) == 0x0605_4b50 }) else {
            throw StorageError(.corrupt, "not a zip archive (no end of central directory record)", path: path)
        }
        var count = Int(le16(tail, eocd + 10))
        var dirSize = Int(le32(tail, eocd + 12))
        var dirOffset = Int(le32(tail, eocd + 16))
        // ZIP64: the locator sits right before the classic record.
        if eocd >= 20 && le32(tail, eocd - 20) == 0x0706_4b50 {
            let recordOffset = Int(le64(tail, eocd - 20 + 8))
            let record = try FileIO.readRange(path, offset: recordOffset, length: 56)
            defer { record.deallocate() }
            let r = Array(UnsafeBufferPointer(start: record.assumingMemoryBound(to: UInt8.self), count: 56))
            guard le32(r, 0) == 0x0606_4b50 else { throw StorageError(.corrupt, "bad ZIP64 end of central directory record", path: path) }
            count = Int(le64(r, 32))
            dirSize = Int(le64(r, 40))
            dirOffset = Int(le64(r, 48))
        }
        guard dirOffset >= 0, dirSize >= 0, dirOffset + dirSize <= fileSize else {
            throw StorageError(.corrupt, "central directory lies outside the file", path: path)
        }
        let dirPtr = try FileIO.readRange(path, offset: dirOffset, length: dirSize)
        defer { dirPtr.deallocate() }
        let dir = Array(UnsafeBufferPointer(start: dirPtr.assumingMemoryBound(to: UInt8.self), count: dirSize))
        var entries: [Entry] = []
        var i = 0
        for _ in 0..<count {
            guard i + 46 <= dir.count, le32(dir, i) == 0x0201_4b50 else { throw StorageError(.corrupt, "bad central directory entry", path: path) }
            let method = le16(dir, i + 10)
            let crc = le32(dir, i + 16)
            var csize = UInt64(le32(dir, i + 20))
            var usize = UInt64(le32(dir, i + 24))
            let nameLen = Int(le16(dir, i + 28)), extraLen = Int(le16(dir, i + 30)), commentLen = Int(le16(dir, i + 32))
            var local = UInt64(le32(dir, i + 42))
            guard i + 46 + nameLen + extraLen + commentLen <= dir.count else { throw StorageError(.corrupt, "truncated central directory", path: path) }
            let name = String(decoding: dir[(i + 46)..<(i + 46 + nameLen)], as: UTF8.self)
            var e = i + 46 + nameLen
            let extraEnd = e + extraLen
            while e + 4 <= extraEnd {
                let id = le16(dir, e), len = Int(le16(dir, e + 2))
                if id == 0x0001 {
                    var k = e + 4
                    if usize == 0xFFFF_FFFF && k + 8 <= e + 4 + len { usize = le64(dir, k); k += 8 }
                    if csize == 0xFFFF_FFFF && k + 8 <= e + 4 + len { csize = le64(dir, k); k += 8 }
                    if local == 0xFFFF_FFFF && k + 8 <= e + 4 + len { local = le64(dir, k); k += 8 }
                }
                e += 4 + len
            }
            entries.append(Entry(path: name, method: method, crc32: crc, compressedSize: Int(csize),
                                 uncompressedSize: Int(usize), localHeaderOffset: Int(local)))
            i += 46 + nameLen + extraLen + commentLen
        }
        return entries
    }
}
