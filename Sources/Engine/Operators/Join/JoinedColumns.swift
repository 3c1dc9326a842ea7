// The columns a join takes from its build side for a batch of output rows.

import Columnar

extension DataChunk {
    /// This (build) chunk's columns at `rows`. Text and lists come out as dictionary vectors
    /// (codes into the build column): a movie title joined to a million ratings is not copied
    /// a million times; numbers are gathered, which costs no more than codes would.
    func joinedColumns(at rows: [Int]) -> [ColumnData] {
        var codes: [UInt32]? = nil
        return columns.map { c in
            if c.dictionary != nil { return c.selecting(rows) }  // codes of codes: compose
            switch c.type {
            case .varchar, .listVarchar:
                if codes == nil { codes = rows.map { UInt32(truncatingIfNeeded: $0) } }
                return .dictionary(values: c, codes: codes!)
            default:
                return c.selecting(rows)
            }
        }
    }
}
