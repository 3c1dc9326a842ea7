// Appends framed segment blocks to one new data file. Each ingest worker owns one, so
// workers never contend on a file; the transaction fsyncs them all before it commits.

import CSupport
#if canImport(Glibc)
import Glibc
#endif

/// A buffered, append-only writer of segment blocks. Used by one thread at a time (its
/// worker); the transaction only finishes it after the workers are done.
package final class DataFileWriter: @unchecked Sendable {
    /// Path relative to the warehouse root, as the manifest records it.
    package let relativePath: String
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var written = 0
    private var writebackStarted = 0
    private static let flushThreshold = 1 << 20
    /// Dirty bytes after which writeback is started, so the final fsync has little left to do.
    private static let writebackStep = 8 << 20

    init(root: String, relativePath: String) throws(StorageError) {
        self.relativePath = relativePath
        path = root + "/" + relativePath
        let injected = FaultInjection.check(.create)
        fd = injected != 0 ? -1 : open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw StorageError(.io, "cannot create data file: " + FileIO.describe(injected != 0 ? injected : errno), path: path) }
        buffer.reserveCapacity(Self.flushThreshold * 2)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends `segment` and returns where it landed.
    package func append(_ segment: EncodedSegment) throws(StorageError) -> SegmentMetadata {
        let block = BlockFormat.frame(segment)
        let offset = written + buffer.count
        buffer.append(contentsOf: block)
        if buffer.count >= Self.flushThreshold { try flush() }
        return SegmentMetadata(file: relativePath, offset: offset, length: block.count, encoding: segment.encoding,
                               compression: segment.compression, rawLength: segment.rawLength, stats: segment.stats)
    }

    private func flush() throws(StorageError) {
        guard !buffer.isEmpty else { return }
        try FileIO.writeAll(fd: fd, buffer, path: path)
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
        if written - writebackStarted >= Self.writebackStep {
            _ = moviecol_start_writeback(fd, Int64(writebackStarted), Int64(written - writebackStarted))
            writebackStarted = written
        }
    }

    /// Flushes, fsyncs and closes the file. Idempotent.
    package func finish() throws(StorageError) {
        guard fd >= 0 else { return }
        try flush()
        try FileIO.fsyncFile(fd: fd, path: path)
        close(fd)
        fd = -1
    }

    var isFinished: Bool { fd < 0 }
}
