// Turns an optimized plan into physical operators, choosing the build side of inner hash
// joins by estimated size (the smaller input is built, the larger streams).

import Columnar

/// Builds the operator tree for a plan.
public struct PhysicalPlanner {
    let warehouse: Warehouse
    /// Worker threads for parallel pipelines (1 runs everything on the calling thread).
    public var threads: Int
    /// The buffered results of shared CTEs of the statement being planned.
    let sharedResults = SharedResults()
    /// Stops the statement's scans on request or after a time limit.
    let interrupt: QueryInterrupt?

    public init(warehouse: Warehouse, threads: Int = 1, interrupt: QueryInterrupt? = nil) {
        self.warehouse = warehouse
        self.threads = max(1, threads)
        self.interrupt = interrupt
    }

    /// Builds `plan`; a scan on the streamed path of a parallel pipeline takes its row
    /// groups from `morsels`.
    public func make(_ plan: Plan) -> PhysicalOperator { gathered(plan, under: nil) }

    /// One pipeline of a parallel plan: its streamed scan takes row groups from `morsels`.
    func make(_ plan: Plan, morsels: MorselSource?) -> PhysicalOperator {
        let context = morsels.map { PipelineContext(morsels: $0) }
        return make(plan, context: context)
    }

    /// Per-pipeline state while building: counts build-outer joins so that the copies in
    /// every pipeline find the same shared match state.
    final class PipelineContext {
        let morsels: MorselSource
        var outerJoins = 0
        init(morsels: MorselSource) { self.morsels = morsels }
    }

    /// EXPLAIN ANALYZE: every operator comes wrapped in a `ProfiledOperator`, so that parents
    /// (and the pipelines of parallel operators) pull through the wrappers that count.
    public var profile = false

    private func make(_ plan: Plan, context: PipelineContext?) -> PhysicalOperator {
        let op = makeOperator(plan, context: context)
        return profile ? ProfiledOperator(op) : op
    }

    private func makeOperator(_ plan: Plan, context: PipelineContext?) -> PhysicalOperator {
        let morsels = context?.morsels
        func child(_ p: Plan) -> PhysicalOperator { self.make(p, context: context) }
        // An input that does not stream with this pipeline: on every core when it can be.
        func fresh(_ p: Plan) -> PhysicalOperator { context == nil ? gathered(p, under: plan) : self.make(p, context: nil) }
        switch plan {
        case .scan(let table, let columns, let predicates):
            return TableScan(warehouse: warehouse, table: table, columns: columns, predicates: predicates, morsels: morsels,
                             interrupt: interrupt)
        case .values(let rows, let columns):
            let builders = columns.enumerated().map { i, c in
                var b = ColumnBuilder(type: c.type)
                for row in rows { b.append(row[i]) }
                return b.finish()
            }
            return ValuesOperator(DataChunk(columns: builders, count: rows.count))
        case .filter(.scan(let table, let columns, let predicates), let p):
            // Filter and scan fused: the filter's columns decode first (late decoding).
            return TableScan(warehouse: warehouse, table: table, columns: columns, predicates: predicates, morsels: morsels,
                             interrupt: interrupt, filter: p)
        case .filter(let c, let p):
            return FilterOperator(child(c), predicate: p)
        case .project(let c, let exprs, _):
            return ProjectionOperator(child(c), exprs: exprs)
        case .aggregate(let c, let groups, let aggs):
            if morsels == nil, threads > 1, AggregationTable.mergeable(aggs), let table = Self.streamedTable(c), table.rowGroups.count > 1 {
                let workers = min(threads, table.rowGroups.count)
                let source = MorselSource(count: table.rowGroups.count, workers: workers)
                let pipelines = (0..<workers).map { _ in self.make(c, morsels: source) }
                return ParallelHashAggregateOperator(pipelines: pipelines, groups: groups, aggregates: aggs,
                                                     statistics: KeyStatistics.of(groups, over: c))
            }
            return HashAggregateOperator(fresh(c), groups: groups, aggregates: aggs, statistics: KeyStatistics.of(groups, over: c))
        case .distinct(let c):
            // A grouping without aggregates, so that it runs on every core like one.
            return make(.aggregate(c, groups: c.types.enumerated().map { .column(index: $0, type: $1, name: "") }, aggregates: []),
                        context: context)
        case .join(let l, let r, let kind, let lk, let rk, let residual) where kind.keepsLeftOnly && residual == nil && !rk.isEmpty
                && Self.estimate(r) > 100_000 && !Self.isDistinctKeys(r, rk):
            // A semi / anti join only asks whether a key occurs: build on the distinct keys
            // (a parallel grouping), not on every row of a large subquery.
            let keys = Plan.distinct(.project(r, rk, names: rk.map(\.description)))
            return makeOperator(.join(l, keys, kind: kind, leftKeys: lk,
                                      rightKeys: rk.enumerated().map { .column(index: $0, type: $1.type, name: "") }, residual: nil),
                                context: context)
        case .join(let l, let r, let kind, let lk, let rk, let residual):
            let leftCount = l.types.count, rightCount = r.types.count
            if (kind == .inner || kind == .left) && Self.estimate(l) < Self.estimate(r) {
                // Build on the smaller (left) input: swap, then put the columns back in order.
                // A left join keeps its unmatched left rows by emitting them after the probe.
                var swap: [Int: Int] = [:]
                for i in 0..<leftCount { swap[i] = i + rightCount }
                for i in 0..<rightCount { swap[i + leftCount] = i }
                var shared: OuterMatchState? = nil
                if kind == .left, let context {
                    shared = context.morsels.outerState(context.outerJoins)
                    context.outerJoins += 1
                }
                let join = HashJoinOperator(left: child(r), right: fresh(l), kind: .inner, leftKeys: rk, rightKeys: lk,
                                            residual: residual?.remapped(swap), rightTypes: l.types,
                                            emitUnmatchedBuild: kind == .left, leftTypes: r.types, outerState: shared,
                                            interrupt: interrupt)
                let types = r.types + l.types
                let reorder = (0..<(leftCount + rightCount)).map { i -> BoundExpr in
                    let from = swap[i]!
                    return .column(index: from, type: types[from], name: "")
                }
                return ProjectionOperator(join, exprs: reorder)
            }
            return HashJoinOperator(left: child(l), right: fresh(r), kind: kind, leftKeys: lk, rightKeys: rk,
                                    residual: residual, rightTypes: r.types, interrupt: interrupt)
        case .flatten(let c, let input):
            return FlattenOperator(child(c), input: input)
        case .sort(let c, let keys, let limit):
            if context == nil, let pipelines = parallelPipelines(c) {
                return ParallelSortOperator(pipelines: pipelines, keys: keys, limit: limit, types: c.types)
            }
            return SortOperator(fresh(c), keys: keys, limit: limit, types: c.types)
        case .limit(let c, let limit, let offset):
            return LimitOperator(fresh(c), limit: limit, offset: offset)
        case .union(let l, let r):
            return UnionOperator(fresh(l), fresh(r))
        case .shared(let c, let id):
            return SharedScanOperator(sharedResults.result(id) { fresh(c) }, types: c.types)
        }
    }

    /// `plan` run by parallel pipelines whose batches come back in table order, when it
    /// streams over a table of several row groups; else one pipeline. Under a LIMIT, a plain
    /// scan (no filter, join or flatten to share out) stays on one thread: it stops early.
    private func gathered(_ plan: Plan, under parent: Plan?) -> PhysicalOperator {
        if case .limit = parent, !Self.hasStreamingWork(plan) { return make(plan, context: nil) }
        if let pipelines = parallelPipelines(plan) {
            let op = OrderedGatherOperator(pipelines: pipelines)
            return profile ? ProfiledOperator(op) : op
        }
        return make(plan, context: nil)
    }

    /// Whether the streamed path of `plan` does more than decode (a filter, join or flatten).
    static func hasStreamingWork(_ plan: Plan) -> Bool {
        switch plan {
        case .scan: return false
        case .project(let c, _, _): return hasStreamingWork(c)
        default: return true
        }
    }

    /// Copies of a streaming plan (scan, filter, project, flatten, join probes) for every
    /// worker, sharing one morsel source; nil when the plan does not stream or is too small.
    func parallelPipelines(_ plan: Plan) -> [PhysicalOperator]? {
        guard threads > 1, let table = Self.streamedTable(plan), table.rowGroups.count > 1 else { return nil }
        let workers = min(threads, table.rowGroups.count)
        let source = MorselSource(count: table.rowGroups.count, workers: workers)
        return (0..<workers).map { _ in make(plan, morsels: source) }
    }

    /// The table scanned by the streamed path of `plan`, when that path is only streaming
    /// operators (filter, project, flatten, the probe side of a hash join whose build side
    /// is small enough to build once per worker) over one scan.
    static func streamedTable(_ plan: Plan) -> TableMetadata? {
        switch plan {
        case .scan(let table, _, _): return table
        case .filter(let c, _), .project(let c, _, _), .flatten(let c, _): return streamedTable(c)
        case .join(let l, let r, let kind, _, _, _):
            // A build-outer left join streams its right side; the pipelines share its match flags.
            let swapped = (kind == .inner || kind == .left) && estimate(l) < estimate(r)
            let (streamed, built) = swapped ? (r, l) : (l, r)
            guard estimate(built) <= 2_000_000 else { return nil }
            return streamedTable(streamed)
        default: return nil
        }
    }

    /// Whether `plan` already yields just the distinct values of `keys` (its own columns).
    static func isDistinctKeys(_ plan: Plan, _ keys: [BoundExpr]) -> Bool {
        guard case .distinct(let c) = plan, c.types.count == keys.count else { return false }
        return keys.enumerated().allSatisfy { i, k in if case .column(i, _, _) = k { true } else { false } }
    }

    /// A rough row count, enough to pick the smaller join input.
    static func estimate(_ plan: Plan) -> Double {
        switch plan {
        case .scan(let t, _, let predicates): return Double(t.rowCount) * (predicates.isEmpty ? 1 : 0.5)
        case .values(let rows, _): return Double(rows.count)
        case .filter(let c, _): return estimate(c) * 0.5
        case .project(let c, _, _), .sort(let c, _, nil), .distinct(let c): return estimate(c)
        case .sort(let c, _, let limit?): return min(estimate(c), Double(limit))
        case .limit(let c, let limit, _): return limit.map { min(Double($0), estimate(c)) } ?? estimate(c)
        case .aggregate(let c, let groups, _): return groups.isEmpty ? 1 : max(1, estimate(c) * 0.2)
        case .join(let l, let r, let kind, _, _, _): return kind.keepsLeftOnly ? estimate(l) : max(estimate(l), estimate(r))
        case .flatten(let c, _): return estimate(c) * 3
        case .union(let l, let r): return estimate(l) + estimate(r)
        case .shared(let c, _): return estimate(c)
        }
    }
}
