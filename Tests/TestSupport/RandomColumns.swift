// Column generators for encoding tests: random, edge values, all NULL, single value, runs,
// sorted sequences and max-width values, for every logical type.

import Columnar

/// Shapes of test data.
public enum DataShape: String, CaseIterable, Sendable, CustomStringConvertible {
    case random, edges, allNull, single, runs, sorted, maxWidth, empty, someNulls
    public var description: String { rawValue }
}

/// Deterministic test columns.
public enum RandomColumns {
    public struct Rng {
        var state: UInt64
        public init(_ seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    public static func column(_ type: LogicalType, _ shape: DataShape, count requested: Int = 3000, seed: UInt64 = 7) -> ColumnData {
        var rng = Rng(seed &+ UInt64(type.rawValue) &* 31 &+ UInt64(shape.rawValue.count))
        let n = shape == .empty ? 0 : (shape == .single ? 1 : requested)
        func int64(_ i: Int) -> Int64 {
            switch shape {
            case .random, .someNulls, .allNull: return Int64(bitPattern: rng.next()) >> Int64(rng.below(60))
            case .edges: return [Int64.min, Int64.max, 0, -1, 1, Int64.min + 1, Int64.max - 1][i % 7]
            case .single, .empty: return 42
            case .runs: return Int64(i / 97) * 3
            case .sorted: return 1_000_000 + Int64(i) * 7 + Int64(rng.below(3))
            case .maxWidth: return i % 2 == 0 ? Int64.min : Int64.max
            }
        }
        var validity: ValidityBitmap? = nil
        if shape == .allNull || shape == .someNulls {
            var v = ValidityBitmap(allValid: n)
            for i in 0..<n where shape == .allNull || rng.below(5) == 0 { v.setValid(i, false) }
            validity = v
        }
        let storage: ColumnData.Storage
        switch type {
        case .int32, .date:
            storage = .int32((0..<n).map { i in
                let v = int64(i)
                return shape == .edges || shape == .maxWidth ? [Int32.min, Int32.max, 0, -1, 1][i % 5] : Int32(truncatingIfNeeded: v)
            })
        case .int64, .timestamp:
            storage = .int64((0..<n).map(int64))
        case .double:
            storage = .double((0..<n).map { i in
                switch shape {
                case .edges: return [0.0, -0.0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, 1e-300, .infinity, -.infinity][i % 8]
                case .maxWidth: return Double(bitPattern: rng.next() | 1)
                case .runs: return Double(i / 50) * 0.5
                case .sorted: return Double(i) * 0.25
                default: return Double(rng.below(11)) * 0.5 + (shape == .random && i % 3 == 0 ? Double(rng.below(1000)) / 997 : 0)
                }
            })
        case .boolean:
            storage = .boolean((0..<n).map { i in shape == .runs ? (i / 40) % 2 == 0 : rng.below(2) == 0 })
        case .varchar:
            storage = .varchar(StringArray((0..<n).map { i in string(i, shape, &rng) }))
        case .listVarchar:
            var lists = StringListArray()
            for i in 0..<n { lists.append((0..<rng.below(4)).map { k in string(i + k, shape, &rng) }) }
            storage = .listVarchar(lists)
        }
        if var v = validity, case .varchar(var s) = storage {
            // NULL strings carry no bytes.
            var rebuilt = StringArray()
            for i in 0..<n { rebuilt.append(v.isValid(i) ? s[i] : "") }
            s = rebuilt
            v = validity!
            return ColumnData(type: type, storage: .varchar(s), validity: v)
        }
        return ColumnData(type: type, storage: storage, validity: validity)
    }

    static func string(_ i: Int, _ shape: DataShape, _ rng: inout Rng) -> String {
        switch shape {
        case .edges: return ["", "a", "\"", ",", "é", "東京", "\n", String(repeating: "z", count: 300)][i % 8]
        case .runs: return "genre-\(i / 60)"
        case .sorted: return "key-\(100_000 + i)"
        case .maxWidth: return String(repeating: "x", count: 2000 + i % 7)
        case .single, .empty: return "only"
        default:
            let words = ["Action", "Comedy", "Drama", "Sci-Fi", "Amélie", "Ça", "Toy Story (1995)", "\"quoted\""]
            return rng.below(3) == 0 ? words[rng.below(words.count)] : "v\(rng.next() % 100_000)"
        }
    }
}

extension ColumnData {
    /// Equal as SQL sees it: same type, rows and NULLs, and equal values in non-NULL rows
    /// (what a NULL row holds underneath is unspecified). Doubles compare by bit pattern.
    public func sameValues(as other: ColumnData) -> Bool {
        guard type == other.type, count == other.count else { return false }
        for i in 0..<count {
            if isNull(i) != other.isNull(i) { return false }
            if isNull(i) { continue }
            switch (storage, other.storage) {
            case (.double(let a), .double(let b)): if a[i].bitPattern != b[i].bitPattern { return false }
            default: if render(i) != other.render(i) { return false }
            }
        }
        return true
    }
}
