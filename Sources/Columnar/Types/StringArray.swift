// Variable-length strings as one byte heap plus offsets (Arrow's layout): a column of
// strings is two allocations, not one per value.

/// UTF-8 strings stored contiguously; value `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
public struct StringArray: Sendable, Hashable {
    public var offsets: [UInt32]
    public var bytes: [UInt8]

    public init() {
        offsets = [0]
        bytes = []
    }

    public init(offsets: [UInt32], bytes: [UInt8]) {
        precondition(!offsets.isEmpty && Int(offsets.last!) == bytes.count)
        self.offsets = offsets
        self.bytes = bytes
    }

    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        offsets.append(UInt32(bytes.count))
    }

    public mutating func append(bytes b: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: b)
        offsets.append(UInt32(bytes.count))
    }

    @inlinable
    public func length(_ i: Int) -> Int { Int(offsets[i + 1] &- offsets[i]) }

    public subscript(i: Int) -> String {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[lo..<hi]), as: UTF8.self) }
    }

    /// Calls `body` with the raw bytes of value `i`, without creating a `String`.
    @inlinable
    public func withValueBytes<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let lo = Int(offsets[i]), hi = Int(offsets[i + 1])
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[lo..<hi])) }
    }
}

/// A list per row, each a run of values in a child `StringArray`.
public struct StringListArray: Sendable, Hashable {
    /// `offsets[i] ..< offsets[i + 1]` indexes `values` for row `i`.
    public var offsets: [UInt32]
    public var values: StringArray

    public init() {
        offsets = [0]
        values = StringArray()
    }

    public init(offsets: [UInt32], values: StringArray) {
        precondition(!offsets.isEmpty && Int(offsets.last!) == values.count)
        self.offsets = offsets
        self.values = values
    }

    public var count: Int { offsets.count - 1 }

    public mutating func append(_ list: [String]) {
        for s in list { values.append(s) }
        offsets.append(UInt32(values.count))
    }

    public subscript(i: Int) -> [String] {
        (Int(offsets[i])..<Int(offsets[i + 1])).map { values[$0] }
    }
}
