// Which files of a warehouse may be removed. Every version stays whole on disk while it is
// retained or pinned:
//
//   retained versions = the current one, the newest `keepVersions`, every version superseded
//                       less than `retentionSeconds` ago (time travel reads them), and every
//                       version a live reader has pinned (`ReaderPin`)
//   removable files   = manifests of the other versions, and data files no retained
//                       manifest names (a crashed writer's leftovers included)
//
// Collection runs after each commit, holding the writer lock and `pins/GC`, and by
// `moviecol vacuum`. Nothing is read unless some version has expired, so a pipeline that
// commits model after model pays a directory listing per commit.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// How long superseded versions are kept, and the garbage collection that applies it.
public enum Retention {
    /// What a warehouse keeps of superseded versions.
    public struct Policy: Sendable, Equatable {
        /// Versions kept whatever their age.
        public var keepVersions: Int
        /// Seconds a superseded version stays readable after the commit that replaced it.
        public var retentionSeconds: Double

        public init(keepVersions: Int, retentionSeconds: Double) {
            self.keepVersions = keepVersions
            self.retentionSeconds = retentionSeconds
        }

        /// Snowflake's default: one day (and always the newest 8 versions).
        public static let `default` = Policy(keepVersions: 8, retentionSeconds: 86_400)

        /// The policy of the warehouse at `root`: its `SETTINGS` file, else the default;
        /// `MOVIECOL_RETAIN_SECONDS` overrides the period (tests, benchmarks).
        public static func of(root: String) -> Policy {
            var policy = Settings.read(root: root).retention ?? .default
            if let seconds = ProcessInfo.processInfo.environment["MOVIECOL_RETAIN_SECONDS"].flatMap(Double.init) {
                policy.retentionSeconds = seconds
            }
            return policy
        }
    }

    /// `manifest-00000007.bin` (or `.json`, format 1) -> 7.
    package static func version(ofManifest name: String) -> Int64? {
        guard name.hasPrefix("manifest-"), name.hasSuffix(".bin") || name.hasSuffix(".json") else { return nil }
        return Int64(name.dropFirst("manifest-".count).prefix { $0 != "." })
    }

    package static func manifestName(_ version: Int64) -> String {
        "manifest-" + String(format: "%08lld", version) + ".bin"
    }

    /// The manifests of committed versions on disk, newest first, with the time each was
    /// written. A manifest above the version CURRENT names was never committed (its writer
    /// died or failed between writing it and switching CURRENT): it is not a version, and the
    /// collector removes it.
    package static func manifestFiles(root: String) -> [(version: Int64, name: String, modified: Double)] {
        let current = currentVersion(root: root) ?? .max
        return allManifestFiles(root: root).filter { $0.version <= current }
    }

    private static func allManifestFiles(root: String) -> [(version: Int64, name: String, modified: Double)] {
        var manifests: [(version: Int64, name: String, modified: Double)] = []
        for name in FileIO.listDirectory(root) {
            guard let v = version(ofManifest: name), let m = FileIO.modificationTime(root + "/" + name) else { continue }
            manifests.append((v, name, m))
        }
        return manifests.sorted { $0.version > $1.version }
    }

    /// The version CURRENT names (0 when there is none), or nil when CURRENT is damaged.
    package static func currentVersion(root: String) -> Int64? {
        guard FileIO.exists(root + "/CURRENT") else { return 0 }
        guard let bytes = try? FileIO.readFile(root + "/CURRENT"),
              let pointer = try? CurrentPointer(parsing: String(decoding: bytes, as: UTF8.self), path: root + "/CURRENT") else { return nil }
        return version(ofManifest: pointer.manifest)
    }

    /// What a collection removed (or, dry, would remove).
    public struct Report: Sendable {
        public var removedVersions: [Int64] = []
        public var removedFiles: [String] = []
        public var freedBytes = 0
        public var retainedVersions: [Int64] = []
        public var pinnedVersions: [Int64] = []
        /// A reader was opening a version: nothing was removed this time.
        public var deferred = false
    }

    /// Removes the manifests and data files that no retained or pinned version needs (see
    /// above). `current` is the warehouse's current version; the caller holds the writer
    /// lock. Anything it cannot read or decode is kept: a file is only removed when it is
    /// certainly unreferenced.
    @discardableResult
    package static func collectGarbage(root: String, current: Manifest, policy: Policy,
                                       now: Double = Date().timeIntervalSince1970, dryRun: Bool = false,
                                       always: Bool = false) -> Report {
        ReaderPin.withCollectorLock(root: root, exclusive: true) { () -> Report in
            var report = Report()
            let census = ReaderPin.census(root: root)
            guard !census.pending else { report.deferred = true; return report }
            report.pinnedVersions = census.versions.sorted()
            // Manifests above the current version were never committed: leftovers of a writer
            // that died or failed before switching CURRENT.
            let all = allManifestFiles(root: root)
            for m in all where m.version > current.version {
                report.removedFiles.append(m.name)
                if !dryRun { FileIO.remove(root + "/" + m.name) }
            }
            let manifests = all.filter { $0.version <= current.version }
            var retained: [(version: Int64, name: String)] = []
            var removable: [(version: Int64, name: String)] = []
            for (i, m) in manifests.enumerated() {
                // The commit that superseded version v wrote the next newer manifest.
                let supersededAt = i > 0 ? manifests[i - 1].modified : now
                if m.version >= current.version || i < policy.keepVersions || now - supersededAt < policy.retentionSeconds
                    || census.versions.contains(m.version) {
                    retained.append((m.version, m.name))
                } else {
                    removable.append((m.version, m.name))
                }
            }
            report.retainedVersions = retained.map(\.version).sorted()
            defer { removeStaleTemporaries(root: root, now: now, dryRun: dryRun) }
            // Nothing expired: the data files are those of retained versions (and leftovers of
            // a crashed writer, removed when a version next expires or by `vacuum`).
            guard !removable.isEmpty || always else { return report }
            var referenced = current.referencedFiles
            for m in retained where m.version != current.version {
                guard let files = ManifestStore.referencedFiles(root: root, name: m.name) else { return report }
                referenced.formUnion(files)
            }
            for name in FileIO.listDirectory(root + "/data") where !referenced.contains("data/" + name) {
                let path = root + "/data/" + name
                report.removedFiles.append("data/" + name)
                report.freedBytes += FileIO.fileSize(path) ?? 0
                if !dryRun { FileIO.remove(path) }
            }
            for m in removable {
                report.removedVersions.append(m.version)
                report.freedBytes += FileIO.fileSize(root + "/" + m.name) ?? 0
                if !dryRun {
                    FileIO.remove(root + "/" + m.name)
                    ManifestStore.forget(root: root, name: m.name)
                }
            }
            report.removedVersions.sort()
            return report
        }
    }

    /// `moviecol vacuum`: under the writer lock, removes everything `policy` and the live
    /// pins do not keep, leftovers of crashed writers included; `dryRun` only reports.
    public static func vacuum(root: String, policy: Policy, dryRun: Bool) throws(StorageError) -> Report {
        guard FileIO.isDirectory(root) else { throw StorageError(.notFound, "no warehouse here", path: root) }
        let lock = try WriterLock(directory: root, holder: "moviecol vacuum")
        defer { lock.release() }
        let current = try Warehouse.readCurrentManifest(root)
        return collectGarbage(root: root, current: current, policy: policy, dryRun: dryRun, always: true)
    }

    /// Temporary tables of sessions whose process is gone (`temp/<pid>-<n>`), and temporary
    /// files of commits that died before their rename.
    private static func removeStaleTemporaries(root: String, now: Double, dryRun: Bool) {
        guard !dryRun else { return }
        for name in FileIO.listDirectory(root + "/temp") {
            guard let pid = Int32(name.prefix { $0.isNumber }), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: root + "/temp/" + name)
        }
        for name in FileIO.listDirectory(root)
        where name.hasPrefix("CURRENT.tmp") || name.hasPrefix("users.json.tmp") || (name.hasPrefix("manifest-") && name.contains(".tmp")) {
            if let modified = FileIO.modificationTime(root + "/" + name), now - modified >= 60 { FileIO.remove(root + "/" + name) }
        }
        for name in FileIO.listDirectory(root + "/pins") where name.hasSuffix(".tmp") {
            if let modified = FileIO.modificationTime(root + "/pins/" + name), now - modified >= 60 { FileIO.remove(root + "/pins/" + name) }
        }
    }
}

/// Decoded manifests of retained versions, kept in memory per process: a pipeline commits
/// model after model, and each commit's garbage collection reads the same few manifests.
package enum ManifestStore {
    private static let entries = Mutex<[String: (size: Int, modified: Double, manifest: Manifest)]>([:])

    /// The manifest in file `name` of `root`, or nil when it cannot be read or decoded.
    package static func read(root: String, name: String) -> Manifest? {
        let path = root + "/" + name
        guard let size = FileIO.fileSize(path), let modified = FileIO.modificationTime(path) else { return nil }
        if let hit = entries.withLock({ $0[path] }), hit.size == size, hit.modified == modified { return hit.manifest }
        guard let bytes = try? FileIO.readFile(path), let manifest = try? Manifest.decode(bytes) else { return nil }
        entries.withLock { e in
            if e.count > 64 { e.removeAll() }
            e[path] = (size, modified, manifest)
        }
        return manifest
    }

    /// Remembers a manifest just written (its file as it is now on disk).
    package static func store(root: String, name: String, manifest: Manifest) {
        let path = root + "/" + name
        guard let size = FileIO.fileSize(path), let modified = FileIO.modificationTime(path) else { return }
        entries.withLock { e in
            if e.count > 64 { e.removeAll() }
            e[path] = (size, modified, manifest)
        }
    }

    private static let fileSets = Mutex<[String: (size: Int, modified: Double, files: Set<String>)]>([:])

    /// The data files the manifest in file `name` references, or nil when it cannot be read.
    /// Kept per process for many more versions than the manifests themselves (a day of
    /// pipeline commits).
    package static func referencedFiles(root: String, name: String) -> Set<String>? {
        let path = root + "/" + name
        guard let size = FileIO.fileSize(path), let modified = FileIO.modificationTime(path) else { return nil }
        if let hit = fileSets.withLock({ $0[path] }), hit.size == size, hit.modified == modified { return hit.files }
        guard let files = read(root: root, name: name)?.referencedFiles else { return nil }
        fileSets.withLock { e in
            if e.count > 8192 { e.removeAll() }
            e[path] = (size, modified, files)
        }
        return files
    }

    package static func forget(root: String, name: String) {
        _ = fileSets.withLock { $0.removeValue(forKey: root + "/" + name) }
        _ = entries.withLock { $0.removeValue(forKey: root + "/" + name) }
    }
}
