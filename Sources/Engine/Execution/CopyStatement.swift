// COPY: a query's rows to a CSV file, and a CSV file's rows into a table (DuckDB's forms).
// The file is written to a temporary name and renamed when whole, so a failed COPY leaves
// no partial file; a COPY FROM is one commit, so a bad row leaves the table as it was. Both
// need a role that may touch files (never a reporter).

import Columnar
import Foundation

extension QueryEngine {
    func copyTo(_ query: SelectStatement, path: String, options: CopyOptions, context: QueryContext) throws(SQLError) -> QueryCursor {
        try policy.checkFiles()
        let (plan, columns) = try self.plan(query)
        let root = try operators(plan, context)
        let delimiter = try Binder.delimiterByte(options.delimiter ?? ",")
        let separator = String(UnicodeScalar(delimiter))
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let file = FileHandle(forWritingAtPath: temporary) else {
            throw SQLError(StorageError(.io, "cannot create the file: \(FileIO.errnoMessage())", path: path))
        }
        var rows = 0
        do throws(SQLError) {
            var buffer: [UInt8] = []
            if options.header ?? true {
                buffer += Array((columns.map { ResultFormatter.csvField($0.name, delimiter: delimiter) }.joined(separator: separator) + "\n").utf8)
            }
            // Batches are formatted a group at a time on every core, written in order.
            var pending: [DataChunk] = []
            var pendingRows = 0
            func flush() throws(SQLError) {
                let parts = Self.format(pending, delimiter: delimiter)
                pending = []
                pendingRows = 0
                for p in parts { buffer += p }
                try Self.write(&buffer, to: file, path: path)
            }
            while let chunk = try root.next() {
                rows += chunk.count
                pending.append(chunk)
                pendingRows += chunk.count
                if pendingRows >= 64 * 1024 { try flush() }
            }
            try flush()
            try? file.synchronize()
            try? file.close()
            guard rename(temporary, path) == 0 else { throw SQLError(StorageError(.io, "cannot rename \(temporary): \(FileIO.errnoMessage())", path: path)) }
        } catch {
            try? file.close()
            unlink(temporary)
            throw error
        }
        return Self.status("copied \(rows) rows to \(path)")
    }

    /// The CSV text of `chunks`, each formatted on a worker.
    private static func format(_ chunks: [DataChunk], delimiter: UInt8) -> [[UInt8]] {
        final class Parts: @unchecked Sendable {
            var bytes: [[UInt8]]
            let lock = NSLock()
            init(_ n: Int) { bytes = Array(repeating: [], count: n) }
        }
        let parts = Parts(chunks.count)
        let input = UncheckedSendable(chunks)
        WorkerPool.current.forEach(chunks.count) { i in
            let text = ResultFormatter.csvBytes(input.value[i], delimiter: delimiter)
            parts.lock.lock()
            parts.bytes[i] = text
            parts.lock.unlock()
        }
        return parts.bytes
    }

    private static func write(_ buffer: inout [UInt8], to file: FileHandle, path: String) throws(SQLError) {
        guard !buffer.isEmpty else { return }
        do { try file.write(contentsOf: buffer) } catch {
            throw SQLError(StorageError(.io, "cannot write the file: \(error.localizedDescription)", path: path))
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func copyFrom(_ name: [String], path: String, options: CopyOptions, context: QueryContext) throws(SQLError) -> QueryCursor {
        try policy.checkFiles()
        let delimiter = try options.delimiter.map { d throws(SQLError) in try Binder.delimiterByte(d) }
        return try write(name: name, existingTable: true) { tx, schema, table, existing throws(SQLError) in
            guard var target = existing, !target.isView else {
                throw SQLError(.binder, existing == nil ? "table \(schema).\(table) not found" : "cannot COPY into view \(schema).\(table)",
                               reason: existing == nil ? .undefinedTable : nil)
            }
            var layout: CSVLayout
            do throws(CSVError) { layout = try CSVSniffer.sniff(path: path, header: options.header, delimiter: delimiter) } catch {
                throw SQLError(.runtime, "Invalid Input Error: \(error.description)", reason: .invalidText)
            }
            guard layout.names.count == target.columns.count else {
                throw SQLError(.binder, "\(path) has \(layout.names.count) columns, \(schema).\(table) has \(target.columns.count)")
            }
            // Read as the table's types: a value that is not one stops with its line and column.
            layout.types = target.columns.map(\.type)
            let reader: CSVFileReader
            do throws(IngestError) { reader = try CSVFileReader(path: path, layout: layout) } catch { throw CSVScanOperator.error(error) }
            reader.threads = context.threads
            let writer = TableWriter(tx: tx, table: target)
            while true {
                try context.check()
                let batch: (columns: [ColumnData], rows: Int)?
                do throws(IngestError) { batch = try reader.next() } catch { throw CSVScanOperator.error(error) }
                guard let batch else { break }
                var columns: [ColumnData] = []
                for (c, def) in zip(batch.columns, target.columns) { columns.append(try Self.castForWrite(c, to: def)) }
                try writer.append(DataChunk(columns: columns, count: batch.rows))
            }
            target.rowGroups += try writer.finish()
            tx.putTable(try Compaction.compact(target, reader: warehouse.segmentReader(), tx: tx))
            return "copied \(writer.rows) rows into \(schema).\(table)"
        }
    }
}
