// The ingest progress line on stderr: bytes of the source read (compressed bytes for .gz
// and .zip), rows/s and an ETA, redrawn at most ten times a second.

import MovieLens
import Columnar
import Foundation
import Synchronization

final class ProgressBar: Sendable {
    private struct State {
        var table = ""
        var size = 0
        var started: UInt64 = 0
        var lastDraw: UInt64 = 0
        var drawn = false
    }

    let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool) { self.enabled = enabled }

    func handle(_ event: IngestEvent) {
        switch event {
        case .notice(let text):
            clear()
            Terminal.error("notice: \(text)")
        case .tableStarted(let table, _, let size):
            state.withLock { s in s.table = table; s.size = size; s.started = DispatchTime.now().uptimeNanoseconds }
        case .progress(_, let p):
            draw(p)
        case .tableFinished:
            clear()
        }
    }

    private func draw(_ p: LoadProgress) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let line: String? = state.withLock { s in
            guard now - s.lastDraw > 100_000_000 else { return nil }
            s.lastDraw = now
            s.drawn = true
            let elapsed = Double(now - s.started) / 1e9
            let fraction = p.sourceSize > 0 ? min(1, Double(p.sourceBytesRead) / Double(p.sourceSize)) : 0
            let width = 24
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let rate = elapsed > 0 ? Double(p.rows) / elapsed : 0
            let eta = fraction > 0.01 ? elapsed / fraction - elapsed : 0
            return String(format: "\r%@ [%@] %3.0f%% %@/%@ %@ rows/s ETA %.0fs   ", s.table, bar, fraction * 100,
                          ByteCount.format(p.sourceBytesRead), ByteCount.format(p.sourceSize), ByteCount.count(rate), eta)
        }
        if let line { Terminal.writeStderr(line) }
    }

    func clear() {
        guard enabled else { return }
        let drawn = state.withLock { s in defer { s.drawn = false }; return s.drawn }
        if drawn { Terminal.writeStderr("\r\u{1B}[K") }
    }
}

enum ByteCount {
    static func format(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.2f GB", b / 1e9) }
        if b >= 1e6 { return String(format: "%.1f MB", b / 1e6) }
        if b >= 1e3 { return String(format: "%.1f KB", b / 1e3) }
        return "\(bytes) B"
    }

    /// `4GB`, `512MB`, `2GiB`, `100000` (bytes), as DuckDB's memory_limit reads them; nil
    /// for anything else.
    static func parse(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("KIB", 1024), ("MIB", 1_048_576), ("GIB", 1_073_741_824), ("TIB", 1_099_511_627_776),
                                         ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), v > 0, v * scale < 9e18 else { return nil }
            return Int(v * scale)
        }
        guard let v = Int(t), v > 0 else { return nil }
        return v
    }

    /// 80% of the machine's memory: DuckDB's default memory limit, and moviecol's.
    static var defaultMemoryLimit: Int { Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.8) }

    static func count(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1fM", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1fK", v / 1e3) }
        return String(format: "%.0f", v)
    }
}
