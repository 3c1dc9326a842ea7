// Builds a column one value at a time: for operators whose output is assembled row by row
// (group keys on first sight, join outputs of the unmatched, results of scalar functions
// on strings).

import Columnar

/// An append-only typed column under construction.
public struct ColumnBuilder {
    public let type: LogicalType
    private var ints32: [Int32] = []
    private var ints64: [Int64] = []
    private var doubles: [Double] = []
    private var bools: [Bool] = []
    private var strings = StringArray()
    private var lists = StringListArray()
    private var nulls: [Int] = []
    public private(set) var count = 0

    public init(type: LogicalType, capacity: Int = 0) {
        self.type = type
        switch type {
        case .int32, .date: ints32.reserveCapacity(capacity)
        case .int64, .timestamp: ints64.reserveCapacity(capacity)
        case .double: doubles.reserveCapacity(capacity)
        case .boolean: bools.reserveCapacity(capacity)
        default: break
        }
    }

    public mutating func appendNull() {
        nulls.append(count)
        switch type {
        case .int32, .date: ints32.append(0)
        case .int64, .timestamp: ints64.append(0)
        case .double: doubles.append(0)
        case .boolean: bools.append(false)
        case .varchar: strings.append("")
        case .listVarchar: lists.append([])
        }
        count += 1
    }

    /// Appends `v`, converting between compatible representations.
    public mutating func append(_ v: Value) {
        switch (type, v) {
        case (_, .null): appendNull(); return
        case (.int32, .int(let x)): ints32.append(Int32(truncatingIfNeeded: x))
        case (.date, .date(let x)): ints32.append(x)
        case (.date, .int(let x)): ints32.append(Int32(truncatingIfNeeded: x))
        case (.int64, .int(let x)), (.timestamp, .timestamp(let x)), (.timestamp, .int(let x)): ints64.append(x)
        case (.double, .double(let x)): doubles.append(x)
        case (.double, .int(let x)): doubles.append(Double(x))
        case (.boolean, .bool(let b)): bools.append(b)
        case (.varchar, .string(let s)): strings.append(s)
        case (.varchar, _): strings.append(v.description)
        case (.listVarchar, .list(let l)): lists.append(l)
        default: preconditionFailure("cannot append \(v) to a \(type) column")
        }
        count += 1
    }

    /// Appends row `row` of `column` (same type).
    public mutating func append(from column: ColumnData, row: Int) {
        if column.isNull(row) { appendNull(); return }
        switch column.storage {
        case .int32(let a): ints32.append(a[row])
        case .int64(let a): ints64.append(a[row])
        case .double(let a): doubles.append(a[row])
        case .boolean(let a): bools.append(a[row])
        case .varchar(let s): s.withValueBytes(row) { strings.append(bytes: $0) }
        case .listVarchar(let l): lists.append(l[row])
        case .dictionary(let d): append(from: d.values, row: Int(d.codes[row])); return
        }
        count += 1
    }

    public func finish() -> ColumnData {
        var validity: ValidityBitmap? = nil
        if !nulls.isEmpty {
            var v = ValidityBitmap(allValid: count)
            for r in nulls { v.setValid(r, false) }
            validity = v
        }
        let storage: ColumnData.Storage
        switch type {
        case .int32, .date: storage = .int32(ints32)
        case .int64, .timestamp: storage = .int64(ints64)
        case .double: storage = .double(doubles)
        case .boolean: storage = .boolean(bools)
        case .varchar: storage = .varchar(strings)
        case .listVarchar: storage = .listVarchar(lists)
        }
        return ColumnData(type: type, storage: storage, validity: validity)
    }
}

extension ColumnData {
    /// `count` rows of `value` as a dictionary of that one value: a constant vector, whose
    /// size does not grow with the text.
    public static func constantVector(_ value: Value, type: LogicalType, count: Int) -> ColumnData {
        var one = ColumnBuilder(type: type, capacity: 1)
        one.append(value)
        return .dictionary(values: one.finish(), codes: [UInt32](repeating: 0, count: count))
    }

    /// A column of `count` copies of `value`.
    public static func constant(_ value: Value, type: LogicalType, count: Int) -> ColumnData {
        if value == .null {
            // Zeroed values under an all-NULL bitmap, built in one go.
            let validity = ValidityBitmap(words: [UInt64](repeating: 0, count: (count + 63) / 64), count: count)
            let storage: ColumnData.Storage
            switch type {
            case .int32, .date: storage = .int32([Int32](repeating: 0, count: count))
            case .int64, .timestamp: storage = .int64([Int64](repeating: 0, count: count))
            case .double: storage = .double([Double](repeating: 0, count: count))
            case .boolean: storage = .boolean([Bool](repeating: false, count: count))
            case .varchar: storage = .varchar(StringArray(offsets: [UInt32](repeating: 0, count: count + 1), bytes: []))
            case .listVarchar:
                storage = .listVarchar(StringListArray(offsets: [UInt32](repeating: 0, count: count + 1), values: StringArray()))
            }
            return ColumnData(type: type, storage: storage, validity: validity)
        }
        switch (type, value) {
        case (.varchar, .string(let s)):
            // The text's bytes repeated: one allocation, no per-row String.
            let bytes = Array(s.utf8)
            var heap = [UInt8]()
            heap.reserveCapacity(bytes.count * count)
            for _ in 0..<count { heap.append(contentsOf: bytes) }
            let offsets = (0...count).map { UInt32($0 * bytes.count) }
            return ColumnData(type: type, storage: .varchar(StringArray(offsets: offsets, bytes: heap)))
        case (.int32, .int(let x)): return ColumnData(type: type, storage: .int32(Array(repeating: Int32(truncatingIfNeeded: x), count: count)))
        case (.date, .date(let x)): return ColumnData(type: type, storage: .int32(Array(repeating: x, count: count)))
        case (.int64, .int(let x)), (.timestamp, .timestamp(let x)): return ColumnData(type: type, storage: .int64(Array(repeating: x, count: count)))
        case (.double, .double(let x)): return ColumnData(type: type, storage: .double(Array(repeating: x, count: count)))
        case (.double, .int(let x)): return ColumnData(type: type, storage: .double(Array(repeating: Double(x), count: count)))
        case (.boolean, .bool(let x)): return ColumnData(type: type, storage: .boolean(Array(repeating: x, count: count)))
        default:
            var b = ColumnBuilder(type: type, capacity: count)
            for _ in 0..<count { b.append(value) }
            return b.finish()
        }
    }

    /// Columns concatenated, in order (all of one type).
    public static func concatenate(_ parts: [ColumnData], type: LogicalType) -> ColumnData {
        if parts.count == 1 { return parts[0] }
        if let first = parts.first?.dictionary {
            // Batches of codes into one shared column stay codes.
            if parts.allSatisfy({ $0.dictionary?.sharesValues(with: first) ?? false }) {
                var codes: [UInt32] = []
                codes.reserveCapacity(parts.reduce(0) { $0 + $1.count })
                for p in parts { codes += p.dictionary!.codes }
                return .dictionary(values: first.values, codes: codes)
            }
        }
        if parts.contains(where: { $0.dictionary != nil }) { return concatenate(parts.map { $0.flattened() }, type: type) }
        let total = parts.reduce(0) { $0 + $1.count }
        var validity: ValidityBitmap? = nil
        if parts.contains(where: { $0.validity != nil }) {
            var v = ValidityBitmap(allValid: total)
            var at = 0
            for p in parts {
                if let pv = p.validity { for i in 0..<p.count where !pv.isValid(i) { v.setValid(at + i, false) } }
                at += p.count
            }
            validity = v
        }
        switch type {
        case .int32, .date:
            var out: [Int32] = []; out.reserveCapacity(total)
            for p in parts { if case .int32(let a) = p.storage { out += a } }
            return ColumnData(type: type, storage: .int32(out), validity: validity)
        case .int64, .timestamp:
            var out: [Int64] = []; out.reserveCapacity(total)
            for p in parts { if case .int64(let a) = p.storage { out += a } }
            return ColumnData(type: type, storage: .int64(out), validity: validity)
        case .double:
            var out: [Double] = []; out.reserveCapacity(total)
            for p in parts { if case .double(let a) = p.storage { out += a } }
            return ColumnData(type: type, storage: .double(out), validity: validity)
        case .boolean:
            var out: [Bool] = []; out.reserveCapacity(total)
            for p in parts { if case .boolean(let a) = p.storage { out += a } }
            return ColumnData(type: type, storage: .boolean(out), validity: validity)
        case .varchar:
            var offsets: [UInt32] = [0]; offsets.reserveCapacity(total + 1)
            var bytes: [UInt8] = []
            for p in parts {
                if case .varchar(let s) = p.storage {
                    let base = UInt32(bytes.count)
                    bytes += s.bytes
                    offsets += s.offsets.dropFirst().map { $0 + base }
                }
            }
            return ColumnData(type: type, storage: .varchar(StringArray(offsets: offsets, bytes: bytes)), validity: validity)
        case .listVarchar:
            var out = StringListArray()
            for p in parts { if case .listVarchar(let l) = p.storage { for i in 0..<l.count { out.append(l[i]) } } }
            return ColumnData(type: type, storage: .listVarchar(out), validity: validity)
        }
    }
}
