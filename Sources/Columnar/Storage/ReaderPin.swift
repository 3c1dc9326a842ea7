// Reader leases: a reader pins the version it reads, and garbage collection never removes a
// file a pinned version references. A pin is a file `pins/<pid>-<n>.pin` holding the
// version number, on which the reader holds an exclusive `flock` for as long as it reads.
// The kernel drops the lock when the reader exits for any reason (kill -9 included), so a
// crashed reader's pin expires by itself: the collector finds it unlocked and removes it.
//
// The protocol, and why no reader can lose its files:
//
//   reader                                     collector (a writer, holding the writer lock)
//   1. create the pin, locked, empty           a. take `pins/GC` exclusively
//   2. read CURRENT (or, for time travel:      b. list the pins: a live empty pin means a
//      take `pins/GC` shared, check the           reader between 1 and 3: remove nothing
//      version is still there, release)        c. remove what no retained or pinned version
//   3. write the version into the pin             references; release `pins/GC`
//
// A pin the collector did not list was created after (b), so its reader reads CURRENT
// after the writer's commit, and the collector never removes the current version; a time
// traveller checks its version under the shared `GC` lock, so it either sees the version
// gone (a clear error) or pins it before the collector lists pins.

#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A version pinned by this process while it reads it; released on deinit.
public final class ReaderPin: Sendable {
    private let fd: Int32
    private let path: String

    /// Creates the pin, still empty (step 1); nil when the warehouse cannot hold pins (a
    /// read-only directory: no writer can collect garbage there either).
    init?(root: String) {
        let directory = root + "/pins"
        if !FileIO.isDirectory(directory) { mkdir(directory, 0o755) }
        let n = Self.counter.add(1, ordering: .relaxed).newValue
        let name = "\(getpid())-\(n)"
        // Locked under a temporary name, then renamed: the collector never sees it unlocked.
        let temporary = directory + "/" + name + ".tmp"
        let fd = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, rename(temporary, directory + "/" + name + ".pin") == 0 else {
            close(fd)
            unlink(temporary)
            return nil
        }
        self.fd = fd
        self.path = directory + "/" + name + ".pin"
    }

    private static let counter = Atomic<Int>(0)

    /// Records the version read (step 3), one write the collector reads whole.
    func record(_ version: Int64) {
        let text = Array("\(version)\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        unlink(path)
        close(fd)
    }

    /// What the live pins of a warehouse hold.
    package struct Census {
        package var versions: Set<Int64> = []
        /// A reader is between creating its pin and recording its version.
        package var pending = false
        /// Pins whose process is gone, removed.
        package var expired = 0
    }

    /// Lists the pins of `root`, removing those no process holds any more.
    package static func census(root: String) -> Census {
        var census = Census()
        let directory = root + "/pins"
        for name in FileIO.listDirectory(directory) where name.hasSuffix(".pin") {
            let path = directory + "/" + name
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }  // removed meanwhile: its reader is done
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                unlink(path)  // its holder is gone
                census.expired += 1
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
            if count > 1, buffer[count - 1] == UInt8(ascii: "\n"), let v = Int64(String(decoding: buffer[0..<(count - 1)], as: UTF8.self)) {
                census.versions.insert(v)
            } else {
                census.pending = true
            }
        }
        return census
    }

    /// Runs `body` holding `pins/GC` shared (a time traveller checking its version) or
    /// exclusively (the collector); without a pins directory, `body` runs unlocked.
    package static func withCollectorLock<R, E: Error>(root: String, exclusive: Bool, _ body: () throws(E) -> R) throws(E) -> R {
        let directory = root + "/pins"
        if !FileIO.isDirectory(directory) { mkdir(directory, 0o755) }
        let fd = open(directory + "/GC", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return try body() }
        defer { close(fd) }
        while flock(fd, exclusive ? LOCK_EX : LOCK_SH) != 0 && errno == EINTR {}
        return try body()
    }
}
