// Reads a CSV file as a relation (`read_csv('f.csv')`, `SELECT * FROM 'f.csv'`, the source of
// `COPY t FROM`): chunks of the file parsed by the ingest's SIMD parser into typed columns,
// handed on in batches. Text timestamps are parsed as text and cast here.

import Columnar

final class CSVScanOperator: PhysicalOperator {
    let name: String
    var children: [PhysicalOperator] { [] }
    private let path: String
    private let layout: CSVLayout
    private let context: QueryContext
    private var reader: CSVFileReader?
    private var splitter = ChunkSplitter()

    init(path: String, layout: CSVLayout, context: QueryContext) {
        self.path = path
        self.layout = layout
        self.context = context
        name = "READ_CSV \(path)"
    }

    func next() throws(SQLError) -> DataChunk? {
        while true {
            if let chunk = splitter.next() { return chunk }
            try context.check()
            if reader == nil {
                do { reader = try CSVFileReader(path: path, layout: layout) } catch { throw Self.error(error) }
                reader!.threads = context.threads
            }
            let batch: (columns: [ColumnData], rows: Int)?
            do { batch = try reader!.next() } catch { throw Self.error(error) }
            guard let batch else { return nil }
            context.addScanned(batch.rows)
            var columns: [ColumnData] = []
            for (c, type) in zip(batch.columns, layout.types) {
                columns.append(c.type == type ? c : try ExpressionEvaluator.cast(c, to: type))
            }
            splitter.load(DataChunk(columns: columns, count: batch.rows))
        }
    }

    static func error(_ e: IngestError) -> SQLError {
        switch e {
        case .csv(let csv): return SQLError(.runtime, "Invalid Input Error: \(csv.description)", reason: .invalidText)
        case .storage(let s): return SQLError(s)
        }
    }
}
