// Read access to a warehouse directory: which version is current, its tables, and the
// decoded segments. A reader follows CURRENT once and then only reads immutable files, so
// it always sees one whole version even while a writer commits the next.
//
//   <root>/CURRENT                 "manifest-00000007.json <crc32> <length>"
//   <root>/manifest-00000007.json  the catalog of version 7
//   <root>/data/*.col              segment blocks, written once, never modified
//   <root>/LOCK                    the writer lock

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A read-only view of one version of a warehouse, pinned (see `ReaderPin`) while any copy
/// of it lives: no writer removes the files it reads.
public struct Warehouse: Sendable {
    public let root: String
    public let manifest: Manifest
    /// This reader's lease on the version; nil for staged states and read-only directories.
    public let pin: ReaderPin?

    /// Opens the current version of the warehouse at `root`. A directory without CURRENT is
    /// an empty warehouse.
    public static func open(_ root: String) throws(StorageError) -> Warehouse {
        guard FileIO.isDirectory(root) else {
            throw StorageError(.notFound, "no warehouse here; run `moviecol ingest` to create one", path: root)
        }
        let pin = ReaderPin(root: root)
        let manifest = try readCurrentManifest(root)
        pin?.record(manifest.version)
        return Warehouse(root: root, manifest: manifest, pin: pin)
    }

    /// Opens retained version `version` (time travel, CLONE ... AT, UNDROP), or says it is
    /// not retained any more.
    public static func open(_ root: String, version: Int64) throws(StorageError) -> Warehouse {
        let pin = ReaderPin(root: root)
        let manifest = try ReaderPin.withCollectorLock(root: root, exclusive: false) { () throws(StorageError) -> Manifest in
            let name = Retention.manifestName(version)
            guard version <= Retention.currentVersion(root: root) ?? .max, FileIO.exists(root + "/" + name) else {
                let oldest = Retention.manifestFiles(root: root).last?.version
                throw StorageError(.notFound, "version \(version) is not retained"
                                   + (oldest.map { " (the oldest retained version is \($0); `moviecol versions` lists them)" } ?? ""))
            }
            let m = try readManifest(root + "/" + name)
            pin?.record(version)
            return m
        }
        return Warehouse(root: root, manifest: manifest, pin: pin)
    }

    /// The retained version current at `micros` (or, `before`, the one just before it).
    public static func version(_ root: String, at micros: Int64, before: Bool) throws(StorageError) -> Int64 {
        for file in Retention.manifestFiles(root: root) {
            let committed = try readManifest(root + "/" + file.name).commitMicros
            if before ? committed < micros : committed <= micros { return file.version }
        }
        throw StorageError(.notFound, "no retained version is \(before ? "before" : "at or before") \(CivilTime.formatTimestamp(micros: micros)) "
                           + "(`moviecol versions` lists the retained ones)")
    }

    public init(root: String, manifest: Manifest, pin: ReaderPin? = nil) {
        self.root = root
        self.manifest = manifest
        self.pin = pin
    }

    /// Reads and decodes a manifest file of a retained version.
    static func readManifest(_ path: String) throws(StorageError) -> Manifest {
        let name = String(path[path.index(after: path.lastIndex(of: "/")!)...])
        let root = String(path[..<path.lastIndex(of: "/")!])
        if let m = ManifestStore.read(root: root, name: name) { return m }
        let bytes = try FileIO.readFile(path)
        do { return try Manifest.decode(bytes) } catch {
            var e = error
            e.path = path
            throw e
        }
    }

    public var tables: [TableMetadata] { manifest.tables }

    public func table(_ schema: String, _ name: String) -> TableMetadata? { manifest.table(schema: schema, name: name) }

    /// Reads and verifies the manifest that CURRENT names.
    static func readCurrentManifest(_ root: String) throws(StorageError) -> Manifest {
        let currentPath = root + "/CURRENT"
        guard FileIO.exists(currentPath) else { return .empty }
        let text = String(decoding: try FileIO.readFile(currentPath), as: UTF8.self)
        let pointer = try CurrentPointer(parsing: text, path: currentPath)
        let manifestPath = root + "/" + pointer.manifest
        let bytes = try FileIO.readFile(manifestPath)
        guard bytes.count == pointer.length, ManifestCodec.identity(bytes) == pointer.crc else {
            throw StorageError(.checksumMismatch, "manifest checksum or length does not match CURRENT: the file is corrupted", path: manifestPath)
        }
        // Verified bytes: the decoded form of the same bytes can be reused.
        if let cached = ManifestCache.lookup(root: root, current: text) { return cached }
        do throws(StorageError) {
            let m = try Manifest.decode(bytes)
            ManifestCache.store(root: root, current: text, manifest: m)
            return m
        } catch {
            var e = error
            e.path = manifestPath
            if e.code == .corrupt { e.message = "manifest is not valid: " + e.message }
            throw e
        }
    }

    /// A reader for the segments of this version; keeps data files open while it lives.
    public func segmentReader() -> SegmentReader { SegmentReader(root: root) }
}

/// Reads, verifies and decodes segment blocks, keeping data files open between reads.
public final class SegmentReader {
    let root: String
    private var files: [String: Int32] = [:]

    init(root: String) { self.root = root }

    deinit { for fd in files.values { close(fd) } }

    /// Decodes the segment described by `meta`; `keepCodes` as in `SegmentCodec.decode`.
    public func read(_ meta: SegmentMetadata, type: LogicalType, keepCodes: Bool = false) throws(StorageError) -> ColumnData {
        let path = root + "/" + meta.file
        let fd: Int32
        if let open = files[meta.file] {
            fd = open
        } else {
            fd = Glibc.open(path, O_RDONLY)
            guard fd >= 0 else { throw StorageError(.io, "cannot open data file: \(FileIO.errnoMessage())", path: path) }
            files[meta.file] = fd
        }
        guard meta.length >= BlockFormat.headerSize + BlockFormat.trailerSize, meta.length < Int(UInt32.max) else {
            throw StorageError(.corrupt, "manifest gives an impossible block length \(meta.length)", path: path)
        }
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: meta.length, alignment: 16)
        defer { block.deallocate() }
        try FileIO.pread(fd: fd, into: block, offset: meta.offset, path: path)
        let (header, payload) = try BlockFormat.open(UnsafeRawBufferPointer(block), path: path, offset: meta.offset)
        guard header.type == type, header.rowCount == meta.stats.rowCount, header.encoding == meta.encoding else {
            throw StorageError(.corrupt, "block at byte offset \(meta.offset) does not match its manifest entry", path: path)
        }
        do {
            return try SegmentCodec.decode(type: header.type, encoding: header.encoding, compression: header.compression,
                                           rowCount: header.rowCount, rawLength: header.rawLength, payload: payload,
                                           keepCodes: keepCodes)
        } catch {
            throw StorageError(error.code, "\(error.message) (block at byte offset \(meta.offset))", path: path)
        }
    }

    /// Decodes column `column` of every row group of `table`, in order.
    public func readColumn(_ table: TableMetadata, column: Int) throws(StorageError) -> [ColumnData] {
        var result: [ColumnData] = []
        for g in table.rowGroups { result.append(try read(g.segments[column], type: table.columns[column].type)) }
        return result
    }
}

/// The last manifest read or written per warehouse, keyed by the text of CURRENT (which names
/// the manifest file, its checksum and length). The file is still read and checked on every
/// open; only the JSON decoding, the slow part, is skipped while CURRENT says the same (a
/// pipeline committing model after model).
enum ManifestCache {
    private static let entries = Mutex<[String: (current: String, manifest: Manifest)]>([:])

    static func lookup(root: String, current: String) -> Manifest? {
        entries.withLock { e in e[root].flatMap { $0.current == current ? $0.manifest : nil } }
    }

    static func store(root: String, current: String, manifest: Manifest) {
        entries.withLock { $0[root] = (current, manifest) }
    }
}

import Synchronization
