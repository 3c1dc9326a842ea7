// Every encoding and type survives encode/decode unchanged, chosen automatically or forced,
// on random data, edge values, all NULL, a single value, runs, sorted and max-width values.

import Columnar
import Testing
import TestSupport

@Suite struct EncodingRoundTripTests {
    static let shapes = DataShape.allCases
    static let types = LogicalType.allCases

    @Test(arguments: types, shapes)
    func roundTripsWithAutomaticChoice(type: LogicalType, shape: DataShape) throws {
        let column = RandomColumns.column(type, shape)
        let segment = SegmentCodec.encode(column)
        let back = try decode(segment)
        #expect(back.sameValues(as: column), "\(type) \(shape) via \(segment.encoding)")
        #expect(segment.stats.rowCount == column.count)
        #expect(segment.stats.nullCount == column.nullCount)
    }

    @Test(arguments: EncodingKind.allCases, types)
    func roundTripsWithEachEncodingForced(encoding: EncodingKind, type: LogicalType) throws {
        for shape in Self.shapes {
            let column = RandomColumns.column(type, shape, count: 777)
            for compression in [EncodingPolicy.Compression.never, .always] {
                let segment = SegmentCodec.encode(column, policy: EncodingPolicy(forcedEncoding: encoding, compression: compression))
                if encoding.applies(to: type) && !(encoding == .decimal && segment.encoding == .plain) {
                    #expect(segment.encoding == encoding, "\(type) \(shape) forced \(encoding)")
                }
                #expect(try decode(segment).sameValues(as: column), "\(type) \(shape) forced \(encoding) \(compression)")
            }
        }
    }

    @Test func chosenEncodingsFitTheData() {
        let sortedIds = ColumnData(type: .int32, storage: .int32((0..<10_000).map { Int32($0 / 100) }))
        #expect(SegmentCodec.encode(sortedIds).encoding == .runLength)
        let ratings = ColumnData(type: .double, storage: .double((0..<10_000).map { Double(($0 * 7) % 10 + 1) * 0.5 }))
        #expect(SegmentCodec.encode(ratings).encoding == .dictionary)
        let relevance = ColumnData(type: .double, storage: .double((0..<10_000).map { Double(($0 * 7919) % 100_000) / 100_000 }))
        #expect(SegmentCodec.encode(relevance).encoding == .decimal)
        let ascending = ColumnData(type: .int64, storage: .int64((0..<10_000).map { 1_500_000_000 + Int64($0) * 60 }))
        #expect(SegmentCodec.encode(ascending).encoding == .delta)
    }

    @Test func decimalRefusesValuesItCannotRestoreExactly() {
        let values: [Double] = [0.1, 0.2, 0.30000000000000004, 1e-20]
        let segment = SegmentCodec.encode(ColumnData(type: .double, storage: .double(values)),
                                          policy: EncodingPolicy(forcedEncoding: .decimal, compression: .never))
        #expect(segment.encoding == .plain)
    }

    @Test(arguments: 0...64)
    func bitPackingRoundTripsEveryWidth(width: Int) throws {
        var rng = RandomColumns.Rng(UInt64(width))
        let mask: UInt64 = width == 64 ? ~0 : (1 << UInt64(width)) - 1
        let values = (0..<333).map { _ in rng.next() & mask }
        let col = ColumnData(type: .int64, storage: .int64(values.map { Int64(bitPattern: $0) }))
        for encoding in [EncodingKind.frameOfReference, .plain, .delta] {
            let s = SegmentCodec.encode(col, policy: EncodingPolicy(forcedEncoding: encoding, compression: .never))
            #expect(try decode(s).sameValues(as: col))
        }
    }

    @Test func truncatedPayloadIsAnErrorNotACrash() {
        let column = RandomColumns.column(.int64, .random)
        for encoding in [EncodingKind.frameOfReference, .delta, .runLength, .dictionary, .plain] {
            var segment = SegmentCodec.encode(column, policy: EncodingPolicy(forcedEncoding: encoding, compression: .never))
            segment.payload.removeLast(segment.payload.count / 3)
            segment.rawLength = segment.payload.count
            #expect(throws: StorageError.self) { try decode(segment) }
        }
    }

    private func decode(_ s: EncodedSegment) throws -> ColumnData {
        try s.payload.withUnsafeBytes { p in
            try SegmentCodec.decode(type: s.type, encoding: s.encoding, compression: s.compression, rowCount: s.rowCount,
                                    rawLength: s.rawLength, payload: p)
        }
    }
}
