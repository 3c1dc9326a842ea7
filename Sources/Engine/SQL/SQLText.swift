// SQL text from a file or a pipe arrives as bytes. Bytes that are not UTF-8 are refused with
// where they are, instead of being replaced by U+FFFD and run as a different statement.

public enum SQLText {
    /// `bytes` as text, or an error pointing at the first byte that does not decode.
    public static func decode(_ bytes: [UInt8]) throws(SQLError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let bad = firstInvalidByte(bytes)
        let line = bytes[..<bad].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
        let lineStart = bytes[..<bad].lastIndex(of: 10).map { $0 + 1 } ?? 0
        let column = String(decoding: bytes[lineStart..<bad], as: UTF8.self).count + 1
        let hex = String(bytes[bad], radix: 16, uppercase: true)
        throw SQLError(.syntax, "the input is not valid UTF-8: byte 0x\(hex.count == 1 ? "0" + hex : hex) at line \(line), column \(column) (byte offset \(bad))",
                       reason: .invalidText)
    }

    /// The offset of the first byte that is not part of a valid UTF-8 sequence.
    static func firstInvalidByte(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return bytes.count
    }
}
