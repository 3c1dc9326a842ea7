// Thin POSIX file helpers with errors that name the path. Writes go through these so that
// every durable step (write, fsync, rename, directory fsync) is explicit at the call site.

import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file operations used by the storage layer.
package enum FileIO {
    package static func errnoMessage() -> String { String(cString: strerror(errno)) }

    package static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    package static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    package static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    package static func makeDirectories(_ path: String) throws(StorageError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw StorageError(.io, "cannot create directory: " + describe(errno), path: current)
            }
        }
    }

    /// Seconds since the epoch of the last change to `path`'s contents, or nil.
    package static func modificationTime(_ path: String) -> Double? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        return Double(st.st_mtimespec.tv_sec) + Double(st.st_mtimespec.tv_nsec) / 1e9
        #else
        return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
        #endif
    }

    package static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    package static func readFile(_ path: String) throws(StorageError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StorageError(errno == ENOENT ? .notFound : .io, "cannot open: \(errnoMessage())", path: path) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; throw StorageError(.io, "read failed: \(errnoMessage())", path: path) }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Reads `count` bytes at `offset` exactly.
    package static func pread(fd: Int32, into buffer: UnsafeMutableRawBufferPointer, offset: Int, path: String) throws(StorageError) {
        var done = 0
        while done < buffer.count {
            let n = Glibc.pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 { if errno == EINTR { continue }; throw StorageError(.io, "read failed: \(errnoMessage())", path: path) }
            if n == 0 { throw StorageError(.corrupt, "file ends at byte \(offset + done), a block needs \(offset + buffer.count)", path: path) }
            done += n
        }
    }

    package static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        let injected = FaultInjection.check(.write)
        let failure: Int32 = injected > 0 ? injected : bytes.withUnsafeBytes { b in
            var done = 0
            let end = injected == FaultInjection.tear ? b.count / 2 : b.count
            while done < end {
                let n = write(fd, b.baseAddress! + done, end - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            if end < b.count { FaultInjection.die() }
            return 0
        }
        if failure != 0 { throw StorageError(.io, "write failed: " + describe(failure), path: path) }
    }

    /// `strerror`, with what it means for the warehouse where the cause is the machine's.
    package static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        switch code {
        case ENOSPC, EDQUOT: return text + " (the disk is full; nothing was committed, the warehouse keeps its previous version)"
        case EROFS, EACCES, EPERM: return text + " (the warehouse is read-only here; it can be queried but not written)"
        default: return text
        }
    }

    package static func fsyncFile(fd: Int32, path: String) throws(StorageError) {
        _ = FaultInjection.check(.sync)
        guard fsync(fd) == 0 else { throw StorageError(.io, "fsync failed: " + describe(errno), path: path) }
    }

    package static func fsyncDirectory(_ path: String) throws(StorageError) {
        _ = FaultInjection.check(.sync)
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw StorageError(.io, "cannot open directory: \(errnoMessage())", path: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw StorageError(.io, "fsync failed: \(errnoMessage())", path: path) }
    }

    /// Writes `bytes` to `path` atomically: a temporary file, fsync, rename, directory fsync.
    /// The temporary name is unique to this process and call, so two processes replacing
    /// the same file never write into each other's temporary file.
    package static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String,
                                        mode: mode_t = 0o644) throws(StorageError) {
        let tmp = path + ".tmp-\(getpid())-\(temporaryCounter.add(1, ordering: .relaxed).newValue)"
        let injected = FaultInjection.check(.create)
        let fd = injected != 0 ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_EXCL, mode)
        guard fd >= 0 else { throw StorageError(.io, "cannot create: " + describe(injected != 0 ? injected : errno), path: tmp) }
        do throws(StorageError) {
            try writeAll(fd: fd, bytes, path: tmp)
            try fsyncFile(fd: fd, path: tmp)
        } catch {
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        _ = FaultInjection.check(.rename)
        guard rename(tmp, path) == 0 else {
            let message = errnoMessage()
            unlink(tmp)
            throw StorageError(.io, "rename failed: \(message)", path: path)
        }
        try fsyncDirectory(directory)
    }

    package static func remove(_ path: String) {
        _ = FaultInjection.check(.remove)
        unlink(path)
    }

    private static let temporaryCounter = Atomic<Int>(0)

    /// Runs `body` holding an exclusive advisory lock on `lockPath` (created if needed),
    /// waiting for other holders: a read-modify-write of a small file by several processes
    /// then happens one at a time. The kernel releases the lock if the holder dies.
    package static func withExclusiveLock<R, E: Error>(_ lockPath: String, _ body: () throws(E) -> R) throws -> R {
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o600)
        guard fd >= 0 else { throw StorageError(.io, "cannot open the lock file: \(errnoMessage())", path: lockPath) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StorageError(.io, "cannot lock: \(errnoMessage())", path: lockPath) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Reads `length` bytes at `offset` into a new allocation the caller deallocates.
    package static func readRange(_ path: String, offset: Int, length: Int) throws(StorageError) -> UnsafeMutableRawPointer {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw StorageError(.io, "cannot open: \(errnoMessage())", path: path) }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(length, 1), alignment: 16)
        do {
            try pread(fd: fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), offset: offset, path: path)
        } catch {
            buffer.deallocate()
            throw error
        }
        return buffer.baseAddress!
    }
}
