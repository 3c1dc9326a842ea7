// Sequential byte sources for the CSV loader: a plain file, a gzip file, or one entry of a
// zip archive (stored or deflated). Each reports how many bytes of its underlying file it
// has consumed, which is what a progress bar over a compressed input should follow.

#if canImport(Glibc)
import Glibc
#endif

/// A forward-only stream of (decompressed) bytes.
public protocol ByteStream: AnyObject {
    /// Fills `buffer` as far as possible; returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(StorageError) -> Int
    /// Bytes of the underlying file consumed so far.
    var sourceBytesRead: Int { get }
    /// Size of the underlying input in the file (compressed size for compressed input).
    var sourceSize: Int { get }
}

/// A byte range of a file, read with `pread`.
public final class FileByteStream: ByteStream {
    let path: String
    private let fd: Int32
    private var position: Int
    private let end: Int
    public let sourceSize: Int
    private let start: Int

    /// The bytes `[offset, offset + length)` of `path`, or the whole file.
    public init(path: String, offset: Int = 0, length: Int? = nil) throws(StorageError) {
        self.path = path
        fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StorageError(errno == ENOENT ? .notFound : .io, "cannot open: \(FileIO.errnoMessage())", path: path) }
        let size = FileIO.fileSize(path) ?? 0
        start = offset
        position = offset
        end = length.map { offset + $0 } ?? size
        sourceSize = end - offset
        posix_fadvise(fd, off_t(offset), off_t(sourceSize), Int32(POSIX_FADV_SEQUENTIAL))
    }

    deinit { close(fd) }

    public var sourceBytesRead: Int { position - start }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(StorageError) -> Int {
        var filled = 0
        while filled < buffer.count && position < end {
            let want = min(buffer.count - filled, end - position)
            let n = pread(fd, buffer.baseAddress! + filled, want, off_t(position))
            if n < 0 { if errno == EINTR { continue }; throw StorageError(.io, "read failed: \(FileIO.errnoMessage())", path: path) }
            if n == 0 { throw StorageError(.io, "file is shorter than expected (ends at byte \(position))", path: path) }
            filled += n
            position += n
        }
        return filled
    }
}

/// Inflates gzip or raw-deflate data from an underlying stream; optionally checks a CRC32.
public final class InflatingByteStream: ByteStream {
    private let source: FileByteStream
    private let inflater: Inflater
    private let format: Inflater.Format
    private var input: UnsafeMutableRawBufferPointer
    private var inputStart = 0
    private var inputEnd = 0
    private var sourceDone = false
    private let expectedCRC: UInt32?
    private let expectedSize: Int?
    private var crc: UInt32 = 0
    private var produced = 0
    private let name: String

    package init(source: FileByteStream, format: Inflater.Format, name: String, expectedCRC: UInt32? = nil,
                expectedSize: Int? = nil) throws(StorageError) {
        self.source = source
        self.format = format
        self.name = name
        self.expectedCRC = expectedCRC
        self.expectedSize = expectedSize
        inflater = try Inflater(format: format)
        input = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit { input.deallocate() }

    public var sourceBytesRead: Int { source.sourceBytesRead - (inputEnd - inputStart) }
    public var sourceSize: Int { source.sourceSize }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(StorageError) -> Int {
        var filled = 0
        while filled < buffer.count {
            if inputStart == inputEnd && !sourceDone {
                inputStart = 0
                inputEnd = try source.read(into: input)
                if inputEnd == 0 { sourceDone = true }
            }
            let out = UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])
            let (consumed, made) = try inflater.inflate(UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd]), into: out)
            inputStart += consumed
            if made > 0 && expectedCRC != nil {
                crc = Zlib.crc32(UnsafeRawBufferPointer(rebasing: out[0..<made]), seed: crc)
            }
            filled += made
            produced += made
            if made == 0 && consumed == 0 {
                if inflater.atStreamEnd || sourceDone { break }
            }
            if inflater.atStreamEnd && inputStart == inputEnd && sourceDone { break }
        }
        if filled == 0 { try finish() }
        return filled
    }

    private func finish() throws(StorageError) {
        guard inflater.atStreamEnd else {
            throw StorageError(.corrupt, "compressed data ends early: the file is truncated", path: name)
        }
        if let expectedSize, expectedSize != produced {
            throw StorageError(.corrupt, "inflated to \(produced) bytes, the archive says \(expectedSize)", path: name)
        }
        if let expectedCRC, expectedCRC != crc {
            throw StorageError(.checksumMismatch, "CRC32 of the inflated data does not match the archive: the file is corrupted", path: name)
        }
    }
}
