// Turns an optimized plan into physical operators. It maps: the choices (which join input
// is built, semi joins on distinct keys, DISTINCT as a grouping) are the optimizer's; what
// is decided here is only how to run each node, on one thread or as copies of a streaming
// pipeline on every core.

import Columnar

/// Builds the operator tree for a plan.
package struct PhysicalPlanner {
    let warehouse: Warehouse
    /// The query the operators run for: threads, stop requests, limits, memory.
    let context: QueryContext
    /// Worker threads for parallel pipelines (1 runs everything on the calling thread).
    var threads: Int { context.threads }
    /// The buffered results of shared CTEs of the statement being planned.
    let sharedResults = SharedResults()
    /// The previous rounds of the statement's recursive CTEs.
    let workTables = WorkTables()
    /// While building the inputs of an operator whose output order does not depend on its
    /// input's (a sort; an aggregate or a join build whose own order does not reach the
    /// result), above zero: a parallel aggregate below then need not put its groups in scan
    /// order.
    final class OrderFreedom { var depth = 0 }
    let orderFreedom = OrderFreedom()

    /// `build` run with row order not mattering to the operator being built.
    private func orderFree<T>(_ build: () -> T) -> T {
        orderFreedom.depth += 1
        defer { orderFreedom.depth -= 1 }
        return build()
    }

    /// `build` run for an input whose row order decides the order of the operator's output
    /// (an aggregate's groups come out in first-seen order, a join's matches in build order):
    /// order-free only where the operator's own order does not reach the result.
    private func orderFreeBelowUnordered<T>(_ build: () -> T) -> T {
        orderFreedom.depth == 0 ? build() : orderFree(build)
    }

    /// `build` run as if its order reached the result: a shared CTE's buffer serves every
    /// reference, whichever is planned first.
    private func inOrder<T>(_ build: () -> T) -> T {
        let saved = orderFreedom.depth
        orderFreedom.depth = 0
        defer { orderFreedom.depth = saved }
        return build()
    }

    package init(warehouse: Warehouse, context: QueryContext) {
        self.warehouse = warehouse
        self.context = context
    }

    /// Builds `plan`; a scan on the streamed path of a parallel pipeline takes its row
    /// groups from `morsels`.
    package func make(_ plan: Plan) -> PhysicalOperator { gathered(plan, under: nil) }

    /// One pipeline of a parallel plan: its streamed scan takes row groups from `morsels`.
    func make(_ plan: Plan, morsels: MorselSource?) -> PhysicalOperator {
        make(plan, pipeline: morsels.map { PipelineState(morsels: $0) })
    }

    /// Per-pipeline state while building: counts right joins so that the copies in every
    /// pipeline find the same shared match state.
    final class PipelineState {
        let morsels: MorselSource
        var outerJoins = 0
        var rowNotIns = 0
        init(morsels: MorselSource) { self.morsels = morsels }
    }

    /// EXPLAIN ANALYZE: every operator comes wrapped in a `ProfiledOperator`, so that parents
    /// (and the pipelines of parallel operators) pull through the wrappers that count.
    package var profile = false

    private func make(_ plan: Plan, pipeline: PipelineState?) -> PhysicalOperator {
        let op = makeOperator(plan, pipeline: pipeline)
        return profile ? ProfiledOperator(op) : op
    }

    private func makeOperator(_ plan: Plan, pipeline: PipelineState?) -> PhysicalOperator {
        let morsels = pipeline?.morsels
        func child(_ p: Plan) -> PhysicalOperator { self.make(p, pipeline: pipeline) }
        // An input that does not stream with this pipeline: on every core when it can be.
        func fresh(_ p: Plan) -> PhysicalOperator { pipeline == nil ? gathered(p, under: plan) : self.make(p, pipeline: nil) }
        switch plan {
        case .scan(let table, let columns, let predicates):
            return TableScan(warehouse: warehouse, table: table, columns: columns, predicates: predicates, morsels: morsels,
                             context: context)
        case .series(let first, let step, let count, let column):
            return SeriesOperator(first: first, step: step, count: count, type: column.type, context: context)
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
                             context: context, filter: p)
        case .filter(let c, let p):
            return FilterOperator(child(c), predicate: p)
        case .project(let c, let exprs, _):
            return ProjectionOperator(child(c), exprs: exprs)
        case .aggregate(let c, let groups, let aggs):
            let ordered = orderFreedom.depth == 0
            if morsels == nil, threads > 1, AggregationTable.mergeable(aggs), let table = Self.streamedTable(c), table.rowGroups.count > 1 {
                let workers = min(threads, table.rowGroups.count)
                let source = MorselSource(count: table.rowGroups.count, workers: workers)
                let pipelines = orderFreeBelowUnordered { (0..<workers).map { _ in self.make(c, morsels: source) } }
                return ParallelHashAggregateOperator(pipelines: pipelines, groups: groups, aggregates: aggs,
                                                     statistics: KeyStatistics.of(groups, over: c), ordered: ordered, context: context)
            }
            return HashAggregateOperator(orderFreeBelowUnordered { fresh(c) }, groups: groups, aggregates: aggs, statistics: KeyStatistics.of(groups, over: c),
                                         context: context)
        case .window(let c, let windows):
            if windows.count == 1, windows[0].keepsTop != nil {
                return TopPerPartitionOperator(fresh(c), window: windows[0], inputTypes: c.types, context: context)
            }
            return WindowOperator(fresh(c), windows: windows, inputTypes: c.types, context: context)
        case .distinct(let c):
            // The optimizer turns DISTINCT into a grouping; an unoptimized plan runs it as one.
            return make(.aggregate(c, groups: c.types.enumerated().map { .column(index: $0, type: $1, name: "") }, aggregates: []),
                        pipeline: pipeline)
        case .join(let probe, let build, let kind, let pk, let bk, let residual):
            if kind == .nullAwareAnti && pk.count > 1 && residual == nil {
                // The copies in parallel pipelines share one build side.
                var shared = RowNotInBuild()
                if let pipeline {
                    shared = pipeline.morsels.rowNotInBuild(pipeline.rowNotIns)
                    pipeline.rowNotIns += 1
                }
                return RowNotInOperator(probe: child(probe), build: orderFreeBelowUnordered { fresh(build) }, probeKeys: pk, buildKeys: bk,
                                        buildTypes: build.types, shared: shared, context: context)
            }
            // Copies of a right or full join in parallel pipelines share one record of matched
            // build rows.
            var shared: OuterMatchState? = nil
            if kind == .right || kind == .full, let pipeline {
                shared = pipeline.morsels.outerState(pipeline.outerJoins)
                pipeline.outerJoins += 1
            }
            let join = HashJoinOperator(probe: child(probe), build: orderFreeBelowUnordered { fresh(build) }, kind: kind, probeKeys: pk, buildKeys: bk,
                                        residual: residual, buildTypes: build.types, probeTypes: probe.types, outerState: shared,
                                        context: context)
            // Inner and semi joins drop probe rows without a partner: the probe's scan may skip
            // row groups whose keys lie outside the build side's.
            if kind == .inner || kind == .semi || kind == .right, var key = pk.first, bk.first?.type.isInteger == true {
                if case .cast(let inner, let t) = key, t.isInteger, inner.type.isInteger { key = inner }
                if case .column(let i, let t, _) = key, t.isInteger, let (scan, column) = Self.sourceScan(of: join.probeInput, column: i) {
                    let filter = KeyRangeFilter(column: column)
                    scan.keyRanges.append(filter)
                    join.keyRange = filter
                }
            }
            return join
        case .asofJoin(let probe, let build, let match):
            // The build side in its own order: among equal (keys, time) the last row read wins.
            return AsofJoinOperator(probe: fresh(probe), build: inOrder { fresh(build) }, match: match,
                                    buildTypes: build.types, context: context)
        case .flatten(let c, let input):
            return FlattenOperator(child(c), input: input)
        case .sort(let c, let keys, let limit):
            if pipeline == nil, let pipelines = orderFree({ parallelPipelines(c) }) {
                return ParallelSortOperator(pipelines: pipelines, keys: keys, limit: limit, types: c.types, context: context)
            }
            return SortOperator(orderFree { fresh(c) }, keys: keys, limit: limit, types: c.types, context: context)
        case .limit(let c, let limit, let offset):
            return LimitOperator(fresh(c), limit: limit, offset: offset)
        case .limitPercent(let c, let percent, let offset):
            return LimitPercentOperator(fresh(c), percent: percent, offset: offset, context: context)
        case .union(let l, let r):
            return UnionOperator(fresh(l), fresh(r))
        case .shared(let c, let id):
            return SharedScanOperator(sharedResults.result(id, context: context) { inOrder { fresh(c) } }, types: c.types)
        case .recursive(let anchor, let step, let id, let distinct):
            return RecursiveCTEOperator(anchor: inOrder { fresh(anchor) }, makeStep: { self.inOrder { self.make(step) } },
                                        table: workTables.table(id), distinct: distinct, types: plan.types, context: context)
        case .csvFile(let path, let layout, _):
            return CSVScanOperator(path: path, layout: layout, context: context)
        case .workTable(let id, _):
            return WorkTableScanOperator(workTables.table(id))
        case .subqueries:
            // The executor runs a plan's subqueries and puts their results in before it plans.
            return FailingOperator(SQLError(.internal, "a plan with subqueries reached the physical planner before they ran"))
        }
    }

    /// `plan` run by parallel pipelines whose batches come back in table order, when it
    /// streams over a table of several row groups; else one pipeline. Under a LIMIT, a plain
    /// scan (no filter, join or flatten to share out) stays on one thread: it stops early.
    private func gathered(_ plan: Plan, under parent: Plan?) -> PhysicalOperator {
        if case .limit = parent, !Self.hasStreamingWork(plan) { return make(plan, pipeline: nil) }
        if let pipelines = parallelPipelines(plan) {
            let op = OrderedGatherOperator(pipelines: pipelines)
            return profile ? ProfiledOperator(op) : op
        }
        return make(plan, pipeline: nil)
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
        case .join(let probe, let build, let kind, let keys, _, _):
            // A right join streams its probe too; the pipelines share its match flags. A row
            // NOT IN shares its build side, so a large one is no reason to stay on one worker.
            guard Cardinality.estimate(build) <= 2_000_000 || (kind == .nullAwareAnti && keys.count > 1) else { return nil }
            return streamedTable(probe)
        default: return nil
        }
    }
}
