// `moviecol versions` and `moviecol vacuum`: the retained versions of a warehouse (what time
// travel, CLONE ... AT and UNDROP can reach) and the removal of what retention no longer keeps.

import ArgumentParser
import Columnar
import Foundation

struct VersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List the retained versions: number, commit time (UTC), what committed it, tables changed.",
        discussion: """
            Any listed version can be read with time travel: SELECT ... FROM t AT(VERSION => n), \
            AT(TIMESTAMP => '...'), AT(OFFSET => -seconds), BEFORE(...); CREATE TABLE c CLONE t AT(...); \
            UNDROP TABLE t. In the changes, +t was added, -t dropped.
            """)

    @OptionGroup var warehouse: WarehouseOptions

    @Option(name: .long, help: "Show at most this many versions, newest first.")
    var limit: Int?

    func run() throws {
        guard FileIO.isDirectory(warehouse.path) else { fail("\(warehouse.path): no warehouse here") }
        var versions = Warehouse.history(warehouse.path)
        if let limit { versions = Array(versions.prefix(max(0, limit))) }
        let rows = versions.map { v in
            [String(v.version) + (v.isCurrent ? " *" : ""), v.committedAt, v.operation,
             v.changed.map { $0.isEmpty ? "(none)" : Self.summary($0) } ?? "(oldest retained)"]
        }
        print(TextTable.render(header: ["version", "committed (UTC)", "operation", "tables changed"], rows: rows, rightAligned: [0]))
        let policy = Retention.Policy.of(root: warehouse.path)
        print("retention: \(Duration.text(policy.retentionSeconds)) and the newest \(policy.keepVersions) versions; * is current")
    }

    static func summary(_ changes: [String]) -> String {
        changes.count <= 4 ? changes.joined(separator: ", ") : changes.prefix(3).joined(separator: ", ") + " and \(changes.count - 3) more"
    }
}

struct VacuumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacuum",
        abstract: "Remove the versions and data files retention no longer keeps (readers' pinned versions stay).",
        discussion: """
            Writers already remove expired versions after each commit; vacuum also removes leftovers of \
            crashed writers and applies a shorter retention at once. Durations: 90s, 30m, 12h, 7d, 2w, 0.
            """)

    @OptionGroup var warehouse: WarehouseOptions

    @Option(name: .long, help: ArgumentHelp("Keep superseded versions this long (default: the warehouse's setting, 1d).", valueName: "duration"))
    var retention: String?

    @Option(name: .long, help: ArgumentHelp("Keep at least this many newest versions.", valueName: "n"))
    var keepVersions: Int?

    @Flag(name: .long, help: "Store --retention / --keep-versions as the warehouse's setting (every writer applies it).")
    var save = false

    @Flag(name: .long, help: "Report what would be removed; remove nothing.")
    var dryRun = false

    func validate() throws {
        if let retention, Duration.seconds(retention) == nil { throw ValidationError("--retention: '\(retention)' is not a duration (90s, 30m, 12h, 7d, 2w, 0)") }
        if let keepVersions, keepVersions < 1 { throw ValidationError("--keep-versions must be at least 1") }
        if save && retention == nil && keepVersions == nil { throw ValidationError("--save stores --retention or --keep-versions; give one") }
    }

    func run() throws {
        var policy = Retention.Policy.of(root: warehouse.path)
        if let retention { policy.retentionSeconds = Duration.seconds(retention)! }
        if let keepVersions { policy.keepVersions = keepVersions }
        if save && !dryRun {
            do { try Settings(retention: policy).write(root: warehouse.path) } catch { fail(error.description) }
            print("retention set to \(Duration.text(policy.retentionSeconds)) and the newest \(policy.keepVersions) versions")
        }
        let report: Retention.Report
        do { report = try Retention.vacuum(root: warehouse.path, policy: policy, dryRun: dryRun) } catch { fail(error.description) }
        if report.deferred { fail("a reader was opening a version; nothing removed, run vacuum again") }
        let verb = dryRun ? "would remove" : "removed"
        let versions = report.removedVersions.isEmpty ? "no versions" : "\(report.removedVersions.count) versions (\(Self.ranges(report.removedVersions)))"
        print("\(verb) \(versions) and \(report.removedFiles.count) data files, \(ByteCount.format(report.freedBytes))")
        print("retained: versions \(Self.ranges(report.retainedVersions))"
              + (report.pinnedVersions.isEmpty ? "" : "; pinned by readers: \(Self.ranges(report.pinnedVersions))"))
    }

    /// `1-4, 7, 9-12`
    static func ranges(_ versions: [Int64]) -> String {
        var parts: [String] = []
        var i = 0
        while i < versions.count {
            var j = i
            while j + 1 < versions.count && versions[j + 1] == versions[j] + 1 { j += 1 }
            parts.append(i == j ? "\(versions[i])" : "\(versions[i])-\(versions[j])")
            i = j + 1
        }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}

/// Durations as people type them: `90s`, `30m`, `12h`, `7d`, `2w`, a number of seconds.
enum Duration {
    static func seconds(_ text: String) -> Double? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400), ("w", 604_800)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast()), v >= 0, v.isFinite else { return nil }
            return v * scale
        }
        guard let v = Double(t), v >= 0, v.isFinite else { return nil }
        return v
    }

    static func text(_ seconds: Double) -> String {
        for (unit, scale) in [("w", 604_800.0), ("d", 86_400), ("h", 3_600), ("m", 60)] where seconds >= scale && seconds.truncatingRemainder(dividingBy: scale) == 0 {
            return "\(Int(seconds / scale))\(unit)"
        }
        return "\(Int(seconds))s"
    }
}
