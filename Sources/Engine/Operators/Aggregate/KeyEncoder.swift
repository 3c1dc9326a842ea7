// Row keys as bytes: the columns of a GROUP BY or join key serialized per row (a NULL flag,
// then a fixed-width integer / double bit pattern / length-prefixed string), so one hash
// table serves every combination of key types. Written column at a time for a whole batch
// straight into one buffer: fixed-width keys have a fixed stride, no per-row allocation.

import Columnar

/// The encoded keys of a batch: row i is `bytes[offsets[i] ..< offsets[i + 1]]`.
struct EncodedKeys {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    /// Rows where some key column is NULL (joins never match them).
    var hasNull: [Bool] = []

    var count: Int { offsets.count - 1 }

    static func encode(_ columns: [ColumnData], rows: Int) -> EncodedKeys {
        let columns = columns.map { $0.flattened() }
        var keys = EncodedKeys()
        keys.hasNull = [Bool](repeating: false, count: rows)
        // Row widths: 9 bytes per fixed-width column, 5 + length per string. A NULL is its
        // flag and zeros, whatever bytes the column holds under it (`NULL || title` keeps the
        // title's bytes), so every NULL encodes the same and groups as one value.
        var widths = [Int](repeating: 0, count: rows)
        for c in columns {
            let validity = c.validity
            switch c.storage {
            case .varchar(let s):
                for r in 0..<rows { widths[r] += 5 + (validity?.isValid(r) ?? true ? s.length(r) : 0) }
            case .listVarchar(let l):
                for r in 0..<rows { widths[r] += 5 + (validity?.isValid(r) ?? true ? l[r].reduce(0) { $0 + 4 + $1.utf8.count } : 0) }
            default: for r in 0..<rows { widths[r] += 9 }
            }
        }
        keys.offsets = [Int](repeating: 0, count: rows + 1)
        for r in 0..<rows { keys.offsets[r + 1] = keys.offsets[r] + widths[r] }
        keys.bytes = [UInt8](repeating: 0, count: keys.offsets[rows])
        var cursor = Array(keys.offsets.dropLast())
        keys.bytes.withUnsafeMutableBytes { out in
            let base = out.baseAddress!
            for c in columns {
                let validity = c.validity
                func isNull(_ r: Int) -> Bool { validity.map { !$0.isValid(r) } ?? false }
                switch c.storage {
                case .dictionary:
                    preconditionFailure("flattened above")
                case .int32, .int64, .boolean:
                    let v = ColumnAccess.int64s(c)
                    for r in 0..<rows {
                        let at = cursor[r]
                        cursor[r] += 9
                        if isNull(r) { keys.hasNull[r] = true; continue }
                        base.storeBytes(of: 1, toByteOffset: at, as: UInt8.self)
                        (base + at + 1).storeBytes(of: v[r], as: Int64.self)
                    }
                case .double(let v):
                    for r in 0..<rows {
                        let at = cursor[r]
                        cursor[r] += 9
                        if isNull(r) { keys.hasNull[r] = true; continue }
                        base.storeBytes(of: 1, toByteOffset: at, as: UInt8.self)
                        let x = v[r] == 0 ? 0.0 : v[r].isNaN ? .nan : v[r]  // -0.0 groups with 0.0, every NaN with NaN
                        (base + at + 1).storeBytes(of: x.bitPattern, as: UInt64.self)
                    }
                case .varchar(let s):
                    s.bytes.withUnsafeBytes { heap in
                        for r in 0..<rows {
                            let at = cursor[r]
                            if isNull(r) { keys.hasNull[r] = true; cursor[r] += 5; continue }
                            let length = s.length(r)
                            cursor[r] += 5 + length
                            base.storeBytes(of: 1, toByteOffset: at, as: UInt8.self)
                            (base + at + 1).storeBytes(of: UInt32(length), as: UInt32.self)
                            if length > 0 { (base + at + 5).copyMemory(from: heap.baseAddress! + Int(s.offsets[r]), byteCount: length) }
                        }
                    }
                case .listVarchar(let l):
                    for r in 0..<rows {
                        var at = cursor[r]
                        if isNull(r) { keys.hasNull[r] = true; cursor[r] += 5; continue }
                        let items = l[r]
                        cursor[r] += 5 + items.reduce(0) { $0 + 4 + $1.utf8.count }
                        base.storeBytes(of: 1, toByteOffset: at, as: UInt8.self)
                        (base + at + 1).storeBytes(of: UInt32(items.count), as: UInt32.self)
                        at += 5
                        for item in items {
                            let u = Array(item.utf8)
                            (base + at).storeBytes(of: UInt32(u.count), as: UInt32.self)
                            u.withUnsafeBytes { if !$0.isEmpty { (base + at + 4).copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
                            at += 4 + u.count
                        }
                    }
                }
            }
        }
        return keys
    }

    func withKey<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offsets[row]..<offsets[row + 1]])) }
    }
}
