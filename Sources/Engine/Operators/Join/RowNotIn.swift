// `(a, b, ...) NOT IN (SELECT x, y, ...)` as a WHERE condition: a probe row stays when no
// subquery row could equal it. A row equals another when every pair is equal, and is unknown
// (which WHERE also drops) when no pair differs but some pair has a NULL; so a probe row goes
// when some subquery row agrees with it on every column where both are present. Subquery
// rows are grouped by which columns are NULL in them; for each such group and each NULL set
// of the probe rows, the columns both have are hashed once (built when first needed) and the
// probe rows looked up. No subquery rows keeps everything, NULLs included.
//
//   build (once, shared by the parallel copies): drain subquery -> keys -> rows by NULL set
//   probe: per batch -> rows by NULL set -> per (build set, probe set): hash the shared columns

import Columnar
import Foundation

/// The subquery side of a row NOT IN: read once by whichever copy of the operator gets there
/// first, then probed by all of them.
final class RowNotInBuild: @unchecked Sendable {
    private let lock = NSLock()
    private var built = false
    private(set) var count = 0
    private var keyColumns: [ColumnData] = []
    /// Rows by their NULL set (bit i: key i is NULL).
    private(set) var rowsByNulls: [UInt64: [Int]] = [:]
    /// The hashed shared columns of one NULL set, by (NULL set, columns hashed).
    private var tables: [Pair: Table] = [:]

    /// A NULL set's rows on some columns: integers packed into one (as the hash join packs
    /// them), other types as encoded bytes.
    enum Table {
        case packed(IntegerKeyPacking, IntegerGroupIndex)
        case bytes(GroupHashTable)

        /// Which rows of `columns` (no NULLs) occur in the table.
        func contains(_ columns: [ColumnData], rows n: Int) -> [Bool] {
            switch self {
            case .packed(let packing, let index):
                let (values, outside) = packing.pack(columns)
                let found = index.lookup(values, validity: nil)
                return (0..<n).map { !outside[$0] && found[$0] >= 0 }
            case .bytes(let table):
                return table.find(EncodedKeys.encode(columns, rows: n)).map { $0 >= 0 }
            }
        }
    }
    private var reserved = 0
    private var context: QueryContext?

    struct Pair: Hashable {
        let buildNulls: UInt64
        let columns: UInt64
    }

    deinit { context?.release(reserved) }

    /// Builds from `input` unless built already.
    func build(_ input: PhysicalOperator, keys: [BoundExpr], types: [LogicalType], context: QueryContext) throws(SQLError) {
        lock.lock()
        defer { lock.unlock() }
        guard !built else { return }
        let (chunk, bytes) = try input.drain(types: types, context: context)
        self.context = context
        reserved = bytes
        count = chunk.count
        for k in keys { keyColumns.append(try ExpressionEvaluator.evaluate(k, chunk).flattened()) }
        for r in 0..<chunk.count { rowsByNulls[RowNotInOperator.nullSet(keyColumns, r), default: []].append(r) }
        built = true
    }

    /// The build rows of NULL set `pair.buildNulls` hashed on the columns `pair.columns`.
    func table(_ pair: Pair) -> Table {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[pair] { return t }
        let rows = rowsByNulls[pair.buildNulls] ?? []
        var columns = RowNotInOperator.columns(keyColumns, pair.columns)
        if rows.count != count { columns = columns.map { $0.selecting(rows) } }
        var ids = [Int](repeating: 0, count: rows.count), inserted = [Bool](repeating: false, count: rows.count)
        let t: Table
        if columns.allSatisfy({ $0.type.isInteger }), let packing = IntegerKeyPacking(buildKeys: columns) {
            let index = IntegerGroupIndex(expecting: KeyStatistics(expectedKeys: rows.count, range: packing.range))
            index.ids(packing.pack(columns).values, validity: nil, ids: &ids, inserted: &inserted)
            t = .packed(packing, index)
        } else {
            let table = GroupHashTable(capacity: max(16, rows.count))
            table.findOrInsert(EncodedKeys.encode(columns, rows: rows.count), ids: &ids, inserted: &inserted)
            t = .bytes(table)
        }
        tables[pair] = t
        return t
    }
}

final class RowNotInOperator: PhysicalOperator {
    let name: String
    let probeInput: PhysicalOperator, buildInput: PhysicalOperator
    var children: [PhysicalOperator] { [probeInput, buildInput] }
    private let probeKeys: [BoundExpr], buildKeys: [BoundExpr]
    private let buildTypes: [LogicalType]
    private let shared: RowNotInBuild
    private let context: QueryContext
    private var built = false

    init(probe: PhysicalOperator, build: PhysicalOperator, probeKeys: [BoundExpr], buildKeys: [BoundExpr], buildTypes: [LogicalType],
         shared: RowNotInBuild, context: QueryContext) {
        probeInput = probe
        buildInput = build
        self.probeKeys = probeKeys
        self.buildKeys = buildKeys
        self.buildTypes = buildTypes
        self.shared = shared
        self.context = context
        name = "ROW_NOT_IN (" + probeKeys.map(\.description).joined(separator: ", ") + ") NOT IN ("
            + buildKeys.map(\.description).joined(separator: ", ") + ")"
    }

    /// Bit i set where key column i is NULL in `row`.
    static func nullSet(_ columns: [ColumnData], _ row: Int) -> UInt64 {
        var set: UInt64 = 0
        for (i, c) in columns.enumerated() where c.isNull(row) { set |= 1 << UInt64(i) }
        return set
    }

    /// The columns in `set`, in key order.
    static func columns(_ all: [ColumnData], _ set: UInt64) -> [ColumnData] {
        all.indices.filter { set & (1 << UInt64($0)) != 0 }.map { all[$0] }
    }

    func next() throws(SQLError) -> DataChunk? {
        if !built {
            try shared.build(buildInput, keys: buildKeys, types: buildTypes, context: context)
            built = true
        }
        let all: UInt64 = probeKeys.count == 64 ? .max : (1 << UInt64(probeKeys.count)) - 1
        let buildSets = Array(shared.rowsByNulls.keys).sorted()
        while let chunk = try probeInput.next() {
            guard chunk.count > 0 else { continue }
            if shared.count == 0 { return chunk }
            var keys: [ColumnData] = []
            for k in probeKeys { keys.append(try ExpressionEvaluator.evaluate(k, chunk).flattened()) }
            var rowsByNulls: [UInt64: [Int]] = [:]
            if keys.allSatisfy({ $0.validity == nil }) {
                rowsByNulls[0] = Array(0..<chunk.count)
            } else {
                for r in 0..<chunk.count { rowsByNulls[Self.nullSet(keys, r), default: []].append(r) }
            }
            var dropped = [Bool](repeating: false, count: chunk.count)
            for (probeNulls, rows) in rowsByNulls {
                for buildNulls in buildSets {
                    let sharedColumns = all & ~(probeNulls | buildNulls)
                    if sharedColumns == 0 {
                        // Nothing to compare: such a build row may equal every one of these rows.
                        for r in rows { dropped[r] = true }
                        break
                    }
                    let candidates = rows.filter { !dropped[$0] }
                    guard !candidates.isEmpty else { break }
                    var columns = Self.columns(keys, sharedColumns)
                    if candidates.count != chunk.count { columns = columns.map { $0.selecting(candidates) } }
                    let found = shared.table(RowNotInBuild.Pair(buildNulls: buildNulls, columns: sharedColumns))
                        .contains(columns, rows: candidates.count)
                    for (i, r) in candidates.enumerated() where found[i] { dropped[r] = true }
                }
            }
            let keep = (0..<chunk.count).filter { !dropped[$0] }
            try context.check()
            if keep.count == chunk.count { return chunk }
            if !keep.isEmpty { return chunk.gather(keep) }
        }
        return nil
    }
}
