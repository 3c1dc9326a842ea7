// The retained versions of a warehouse, for people: when each was committed, by what, and
// which tables it changed (`moviecol versions`). A table changed when its entry differs
// from the previous version's: added, dropped, other row groups or deletion vectors, other
// columns, kind or grants.

/// One retained version.
public struct VersionInfo: Sendable {
    public var version: Int64
    /// UTC, `YYYY-MM-DD HH:MM:SS[.ffffff]`.
    public var committedAt: String
    public var operation: String
    /// `+s.t` added, `-s.t` dropped, `s.t` changed; nil for the oldest retained version
    /// (its predecessor is gone).
    public var changed: [String]?
    public var tables: Int
    public var isCurrent: Bool
}

extension Warehouse {
    /// The retained versions of the warehouse at `root`, newest first. Versions whose
    /// manifest cannot be read are listed with the error as their operation.
    public static func history(_ root: String) -> [VersionInfo] {
        let files = Retention.manifestFiles(root: root)
        let current = (try? readCurrentManifest(root))?.version
        let manifests: [Manifest?] = files.map { try? readManifest(root + "/" + $0.name) }
        var result: [VersionInfo] = []
        for (i, file) in files.enumerated() {
            guard let m = manifests[i] else {
                result.append(VersionInfo(version: file.version, committedAt: "", operation: "(manifest unreadable)", changed: nil,
                                          tables: 0, isCurrent: file.version == current))
                continue
            }
            let previous = i + 1 < files.count && files[i + 1].version == file.version - 1 ? manifests[i + 1] : nil
            let when = m.committedMicros != 0 ? CivilTime.formatTimestamp(micros: m.committedMicros) : m.committedAt
            result.append(VersionInfo(version: m.version, committedAt: when, operation: m.operation,
                                      changed: previous.map { changes(from: $0, to: m) }, tables: m.tables.count,
                                      isCurrent: m.version == current))
        }
        return result
    }

    /// The tables `new` adds (`+`), drops (`-`) or changes relative to `old`.
    static func changes(from old: Manifest, to new: Manifest) -> [String] {
        var before: [String: TableMetadata] = [:]
        for t in old.tables { before[t.qualifiedName.lowercased()] = t }
        var out: [String] = []
        for t in new.tables {
            let key = t.qualifiedName.lowercased()
            if let o = before.removeValue(forKey: key) {
                if o.kind != t.kind || o.columns != t.columns || o.rowGroups != t.rowGroups || o.grants != t.grants { out.append(t.qualifiedName) }
            } else {
                out.append("+" + t.qualifiedName)
            }
        }
        out += before.values.map { "-" + $0.qualifiedName }.sorted()
        return out
    }
}
