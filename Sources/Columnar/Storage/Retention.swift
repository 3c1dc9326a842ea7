// Which files of a warehouse may be removed. A reader follows CURRENT to a manifest and then
// opens the data files that manifest names, possibly long after a writer committed the next
// version; removing a superseded version's files at once would fail that reader ("cannot open
// data file"). So a writer removes only what no retained version references:
//
//   retained versions = the current one, the newest `keepVersions` manifests, and every
//                       version superseded less than `graceSeconds` ago
//   removable files   = data files no retained manifest names, written more than
//                       `graceSeconds` ago (a crashed writer's leftovers age out the same way)
//
// A reader of any retained version therefore never finds a file missing.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// How long superseded versions are kept, and the garbage collection that applies it.
public enum Retention {
    /// What a writer keeps of superseded versions.
    public struct Policy: Sendable {
        /// Versions kept whatever their age.
        public var keepVersions: Int
        /// Seconds a superseded version stays readable after the commit that replaced it.
        public var graceSeconds: Double

        public init(keepVersions: Int, graceSeconds: Double) {
            self.keepVersions = keepVersions
            self.graceSeconds = graceSeconds
        }

        /// 8 versions and 10 minutes; `MOVIECOL_RETAIN_SECONDS` sets the grace period.
        public static var standard: Policy {
            Policy(keepVersions: 8, graceSeconds: ProcessInfo.processInfo.environment["MOVIECOL_RETAIN_SECONDS"].flatMap(Double.init) ?? 600)
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

    /// Removes the manifests and data files that no retained version needs (see above).
    /// `current` is the version the writer starts from. Anything it cannot read or decode is
    /// kept: a file is only ever removed when it is certainly unreferenced.
    package static func collectGarbage(root: String, current: Manifest, policy: Policy = .standard,
                                       now: Double = Date().timeIntervalSince1970) {
        let grace = policy.graceSeconds
        var manifests: [(version: Int64, name: String, modified: Double)] = []
        for name in FileIO.listDirectory(root) {
            guard let v = version(ofManifest: name), let m = FileIO.modificationTime(root + "/" + name) else { continue }
            manifests.append((v, name, m))
        }
        manifests.sort { $0.version > $1.version }
        var retained: [(version: Int64, name: String)] = []
        var removable: [String] = []
        for (i, m) in manifests.enumerated() {
            // The commit that superseded version v wrote the next newer manifest.
            let supersededAt = i > 0 ? manifests[i - 1].modified : now
            if m.version >= current.version || i < policy.keepVersions || now - supersededAt < grace {
                retained.append((m.version, m.name))
            } else {
                removable.append(m.name)
            }
        }
        var referenced = current.referencedFiles
        for m in retained where m.version != current.version {
            guard let manifest = ManifestStore.read(root: root, name: m.name) else { return }  // unreadable: remove nothing
            referenced.formUnion(manifest.referencedFiles)
        }
        for name in FileIO.listDirectory(root + "/data") where !referenced.contains("data/" + name) {
            let path = root + "/data/" + name
            if let modified = FileIO.modificationTime(path), now - modified >= grace { FileIO.remove(path) }
        }
        for name in removable {
            FileIO.remove(root + "/" + name)
            ManifestStore.forget(root: root, name: name)
        }
        // Temporary tables of sessions whose process is gone (`temp/<pid>-<n>`).
        for name in FileIO.listDirectory(root + "/temp") {
            guard let pid = Int32(name.prefix { $0.isNumber }), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: root + "/temp/" + name)
        }
        // Temporary files of commits that died before their rename.
        for name in FileIO.listDirectory(root)
        where name.hasPrefix("CURRENT.tmp") || name.hasPrefix("users.json.tmp") || (name.hasPrefix("manifest-") && name.contains(".tmp")) {
            if let modified = FileIO.modificationTime(root + "/" + name), now - modified >= grace { FileIO.remove(root + "/" + name) }
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

    package static func forget(root: String, name: String) {
        _ = entries.withLock { $0.removeValue(forKey: root + "/" + name) }
    }
}
