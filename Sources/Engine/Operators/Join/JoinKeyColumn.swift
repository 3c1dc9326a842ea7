// The second and later keys of a join whose first key is an integer (tag id and score, movie
// id and date): the integer index finds the candidates, and these columns confirm them by
// comparing raw values, so no key is encoded to bytes and no row is hashed twice.

import Columnar

/// One extra join key column, read without `Value`s.
enum JoinKeyColumn {
    case ints([Int64])
    case doubles([Double])
    case strings(StringArray)

    /// Nil for a type compared another way (the join then encodes byte keys).
    init?(_ c: ColumnData) {
        switch (c.type, c.storage) {
        case (.double, .double(let d)): self = .doubles(d)
        case (.varchar, .varchar(let s)): self = .strings(s)
        case (.int32, _), (.int64, _), (.date, _), (.timestamp, _), (.boolean, _): self = .ints(ColumnAccess.int64s(c))
        default: return nil
        }
    }

    /// Whether the types compare as these columns can (both sides the same type).
    static func supports(_ left: LogicalType, _ right: LogicalType) -> Bool {
        left == right && [.int32, .int64, .date, .timestamp, .boolean, .double, .varchar].contains(left)
    }

    /// Row `r` of `self` equals row `b` of `other` (non-NULL values of the same type).
    @inline(__always) func equals(_ r: Int, _ other: JoinKeyColumn, _ b: Int) -> Bool {
        switch (self, other) {
        case (.ints(let x), .ints(let y)): return x[r] == y[b]
        case (.doubles(let x), .doubles(let y)): return x[r] == y[b] || (x[r].isNaN && y[b].isNaN)
        case (.strings(let x), .strings(let y)):
            return x.withValueBytes(r) { a in y.withValueBytes(b) { c in a.count == c.count && a.elementsEqual(c) } }
        default: return false
        }
    }
}
