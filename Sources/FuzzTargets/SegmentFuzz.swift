// Segment input: arbitrary payloads through every decoder (type, encoding, compression and
// row count from the first bytes), arbitrary blocks through the block reader, and arbitrary
// values through every encoding and back. Invariants: a decoder returns a column of the
// declared type and row count or an error; encoding then decoding gives the same values, bit
// for bit, with the same NULLs, whatever encoding and compression is forced.

import Columnar
import Foundation

enum SegmentFuzz {
    static func run(_ input: [UInt8]) {
        guard input.count >= 8 else { return }
        let header = Array(input[0..<8])
        let body = Array(input[8...])
        let type = LogicalType.allCases[Int(header[1]) % LogicalType.allCases.count]
        switch header[0] % 3 {
        case 0:
            let encoding = EncodingKind.allCases[Int(header[2]) % EncodingKind.allCases.count]
            let compression: CompressionKind = header[3] & 1 == 0 ? .none : .zlib
            let rows = Int(UInt16(header[4]) | UInt16(header[5]) << 8) % 4097
            let rawLength = compression == .none ? body.count : Int(UInt16(header[6]) | UInt16(header[7]) << 8)
            decode(type: type, encoding: encoding, compression: compression, rows: rows, rawLength: rawLength, payload: body)
        case 1:
            openBlock(body)
        default:
            roundTrip(column(type, from: body, nullMarker: header[2]))
        }
    }

    /// A payload through the decoder; what comes back must be what was declared, and must
    /// itself round-trip.
    static func decode(type: LogicalType, encoding: EncodingKind, compression: CompressionKind, rows: Int,
                       rawLength: Int, payload: [UInt8]) {
        for keepCodes in [false, true] {
            let result = payload.withUnsafeBytes { raw in
                Result { () throws(StorageError) in
                    try SegmentCodec.decode(type: type, encoding: encoding, compression: compression, rowCount: rows,
                                            rawLength: rawLength, payload: raw, keepCodes: keepCodes)
                }
            }
            guard case .success(let decoded) = result else { return }
            if decoded.type != type || decoded.count != rows {
                finding("\(encoding) payload declared \(rows) rows of \(type), decoded \(decoded.count) of \(decoded.type)")
            }
            roundTrip(decoded)
        }
    }

    /// Bytes as a block file's block, its checksum made right so the header is what is tested.
    static func openBlock(_ bytes: [UInt8]) {
        guard bytes.count >= BlockFormat.headerSize + BlockFormat.trailerSize else { return }
        var block = bytes
        let crc = block.withUnsafeBytes { Zlib.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<(block.count - 4)])) }
        withUnsafeBytes(of: crc.littleEndian) { block.replaceSubrange((block.count - 4)..., with: $0) }
        block.withUnsafeBytes { raw in
            guard let (h, payload) = try? BlockFormat.open(raw, path: "fuzz.seg", offset: 0) else { return }
            if payload.count != h.storedLength { finding("block payload of \(payload.count) bytes, header says \(h.storedLength)") }
            guard let decoded = try? SegmentCodec.decode(type: h.type, encoding: h.encoding, compression: h.compression,
                                                         rowCount: h.rowCount, rawLength: h.rawLength, payload: payload) else { return }
            if decoded.count != h.rowCount { finding("block of \(h.rowCount) rows decoded to \(decoded.count)") }
        }
    }

    /// Encodes `column` under every encoding (forced or chosen) and compression, frames each
    /// segment as a block, reads it back and compares.
    static func roundTrip(_ column: ColumnData) {
        let expected = column.fuzzDescription
        let forced: [EncodingKind?] = [nil] + EncodingKind.allCases.filter { $0.applies(to: column.type) }
        for encoding in forced {
            for compression in [EncodingPolicy.Compression.never, .always] {
                let segment = SegmentCodec.encode(column, policy: EncodingPolicy(forcedEncoding: encoding, compression: compression))
                let block = BlockFormat.frame(segment)
                let result = block.withUnsafeBytes { raw in
                    Result { () throws(StorageError) in
                        let (h, payload) = try BlockFormat.open(raw, path: "fuzz.seg", offset: 0)
                        return try SegmentCodec.decode(type: h.type, encoding: h.encoding, compression: h.compression,
                                                       rowCount: h.rowCount, rawLength: h.rawLength, payload: payload)
                    }
                }
                let decoded: ColumnData
                switch result {
                case .success(let column): decoded = column
                case .failure(let error): finding("\(segment.encoding) segment of \(column.count) \(column.type) rows does not decode: \(error)")
                }
                let actual = decoded.fuzzDescription
                if actual != expected || decoded.type != column.type {
                    finding("\(segment.encoding)/\(segment.compression) changed \(column.type) values:\n\(expected)\nvs\n\(actual)")
                }
                let stats = segment.stats
                if stats.rowCount != column.count || stats.nullCount != column.nullCount {
                    finding("\(segment.encoding) stats say \(stats.rowCount) rows, \(stats.nullCount) NULL; the column has \(column.count), \(column.nullCount)")
                }
                checkBounds(stats, column)
            }
        }
    }

    /// Scans skip a segment whose [min, max] cannot match, so every non-NULL value must lie
    /// within them.
    static func checkBounds(_ stats: SegmentStats, _ column: ColumnData) {
        let flat = column.flattened()
        for row in 0..<flat.count where !flat.isNull(row) {
            let value: StatValue
            switch flat.storage {
            case .int32(let v): value = .int(Int64(v[row]))
            case .int64(let v): value = .int(v[row])
            case .boolean(let v): value = .int(v[row] ? 1 : 0)
            case .double(let v): value = .double(v[row])
            case .varchar(let v):
                // Text bounds hold in byte order, the order scans compare in: compare the bytes
                // (a decoded payload may hold bytes that are not UTF-8, which `String` would
                // replace with U+FFFD and so move).
                let bytes = v.withValueBytes(row) { Array($0) }
                if case .string(let min)? = stats.min, bytes.lexicographicallyPrecedes(Array(min.utf8)) {
                    finding("text value \(bytes) below the segment minimum \(min)")
                }
                if case .string(let max)? = stats.max, Array(max.utf8).lexicographicallyPrecedes(bytes) {
                    finding("text value \(bytes) above the segment maximum \(max)")
                }
                continue
            case .listVarchar, .dictionary: return
            }
            if let min = stats.min, value < min { finding("\(column.type) value \(value) below the segment minimum \(min)") }
            if let max = stats.max, max < value { finding("\(column.type) value \(value) above the segment maximum \(max)") }
        }
    }

    /// A column of `type` made of `bytes`: fixed-width values from consecutive bytes, text
    /// split at 0xFF (lists at 0xFE); a row whose first byte is `nullMarker` is NULL (none
    /// when the marker is 0).
    static func column(_ type: LogicalType, from bytes: [UInt8], nullMarker: UInt8) -> ColumnData {
        func load<T: FixedWidthInteger>(_: T.Type) -> ([T], [UInt8]) {
            let width = MemoryLayout<T>.size
            var values: [T] = []
            var firsts: [UInt8] = []
            var i = 0
            while i + width <= bytes.count {
                var v: T = 0
                for k in 0..<width { v |= T(truncatingIfNeeded: bytes[i + k]) << (8 * k) }
                values.append(v)
                firsts.append(bytes[i])
                i += width
            }
            return (values, firsts)
        }
        let storage: ColumnData.Storage
        let firsts: [UInt8]
        switch type {
        case .int32, .date:
            let (v, f) = load(Int32.self); storage = .int32(v); firsts = f
        case .int64, .timestamp:
            let (v, f) = load(Int64.self); storage = .int64(v); firsts = f
        case .double:
            let (v, f) = load(UInt64.self); storage = .double(v.map(Double.init(bitPattern:))); firsts = f
        case .boolean:
            storage = .boolean(bytes.map { $0 & 1 == 1 }); firsts = bytes
        case .varchar:
            let parts = bytes.split(separator: 0xFF, omittingEmptySubsequences: false)
            storage = .varchar(StringArray(parts.map { String(decoding: $0, as: UTF8.self) }))
            firsts = parts.map { $0.first ?? 0 }
        case .listVarchar:
            let rows = bytes.split(separator: 0xFE, omittingEmptySubsequences: false)
            var lists = StringListArray()
            for row in rows {
                lists.append(row.isEmpty ? [] : row.split(separator: 0xFF, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) })
            }
            storage = .listVarchar(lists); firsts = rows.map { $0.first ?? 0 }
        }
        var column = ColumnData(type: type, storage: storage)
        guard nullMarker != 0, firsts.contains(nullMarker) else { return column }
        var validity = ValidityBitmap(allValid: column.count)
        for (row, first) in firsts.enumerated() where first == nullMarker { validity.setValid(row, false) }
        column = column.withNulls(validity)
        return column
    }
}

extension ColumnData {
    /// This column with `validity`, NULL rows holding the zero value as the engine stores them.
    func withNulls(_ validity: ValidityBitmap) -> ColumnData {
        func zeroed<T>(_ values: [T], _ zero: T) -> [T] {
            var out = values
            for row in out.indices where !validity.isValid(row) { out[row] = zero }
            return out
        }
        switch storage {
        case .int32(let v): return ColumnData(type: type, storage: .int32(zeroed(v, 0)), validity: validity)
        case .int64(let v): return ColumnData(type: type, storage: .int64(zeroed(v, 0)), validity: validity)
        case .double(let v): return ColumnData(type: type, storage: .double(zeroed(v, 0)), validity: validity)
        case .boolean(let v): return ColumnData(type: type, storage: .boolean(zeroed(v, false)), validity: validity)
        case .varchar(let v):
            return ColumnData(type: type, storage: .varchar(StringArray((0..<v.count).map { validity.isValid($0) ? v[$0] : "" })), validity: validity)
        case .listVarchar(let v):
            var lists = StringListArray()
            for row in 0..<v.count { lists.append(validity.isValid(row) ? v[row] : []) }
            return ColumnData(type: type, storage: .listVarchar(lists), validity: validity)
        case .dictionary: return flattened().withNulls(validity)
        }
    }
}
