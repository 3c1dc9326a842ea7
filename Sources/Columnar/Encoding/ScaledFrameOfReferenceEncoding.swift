// Frame of reference over values divided by their common factor. Timestamps in microseconds
// that are whole seconds (every MovieLens rating time), dates of whole weeks, prices in cents
// of whole euros: dividing by the factor first takes ~20 bits off every value.

/// The common factor (a varint), then frame-of-reference coding of value / factor.
package enum ScaledFrameOfReference {
    /// The greatest common divisor of the values' magnitudes; 0 when all are 0.
    package static func commonFactor(_ values: UnsafeBufferPointer<Int64>) -> UInt64 {
        var g: UInt64 = 0
        for v in values {
            let m = v.magnitude
            if g == 1 { return 1 }
            if g != 0 && m % g == 0 { continue }
            g = gcd(g, m)
        }
        return g
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// `values` divided by `factor` (which must divide each of them).
    package static func scaled(_ values: UnsafeBufferPointer<Int64>, by factor: UInt64) -> [Int64] {
        guard factor > 1 else { return Array(values) }
        // A factor above Int64.max only divides 0 and Int64.min: those map to 0 and -1.
        if factor > UInt64(Int64.max) { return values.map { $0 == 0 ? 0 : -1 } }
        let f = Int64(factor)
        return values.map { $0 / f }
    }

    package static func encodedSize(factor: UInt64, scaled: UnsafeBufferPointer<Int64>) -> Int {
        FrameOfReference.varintSize(factor) + FrameOfReference.encodedSize(scaled)
    }

    package static func encode(_ values: UnsafeBufferPointer<Int64>, into out: inout ByteWriter) {
        let factor = max(1, commonFactor(values))
        out.writeVarint(factor)
        scaled(values, by: factor).withUnsafeBufferPointer { FrameOfReference.encode($0, into: &out) }
    }

    package static func decode(_ reader: inout ByteReader, count: Int,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        let factor = try reader.readVarint()
        guard factor >= 1 else { throw .corrupt("scaled frame of reference with factor 0") }
        try FrameOfReference.decode(&reader, count: count, into: dst)
        if factor == 1 { return }
        let f = Int64(truncatingIfNeeded: factor)
        for i in 0..<count { dst[i] = dst[i] &* f }
    }
}
