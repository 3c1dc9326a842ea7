// Validity (non-NULL) bitmaps: one bit per row, 1 = valid. A column with no NULLs carries
// no bitmap at all, which is the common case and keeps the hot paths branch-free.

/// A bitmap with one bit per row; a set bit means the row holds a value.
public struct ValidityBitmap: Sendable, Hashable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// A bitmap of `count` rows, all valid.
    public init(allValid count: Int) {
        self.count = count
        words = [UInt64](repeating: ~0, count: (count + 63) >> 6)
        clearTail()
    }

    /// A bitmap over existing words (the bits past `count` are ignored).
    public init(words: [UInt64], count: Int) {
        precondition(words.count >= (count + 63) >> 6)
        self.words = Array(words.prefix((count + 63) >> 6))
        self.count = count
        clearTail()
    }

    @inlinable
    public func isValid(_ row: Int) -> Bool {
        words[row >> 6] & (1 << UInt64(row & 63)) != 0
    }

    public mutating func setValid(_ row: Int, _ valid: Bool) {
        if valid {
            words[row >> 6] |= 1 << UInt64(row & 63)
        } else {
            words[row >> 6] &= ~(1 << UInt64(row & 63))
        }
    }

    /// Number of NULL rows.
    public var nullCount: Int {
        count - words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    private mutating func clearTail() {
        let rem = count & 63
        if rem != 0 { words[words.count - 1] &= (1 << UInt64(rem)) - 1 }
    }
}
