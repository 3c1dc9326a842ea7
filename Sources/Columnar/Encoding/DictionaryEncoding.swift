// Dictionary coding: each distinct value once, then one bit-packed id per row. The win for
// low-cardinality columns: ratings (10 values), genres strings, repeated tags.

/// Dictionary coding of Int64 values and of strings.
package enum DictionaryCoding {
    /// Above this many distinct values a dictionary is not considered.
    package static let maxEntries = 1 << 16

    // MARK: Integers (and doubles as bit patterns)

    /// Dictionary and per-row ids, or nil when there are too many distinct values (more than
    /// `limit`, or than half the rows unless `limit` is `Int.max`, which forces a dictionary).
    package static func build(_ values: UnsafeBufferPointer<Int64>, limit: Int = maxEntries) -> (dictionary: [Int64], ids: [UInt64])? {
        var builder = IntegerDictionaryBuilder(limit: limit == Int.max ? values.count + 1 : min(limit, max(1, values.count / 2 + 1)))
        var ids = [UInt64](repeating: 0, count: values.count)
        for i in 0..<values.count {
            guard let id = builder.id(of: values[i]) else { return nil }
            ids[i] = UInt64(id)
        }
        return (builder.values, ids)
    }

    /// Dictionary and ids through a direct lookup table, for values within a small range:
    /// no hashing at all (ratings, small ids, booleans).
    package static func buildDense(_ values: UnsafeBufferPointer<Int64>, min lo: Int64, max hi: Int64) -> (dictionary: [Int64], ids: [UInt64])? {
        let range = UInt64(bitPattern: hi &- lo)
        guard range < 1 << 16 else { return nil }
        var slot = [Int32](repeating: -1, count: Int(range) + 1)
        var dictionary: [Int64] = []
        let ids = [UInt64](unsafeUninitializedCapacity: values.count) { out, n in
            slot.withUnsafeMutableBufferPointer { table in
                for i in 0..<values.count {
                    let k = Int(truncatingIfNeeded: values[i] &- lo)
                    var id = table[k]
                    if id < 0 {
                        id = Int32(dictionary.count)
                        table[k] = id
                        dictionary.append(values[i])
                    }
                    out[i] = UInt64(id)
                }
            }
            n = values.count
        }
        return (dictionary, ids)
    }

    package static func encodedSize(dictionary: [Int64], rows: Int) -> Int {
        4 + dictionary.withUnsafeBufferPointer { FrameOfReference.encodedSize($0) } + 1
            + BitPacking.byteCount(count: rows, width: idWidth(dictionary.count))
    }

    package static func encode(dictionary: [Int64], ids: [UInt64], into out: inout ByteWriter) {
        out.write(UInt32(dictionary.count))
        FrameOfReference.encode(dictionary, into: &out)
        let width = idWidth(dictionary.count)
        out.write(UInt8(width))
        ids.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &out) }
    }

    package static func decode(_ reader: inout ByteReader, count: Int,
                               into dst: UnsafeMutableBufferPointer<Int64>) throws(StorageError) {
        let dictCount = Int(try reader.read(UInt32.self))
        let dictionary = try FrameOfReference.decode(&reader, count: dictCount)
        let ids = try readIds(&reader, count: count, dictCount: dictCount)
        for i in 0..<count { dst[i] = dictionary[Int(ids[i])] }
    }

    // MARK: Strings

    package static func build(_ strings: StringArray, limit: Int = maxEntries) -> (dictionary: StringArray, ids: [UInt64])? {
        var builder = StringDictionaryBuilder(limit: limit == Int.max ? strings.count + 1 : min(limit, max(1, strings.count / 2 + 1)))
        var ids = [UInt64](repeating: 0, count: strings.count)
        for i in 0..<strings.count {
            guard let id = strings.withValueBytes(i, { builder.id(of: $0) }) else { return nil }
            ids[i] = UInt64(id)
        }
        return (builder.values, ids)
    }

    package static func encodedSize(dictionary: StringArray, rows: Int) -> Int {
        4 + PlainCoding.encodedSize(dictionary) + 1 + BitPacking.byteCount(count: rows, width: idWidth(dictionary.count))
    }

    package static func encode(dictionary: StringArray, ids: [UInt64], into out: inout ByteWriter) {
        out.write(UInt32(dictionary.count))
        PlainCoding.encode(dictionary, into: &out)
        let width = idWidth(dictionary.count)
        out.write(UInt8(width))
        ids.withUnsafeBufferPointer { BitPacking.pack($0, width: width, into: &out) }
    }

    package static func decodeStrings(_ reader: inout ByteReader, count: Int) throws(StorageError) -> StringArray {
        let dictCount = Int(try reader.read(UInt32.self))
        let dictionary = try PlainCoding.decodeStrings(&reader, count: dictCount)
        let ids = try readIds(&reader, count: count, dictCount: dictCount)
        var total = 0
        for id in ids { total += dictionary.length(Int(id)) }
        var offsets = [UInt32](repeating: 0, count: count + 1)
        var bytes = [UInt8]()
        bytes.reserveCapacity(total)
        dictionary.bytes.withUnsafeBufferPointer { db in
            for i in 0..<count {
                let id = Int(ids[i])
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: db[Int(dictionary.offsets[id])..<Int(dictionary.offsets[id + 1])]))
                offsets[i + 1] = UInt32(bytes.count)
            }
        }
        return StringArray(offsets: offsets, bytes: bytes)
    }

    /// The dictionary and each row's id, without expanding the text (for scans that keep
    /// codes).
    package static func decodeStringCodes(_ reader: inout ByteReader, count: Int) throws(StorageError) -> (StringArray, [UInt32]) {
        let dictCount = Int(try reader.read(UInt32.self))
        let dictionary = try PlainCoding.decodeStrings(&reader, count: dictCount)
        let ids = try readIds(&reader, count: count, dictCount: dictCount)
        return (dictionary, ids.map { UInt32(truncatingIfNeeded: $0) })
    }

    // MARK: Shared

    @inline(__always)
    package static func idWidth(_ dictCount: Int) -> Int { dictCount <= 1 ? 0 : BitPacking.width(of: UInt64(dictCount - 1)) }

    private static func readIds(_ reader: inout ByteReader, count: Int, dictCount: Int) throws(StorageError) -> [UInt64] {
        let width = Int(try reader.read(UInt8.self))
        guard width <= 32 else { throw .corrupt("dictionary id width \(width) is too large") }
        let packed = try reader.take(BitPacking.byteCount(count: count, width: width))
        var ids = [UInt64](repeating: 0, count: count)
        try ids.withUnsafeMutableBufferPointer { (d) throws(StorageError) in try BitPacking.unpack(packed, width: width, count: count, into: d) }
        for id in ids where Int(id) >= dictCount && count > 0 {
            throw .corrupt("dictionary id \(id) is outside a dictionary of \(dictCount)")
        }
        return ids
    }
}
