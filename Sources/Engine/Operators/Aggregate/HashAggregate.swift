// GROUP BY and aggregates: each batch's keys map to dense group ids through the hash
// table, then every aggregate updates its per-group state arrays in one loop over the
// batch. States are columnar (an array per aggregate, indexed by group id).
//
//   consume: batch -> keys -> group ids -> state[agg][gid] += ...
//   produce: group key columns (first-seen rows) + one column per aggregate

import Columnar
import Foundation

/// Group keys and aggregate states for one stream of batches; parallel plans keep one per
/// worker and merge them.
final class AggregationTable {
    let groups: [BoundExpr]
    let aggregates: [AggregateCall]
    private let table: GroupHashTable
    /// One integer key: direct indexing or inline-key hashing instead of byte keys. A double
    /// key goes the same way by its bit pattern (-0.0 as 0.0, one NaN).
    private let integerIndex: IntegerGroupIndex?
    private var keyBuilders: [ColumnBuilder]
    private var states: [State]
    private(set) var groupCount = 0
    /// GROUP BY (integer, text) where the text usually follows from the integer (movie_id,
    /// movie_title): the integer finds a representative group and one byte comparison
    /// confirms it; other combinations (and NULLs) go through the byte-key table.
    private let leadIndex: IntegerGroupIndex?
    private var leadGroup: [Int] = []          // lead id -> group id of its representative, -1 none
    private var leadText = StringArray()       // lead id -> representative text
    private var exceptionGroup: [Int] = []     // byte-key table id -> group id
    /// GROUP BY two integer keys (user_id, timestamp): while every key fits 32 bits and none
    /// is NULL, the pair packed into one 64-bit integer goes through an integer index; the
    /// first batch that does not fit moves the groups to the byte-key table, same ids.
    private var pairIndex: IntegerGroupIndex?
    /// Parallel tables: where each group was first seen in the scan (morsel, batch, row; see
    /// `ParallelHashAggregateOperator`). The merged groups come out in that order, the order
    /// one thread would give, so the output is the same at any thread count.
    private var firstSeen: [Int64]?

    /// `statistics` sizes the group index up front (see `KeyStatistics`); without it the
    /// index starts small and grows.
    init(groups: [BoundExpr], aggregates: [AggregateCall], statistics: KeyStatistics? = nil) {
        self.groups = groups
        self.aggregates = aggregates
        let sized = { statistics.map { IntegerGroupIndex(expecting: $0) } ?? IntegerGroupIndex() }
        integerIndex = groups.count == 1 && (groups[0].type.isInteger || groups[0].type == .double) ? sized() : nil
        leadIndex = groups.count == 2 && groups[0].type.isInteger && groups[1].type == .varchar ? sized() : nil
        pairIndex = groups.count == 2 && groups.allSatisfy({ $0.type.isInteger }) ? sized() : nil
        table = GroupHashTable(capacity: integerIndex == nil && leadIndex == nil && pairIndex == nil ? statistics?.expectedKeys ?? 1024 : 16)
        keyBuilders = groups.map { ColumnBuilder(type: $0.type) }
        states = zip(aggregates, GroupAccumulators.make(aggregates)).map { call, accumulator in
            var state = State(call: call, distinct: call.distinct && call.function.isBasic ? GroupHashTable() : nil)
            state.accumulator = accumulator
            return state
        }
        if groups.isEmpty {
            groupCount = 1
            for s in states.indices { states[s].grow(to: 1) }
        }
    }

    /// Per-aggregate state, one slot per group.
    struct State {
        var call: AggregateCall
        var counts: [Int64] = []
        var ints: [Int64] = []
        /// SUM over integers, in 128 bits: no partial sum overflows, so the answer (or the
        /// overflow error when the total does not fit BIGINT) is the same in any row order.
        var sums: [Int128] = []
        var doubles: [Double] = []
        /// SUM / AVG of doubles: the low part of a double-double sum (`doubles` holds the high
        /// part). Each addition keeps the rounding error it makes (TwoSum), so values of very
        /// different magnitudes (1e300 + 100.25 - 1e300) sum to the exact answer and the result
        /// does not depend on the order of the rows in practice.
        var lows: [Double] = []
        var strings: [String?] = []
        var seen: [Bool] = []
        var distinct: GroupHashTable?
        /// (group, value) pairs already counted, for DISTINCT over 32-bit integers.
        let distinctPairs = DistinctPairs()
        /// The state of a function beyond the basic five.
        var accumulator: GroupAccumulator?

        /// SUM and AVG of doubles add doubles; of integers, 128-bit integers (exact).
        var usesDoubles: Bool { call.argument?.type == .double }

        mutating func grow(to n: Int) {
            guard accumulator == nil else { return }
            while counts.count < n {
                counts.append(0); ints.append(0); doubles.append(0); seen.append(false)
                if call.function == .sum || call.function == .avg {
                    if usesDoubles { lows.append(0) } else { sums.append(0) }
                }
                if call.argument?.type == .varchar { strings.append(nil) }
            }
        }
    }

    /// Group ids of `keyColumns`' rows, adding new groups (their keys and empty states).
    private func assign(_ keyColumns: [ColumnData], rows n: Int) -> [Int] {
        var ids = [Int](repeating: 0, count: n)
        guard !groups.isEmpty else { return ids }
        var inserted = [Bool](repeating: false, count: n)
        if let integerIndex {
            let keys = keyColumns[0].type == .double
                ? ColumnAccess.doubles(keyColumns[0]).map { x in Int64(bitPattern: (x == 0 ? 0 : x.isNaN ? .nan : x).bitPattern) }
                : ColumnAccess.int64s(keyColumns[0])
            integerIndex.ids(keys, validity: keyColumns[0].validity, ids: &ids, inserted: &inserted)
            groupCount = integerIndex.count
        } else if let pairIndex, let packed = Self.packed(keyColumns) {
            pairIndex.ids(packed, validity: nil, ids: &ids, inserted: &inserted)
            groupCount = pairIndex.count
        } else if let leadIndex, let (texts, codes) = Self.texts(keyColumns[1]) {
            assignLed(leadIndex, keyColumns, texts, codes, rows: n, ids: &ids, inserted: &inserted)
        } else if groups.count == 1, let d = keyColumns[0].dictionary, case .varchar(let strings) = d.values.storage {
            assignCoded(strings, d, validity: d.values.validity, ids: &ids, inserted: &inserted)
            groupCount = table.count
        } else if groups.count == 1, case .varchar(let strings) = keyColumns[0].storage {
            table.findOrInsert(strings: strings, validity: keyColumns[0].validity, ids: &ids, inserted: &inserted)
            groupCount = table.count
        } else {
            if pairIndex != nil {
                // Keys that do not pack: the groups so far go to the byte-key table first, in
                // id order, so they keep their ids.
                pairIndex = nil
                if groupCount > 0 {
                    var sameIds = [Int](repeating: 0, count: groupCount), fresh = [Bool](repeating: false, count: groupCount)
                    table.findOrInsert(EncodedKeys.encode(keyBuilders.map { $0.finish() }, rows: groupCount), ids: &sameIds, inserted: &fresh)
                }
            }
            table.findOrInsert(EncodedKeys.encode(keyColumns, rows: n), ids: &ids, inserted: &inserted)
            groupCount = table.count
        }
        for r in 0..<n where inserted[r] {
            for k in 0..<keyColumns.count { keyBuilders[k].append(from: keyColumns[k], row: r) }
        }
        for s in states.indices { states[s].grow(to: groupCount) }
        return ids
    }

    /// Two integer key columns packed into one integer per row (the first key in the high
    /// 32 bits), or nil when a key is NULL or does not fit 32 bits.
    private static func packed(_ keys: [ColumnData]) -> [Int64]? {
        guard keys[0].validity == nil && keys[1].validity == nil else { return nil }
        let a = ColumnAccess.int64s(keys[0]), b = ColumnAccess.int64s(keys[1])
        var out = [Int64](repeating: 0, count: a.count)
        var fits = true
        for r in 0..<a.count {
            let x = a[r], y = b[r]
            fits = fits && x == Int64(Int32(truncatingIfNeeded: x)) && y == Int64(Int32(truncatingIfNeeded: y))
            out[r] = x << 32 | (y & 0xFFFF_FFFF)
        }
        return fits ? out : nil
    }

    /// The strings of a text column and, for a dictionary, each row's code into them.
    private static func texts(_ c: ColumnData) -> (StringArray, [UInt32]?)? {
        switch c.storage {
        case .varchar(let s): return (s, nil)
        case .dictionary(let d): if case .varchar(let s) = d.values.storage { return (s, d.codes) } else { return nil }
        default: return nil
        }
    }

    /// The dictionary whose codes `codeGroups` maps to group ids (-1: not looked up yet). A
    /// join hands every batch codes into the same build column, so the map carries over
    /// and most rows cost one array read instead of hashing their text.
    private var codedDictionary: StringArray?
    private var codeGroups: [Int32] = []

    /// One text key given as dictionary codes: each distinct code is hashed once.
    private func assignCoded(_ strings: StringArray, _ d: DictionaryVector, validity: ValidityBitmap?, ids: inout [Int], inserted: inout [Bool]) {
        if !Self.sameStorage(codedDictionary, strings) {
            codedDictionary = strings
            codeGroups = [Int32](repeating: -1, count: strings.count)
        }
        for (r, code) in d.codes.enumerated() {
            let c = Int(code)
            let known = codeGroups[c]
            if known >= 0 { ids[r] = Int(known); inserted[r] = false; continue }
            // The same keys as `findOrInsert(strings:)` makes of flat text, NULL included.
            let (id, new) = validity.map({ !$0.isValid(c) }) ?? false
                ? GroupHashTable.nullTextKey.withUnsafeBytes { table.findOrInsert($0) }
                : strings.withValueBytes(c) { table.findOrInsert($0) }
            codeGroups[c] = Int32(id)
            ids[r] = id
            inserted[r] = new
        }
    }

    /// Whether two string arrays share their buffers (the same column, not just equal text).
    private static func sameStorage(_ a: StringArray?, _ b: StringArray) -> Bool {
        guard let a, a.count == b.count else { return false }
        let bytes = a.bytes.withUnsafeBufferPointer { x in b.bytes.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        let offsets = a.offsets.withUnsafeBufferPointer { x in b.offsets.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
        return bytes && offsets
    }

    private func assignLed(_ leadIndex: IntegerGroupIndex, _ keyColumns: [ColumnData], _ texts: StringArray, _ codes: [UInt32]?,
                           rows n: Int, ids: inout [Int], inserted: inout [Bool]) {
        var leads = [Int](repeating: 0, count: n), newLead = [Bool](repeating: false, count: n)
        leadIndex.ids(ColumnAccess.int64s(keyColumns[0]), validity: keyColumns[0].validity, ids: &leads, inserted: &newLead)
        if leadGroup.count < leadIndex.count { leadGroup += [Int](repeating: -1, count: leadIndex.count - leadGroup.count) }
        var exceptions: [Int] = []
        let intValidity = keyColumns[0].validity, textValidity = keyColumns[1].validity
        for r in 0..<n {
            let lead = leads[r]
            let g = leadGroup[lead]
            let isNull = !(intValidity?.isValid(r) ?? true) || !(textValidity?.isValid(r) ?? true)
            if g == -1 {
                // First sight of this integer (leads arrive in order, so leadText.count == lead):
                // its text becomes the representative; a NULL means it never gets one.
                if isNull {
                    leadGroup[lead] = -2
                    leadText.offsets.append(UInt32(leadText.bytes.count))
                    exceptions.append(r)
                    continue
                }
                texts.withValueBytes(codes.map { Int($0[r]) } ?? r) { leadText.append(bytes: $0) }
                leadGroup[lead] = groupCount
                ids[r] = groupCount
                groupCount += 1
                // Keys are added here, in group id order (not via `inserted`).
                for k in 0..<2 { keyBuilders[k].append(from: keyColumns[k], row: r) }
                continue
            }
            if g < 0 || isNull { exceptions.append(r); continue }
            let t = codes.map { Int($0[r]) } ?? r
            let lo = Int(texts.offsets[t]), hi = Int(texts.offsets[t + 1])
            let rlo = Int(leadText.offsets[lead]), rhi = Int(leadText.offsets[lead + 1])
            let same = hi - lo == rhi - rlo && texts.bytes.withUnsafeBufferPointer { a in
                leadText.bytes.withUnsafeBufferPointer { b in
                    hi == lo || memcmp(a.baseAddress! + lo, b.baseAddress! + rlo, hi - lo) == 0
                }
            }
            if same { ids[r] = g } else { exceptions.append(r) }
        }
        guard !exceptions.isEmpty else { return }
        let keys = EncodedKeys.encode(keyColumns.map { $0.selecting(exceptions) }, rows: exceptions.count)
        var tableIds = [Int](repeating: 0, count: exceptions.count), tableNew = [Bool](repeating: false, count: exceptions.count)
        table.findOrInsert(keys, ids: &tableIds, inserted: &tableNew)
        for (k, r) in exceptions.enumerated() {
            if tableNew[k] {
                exceptionGroup.append(groupCount)
                groupCount += 1
                for c in 0..<2 { keyBuilders[c].append(from: keyColumns[c], row: r) }
            }
            ids[r] = exceptionGroup[tableIds[k]]
        }
    }

    /// Records where groups are first seen (call before the first batch).
    func tracksFirstSeen() { firstSeen = groups.isEmpty ? nil : [] }

    /// Reads one batch; `origin` is the scan position of its first row (when tracked).
    func consume(_ chunk: DataChunk, origin: Int64 = 0) throws(SQLError) {
        guard chunk.count > 0 else { return }
        var keyColumns: [ColumnData] = []
        for g in groups { keyColumns.append(try ExpressionEvaluator.evaluateKeepingDictionary(g, chunk)) }
        let before = groupCount
        let ids = assign(keyColumns, rows: chunk.count)
        if var seen = firstSeen, groupCount > before {
            // New groups were made in row order: the first row with each new id is its first.
            firstSeen = nil
            seen += [Int64](repeating: .max, count: groupCount - before)
            var next = before
            for r in 0..<chunk.count where ids[r] == next {
                seen[next] = origin + Int64(r)
                next += 1
                if next == groupCount { break }
            }
            // (A path that numbers new groups out of row order fills the rest.)
            if next < groupCount {
                for r in 0..<chunk.count where ids[r] >= before && seen[ids[r]] == .max { seen[ids[r]] = origin + Int64(r) }
            }
            firstSeen = seen
        }
        for s in states.indices { try update(&states[s], chunk, ids) }
    }

    /// Whether tables of these aggregates can be merged (DISTINCT only over integers).
    static func mergeable(_ aggregates: [AggregateCall]) -> Bool {
        aggregates.allSatisfy { !$0.distinct || ($0.argument?.type.isInteger ?? false) }
    }

    /// Adds another table's groups and states into this one.
    func merge(_ other: AggregationTable) {
        let otherKeys = other.keyBuilders.map { $0.finish() }
        let before = groupCount
        let ids = assign(otherKeys, rows: other.groupCount)
        if firstSeen != nil, let theirs = other.firstSeen {
            firstSeen! += [Int64](repeating: .max, count: groupCount - before)
            for g in 0..<other.groupCount { firstSeen![ids[g]] = min(firstSeen![ids[g]], theirs[g]) }
        }
        for s in states.indices {
            let o = other.states[s]
            if let accumulator = states[s].accumulator {
                accumulator.merge(o.accumulator!, ids: ids, groups: groupCount)
                continue
            }
            if states[s].call.distinct {
                // Re-count the other worker's (group, value) pairs under this table's ids.
                let (pairGroups, values) = o.distinctPairs.allPairs()
                let remapped = pairGroups.map { ids[$0] }
                var first = [Bool](repeating: true, count: values.count)
                states[s].distinctPairs.keepFirst(groups: remapped, values: values, include: &first)
                for k in 0..<values.count where first[k] {
                    let t = remapped[k]
                    let value = values[k]
                    states[s].counts[t] += 1
                    if !states[s].sums.isEmpty { states[s].sums[t] += Int128(value) }
                    states[s].doubles[t] += Double(value)
                    if states[s].call.function == .min || states[s].call.function == .max {
                        let isMin = states[s].call.function == .min
                        if !states[s].seen[t] || (isMin ? value < states[s].ints[t] : value > states[s].ints[t]) { states[s].ints[t] = value }
                        states[s].seen[t] = true
                    }
                }
                continue
            }
            for g in 0..<other.groupCount {
                let t = ids[g]
                switch states[s].call.function {
                case .countStar, .count: states[s].counts[t] += o.counts[g]
                case .sum, .avg:
                    states[s].counts[t] += o.counts[g]
                    if !o.lows.isEmpty {
                        let (hi, error) = Self.twoSum(states[s].doubles[t], o.doubles[g])
                        states[s].doubles[t] = hi
                        states[s].lows[t] += o.lows[g] + error
                    }
                    if !o.sums.isEmpty { states[s].sums[t] += o.sums[g] }
                case .min, .max:
                    guard o.seen[g] else { continue }
                    let isMin = states[s].call.function == .min
                    if !states[s].seen[t] {
                        states[s].ints[t] = o.ints[g]
                        states[s].doubles[t] = o.doubles[g]
                        if !o.strings.isEmpty { states[s].strings[t] = o.strings[g] }
                        states[s].seen[t] = true
                    } else if states[s].call.type == .double {
                        let c = ExpressionEvaluator.totalOrder(o.doubles[g], states[s].doubles[t])
                        if isMin ? c < 0 : c > 0 { states[s].doubles[t] = o.doubles[g] }
                    } else if states[s].call.type == .varchar {
                        let a = o.strings[g]!, b = states[s].strings[t]!
                        if isMin ? a.utf8.lexicographicallyPrecedes(b.utf8) : b.utf8.lexicographicallyPrecedes(a.utf8) { states[s].strings[t] = a }
                    } else {
                        if isMin ? o.ints[g] < states[s].ints[t] : o.ints[g] > states[s].ints[t] { states[s].ints[t] = o.ints[g] }
                    }
                default: break
                }
            }
        }
    }

    /// The result: group key columns, then one column per aggregate.
    func result(_ context: QueryContext) throws(SQLError) -> DataChunk {
        // A DOUBLE group holding 0.0 and -0.0 shows 0.0, whichever row came first.
        var columns = keyBuilders.map { b -> ColumnData in
            let c = b.finish()
            guard case .double(let v) = c.storage, v.contains(where: { $0 == 0 && $0.sign == .minus }) else { return c }
            return ColumnData(type: .double, storage: .double(v.map { $0 == 0 ? 0 : $0 }), validity: c.validity)
        }
        for s in states {
            if let accumulator = s.accumulator {
                columns.append(try accumulator.finish(groups: groupCount, context: context))
            } else {
                columns.append(try finish(s, groups: groupCount))
            }
        }
        let chunk = DataChunk(columns: columns, count: groupCount)
        guard let firstSeen, groupCount > 1 else { return chunk }
        // Groups in the order they were first seen in the scan.
        var pairs = firstSeen.enumerated().map { (UInt64(bitPattern: $1) ^ (1 << 63), $0) }
        if zip(pairs, pairs.dropFirst()).allSatisfy({ $0.0 <= $1.0 }) { return chunk }
        var scratch: [(UInt64, Int)] = []
        RadixSort.sort(&pairs, scratch: &scratch)
        return chunk.gather(pairs.map(\.1))
    }

    private func update(_ state: inout State, _ chunk: DataChunk, _ ids: [Int]) throws(SQLError) {
        let n = chunk.count
        // FILTER (WHERE ...): the rows it keeps.
        var filtered: [Bool]? = nil
        if let f = state.call.filter {
            let holds = try ExpressionEvaluator.evaluate(f, chunk)
            var keep = ColumnAccess.bools(holds)
            if let v = holds.validity { for r in 0..<n where !v.isValid(r) { keep[r] = false } }
            filtered = keep
        }
        if let accumulator = state.accumulator {
            var columns: [ColumnData] = []
            for e in state.call.arguments + state.call.orderBy.map(\.expr) { columns.append(try ExpressionEvaluator.evaluate(e, chunk)) }
            try accumulator.update(columns, include: filtered, ids: ids, groups: groupCount)
            return
        }
        guard let argExpr = state.call.argument else {
            state.counts.withUnsafeMutableBufferPointer { c in
                if let filtered {
                    for r in 0..<n where filtered[r] { c[ids[r]] &+= 1 }
                } else {
                    for r in 0..<n { c[ids[r]] &+= 1 }
                }
            }
            return
        }
        let arg = try ExpressionEvaluator.evaluate(argExpr, chunk)
        var include = [Bool](repeating: true, count: arg.validity == nil && state.distinct == nil && filtered == nil ? 0 : n)
        if let filtered { include = filtered }
        if let v = arg.validity { for r in 0..<n where !v.isValid(r) { include[r] = false } }
        if let distinct = state.distinct {
            // Only the first occurrence of a value in a group counts. Integers go to the
            // (group, value) pairs, which parallel workers merge; other types use byte keys.
            if arg.type.isInteger {
                state.distinctPairs.keepFirst(groups: ids, values: ColumnAccess.int64s(arg), include: &include)
            } else {
                let keys = EncodedKeys.encode([arg], rows: n)
                var key = [UInt8](repeating: 0, count: 8)
                for r in 0..<n where include[r] {
                    key.removeAll(keepingCapacity: true)
                    withUnsafeBytes(of: Int64(ids[r])) { key.append(contentsOf: $0) }
                    keys.withKey(r) { key.append(contentsOf: $0) }
                    include[r] = key.withUnsafeBytes { distinct.findOrInsert($0).inserted }
                }
            }
        }
        // Without NULLs or DISTINCT every row counts: the loops below skip the per-row test.
        let all = include.isEmpty
        if groups.isEmpty && Self.updateSingleGroup(&state, arg, include, rows: n) { return }
        switch state.call.function {
        case .countStar:
            state.counts.withUnsafeMutableBufferPointer { c in for r in 0..<n where all || include[r] { c[ids[r]] &+= 1 } }
        case .count:
            state.counts.withUnsafeMutableBufferPointer { c in
                for r in 0..<n where all || include[r] { c[ids[r]] &+= 1 }
            }
        case .sum, .avg:
            if state.usesDoubles {
                let v = ColumnAccess.doubles(arg)
                state.doubles.withUnsafeMutableBufferPointer { d in
                    state.lows.withUnsafeMutableBufferPointer { low in
                        state.counts.withUnsafeMutableBufferPointer { c in
                            v.withUnsafeBufferPointer { v in
                                ids.withUnsafeBufferPointer { ids in
                                    include.withUnsafeBufferPointer { inc in
                                        for r in 0..<n where all || inc[r] {
                                            let g = ids[r]
                                            let (hi, error) = Self.twoSum(d[g], v[r])
                                            d[g] = hi
                                            low[g] += error
                                            c[g] &+= 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            } else {
                let v = ColumnAccess.int64s(arg)
                state.sums.withUnsafeMutableBufferPointer { sums in
                    state.counts.withUnsafeMutableBufferPointer { c in
                        v.withUnsafeBufferPointer { v in
                            ids.withUnsafeBufferPointer { ids in
                                include.withUnsafeBufferPointer { inc in
                                    // 128-bit partial sums cannot overflow (fewer than 2^64 rows).
                                    for r in 0..<n where all || inc[r] {
                                        sums[ids[r]] &+= Int128(v[r])
                                        c[ids[r]] &+= 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        case .min, .max:
            let isMin = state.call.function == .min
            switch arg.type {
            case .double:
                let v = ColumnAccess.doubles(arg)
                state.doubles.withUnsafeMutableBufferPointer { best in
                    state.seen.withUnsafeMutableBufferPointer { seen in
                        v.withUnsafeBufferPointer { v in
                            ids.withUnsafeBufferPointer { ids in
                                include.withUnsafeBufferPointer { inc in
                                    for r in 0..<n where all || inc[r] {
                                        let g = ids[r], x = v[r]
                                        // NaN is the greatest double (SQL's total order).
                                        let c = ExpressionEvaluator.totalOrder(x, best[g])
                                        if !seen[g] || (isMin ? c < 0 : c > 0) { best[g] = x }
                                        seen[g] = true
                                    }
                                }
                            }
                        }
                    }
                }
            case .varchar:
                guard case .varchar(let s) = arg.storage else { break }
                for r in 0..<n where all || include[r] {
                    let g = ids[r]
                    let value = s[r]
                    if let current = state.strings[g] {
                        let less = value.utf8.lexicographicallyPrecedes(current.utf8)
                        let greater = current.utf8.lexicographicallyPrecedes(value.utf8)
                        if isMin ? less : greater { state.strings[g] = value }
                    } else {
                        state.strings[g] = value
                    }
                    state.seen[g] = true
                }
            case .listVarchar:
                throw SQLError(.unsupported, "MIN and MAX of arrays are not supported")
            default:
                let v = ColumnAccess.int64s(arg)
                state.ints.withUnsafeMutableBufferPointer { best in
                    state.seen.withUnsafeMutableBufferPointer { seen in
                        v.withUnsafeBufferPointer { v in
                            ids.withUnsafeBufferPointer { ids in
                                include.withUnsafeBufferPointer { inc in
                                    // Separate loops so each compiles to a compare and a select.
                                    if isMin {
                                        for r in 0..<n where all || inc[r] {
                                            let g = ids[r], x = v[r]
                                            best[g] = seen[g] ? min(best[g], x) : x
                                            seen[g] = true
                                        }
                                    } else {
                                        for r in 0..<n where all || inc[r] {
                                            let g = ids[r], x = v[r]
                                            best[g] = seen[g] ? max(best[g], x) : x
                                            seen[g] = true
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        default: break
        }
    }

    /// Without GROUP BY every row is group 0: the running count, sum, minimum or maximum
    /// stays in registers over the column's own storage (no per-row load and store of the
    /// group's state, no widened copy of INTEGER columns). The arithmetic is the grouped
    /// path's, in the same order, so the results are the same bits. False when the
    /// aggregate is not one of these.
    private static func updateSingleGroup(_ state: inout State, _ arg: ColumnData, _ include: [Bool], rows n: Int) -> Bool {
        let all = include.isEmpty
        switch state.call.function {
        case .countStar, .count:
            state.counts[0] &+= Int64(all ? n : include.reduce(0) { $0 &+ ($1 ? 1 : 0) })
            return true
        case .sum, .avg:
            if state.usesDoubles {
                guard case .double(let values) = arg.storage else { return false }
                var (hi, lo, count) = (state.doubles[0], state.lows[0], Int64(0))
                values.withUnsafeBufferPointer { v in
                    include.withUnsafeBufferPointer { inc in
                        for r in 0..<n where all || inc[r] {
                            let (h, e) = twoSum(hi, v[r])
                            hi = h
                            lo += e
                            count &+= 1
                        }
                    }
                }
                (state.doubles[0], state.lows[0]) = (hi, lo)
                state.counts[0] &+= count
                return true
            }
            var (sum, count) = (state.sums[0], Int64(0))
            func add<T: FixedWidthInteger>(_ values: [T]) {
                values.withUnsafeBufferPointer { v in
                    include.withUnsafeBufferPointer { inc in
                        if all {
                            // Blocks of 2^16 Int64 sums cannot overflow 64 bits from 32-bit values;
                            // 64-bit values go straight to 128 bits.
                            if T.bitWidth <= 32 {
                                var r = 0
                                while r < n {
                                    let end = min(n, r + 65536)
                                    var block: Int64 = 0
                                    for i in r..<end { block &+= Int64(v[i]) }
                                    sum &+= Int128(block)
                                    r = end
                                }
                            } else {
                                for r in 0..<n { sum &+= Int128(v[r]) }
                            }
                            count = Int64(n)
                        } else {
                            for r in 0..<n where inc[r] { sum &+= Int128(v[r]); count &+= 1 }
                        }
                    }
                }
            }
            switch arg.storage {
            case .int32(let values): add(values)
            case .int64(let values): add(values)
            default: return false
            }
            state.sums[0] = sum
            state.counts[0] &+= count
            return true
        case .min, .max:
            let isMin = state.call.function == .min
            func fold<T: FixedWidthInteger>(_ values: [T]) {
                var (best, seen) = (state.seen[0] ? T(truncatingIfNeeded: state.ints[0]) : (isMin ? T.max : T.min), false)
                values.withUnsafeBufferPointer { v in
                    include.withUnsafeBufferPointer { inc in
                        if all {
                            if isMin { for r in 0..<n { best = Swift.min(best, v[r]) } } else { for r in 0..<n { best = Swift.max(best, v[r]) } }
                            seen = n > 0
                        } else {
                            for r in 0..<n where inc[r] { best = isMin ? Swift.min(best, v[r]) : Swift.max(best, v[r]); seen = true }
                        }
                    }
                }
                if seen || state.seen[0] { state.ints[0] = Int64(best); state.seen[0] = true }
            }
            switch (arg.type, arg.storage) {
            case (.int32, .int32(let values)), (.date, .int32(let values)): fold(values)
            case (.int64, .int64(let values)), (.timestamp, .int64(let values)): fold(values)
            default: return false
            }
            return true
        default:
            return false
        }
    }

    /// `a + b` rounded, and the exact rounding error (see `DoubleDouble.twoSum`).
    @inline(__always)
    static func twoSum(_ a: Double, _ b: Double) -> (Double, Double) { DoubleDouble.twoSum(a, b) }

    /// A double-double sum as one double; an infinite or NaN high part stands alone (its
    /// error terms are NaN).
    @inline(__always)
    static func total(_ hi: Double, _ lo: Double) -> Double { hi.isFinite ? hi + lo : hi }

    private func finish(_ s: State, groups n: Int) throws(SQLError) -> ColumnData {
        var b = ColumnBuilder(type: s.call.type, capacity: n)
        for g in 0..<n {
            switch s.call.function {
            case .countStar, .count: b.append(.int(s.counts[g]))
            case .sum:
                if s.counts[g] == 0 { b.appendNull(); continue }
                if s.usesDoubles { b.append(.double(Self.total(s.doubles[g], s.lows[g]))); continue }
                guard let total = Int64(exactly: s.sums[g]) else {
                    throw SQLError(.runtime, "integer overflow in SUM: the total \(s.sums[g]) is out of range for BIGINT")
                }
                b.append(.int(total))
            case .avg:
                if s.counts[g] == 0 { b.appendNull() } else {
                    b.append(.double(s.usesDoubles ? Self.total(s.doubles[g], s.lows[g]) / Double(s.counts[g]) : Double(s.sums[g]) / Double(s.counts[g])))
                }
            case .min, .max:
                guard s.seen[g] else { b.appendNull(); continue }
                switch s.call.type {
                case .double: b.append(.double(s.doubles[g]))
                case .varchar: b.append(.string(s.strings[g]!))
                case .date: b.append(.date(Int32(s.ints[g])))
                case .timestamp: b.append(.timestamp(s.ints[g]))
                case .boolean: b.append(.bool(s.ints[g] != 0))
                default: b.append(.int(s.ints[g]))
                }
            default: b.appendNull()
            }
        }
        return b.finish()
    }
}

/// GROUP BY over one input stream.
final class HashAggregateOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let groups: [BoundExpr]
    private let aggregates: [AggregateCall]
    private let statistics: KeyStatistics?
    private let context: QueryContext
    private var output: ChunkSplitter?
    /// The groups' bytes counted against the query's memory while they are handed out.
    private var reserved = 0

    deinit { context.release(reserved) }

    init(_ child: PhysicalOperator, groups: [BoundExpr], aggregates: [AggregateCall], statistics: KeyStatistics? = nil,
         context: QueryContext) {
        self.child = child
        self.context = context
        self.groups = groups
        self.aggregates = aggregates
        self.statistics = statistics
        name = "HASH_AGGREGATE groups=\(groups.count) aggregates=\(aggregates.map(\.description).joined(separator: ", "))"
    }

    func next() throws(SQLError) -> DataChunk? {
        if output == nil {
            let table = AggregationTable(groups: groups, aggregates: aggregates, statistics: statistics)
            while let chunk = try child.next() {
                try table.consume(chunk)
                try context.check()
            }
            output = ChunkSplitter()
            let result = try table.result(context)
            try context.reserve(result.byteSize)
            reserved = result.byteSize
            output!.load(result)
        }
        return output!.next()
    }
}

/// GROUP BY over several copies of a pipeline that share their scan's row groups
/// (morsels): each worker thread aggregates into its own table, then the tables merge.
///
///   worker i: scan (next row group from the shared queue) -> filter/project -> table i
///   finish:   table 0 += table 1 += ...   -> result
final class ParallelHashAggregateOperator: ParallelOperator {
    let name: String
    let pipelines: [PhysicalOperator]
    var children: [PhysicalOperator] { pipelines }
    private let groups: [BoundExpr]
    private let aggregates: [AggregateCall]
    private let statistics: KeyStatistics?
    private let context: QueryContext
    private var output: ChunkSplitter?
    /// The groups' bytes counted against the query's memory while they are handed out.
    private var reserved = 0

    deinit { context.release(reserved) }

    /// Whether the groups come out in the order a single thread gives (first seen in the
    /// scan); not needed when the consumer does not keep row order (a sort, an aggregate).
    private let ordered: Bool

    init(pipelines: [PhysicalOperator], groups: [BoundExpr], aggregates: [AggregateCall], statistics: KeyStatistics? = nil,
         ordered: Bool = true, context: QueryContext) {
        self.pipelines = pipelines
        self.ordered = ordered
        self.context = context
        self.groups = groups
        self.aggregates = aggregates
        self.statistics = statistics
        name = "PARALLEL_HASH_AGGREGATE workers=\(pipelines.count) groups=\(groups.count) aggregates=\(aggregates.map(\.description).joined(separator: ", "))"
    }

    func next() throws(SQLError) -> DataChunk? {
        if output == nil {
            let tables = pipelines.map { _ in AggregationTable(groups: groups, aggregates: aggregates, statistics: statistics) }
            if ordered { for t in tables { t.tracksFirstSeen() } }
            let pipelines = UncheckedSendable(self.pipelines)
            let shared = UncheckedSendable(tables)
            let context = self.context
            try Workers.run(pipelines.value.count) { (w) throws(SQLError) in
                // A row's position: its morsel (row group), then its place among the rows the
                // pipeline made of that morsel, the same whichever worker reads the morsel.
                var position = PipelinePosition(pipelines.value[w])
                while let chunk = try pipelines.value[w].next() {
                    let (morsel, _, firstRow) = position.record(rows: chunk.count)
                    try shared.value[w].consume(chunk, origin: Int64(min(morsel, 1 << 26)) << 36 + Int64(firstRow))
                    try context.check()
                }
            }
            for t in tables.dropFirst() { tables[0].merge(t) }
            output = ChunkSplitter()
            let result = try tables[0].result(context)
            try context.reserve(result.byteSize)
            reserved = result.byteSize
            output!.load(result)
        }
        return output!.next()
    }
}
