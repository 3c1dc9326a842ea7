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

    static func count(_ v: Double) -> String {
        if v >= 1e6 { return String(format: "%.1fM", v / 1e6) }
        if v >= 1e3 { return String(format: "%.1fK", v / 1e3) }
        return String(format: "%.0f", v)
    }
}
