// The single writer's unit of work. It holds the writer lock, stages new data files and
// table changes, and commits them as one new version:
//
//   1. data files: written, fsynced, closed          (invisible: nothing references them)
//   2. manifest-<v>.bin: temp file, fsync, rename    (still invisible)
//   3. CURRENT: temp file, fsync, rename, dir fsync  (the switch: now version v is current)
//
// A crash before step 3 completes leaves CURRENT on the previous version, whose files are
// untouched. After the commit, still holding the lock, the writer removes what no retained
// or pinned version references (see `Retention` and `ReaderPin`).

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A write transaction on a warehouse: stage changes, then `commit()` or `rollback()`.
public final class WarehouseTransaction: @unchecked Sendable {
    public let root: String
    /// The version this transaction started from.
    public let base: Manifest
    /// How every row group of the transaction is encoded (see `RowGroupWriter`).
    public let encoding: EncodingPolicy
    /// nil for a session's temporary space, which never commits.
    private let lock: WriterLock?
    /// Where new data files go, relative to the root.
    private let dataDirectory: String
    private let retention: Retention.Policy
    private let state = Mutex(State())

    private struct State {
        var tables: [TableMetadata] = []
        var schemas: [String] = []
        var writers: [DataFileWriter] = []
        var fileCounter = 0
        var done = false
        var operation = ""
        /// The manifest this transaction wrote, until CURRENT names it.
        var uncommittedManifest: String?
    }

    /// What makes the version (`moviecol versions` lists it): the holder unless set.
    public var operation: String {
        get { state.withLock { $0.operation } }
        set { state.withLock { $0.operation = newValue } }
    }

    /// Opens `root` for writing (creating it if needed), taking the writer lock. After the
    /// commit, files that no version kept by `retention` (default: the warehouse's setting)
    /// or pinned by a reader needs are removed.
    public init(root: String, holder: String, retention: Retention.Policy? = nil,
                encoding: EncodingPolicy = EncodingPolicy.current) throws(StorageError) {
        try FileIO.makeDirectories(root + "/data")
        self.root = root
        self.encoding = encoding
        self.retention = retention ?? Retention.Policy.of(root: root)
        dataDirectory = "data"
        lock = try WriterLock(directory: root, holder: holder)
        base = try Warehouse.readCurrentManifest(root)
        state.withLock { $0.tables = base.tables; $0.schemas = base.schemas; $0.operation = holder }
    }

    /// A session's space for temporary tables: data files under `directory` (relative to
    /// the root), no writer lock, never committed; `rollback()` (or the end of the session)
    /// removes its files.
    public init(temporaryIn root: String, directory: String, encoding: EncodingPolicy = EncodingPolicy.current) throws(StorageError) {
        try FileIO.makeDirectories(root + "/" + directory)
        self.root = root
        self.encoding = encoding
        dataDirectory = directory
        lock = nil
        base = .empty
        retention = .default
    }

    deinit { rollback() }

    /// The tables as staged so far.
    public var tables: [TableMetadata] { state.withLock { $0.tables } }

    public func table(_ schema: String, _ name: String) -> TableMetadata? {
        state.withLock { s in s.tables.first { $0.schema == schema && $0.name == name } }
    }

    /// The staged state as a version readers of this transaction see (BEGIN ... COMMIT: later
    /// statements read what earlier ones wrote). Call `finishFiles()` first.
    public var staged: Manifest {
        state.withLock { Manifest(version: base.version, committedAt: base.committedAt, tables: $0.tables, schemas: $0.schemas) }
    }

    /// Schemas made by CREATE SCHEMA, as staged.
    public var schemas: [String] { state.withLock { $0.schemas } }

    public func setSchemas(_ schemas: [String]) {
        state.withLock { $0.schemas = Array(Set(schemas.map { $0.lowercased() })).sorted() }
    }

    /// Puts back the tables as they were (a failed statement inside a transaction leaves
    /// the statements before it in place). Files it wrote stay unreferenced.
    public func restoreTables(_ tables: [TableMetadata], schemas: [String]) {
        state.withLock { $0.tables = tables; $0.schemas = schemas }
    }

    /// A writer of row groups into a new data file of this transaction.
    public func rowGroupWriter(label: String) -> RowGroupWriter { RowGroupWriter(tx: self, label: label) }

    /// A new data file for segments of this transaction.
    func newDataFile(label: String) throws(StorageError) -> DataFileWriter {
        let n = state.withLock { s -> Int in s.fileCounter += 1; return s.fileCounter }
        let safe = String(label.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." ? $0 : "_" })
        let rel = "\(dataDirectory)/v\(base.version + 1)-\(getpid())-\(n)-\(safe).col"
        let w = try DataFileWriter(root: root, relativePath: rel)
        state.withLock { $0.writers.append(w) }
        return w
    }

    /// Adds `table`, or replaces the table of the same schema and name.
    public func putTable(_ table: TableMetadata) {
        state.withLock { s in
            if let i = s.tables.firstIndex(where: { $0.schema == table.schema && $0.name == table.name }) {
                s.tables[i] = table
            } else {
                s.tables.append(table)
            }
        }
    }

    public func dropTable(_ schema: String, _ name: String) {
        state.withLock { s in s.tables.removeAll { $0.schema == schema && $0.name == name } }
    }

    /// Flushes and closes every data file written so far, so that the transaction can read
    /// what it wrote (compaction rereads row groups a statement just appended). Later writes
    /// go to new files.
    public func finishFiles() throws(StorageError) {
        for w in state.withLock({ $0.writers }) { try w.finish() }
    }

    /// Makes the staged state the warehouse's current version and returns its number.
    @discardableResult
    public func commit() throws(StorageError) -> Int64 {
        let (tables, schemas, writers, operation) = state.withLock { ($0.tables, $0.schemas, $0.writers, $0.operation) }
        for w in writers { try w.finish() }
        try FileIO.fsyncDirectory(root + "/data")
        let version = base.version + 1
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let micros = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
        let manifest = Manifest(version: version, committedAt: CivilTime.formatTimestamp(micros: Int64(now.tv_sec) * 1_000_000),
                                tables: tables.sorted { ($0.schema, $0.name) < ($1.schema, $1.name) }, schemas: schemas,
                                committedMicros: micros, operation: operation)
        let bytes = manifest.encoded()
        let name = Retention.manifestName(version)
        state.withLock { $0.uncommittedManifest = root + "/" + name }
        try FileIO.writeAtomically(bytes, to: root + "/" + name, directory: root)
        let current = CurrentPointer(manifest: name, crc: ManifestCodec.identity(bytes), length: bytes.count).text
        do { try FileIO.writeAtomically(Array(current.utf8), to: root + "/CURRENT", directory: root) } catch {
            // A failure after the rename (the directory's fsync) leaves the version committed:
            // its files must stay, so the transaction counts as done before the error goes up.
            if Retention.currentVersion(root: root) == version {
                state.withLock { $0.done = true; $0.uncommittedManifest = nil }
                lock?.release()
                throw StorageError(error.code, "version \(version) was committed, but " + error.message, path: error.path)
            }
            throw error
        }
        ManifestCache.store(root: root, current: current, manifest: manifest)
        ManifestStore.store(root: root, name: name, manifest: manifest)
        state.withLock { $0.done = true; $0.uncommittedManifest = nil }
        if lock != nil { Retention.collectGarbage(root: root, current: manifest, policy: retention) }
        lock?.release()
        return version
    }

    /// Abandons the transaction: removes its data files and releases the lock. Idempotent.
    public func rollback() {
        let (writers, manifest) = state.withLock { s -> ([DataFileWriter], String?) in
            guard !s.done else { return ([], nil) }
            s.done = true
            return (s.writers, s.uncommittedManifest)
        }
        // CURRENT never named this manifest (its switch failed): it is no version.
        if let manifest { FileIO.remove(manifest) }
        for w in writers { FileIO.remove(w.path) }
        lock?.release()
    }
}
