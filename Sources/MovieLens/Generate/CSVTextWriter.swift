// Fast CSV text output for the generator: integers and fixed decimals formatted straight
// into a byte buffer, RFC 4180 quoting only where a field needs it, flushed in large writes.

#if canImport(Glibc)
import Glibc
#endif
import Columnar

/// A buffered CSV file writer.
final class CSVTextWriter {
    private let file: UnsafeMutablePointer<FILE>
    let path: String
    var buffer: [UInt8] = []

    init(path: String) throws(StorageError) {
        guard let f = fopen(path, "wb") else {
            throw StorageError(.io, "cannot create: \(String(cString: strerror(errno)))", path: path)
        }
        self.path = path
        file = f
        buffer.reserveCapacity(1 << 21)
    }

    func line(_ s: String) { buffer.append(contentsOf: s.utf8); buffer.append(UInt8(ascii: "\n")) }

    func flushIfLarge() throws(StorageError) { if buffer.count >= 1 << 20 { try flush() } }

    func append(_ bytes: [UInt8]) throws(StorageError) {
        buffer.append(contentsOf: bytes)
        try flushIfLarge()
    }

    func flush() throws(StorageError) {
        guard !buffer.isEmpty else { return }
        let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard n == buffer.count else { throw StorageError(.io, "write failed: \(String(cString: strerror(errno)))", path: path) }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(StorageError) {
        try flush()
        guard fclose(file) == 0 else { throw StorageError(.io, "close failed", path: path) }
    }
}

/// Formatting helpers that append to a byte buffer.
enum CSVFormat {
    @inline(__always)
    static func int(_ v: Int, _ out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")); int(-v, &out); return }
        if v < 10 { out.append(UInt8(v) + 48); return }
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var n = 0
        var x = v
        withUnsafeMutableBytes(of: &tmp) { t in
            while x > 0 { t[23 - n] = UInt8(x % 10) + 48; x /= 10; n += 1 }
            out.append(contentsOf: t[(24 - n)..<24])
        }
    }

    /// `v` with up to `decimals` digits after the point, trailing zeros trimmed but one kept
    /// (Python's repr for such values: `0.5`, `4.0`, `0.02875`).
    static func decimal(_ scaled: Int, decimals: Int, _ out: inout [UInt8]) {
        var p = 1
        for _ in 0..<decimals { p *= 10 }
        int(scaled / p, &out)
        out.append(UInt8(ascii: "."))
        var frac = scaled % p
        var digits = decimals
        while digits > 1 && frac % 10 == 0 { frac /= 10; digits -= 1 }
        var s = [UInt8](repeating: 48, count: digits)
        var i = digits - 1
        while frac > 0 { s[i] = UInt8(frac % 10) + 48; frac /= 10; i -= 1 }
        out.append(contentsOf: s)
    }

    /// A text field, quoted when it contains `,` `"` `\n` `\r` or edge spaces would be ambiguous.
    static func text(_ s: String, _ out: inout [UInt8]) {
        let needs = s.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        if !needs { out.append(contentsOf: s.utf8); return }
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}
