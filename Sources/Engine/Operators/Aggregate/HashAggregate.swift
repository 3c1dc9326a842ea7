// GROUP BY and aggregates: each batch's keys map to dense group ids through the hash
// table, then every aggregate updates its per-group state arrays in one loop over the
// batch. States are columnar (an array per aggregate, indexed by group id).
//
//   consume: batch -> keys -> group ids -> state[agg][gid] += ...
//   produce: group key columns (first-seen rows) + one column per aggregate

import Columnar

final class HashAggregateOperator: PhysicalOperator {
    let name: String
    let child: PhysicalOperator
    var children: [PhysicalOperator] { [child] }
    private let groups: [BoundExpr]
    private let aggregates: [AggregateCall]
    private var output: ChunkSplitter?

    init(_ child: PhysicalOperator, groups: [BoundExpr], aggregates: [AggregateCall]) {
        self.child = child
        self.groups = groups
        self.aggregates = aggregates
        name = "HASH_AGGREGATE groups=\(groups.count) aggregates=\(aggregates.map(\.description).joined(separator: ", "))"
    }

    /// Per-aggregate state, one slot per group.
    struct State {
        var call: AggregateCall
        var counts: [Int64] = []
        var ints: [Int64] = []
        var doubles: [Double] = []
        var strings: [String?] = []
        var seen: [Bool] = []
        var distinct: GroupHashTable?

        var usesDoubles: Bool { call.function == .avg || (call.argument?.type == .double) }

        mutating func grow(to n: Int) {
            while counts.count < n {
                counts.append(0); ints.append(0); doubles.append(0); seen.append(false)
                if call.argument?.type == .varchar { strings.append(nil) }
            }
        }
    }

    func next() throws(SQLError) -> DataChunk? {
        if output == nil { output = ChunkSplitter(); output!.load(try aggregateAll()) }
        return output!.next()
    }

    private func aggregateAll() throws(SQLError) -> DataChunk {
        let table = GroupHashTable()
        // One integer key: direct indexing or inline-key hashing instead of byte keys.
        let integerIndex: IntegerGroupIndex? = groups.count == 1 && groups[0].type.isInteger ? IntegerGroupIndex() : nil
        var keyBuilders = groups.map { ColumnBuilder(type: $0.type) }
        var states = aggregates.map { State(call: $0, distinct: $0.distinct ? GroupHashTable() : nil) }
        var groupCount = 0
        if groups.isEmpty {
            groupCount = 1
            for s in states.indices { states[s].grow(to: 1) }
        }
        while let chunk = try child.next() {
            let n = chunk.count
            guard n > 0 else { continue }
            var ids = [Int](repeating: 0, count: n)
            if !groups.isEmpty {
                var keyColumns: [ColumnData] = []
                for g in groups { keyColumns.append(try ExpressionEvaluator.evaluate(g, chunk)) }
                var inserted = [Bool](repeating: false, count: n)
                if let integerIndex {
                    integerIndex.ids(ColumnAccess.int64s(keyColumns[0]), validity: keyColumns[0].validity, ids: &ids, inserted: &inserted)
                    groupCount = integerIndex.count
                } else {
                    table.findOrInsert(EncodedKeys.encode(keyColumns, rows: n), ids: &ids, inserted: &inserted)
                    groupCount = table.count
                }
                for r in 0..<n where inserted[r] {
                    for k in 0..<keyColumns.count { keyBuilders[k].append(from: keyColumns[k], row: r) }
                }
                for s in states.indices { states[s].grow(to: groupCount) }
            }
            for s in states.indices {
                try update(&states[s], chunk, ids)
            }
        }
        var columns = keyBuilders.map { $0.finish() }
        for s in states { columns.append(finish(s, groups: groupCount)) }
        return DataChunk(columns: columns, count: groupCount)
    }

    private func update(_ state: inout State, _ chunk: DataChunk, _ ids: [Int]) throws(SQLError) {
        let n = chunk.count
        guard let argExpr = state.call.argument else {
            state.counts.withUnsafeMutableBufferPointer { c in for r in 0..<n { c[ids[r]] &+= 1 } }
            return
        }
        let arg = try ExpressionEvaluator.evaluate(argExpr, chunk)
        var include = [Bool](repeating: true, count: n)
        if let v = arg.validity { for r in 0..<n { include[r] = v.isValid(r) } }
        if let distinct = state.distinct {
            // Only the first occurrence of a value in a group counts.
            let keys = EncodedKeys.encode([arg], rows: n)
            for r in 0..<n where include[r] {
                var key = withUnsafeBytes(of: Int64(ids[r])) { Array($0) }
                keys.withKey(r) { key.append(contentsOf: $0) }
                include[r] = key.withUnsafeBytes { distinct.findOrInsert($0).inserted }
            }
        }
        switch state.call.function {
        case .countStar:
            state.counts.withUnsafeMutableBufferPointer { c in for r in 0..<n { c[ids[r]] &+= 1 } }
        case .count:
            state.counts.withUnsafeMutableBufferPointer { c in
                for r in 0..<n where include[r] { c[ids[r]] &+= 1 }
            }
        case .sum, .avg:
            if state.usesDoubles {
                let v = ColumnAccess.doubles(arg)
                state.doubles.withUnsafeMutableBufferPointer { d in
                    state.counts.withUnsafeMutableBufferPointer { c in
                        v.withUnsafeBufferPointer { v in
                            ids.withUnsafeBufferPointer { ids in
                                include.withUnsafeBufferPointer { inc in
                                    for r in 0..<n where inc[r] { d[ids[r]] += v[r]; c[ids[r]] &+= 1 }
                                }
                            }
                        }
                    }
                }
            } else {
                let v = ColumnAccess.int64s(arg)
                for r in 0..<n where include[r] {
                    let (s, o) = state.ints[ids[r]].addingReportingOverflow(v[r])
                    if o { throw SQLError(.runtime, "integer overflow in SUM") }
                    state.ints[ids[r]] = s
                    state.counts[ids[r]] += 1
                }
            }
        case .min, .max:
            let isMin = state.call.function == .min
            switch arg.type {
            case .double:
                let v = ColumnAccess.doubles(arg)
                for r in 0..<n where include[r] {
                    let g = ids[r]
                    if !state.seen[g] || (isMin ? v[r] < state.doubles[g] : v[r] > state.doubles[g]) { state.doubles[g] = v[r] }
                    state.seen[g] = true
                }
            case .varchar:
                guard case .varchar(let s) = arg.storage else { break }
                for r in 0..<n where include[r] {
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
                for r in 0..<n where include[r] {
                    let g = ids[r]
                    if !state.seen[g] || (isMin ? v[r] < state.ints[g] : v[r] > state.ints[g]) { state.ints[g] = v[r] }
                    state.seen[g] = true
                }
            }
        }
    }

    private func finish(_ s: State, groups n: Int) -> ColumnData {
        var b = ColumnBuilder(type: s.call.type, capacity: n)
        for g in 0..<n {
            switch s.call.function {
            case .countStar, .count: b.append(.int(s.counts[g]))
            case .sum:
                if s.counts[g] == 0 { b.appendNull() } else { b.append(s.usesDoubles ? .double(s.doubles[g]) : .int(s.ints[g])) }
            case .avg:
                if s.counts[g] == 0 { b.appendNull() } else {
                    b.append(.double(s.usesDoubles ? s.doubles[g] / Double(s.counts[g]) : Double(s.ints[g]) / Double(s.counts[g])))
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
            }
        }
        return b.finish()
    }
}
