// Where a parallel pipeline's batch sits in the order a single thread would produce: the
// row group (morsel) its scan was reading, then the batch's rank within that row group.
// Morsels go out in increasing order and a pipeline never holds rows across morsels, so
// (morsel, rank) sorts the workers' batches back into table order: ordered gathers, parallel
// CREATE TABLE AS and the tie-break of parallel sorts rely on it.

import Columnar

/// Tracks the position of the batches one pipeline produces.
struct PipelinePosition {
    private let scan: TableScan?
    private(set) var morsel = -1
    private(set) var rank = 0
    /// Rows of the current morsel already produced (the first row's offset within it).
    private(set) var rowsInMorsel = 0

    init(_ pipeline: PhysicalOperator) { scan = pipeline.morselScan }

    /// Records a batch of `rows` just produced; returns its morsel, its rank in that morsel
    /// and the offset of its first row there. Rows emitted after the scan ran dry (the
    /// unmatched build rows of an outer join) come after every morsel.
    mutating func record(rows: Int) -> (morsel: Int, rank: Int, firstRow: Int) {
        let m = scan.map { $0.exhausted ? Int(Int32.max) : $0.currentMorsel } ?? 0
        if m != morsel {
            morsel = m
            rank = 0
            rowsInMorsel = 0
        } else {
            rank += 1
        }
        defer { rowsInMorsel += rows }
        return (m, rank, rowsInMorsel)
    }
}
