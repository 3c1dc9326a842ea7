// Loads one CSV stream into row groups of a table, on every core, with bounded memory.
//
//   producer (calling thread)          workers (one thread per core)
//   read 4 MiB ─▶ cut at the last  ─▶  scan + parse the chunk ─▶ encode each column
//   newline outside quotes (quote       ─▶ append blocks to the worker's own data file
//   parity + a short backward scan)     ─▶ report row group / problems by chunk index
//
// Chunks become row groups in input order. Line numbers are resolved after the fact from
// each chunk's newline count, so workers never wait on each other.

import Foundation
import Synchronization

/// Options of a load.
public struct LoadOptions: Sendable {
    public var threads: Int
    public var onError: OnError
    /// Bytes of CSV per chunk (and so roughly per row group).
    public var chunkSize: Int

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, onError: OnError = .abort,
                chunkSize: Int = 4 << 20) {
        self.threads = max(1, threads)
        self.onError = onError
        self.chunkSize = max(64, chunkSize)
    }
}

/// What a load produced.
public struct LoadResult: Sendable {
    public var rowGroups: [RowGroupMetadata]
    public var rows: Int
    /// Uncompressed CSV bytes read (header included).
    public var inputBytes: Int
    public var storedBytes: Int
    /// Rejected rows, with file lines (only with `OnError.continue`).
    public var problems: [CSVProblem]
}

/// Progress of a running load, for progress bars.
public struct LoadProgress: Sendable {
    public var sourceBytesRead: Int
    public var sourceSize: Int
    public var rows: Int
}

/// An error of a load: bad CSV or a storage failure.
public enum IngestError: Error, Sendable, CustomStringConvertible {
    case csv(CSVError)
    case storage(StorageError)

    public var description: String {
        switch self {
        case .csv(let e): e.description
        case .storage(let e): e.description
        }
    }
}

/// The parallel CSV-to-segments loader.
public enum TableLoader {
    struct Chunk: @unchecked Sendable {
        var index: Int
        var bytes: UnsafeMutableRawBufferPointer
        /// Offset of the chunk in the uncompressed stream.
        var offset: Int
        /// The whole buffer `bytes` is a prefix of, for the pool.
        var capacity: Int
    }

    struct Outcome {
        var index: Int
        var offset: Int
        var rowGroup: RowGroupMetadata?
        var rows: Int
        var newlines: Int
        var problems: [CSVProblem]
        var storageError: StorageError?
    }

    /// Loads `stream` (a whole CSV file, header included) as new row groups of `schema`'s table.
    public static func load(_ stream: ByteStream, schema: CSVSchema, fileName: String, into tx: WarehouseTransaction,
                            options: LoadOptions = LoadOptions(),
                            progress: (@Sendable (LoadProgress) -> Void)? = nil) throws(IngestError) -> LoadResult {
        var reader = ChunkReader(stream: stream, chunkSize: options.chunkSize, fileName: fileName)
        do {
            try reader.readHeader(expected: schema)
        } catch let e as CSVError {
            throw .csv(e)
        } catch let e as StorageError {
            throw .storage(e)
        } catch {
            throw .storage(StorageError(.io, "\(error)", path: fileName))
        }
        let headerBytes = reader.consumed

        let queue = BlockingQueue<Chunk>(capacity: options.threads + 1)
        let shared = SharedLoadState()
        let workers = options.threads
        let producerError = Mutex<IngestError?>(nil)
        let progressTotal = stream.sourceSize
        nonisolated(unsafe) var readerBox = reader
        let pool = reader.pool

        // Workers come from the process's pool; the producer runs on this thread. With no
        // idle worker (a server busy with queries) this thread parses each chunk itself.
        let done = CompletionCount()
        WorkerPool.shared.reserve(workers)
        let helpers = WorkerPool.current.startIdle(upTo: workers) { w in
            let writer = tx.rowGroupWriter(label: "\(schema.table)-w\(w)")
            let scratch = ParseScratch()
            while let chunk = queue.pop() {
                defer { pool.give(UnsafeMutableRawBufferPointer(start: chunk.bytes.baseAddress, count: chunk.capacity)) }
                if shared.shouldSkip(chunk.index) { continue }
                let outcome = processChunk(chunk, schema: schema, fileName: fileName, writer: writer, options: options, scratch: scratch)
                shared.record(outcome, abortOnProblem: options.onError == .abort)
            }
            // Each worker makes its own file durable, in parallel with the others.
            do throws(StorageError) { try writer.finish() } catch { shared.recordStorageError(error) }
            done.finish()
        }
        let inlineWriter = tx.rowGroupWriter(label: "\(schema.table)-w0")
        let inlineScratch = ParseScratch()
        do {
            var index = 0
            while !shared.stopped, let (bytes, offset, capacity) = try readerBox.nextChunk() {
                let chunk = Chunk(index: index, bytes: bytes, offset: offset, capacity: capacity)
                index += 1
                if helpers == 0 {
                    defer { pool.give(UnsafeMutableRawBufferPointer(start: bytes.baseAddress, count: capacity)) }
                    let outcome = processChunk(chunk, schema: schema, fileName: fileName, writer: inlineWriter, options: options,
                                               scratch: inlineScratch)
                    shared.record(outcome, abortOnProblem: options.onError == .abort)
                } else if !queue.push(chunk) {
                    pool.give(UnsafeMutableRawBufferPointer(start: bytes.baseAddress, count: capacity))
                    break
                }
                progress?(LoadProgress(sourceBytesRead: stream.sourceBytesRead, sourceSize: progressTotal, rows: shared.rowsSoFar))
            }
        } catch {
            producerError.withLock { $0 = .storage(error) }
        }
        do throws(StorageError) { try inlineWriter.finish() } catch { shared.recordStorageError(error) }
        queue.close()
        done.wait(for: helpers)
        if let e = producerError.withLock({ $0 }) { throw e }

        // Resolve line numbers and byte offsets now that every chunk's newline count is known.
        let outcomes = shared.outcomes.withLock { $0 }.sorted { $0.index < $1.index }
        var line = 2  // the header is line 1
        var rowGroups: [RowGroupMetadata] = []
        var problems: [CSVProblem] = []
        var rows = 0
        for o in outcomes {
            if let e = o.storageError { throw .storage(e) }
            for var p in o.problems {
                p.error.line += line
                p.byteOffset += o.offset
                problems.append(p)
            }
            if let g = o.rowGroup, g.rowCount > 0 { rowGroups.append(g) }
            rows += o.rows
            line += o.newlines
        }
        if options.onError == .abort, let first = problems.first { throw .csv(first.error) }
        progress?(LoadProgress(sourceBytesRead: stream.sourceBytesRead, sourceSize: progressTotal, rows: rows))
        let stored = rowGroups.reduce(0) { $0 + $1.segments.reduce(0) { $0 + $1.length } }
        return LoadResult(rowGroups: rowGroups, rows: rows, inputBytes: headerBytes + readerBox.consumedAfterHeader,
                          storedBytes: stored, problems: problems)
    }

    private static func processChunk(_ chunk: Chunk, schema: CSVSchema, fileName: String, writer: RowGroupWriter,
                                     options: LoadOptions, scratch: ParseScratch) -> Outcome {
        let parsed = ChunkParser.parse(UnsafeRawBufferPointer(chunk.bytes), schema: schema, fileName: fileName,
                                       mode: options.onError, scratch: scratch, padded: true)
        var outcome = Outcome(index: chunk.index, offset: chunk.offset, rowGroup: nil, rows: parsed.rowCount,
                              newlines: parsed.newlineCount, problems: parsed.problems, storageError: nil)
        if options.onError == .abort && !parsed.problems.isEmpty { return outcome }
        guard parsed.rowCount > 0 else { return outcome }
        do throws(StorageError) {
            outcome.rowGroup = try writer.write(parsed.columns)
        } catch {
            outcome.storageError = error
        }
        return outcome
    }
}

/// Worker results and the early-stop decision, shared between threads.
final class SharedLoadState: @unchecked Sendable {
    let outcomes = Mutex<[TableLoader.Outcome]>([])
    private let firstFailure = Atomic<Int>(Int.max)
    private let rows = Atomic<Int>(0)

    var stopped: Bool { firstFailure.load(ordering: .relaxed) != Int.max }
    var rowsSoFar: Int { rows.load(ordering: .relaxed) }

    /// Chunks after the first failing one need not be parsed: the load is aborting.
    func shouldSkip(_ index: Int) -> Bool { index > firstFailure.load(ordering: .relaxed) }

    func recordStorageError(_ error: StorageError) {
        firstFailure.store(-1, ordering: .relaxed)
        outcomes.withLock { $0.append(TableLoader.Outcome(index: Int.max, offset: 0, rowGroup: nil, rows: 0, newlines: 0,
                                                          problems: [], storageError: error)) }
    }

    func record(_ outcome: TableLoader.Outcome, abortOnProblem: Bool) {
        rows.wrappingAdd(outcome.rows, ordering: .relaxed)
        if outcome.storageError != nil || (abortOnProblem && !outcome.problems.isEmpty) {
            var current = firstFailure.load(ordering: .relaxed)
            while outcome.index < current {
                let (exchanged, original) = firstFailure.compareExchange(expected: current, desired: outcome.index, ordering: .relaxed)
                if exchanged { break }
                current = original
            }
        }
        outcomes.withLock { $0.append(outcome) }
    }
}
