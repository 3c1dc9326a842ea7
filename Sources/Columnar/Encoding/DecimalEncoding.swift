// Decimal coding for doubles that are short decimals in disguise (ratings `3.5`, genome
// relevance `0.02875`): store round(v * 10^e) as integers with frame of reference, and
// only when dividing back by 10^e gives the identical bit pattern for every value.

/// Scaled-integer coding of Double values.
package enum DecimalCoding {
    static let powers: [Double] = (0...15).map { e in (0..<e).reduce(1.0) { r, _ in r * 10 } }
    static let maxExponent = 10

    /// The smallest exponent that represents every value exactly, with the scaled integers.
    package static func analyze(_ values: UnsafeBufferPointer<Double>) -> (exponent: Int, scaled: [Int64])? {
        guard !values.isEmpty else { return (0, []) }
        // Find a candidate on a prefix, then verify all: one full pass in the common case.
        var exponent = -1
        let probe = min(values.count, 256)
        for e in 0...maxExponent where representsAll(values, upTo: probe, exponent: e) {
            exponent = e
            break
        }
        guard exponent >= 0 else { return nil }
        let p = powers[exponent]
        var scaled = [Int64](repeating: 0, count: values.count)
        for i in 0..<values.count {
            let v = values[i]
            let s = (v * p).rounded()
            guard abs(s) < 9.0e15 else { return nil }
            let k = Int64(s)
            guard (Double(k) / p).bitPattern == v.bitPattern else { return nil }
            scaled[i] = k
        }
        return (exponent, scaled)
    }

    private static func representsAll(_ values: UnsafeBufferPointer<Double>, upTo n: Int, exponent e: Int) -> Bool {
        let p = powers[e]
        for i in 0..<n {
            let v = values[i]
            let s = (v * p).rounded()
            guard abs(s) < 9.0e15, (Double(Int64(s)) / p).bitPattern == v.bitPattern else { return false }
        }
        return true
    }

    package static func encode(exponent: Int, scaled: [Int64], into out: inout ByteWriter) {
        out.write(UInt8(exponent))
        FrameOfReference.encode(scaled, into: &out)
    }

    package static func decode(_ reader: inout ByteReader, count: Int, into dst: UnsafeMutableBufferPointer<Double>) throws(StorageError) {
        let e = Int(try reader.read(UInt8.self))
        guard e <= maxExponent else { throw .corrupt("decimal exponent \(e) is out of range") }
        let p = powers[e]
        let scaled = try FrameOfReference.decode(&reader, count: count)
        for i in 0..<count { dst[i] = Double(scaled[i]) / p }
    }
}
