// A small line editor for the interactive prompt: the terminal in raw mode, left/right and
// Home/End (Ctrl-A/Ctrl-E) to move, Backspace, Up/Down through a history kept in
// ~/.moviecol_history, Ctrl-C to clear the line, Ctrl-D on an empty line to leave.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class LineEditor {
    private var history: [String] = []
    private let historyPath: String?
    private var original = termios()

    init() {
        let home = ProcessInfo.processInfo.environment["HOME"]
        historyPath = home.map { $0 + "/.moviecol_history" }
        if let historyPath, let text = try? String(contentsOfFile: historyPath, encoding: .utf8) {
            history = Array(text.split(separator: "\n").suffix(1000).map(String.init))
        }
    }

    /// One line, or nil at end of input (Ctrl-D on an empty line, or input closed).
    func readLine(prompt: String) -> String? {
        guard tcgetattr(0, &original) == 0 else {
            write(prompt)
            return Swift.readLine()
        }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSANOW, &raw)
        defer { tcsetattr(0, TCSANOW, &original) }

        var line: [Character] = []
        var cursor = 0
        var historyIndex = history.count
        var pending: [UInt8] = []
        func redraw() {
            let text = String(line)
            let tail = line.count - cursor
            write("\r" + prompt + text + "\u{1B}[K" + (tail > 0 ? "\u{1B}[\(tail)D" : ""))
        }
        write(prompt)
        while true {
            var byte: UInt8 = 0
            let n = read(0, &byte, 1)
            if n <= 0 { return line.isEmpty ? nil : String(line) }
            switch byte {
            case 13, 10:
                write("\r\n")
                let text = String(line)
                remember(text)
                return text
            case 3:  // Ctrl-C: abandon this line
                write("^C\r\n")
                line = []
                cursor = 0
                historyIndex = history.count
                write(prompt)
            case 4:  // Ctrl-D
                if line.isEmpty { write("\r\n"); return nil }
            case 1: cursor = 0; redraw()
            case 5: cursor = line.count; redraw()
            case 127, 8:
                if cursor > 0 { line.remove(at: cursor - 1); cursor -= 1; redraw() }
            case 27:
                var seq: [UInt8] = [0, 0]
                guard read(0, &seq[0], 1) == 1, read(0, &seq[1], 1) == 1, seq[0] == UInt8(ascii: "[") else { continue }
                switch seq[1] {
                case UInt8(ascii: "A"):
                    if historyIndex > 0 { historyIndex -= 1; line = Array(history[historyIndex]); cursor = line.count; redraw() }
                case UInt8(ascii: "B"):
                    if historyIndex < history.count {
                        historyIndex += 1
                        line = historyIndex < history.count ? Array(history[historyIndex]) : []
                        cursor = line.count
                        redraw()
                    }
                case UInt8(ascii: "C"): if cursor < line.count { cursor += 1; redraw() }
                case UInt8(ascii: "D"): if cursor > 0 { cursor -= 1; redraw() }
                case UInt8(ascii: "H"): cursor = 0; redraw()
                case UInt8(ascii: "F"): cursor = line.count; redraw()
                default: break
                }
            default:
                guard byte >= 32 else { continue }
                pending.append(byte)
                // Wait for the whole UTF-8 sequence before inserting the character.
                if pending.count >= expectedLength(pending[0]) {
                    let text = String(decoding: pending, as: UTF8.self)
                    pending = []
                    let appending = cursor == line.count
                    for ch in text { line.insert(ch, at: cursor); cursor += 1 }
                    // Typing at the end only needs the new character echoed (and long lines
                    // then wrap as the terminal wraps them).
                    if appending { write(text) } else { redraw() }
                }
            }
        }
    }

    private func expectedLength(_ first: UInt8) -> Int {
        first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
    }

    private func remember(_ text: String) {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty, history.last != text else { return }
        history.append(text)
        guard let historyPath else { return }
        if !FileManager.default.fileExists(atPath: historyPath) {
            _ = FileManager.default.createFile(atPath: historyPath, contents: nil)
        }
        if let handle = FileHandle(forWritingAtPath: historyPath) {
            handle.seekToEndOfFile()
            handle.write(Data((text + "\n").utf8))
            try? handle.close()
        }
    }

    private func write(_ s: String) {
        print(s, terminator: "")
        fflush(nil)
    }
}
