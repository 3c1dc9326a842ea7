// Reads a CSV file as batches of typed columns: the ingest's chunker and SIMD parser, without
// writing segments. `read_csv(...)`, `SELECT ... FROM 'file.csv'` and `COPY t FROM` use it.
// A bad field stops the read with the file, line, column and what was expected, as ingest
// does.

import Foundation

public final class CSVFileReader {
    public let path: String
    public let layout: CSVLayout
    private var reader: ChunkReader
    private let schema: CSVSchema
    private let scratch = ParseScratch()
    /// The file line the next chunk starts on.
    private var line: Int

    /// Opens `path` to read it with `layout` (from `CSVSniffer`, or given).
    public init(path: String, layout: CSVLayout, chunkSize: Int = 4 << 20) throws(IngestError) {
        self.path = path
        self.layout = layout
        // The parser reads TIMESTAMP fields as Unix seconds (MovieLens); text timestamps are
        // read as text here and cast by the caller.
        let parsed = layout.types.map { $0 == .timestamp ? LogicalType.varchar : $0 }
        schema = CSVSchema(fileName: path, schema: "", table: "", header: layout.names,
                           columns: zip(layout.names, parsed).map { ColumnDefinition($0, $1) }, delimiter: layout.delimiter)
        let stream: ByteStream
        do { stream = try FileByteStream(path: path) } catch { throw .storage(error) }
        reader = ChunkReader(stream: stream, chunkSize: chunkSize, fileName: path)
        line = 1
        if layout.header {
            do { try reader.readHeader(expected: nil) } catch let e as StorageError { throw .storage(e) } catch {
                throw .storage(StorageError(.io, "\(error)", path: path))
            }
            line = 2
        }
    }

    /// The column types the batches have (TIMESTAMP columns come as VARCHAR text).
    public var batchTypes: [LogicalType] { schema.columns.map(\.type) }

    /// Parsed chunks not handed out yet, in file order.
    private var ready: [ParsedChunk] = []
    private lazy var scratches = (0..<threads).map { _ in ParseScratch() }
    /// Chunks parsed at once, on the process's workers.
    public var threads = 1

    /// The next batch of rows (a chunk of about 4 MiB of the file), or nil at the end.
    /// `threads` chunks are cut in turn and parsed at once on the worker pool.
    public func next() throws(IngestError) -> (columns: [ColumnData], rows: Int)? {
        while true {
            if !ready.isEmpty {
                let parsed = ready.removeFirst()
                if parsed.rowCount > 0 { return (parsed.columns, parsed.rowCount) }
                continue
            }
            var chunks: [(UnsafeMutableRawBufferPointer, Int)] = []
            while chunks.count < max(1, threads) {
                let next: (UnsafeMutableRawBufferPointer, Int, Int)?
                do { next = try reader.nextChunk() } catch {
                    for (b, c) in chunks { reader.pool.give(UnsafeMutableRawBufferPointer(start: b.baseAddress, count: c)) }
                    throw .storage(error)
                }
                guard let (bytes, _, capacity) = next else { break }
                chunks.append((bytes, capacity))
            }
            guard !chunks.isEmpty else { return nil }
            let results = ParsedResults(chunks.count)
            let shared = UnsafeSendableChunks(chunks: chunks, scratches: scratches)
            let (schema, path) = (self.schema, self.path)
            WorkerPool.current.forEach(chunks.count) { i in
                let parsed = ChunkParser.parse(UnsafeRawBufferPointer(shared.chunks[i].0), schema: schema, fileName: path, mode: .abort,
                                               scratch: shared.scratches[i % shared.scratches.count], padded: true)
                results.set(i, parsed)
            }
            for (b, c) in chunks { reader.pool.give(UnsafeMutableRawBufferPointer(start: b.baseAddress, count: c)) }
            for parsed in results.all {
                if var problem = parsed.problems.first {
                    problem.error.line += line
                    throw .csv(problem.error)
                }
                line += parsed.newlineCount
                ready.append(parsed)
            }
        }
    }
}

/// Chunk buffers and scratch, each used by one worker at a time.
private struct UnsafeSendableChunks: @unchecked Sendable {
    let chunks: [(UnsafeMutableRawBufferPointer, Int)]
    let scratches: [ParseScratch]
}

/// Slots for the chunks parsed in parallel, filled by the workers.
private final class ParsedResults: @unchecked Sendable {
    private var slots: [ParsedChunk?]
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ p: ParsedChunk) { lock.lock(); slots[i] = p; lock.unlock() }
    var all: [ParsedChunk] { slots.compactMap { $0 } }
}
