// One column's values for one row group, in memory: what the CSV parser produces, what
// segment encoders consume and what decoders return. NULL rows hold a zero/empty value
// and a cleared validity bit.

/// A typed, in-memory column of values with optional validity.
public struct ColumnData: Sendable, Hashable {
    /// The physical payload; DATE shares `int32`, TIMESTAMP shares `int64`.
    public enum Storage: Sendable, Hashable {
        case int32([Int32])
        case int64([Int64])
        case double([Double])
        case boolean([Bool])
        case varchar(StringArray)
        case listVarchar(StringListArray)
        /// Codes into a column of values of the same type (see `DictionaryVector`).
        indirect case dictionary(DictionaryVector)
    }

    public var type: LogicalType
    public var storage: Storage
    /// `nil` means every row is valid.
    public var validity: ValidityBitmap?

    public init(type: LogicalType, storage: Storage, validity: ValidityBitmap? = nil) {
        self.type = type
        self.storage = storage
        self.validity = validity
        precondition(validity == nil || validity!.count == count, "validity length differs from values")
        switch (type, storage) {
        case (.int32, .int32), (.date, .int32), (.int64, .int64), (.timestamp, .int64),
             (.double, .double), (.boolean, .boolean), (.varchar, .varchar), (.listVarchar, .listVarchar):
            break
        case (_, .dictionary(let d)) where d.values.type == type:
            break
        default:
            preconditionFailure("storage does not match \(type)")
        }
    }

    public var count: Int {
        switch storage {
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .double(let v): v.count
        case .boolean(let v): v.count
        case .varchar(let v): v.count
        case .listVarchar(let v): v.count
        case .dictionary(let d): d.codes.count
        }
    }

    public var nullCount: Int { validity?.nullCount ?? 0 }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0.isValid(row) } ?? false }

    /// An empty column of `type`.
    public static func empty(_ type: LogicalType) -> ColumnData {
        switch type {
        case .int32, .date: ColumnData(type: type, storage: .int32([]))
        case .int64, .timestamp: ColumnData(type: type, storage: .int64([]))
        case .double: ColumnData(type: type, storage: .double([]))
        case .boolean: ColumnData(type: type, storage: .boolean([]))
        case .varchar: ColumnData(type: type, storage: .varchar(StringArray()))
        case .listVarchar: ColumnData(type: type, storage: .listVarchar(StringListArray()))
        }
    }

    /// The integer values widened to Int64 (for integer-like types); used by the integer
    /// encodings so one implementation serves INT, BIGINT, DATE, TIMESTAMP and BOOLEAN.
    package func widenedIntegers() -> [Int64]? {
        switch storage {
        case .int32(let v): return v.map { Int64($0) }
        case .int64(let v): return v
        case .boolean(let v): return v.map { $0 ? 1 : 0 }
        case .dictionary: return flattened().widenedIntegers()
        default: return nil
        }
    }

    /// Rebuilds integer storage of `type` from widened values.
    package static func narrowing(_ values: [Int64], to type: LogicalType, validity: ValidityBitmap?) -> ColumnData {
        switch type {
        case .int32, .date:
            // A plain loop over raw buffers, which the compiler vectorizes (map's closure
            // it does not): a scan narrows every INTEGER value it decodes.
            let narrow = [Int32](unsafeUninitializedCapacity: values.count) { out, count in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<v.count { out[i] = Int32(truncatingIfNeeded: v[i]) }
                }
                count = values.count
            }
            return ColumnData(type: type, storage: .int32(narrow), validity: validity)
        case .int64, .timestamp:
            return ColumnData(type: type, storage: .int64(values), validity: validity)
        case .boolean:
            return ColumnData(type: type, storage: .boolean(values.map { $0 != 0 }), validity: validity)
        default:
            preconditionFailure("\(type) is not an integer type")
        }
    }
}

extension ColumnData {
    /// A human-readable rendering of row `row`, used by tests and diagnostics.
    public func render(_ row: Int) -> String {
        if isNull(row) { return "NULL" }
        switch storage {
        case .int32(let v): return type == .date ? CivilTime.formatDate(days: v[row]) : String(v[row])
        case .int64(let v): return type == .timestamp ? CivilTime.formatTimestamp(micros: v[row]) : String(v[row])
        case .double(let v): return String(v[row])
        case .boolean(let v): return v[row] ? "true" : "false"
        case .varchar(let v): return v[row]
        case .listVarchar(let v): return "[" + v[row].map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .dictionary(let d): return d.values.render(Int(d.codes[row]))
        }
    }
}
