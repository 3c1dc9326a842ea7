// One writer at a time: an advisory flock on `LOCK` in the warehouse directory. The kernel
// drops the lock when the holder dies (even by kill -9), so a crash never wedges the
// warehouse; the file's text names the holder for the error a second writer gets.

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive writer lock on a warehouse directory.
package final class WriterLock {
    private var fd: Int32

    /// Takes the lock, or throws `.locked` naming the process that holds it.
    package init(directory: String, holder: String) throws(StorageError) {
        let path = directory + "/LOCK"
        let injected = FaultInjection.check(.create)
        fd = injected != 0 ? -1 : open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw StorageError(.io, "cannot open the lock file: " + FileIO.describe(injected != 0 ? injected : errno), path: path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            var info = [UInt8](repeating: 0, count: 512)
            let n = info.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress, 512, 0) }
            close(fd)
            fd = -1
            let who = n > 0 ? String(decoding: info[0..<n], as: UTF8.self).trimmingTrailingNewlines() : "another process"
            if err == EWOULDBLOCK {
                throw StorageError(.locked, "the warehouse is being written by \(who); wait for it to finish", path: directory)
            }
            throw StorageError(.io, "cannot lock: \(String(cString: strerror(err)))", path: path)
        }
        let text = Array("pid \(getpid()) (\(holder))\n".utf8)
        ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (also done on deinit).
    package func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var s = self
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return s
    }
}
