// Row keys as bytes: the columns of a GROUP BY or join key serialized per row (a NULL flag,
// then a fixed-width integer / double bit pattern / length-prefixed string), so one hash
// table serves every combination of key types. Built column at a time for a whole batch.

import Columnar

/// The encoded keys of a batch: row i is `bytes[offsets[i] ..< offsets[i + 1]]`.
struct EncodedKeys {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    /// Rows where some key column is NULL (joins never match them).
    var hasNull: [Bool] = []

    var count: Int { offsets.count - 1 }

    static func encode(_ columns: [ColumnData], rows: Int) -> EncodedKeys {
        var perRow = [[UInt8]](repeating: [], count: rows)
        var hasNull = [Bool](repeating: false, count: rows)
        for c in columns {
            switch c.storage {
            case .int32, .int64, .boolean:
                let v = ColumnAccess.int64s(c)
                for r in 0..<rows {
                    if c.isNull(r) { perRow[r].append(0); hasNull[r] = true; continue }
                    perRow[r].append(1)
                    withUnsafeBytes(of: v[r]) { perRow[r].append(contentsOf: $0) }
                }
            case .double(let v):
                for r in 0..<rows {
                    if c.isNull(r) { perRow[r].append(0); hasNull[r] = true; continue }
                    perRow[r].append(1)
                    let x = v[r] == 0 ? 0.0 : v[r]  // -0.0 groups with 0.0
                    withUnsafeBytes(of: x.bitPattern) { perRow[r].append(contentsOf: $0) }
                }
            case .varchar(let s):
                for r in 0..<rows {
                    if c.isNull(r) { perRow[r].append(0); hasNull[r] = true; continue }
                    perRow[r].append(1)
                    withUnsafeBytes(of: UInt32(s.length(r))) { perRow[r].append(contentsOf: $0) }
                    s.withValueBytes(r) { perRow[r].append(contentsOf: $0) }
                }
            case .listVarchar(let l):
                for r in 0..<rows {
                    if c.isNull(r) { perRow[r].append(0); hasNull[r] = true; continue }
                    perRow[r].append(1)
                    let items = l[r]
                    withUnsafeBytes(of: UInt32(items.count)) { perRow[r].append(contentsOf: $0) }
                    for item in items {
                        withUnsafeBytes(of: UInt32(item.utf8.count)) { perRow[r].append(contentsOf: $0) }
                        perRow[r].append(contentsOf: item.utf8)
                    }
                }
            }
        }
        var keys = EncodedKeys()
        keys.bytes.reserveCapacity(perRow.reduce(0) { $0 + $1.count })
        keys.offsets.reserveCapacity(rows + 1)
        for r in 0..<rows {
            keys.bytes.append(contentsOf: perRow[r])
            keys.offsets.append(keys.bytes.count)
        }
        keys.hasNull = hasNull
        return keys
    }

    func withKey<R>(_ row: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offsets[row]..<offsets[row + 1]])) }
    }
}
