// `x % k` for a constant divisor k: a hardware division costs 25-40 cycles a row, which at
// 25M rows was a tenth of an UPDATE's filter (`userId % 100 = 7`). The quotient is taken from
// a multiplication by 1/k in doubles (exact to within one for |x| < 2^52), corrected once, so
// the remainder is exact; the sign follows x, as SQL's (truncated) modulo does.

import Columnar

enum IntegerModulo {
    /// `column % divisor` (1 < divisor < 2^31) as BIGINT, or nil for a column this kernel
    /// does not take (values past 2^52 in magnitude, types other than INT and BIGINT).
    static func apply(_ column: ColumnData, divisor k: Int64) -> ColumnData? {
        let c = column.flattened()
        let n = c.count
        let inverse = 1.0 / Double(k)
        var out = [Int64](repeating: 0, count: n)
        func kernel<T: BinaryInteger>(_ v: UnsafeBufferPointer<T>, _ o: UnsafeMutableBufferPointer<Int64>) -> Bool {
            let limit: UInt64 = 1 << 52
            for i in 0..<n {
                let x = Int64(v[i])
                // The magnitude, without negating (the smallest BIGINT has no positive).
                guard x.magnitude < limit else { return false }
                let a = Int64(x.magnitude)
                var q = Int64(Double(a) * inverse)
                var r = a - q * k
                if r < 0 { q -= 1; r += k } else if r >= k { q += 1; r -= k }
                o[i] = x < 0 ? -r : r
            }
            return true
        }
        let done: Bool
        switch c.storage {
        case .int32(let v) where c.type == .int32:
            done = v.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { kernel(p, $0) } }
        case .int64(let v) where c.type == .int64:
            done = v.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { kernel(p, $0) } }
        default:
            return nil
        }
        return done ? ColumnData(type: .int64, storage: .int64(out), validity: c.validity) : nil
    }
}
