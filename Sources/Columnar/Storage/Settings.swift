// A warehouse's settings: `SETTINGS` in its directory, `key = value` lines, written whole by
// an atomic rename. Settings are how the warehouse is run, not its data, so they are not
// versioned (Snowflake's DATA_RETENTION_TIME_IN_DAYS does not time-travel either).
//
//   data_retention_seconds = 86400   how long superseded versions stay (time travel, undrop)
//   keep_versions = 8                versions kept whatever their age

import Foundation

/// The settings of one warehouse.
public struct Settings: Sendable, Equatable {
    public var retention: Retention.Policy?

    public init(retention: Retention.Policy? = nil) { self.retention = retention }

    /// The settings at `root`; missing or unreadable lines leave the defaults.
    public static func read(root: String) -> Settings {
        guard let bytes = try? FileIO.readFile(root + "/SETTINGS") else { return Settings() }
        var values: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        var settings = Settings()
        if let seconds = values["data_retention_seconds"].flatMap(Double.init), seconds >= 0 {
            let keep = values["keep_versions"].flatMap(Int.init) ?? Retention.Policy.default.keepVersions
            settings.retention = Retention.Policy(keepVersions: max(1, keep), retentionSeconds: seconds)
        }
        return settings
    }

    /// Writes the settings to `root` atomically.
    public func write(root: String) throws(StorageError) {
        var text = ""
        if let r = retention {
            text += "data_retention_seconds = \(Int64(r.retentionSeconds))\n"
            text += "keep_versions = \(r.keepVersions)\n"
        }
        try FileIO.writeAtomically(Array(text.utf8), to: root + "/SETTINGS", directory: root)
    }
}
