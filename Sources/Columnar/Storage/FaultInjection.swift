// Deterministic faults for the crash and full-disk tests, in the one place every durable file
// operation passes (creating, writing, fsyncing, renaming, removing). `MOVIECOL_FAULT`:
//
//   kill:N     the process kills itself (SIGKILL) just before its N-th operation: a crash at
//              a chosen point, the same point on every run of a single-threaded command
//   tear:N     as kill:N, but when the N-th operation is a write, half its bytes are written
//              first (a torn write); other operations are killed before, as kill:N
//   enospc:N   the N-th and every later create or write fails as on a full disk (ENOSPC)
//   readonly:N the same with EROFS, as on a read-only file system
//   count      standard error gets `moviecol: N file operations, writes at i,j,...` at exit
//              (to choose N)
//
// Without the variable the check is one load of a constant and a branch.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

package enum FaultInjection {
    package enum Operation { case create, write, sync, rename, remove }

    private enum Mode { case off, kill(Int), tear(Int), enospc(Int), readOnly(Int), count }

    /// What `check` returns for a write to be torn: write half, then `die()`.
    package static let tear: Int32 = -1

    private static let mode: Mode = {
        guard let text = ProcessInfo.processInfo.environment["MOVIECOL_FAULT"] else { return .off }
        let parts = text.split(separator: ":")
        switch (parts.first.map(String.init), parts.count == 2 ? Int(parts[1]) : nil) {
        case ("kill", let n?) where n > 0: return .kill(n)
        case ("tear", let n?) where n > 0: return .tear(n)
        case ("enospc", let n?) where n > 0: return .enospc(n)
        case ("readonly", let n?) where n > 0: return .readOnly(n)
        case ("count", _):
            atexit { FaultInjection.report() }
            return .count
        default: return .off
        }
    }()

    private static let operations = Atomic<Int>(0)
    private static let writes = Mutex<[Int]>([])

    /// Called before each durable operation: the errno to fail it with, or 0 to go ahead.
    @inline(__always) package static func check(_ operation: Operation) -> Int32 {
        if case .off = mode { return 0 }
        return inject(operation)
    }

    private static func inject(_ operation: Operation) -> Int32 {
        let n = operations.add(1, ordering: .relaxed).newValue
        switch mode {
        case .count where operation == .write:
            writes.withLock { $0.append(n) }
            return 0
        case .kill(let k) where n >= k:
            die()
        case .tear(let k) where n >= k:
            if operation == .write { return tear }
            die()
        case .enospc(let k) where n >= k && (operation == .create || operation == .write):
            return ENOSPC
        case .readOnly(let k) where n >= k && (operation == .create || operation == .write):
            return EROFS
        default:
            return 0
        }
    }

    /// The crash: SIGKILL, which nothing in the process can catch or clean up after.
    package static func die() -> Never {
        kill(getpid(), SIGKILL)
        fatalError("SIGKILL did not stop the process")
    }

    private static func report() {
        let at = writes.withLock { $0.sorted().map(String.init).joined(separator: ",") }
        FileHandle.standardError.write(Data("moviecol: \(operations.load(ordering: .relaxed)) file operations, writes at \(at)\n".utf8))
    }
}
