// Turns one column of one row group into a segment payload and back: validity, the encoding
// chosen by estimated size (or forced), and zlib on top where a sample says it pays.
//
//   payload := validityFlag:u8 [bitmap words:u64 * ceil(rows/64)] values
//   values  := encoding-specific bytes (see the *Encoding.swift files)

/// A segment ready to be framed into a block.
package struct EncodedSegment: Sendable {
    package var type: LogicalType
    package var encoding: EncodingKind
    package var compression: CompressionKind
    package var rowCount: Int
    /// Bytes before compression.
    package var rawLength: Int
    /// The stored payload (compressed when `compression != .none`).
    package var payload: [UInt8]
    package var stats: SegmentStats
}

/// Encodes and decodes column segments.
package enum SegmentCodec {
    /// Rows one segment may hold: ingest's 4 MiB chunks hold about 2M rows at most, tables
    /// write 122,880; a header claiming more is corrupt, not a reason to allocate gigabytes.
    package static let maxRows = 1 << 26

    /// Encodes `column` under `policy`.
    package static func encode(_ column: ColumnData, policy: EncodingPolicy = .automatic) -> EncodedSegment {
        if let d = column.dictionary {
            if policy.forcedEncoding == nil, let segment = encodeCoded(column, d, policy: policy) { return segment }
            return encode(column.flattened(), policy: policy)
        }
        // Integer columns without NULLs get min/max from the encoder's own analysis pass.
        var stats = column.type.isInteger && column.validity == nil && column.count > 0
            ? SegmentStats(rowCount: column.count, nullCount: 0)
            : SegmentStats.compute(column)
        var out = ByteWriter(capacity: column.count * 2 + 64)
        writeValidity(stats.nullCount > 0 ? column.validity : nil, into: &out)
        var range: (min: Int64, max: Int64)? = nil
        let encoding = encodeValues(column, policy: policy, into: &out, range: &range)
        if stats.min == nil && stats.nullCount == 0 && column.type.isInteger, let range {
            stats.min = .int(range.min)
            stats.max = .int(range.max)
        } else if stats.min == nil && column.type.isInteger && column.count > 0 && column.nullCount == 0 {
            stats = SegmentStats.compute(column)
        }
        let raw = out.bytes
        let (compression, payload) = compressed(raw, type: column.type, policy: policy.compression)
        return EncodedSegment(type: column.type, encoding: encoding, compression: compression,
                              rowCount: column.count, rawLength: raw.count, payload: payload, stats: stats)
    }

    /// Text given as codes into a column of values (a join's output) written as a dictionary
    /// segment straight from the codes: the used values are numbered in order of first use,
    /// with no per-row copy, hash or comparison of text. Nil when a dictionary would not pay
    /// (or the values dwarf the segment); the caller then writes the flattened text.
    private static func encodeCoded(_ column: ColumnData, _ d: DictionaryVector, policy: EncodingPolicy) -> EncodedSegment? {
        guard case .varchar(let values) = d.values.storage else { return nil }
        let n = column.count
        guard n > 0, values.count <= 4 * n + 1024 else { return nil }
        let validity = column.validity
        var memo = [Int32](repeating: -1, count: values.count)
        var used = StringArray()
        var emptyId: Int32 = -1     // NULL rows point at "" (the value NULL rows hold)
        var textBytes = 0, minLength = Int.max, maxLength = 0
        var ids = [UInt64](repeating: 0, count: n)
        let ok = d.codes.withUnsafeBufferPointer { codes in
            memo.withUnsafeMutableBufferPointer { memo in
                ids.withUnsafeMutableBufferPointer { ids in
                    for r in 0..<n {
                        if let validity, !validity.isValid(r) {
                            if emptyId < 0 {
                                emptyId = Int32(used.count)
                                used.offsets.append(UInt32(used.bytes.count))
                                guard used.count <= DictionaryCoding.maxEntries else { return false }
                            }
                            ids[r] = UInt64(emptyId)
                            minLength = 0
                            continue
                        }
                        let c = Int(codes[r])
                        var id = memo[c]
                        if id < 0 {
                            id = Int32(used.count)
                            memo[c] = id
                            values.withValueBytes(c) { used.append(bytes: $0) }
                            guard used.count <= DictionaryCoding.maxEntries else { return false }
                        }
                        ids[r] = UInt64(id)
                        let length = values.length(c)
                        textBytes += length
                        minLength = min(minLength, length)
                        maxLength = max(maxLength, length)
                    }
                    return true
                }
            }
        }
        guard ok else { return nil }
        // The plain alternative: bit-packed lengths plus every row's bytes.
        let plainSize = 24 + BitPacking.byteCount(count: n, width: BitPacking.width(of: UInt64(maxLength - min(minLength, maxLength)))) + textBytes
        guard DictionaryCoding.encodedSize(dictionary: used, rows: n) < plainSize else { return nil }
        var stats = SegmentStats.compute(ColumnData(type: .varchar, storage: .varchar(emptyId < 0 ? used : Self.without(emptyId, used))))
        stats.rowCount = n
        stats.nullCount = column.nullCount
        var out = ByteWriter(capacity: n / 2 + used.bytes.count + 64)
        writeValidity(stats.nullCount > 0 ? validity : nil, into: &out)
        DictionaryCoding.encode(dictionary: used, ids: ids, into: &out)
        let raw = out.bytes
        let (compression, payload) = compressed(raw, type: .varchar, policy: policy.compression)
        return EncodedSegment(type: .varchar, encoding: .dictionary, compression: compression,
                              rowCount: n, rawLength: raw.count, payload: payload, stats: stats)
    }

    /// `strings` without entry `index` (the "" that only NULL rows use, kept out of min/max).
    private static func without(_ index: Int32, _ strings: StringArray) -> StringArray {
        var out = StringArray()
        for i in 0..<strings.count where i != Int(index) { strings.withValueBytes(i) { out.append(bytes: $0) } }
        return out
    }

    /// Decodes a segment payload (as stored) back into a column.
    /// With `keepCodes`, a dictionary-coded text segment comes back as a dictionary vector
    /// (its values and per-row codes) instead of expanded text.
    package static func decode(type: LogicalType, encoding: EncodingKind, compression: CompressionKind,
                              rowCount: Int, rawLength: Int, payload: UnsafeRawBufferPointer,
                              keepCodes: Bool = false) throws(StorageError) -> ColumnData {
        // Sizes from a header are checked before anything is allocated for them.
        guard (0...maxRows).contains(rowCount) else {
            throw .corrupt("a segment of \(rowCount) rows: no writer makes more than \(maxRows)")
        }
        switch compression {
        case .none:
            return try decodeRaw(type: type, encoding: encoding, rowCount: rowCount, raw: payload, keepCodes: keepCodes)
        case .zlib:
            guard rawLength >= 0, rawLength <= payload.count * Zlib.maxRatio + 64 else {
                throw .corrupt("\(payload.count) compressed bytes cannot inflate to \(rawLength)")
            }
            let raw = try Zlib.decompress(payload, rawLength: rawLength)
            let result = raw.withUnsafeBytes { r in
                Result { () throws(StorageError) in try decodeRaw(type: type, encoding: encoding, rowCount: rowCount, raw: r, keepCodes: keepCodes) }
            }
            return try result.get()
        }
    }

    /// The payload's first part: a flag, then the bitmap when some row is NULL.
    private static func writeValidity(_ validity: ValidityBitmap?, into out: inout ByteWriter) {
        guard let validity else { out.write(UInt8(0)); return }
        out.write(UInt8(1))
        for w in validity.words { out.write(w) }
    }

    // MARK: Compression choice

    /// The stored form of `raw`: deflated where it pays (or is forced), else as is.
    private static func compressed(_ raw: [UInt8], type: LogicalType, policy: EncodingPolicy.Compression) -> (CompressionKind, [UInt8]) {
        guard shouldCompress(raw, type: type, policy: policy) else { return (.none, raw) }
        // Level 1 everywhere: on MovieLens text level 6 saved under 2% and cost a third of
        // the time of writing a table. Bit-packed numbers only gain from entropy coding and
        // runs, which the RLE strategy finds several times faster.
        let text = type == .varchar || type == .listVarchar
        let packed = raw.withUnsafeBytes { text ? Zlib.compress($0, level: 1) : Zlib.compress($0, level: 1, strategy: Zlib.strategyRLE) }
        if policy == .always || packed.count < raw.count * 9 / 10 { return (.zlib, packed) }
        return (.none, raw)
    }

    private static func shouldCompress(_ raw: [UInt8], type: LogicalType, policy: EncodingPolicy.Compression) -> Bool {
        switch policy {
        case .never: return false
        case .always: return true
        case .automatic:
            guard raw.count >= 512 else { return false }
            // Bit-packed numbers rarely shrink further; a sample costs little and avoids
            // deflating megabytes for nothing.
            let sampleSize = min(raw.count, 8 * 1024)
            let sample = raw.withUnsafeBytes { Zlib.compress(UnsafeRawBufferPointer(rebasing: $0[0..<sampleSize]), level: 1, strategy: Zlib.strategyRLE) }
            return sample.count < sampleSize * 85 / 100
        }
    }

    // MARK: Encoding choice

    private static func encodeValues(_ column: ColumnData, policy: EncodingPolicy, into out: inout ByteWriter,
                                     range: inout (min: Int64, max: Int64)?) -> EncodingKind {
        let forced = policy.forcedEncoding.flatMap { $0.applies(to: column.type) ? $0 : nil }
        switch column.storage {
        case .dictionary:
            preconditionFailure("flattened by encode")
        case .int32, .int64, .boolean:
            var values = column.widenedIntegers()!
            fillNulls(&values, column.validity)
            return values.withUnsafeBufferPointer { encodeIntegers($0, type: column.type, forced: forced, into: &out, range: &range) }
        case .double(var values):
            fillNulls(&values, column.validity)
            return values.withUnsafeBufferPointer { encodeDoubles($0, forced: forced, into: &out) }
        case .varchar(let strings):
            return encodeStrings(strings, forced: forced, into: &out)
        case .listVarchar(let lists):
            let lengths = (0..<lists.count).map { Int64(lists.offsets[$0 + 1] - lists.offsets[$0]) }
            FrameOfReference.encode(lengths, into: &out)
            return encodeStrings(lists.values, forced: forced, into: &out)
        }
    }

    /// Gives NULL rows a neighbour's value so they do not widen ranges or break runs.
    private static func fillNulls<T>(_ values: inout [T], _ validity: ValidityBitmap?) {
        guard let validity, validity.nullCount > 0 else { return }
        guard let firstValid = (0..<values.count).first(where: { validity.isValid($0) }) else { return }
        var last = values[firstValid]
        for i in 0..<values.count {
            if validity.isValid(i) { last = values[i] } else { values[i] = last }
        }
    }

    private static func encodeIntegers(_ v: UnsafeBufferPointer<Int64>, type: LogicalType, forced: EncodingKind?,
                                       into out: inout ByteWriter, range: inout (min: Int64, max: Int64)?) -> EncodingKind {
        let width = type.fixedWidth!
        var kind = forced
        var dict: (dictionary: [Int64], ids: [UInt64])? = nil
        if kind == nil {
            var best = (EncodingKind.plain, v.count * width)
            func consider(_ k: EncodingKind, _ size: Int) { if size < best.1 { best = (k, size) } }
            let profile = FrameOfReference.profile(v)
            range = (profile.min, profile.max)
            consider(.frameOfReference, profile.forSize)
            let factor = ScaledFrameOfReference.commonFactor(v)
            if factor > 1 {
                let size = ScaledFrameOfReference.scaled(v, by: factor).withUnsafeBufferPointer {
                    ScaledFrameOfReference.encodedSize(factor: factor, scaled: $0)
                }
                consider(.scaledFrameOfReference, size)
            }
            consider(.delta, profile.deltaSize)
            if profile.runs * 4 < v.count { consider(.runLength, RunLength.encodedSize(v)) }
            if profile.max &- profile.min < 1 << 16 && profile.max >= profile.min,
               let d = DictionaryCoding.buildDense(v, min: profile.min, max: profile.max) {
                dict = d
                consider(.dictionary, DictionaryCoding.encodedSize(dictionary: d.dictionary, rows: v.count))
            } else if sampleDistinct(v) <= 256, let d = DictionaryCoding.build(v) {
                dict = d
                consider(.dictionary, DictionaryCoding.encodedSize(dictionary: d.dictionary, rows: v.count))
            }
            kind = best.0
        }
        switch kind! {
        case .plain: PlainCoding.encode(v, width: width, into: &out)
        case .frameOfReference: FrameOfReference.encode(v, into: &out)
        case .scaledFrameOfReference: ScaledFrameOfReference.encode(v, into: &out)
        case .delta: DeltaCoding.encode(v, into: &out)
        case .runLength: RunLength.encode(v, into: &out)
        case .dictionary:
            let d = dict ?? DictionaryCoding.build(v, limit: Int.max)!
            DictionaryCoding.encode(dictionary: d.dictionary, ids: d.ids, into: &out)
        case .decimal: preconditionFailure("decimal does not apply to integers")
        }
        return kind!
    }

    private static func encodeDoubles(_ v: UnsafeBufferPointer<Double>, forced: EncodingKind?, into out: inout ByteWriter) -> EncodingKind {
        let bits = v.map { Int64(bitPattern: $0.bitPattern) }
        return bits.withUnsafeBufferPointer { b in
            var kind = forced
            var dict: (dictionary: [Int64], ids: [UInt64])? = nil
            var decimal: (exponent: Int, scaled: [Int64])? = nil
            if kind == .decimal {
                decimal = DecimalCoding.analyze(v)
                if decimal == nil { kind = .plain }
            }
            if kind == nil {
                var best = (EncodingKind.plain, v.count * 8)
                func consider(_ k: EncodingKind, _ size: Int) { if size < best.1 { best = (k, size) } }
                if let d = DecimalCoding.analyze(v) {
                    decimal = d
                    let scaledProfile = d.scaled.withUnsafeBufferPointer { FrameOfReference.profile($0) }
                    consider(.decimal, 1 + scaledProfile.forSize)
                    // Few distinct decimals (ratings): a dense dictionary over the scaled values.
                    if scaledProfile.max &- scaledProfile.min < 1 << 16,
                       let dense = d.scaled.withUnsafeBufferPointer({ DictionaryCoding.buildDense($0, min: scaledProfile.min, max: scaledProfile.max) }) {
                        let p = DecimalCoding.powers[d.exponent]
                        let entries = dense.dictionary.map { Int64(bitPattern: (Double($0) / p).bitPattern) }
                        dict = (entries, dense.ids)
                        consider(.dictionary, DictionaryCoding.encodedSize(dictionary: entries, rows: v.count))
                    }
                } else if sampleDistinct(b) <= 256, let d = DictionaryCoding.build(b) {
                    dict = d
                    consider(.dictionary, DictionaryCoding.encodedSize(dictionary: d.dictionary, rows: v.count))
                }
                if RunLength.runCount(b) * 4 < v.count { consider(.runLength, RunLength.encodedSize(b)) }
                kind = best.0
            }
            switch kind! {
            case .plain: for x in v { out.write(x.bitPattern) }
            case .dictionary:
                let d = dict ?? DictionaryCoding.build(b, limit: Int.max)!
                DictionaryCoding.encode(dictionary: d.dictionary, ids: d.ids, into: &out)
            case .runLength: RunLength.encode(b, into: &out)
            case .decimal: DecimalCoding.encode(exponent: decimal!.exponent, scaled: decimal!.scaled, into: &out)
            case .frameOfReference, .delta, .scaledFrameOfReference: preconditionFailure("\(kind!) does not apply to doubles")
            }
            return kind!
        }
    }

    private static func encodeStrings(_ s: StringArray, forced: EncodingKind?, into out: inout ByteWriter) -> EncodingKind {
        var kind = forced
        var dict: (dictionary: StringArray, ids: [UInt64])? = nil
        if kind == nil {
            kind = .plain
            if let d = DictionaryCoding.build(s) {
                dict = d
                if DictionaryCoding.encodedSize(dictionary: d.dictionary, rows: s.count) < PlainCoding.encodedSize(s) { kind = .dictionary }
            }
        }
        switch kind! {
        case .dictionary:
            let d = dict ?? DictionaryCoding.build(s, limit: Int.max)!
            DictionaryCoding.encode(dictionary: d.dictionary, ids: d.ids, into: &out)
        default:
            PlainCoding.encode(s, into: &out)
            return .plain
        }
        return kind!
    }

    /// Distinct values among the first 1,024: a cheap gate before building a dictionary.
    private static func sampleDistinct(_ v: UnsafeBufferPointer<Int64>) -> Int {
        var b = IntegerDictionaryBuilder(limit: 1 << 11)
        for i in 0..<min(v.count, 1024) { _ = b.id(of: v[i]) }
        return b.values.count
    }

    // MARK: Decoding

    /// An array of `n` values that `fill` writes in full: no zeroing first (a scan decodes
    /// every value of every segment it reads).
    @inline(__always)
    static func uninitialized<T: BitwiseCopyable>(_ n: Int, _ fill: (UnsafeMutableBufferPointer<T>) throws(StorageError) -> Void) throws(StorageError) -> [T] {
        var failure: StorageError? = nil
        let values = [T](unsafeUninitializedCapacity: n) { buffer, count in
            do throws(StorageError) {
                try fill(UnsafeMutableBufferPointer(rebasing: buffer[0..<n]))
                count = n
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return values
    }

    private static func decodeRaw(type: LogicalType, encoding: EncodingKind, rowCount n: Int,
                                  raw: UnsafeRawBufferPointer, keepCodes: Bool = false) throws(StorageError) -> ColumnData {
        guard encoding.applies(to: type) else { throw .corrupt("encoding \(encoding) is not valid for \(type)") }
        var r = ByteReader(raw)
        var validity: ValidityBitmap? = nil
        switch try r.read(UInt8.self) {
        case 0: break
        case 1:
            var words = [UInt64](repeating: 0, count: (n + 63) >> 6)
            for i in 0..<words.count { words[i] = try r.read() }
            validity = ValidityBitmap(words: words, count: n)
        default:
            throw .corrupt("invalid validity flag")
        }
        let column: ColumnData
        switch type {
        case .int32, .int64, .boolean, .date, .timestamp:
            let values: [Int64] = try uninitialized(n) { (d) throws(StorageError) in
                switch encoding {
                case .plain: try PlainCoding.decode(&r, count: n, width: type.fixedWidth!, into: d)
                case .frameOfReference: try FrameOfReference.decode(&r, count: n, into: d)
                case .scaledFrameOfReference: try ScaledFrameOfReference.decode(&r, count: n, into: d)
                case .delta: try DeltaCoding.decode(&r, count: n, into: d)
                case .runLength: try RunLength.decode(&r, count: n, into: d)
                case .dictionary: try DictionaryCoding.decode(&r, count: n, into: d)
                case .decimal: throw .corrupt("decimal is not valid for integers")
                }
            }
            column = ColumnData.narrowing(values, to: type, validity: validity)
        case .double:
            let values: [Double] = try uninitialized(n) { (d) throws(StorageError) in
                switch encoding {
                case .plain:
                    let b = try r.take(n * 8)
                    for i in 0..<n { d[i] = Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
                case .decimal: try DecimalCoding.decode(&r, count: n, into: d)
                case .dictionary, .runLength:
                    // The 64-bit patterns decode in place, then read as doubles.
                    try d.withMemoryRebound(to: Int64.self) { (bd) throws(StorageError) in
                        if encoding == .dictionary { try DictionaryCoding.decode(&r, count: n, into: bd) } else { try RunLength.decode(&r, count: n, into: bd) }
                    }
                case .frameOfReference, .delta, .scaledFrameOfReference: throw .corrupt("\(encoding) is not valid for doubles")
                }
            }
            column = ColumnData(type: type, storage: .double(values), validity: validity)
        case .varchar where keepCodes && encoding == .dictionary:
            var (strings, codes) = try DictionaryCoding.decodeStringCodes(&r, count: n)
            var valuesValidity: ValidityBitmap? = nil
            if let validity, validity.nullCount > 0 {
                // NULL rows point at an added NULL entry, so the codes alone say which rows are NULL.
                let nullEntry = UInt32(strings.count)
                strings.offsets.append(UInt32(strings.bytes.count))
                var v = ValidityBitmap(allValid: strings.count)
                v.setValid(Int(nullEntry), false)
                valuesValidity = v
                for i in 0..<n where !validity.isValid(i) { codes[i] = nullEntry }
            }
            column = .dictionary(values: ColumnData(type: type, storage: .varchar(strings), validity: valuesValidity), codes: codes)
        case .varchar:
            column = ColumnData(type: type, storage: .varchar(try decodeStrings(&r, count: n, encoding: encoding)), validity: validity)
        case .listVarchar:
            let lengths = try FrameOfReference.decode(&r, count: n)
            var offsets = [UInt32](repeating: 0, count: n + 1)
            var total = 0
            for i in 0..<n {
                guard lengths[i] >= 0 else { throw .corrupt("negative list length") }
                total += Int(min(lengths[i], Int64(UInt32.max)))
                guard total < Int(UInt32.max) else { throw .corrupt("list lengths overflow") }
                offsets[i + 1] = UInt32(total)
            }
            let values = try decodeStrings(&r, count: total, encoding: encoding)
            column = ColumnData(type: type, storage: .listVarchar(StringListArray(offsets: offsets, values: values)), validity: validity)
        }
        guard r.remaining == 0 else { throw .corrupt("\(r.remaining) unexpected bytes after the segment values") }
        return column
    }

    private static func decodeStrings(_ r: inout ByteReader, count: Int, encoding: EncodingKind) throws(StorageError) -> StringArray {
        switch encoding {
        case .plain: return try PlainCoding.decodeStrings(&r, count: count)
        case .dictionary: return try DictionaryCoding.decodeStrings(&r, count: count)
        default: throw .corrupt("\(encoding) is not valid for strings")
        }
    }
}
