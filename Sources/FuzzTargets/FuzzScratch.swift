// A scratch directory for one fuzzing process: the small warehouses the SQL and HTTP targets
// run on, and the files the CSV target reads. In memory (/dev/shm) when the machine has it,
// so the millions of writes of a run do not reach a disk.

import Foundation

enum FuzzScratch {
    static let directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = base + "/moviecol-fuzz-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // Removed when the process ends normally; a killed run leaves it for the next cleanup.
        atexit { try? FileManager.default.removeItem(atPath: FuzzScratch.directory) }
        return dir
    }()
}
