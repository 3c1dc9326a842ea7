// `moviecol check`: every byte a retained version can read, verified. CURRENT against its own
// checksum and the manifest's, every retained manifest decoded, and every segment block and
// deletion vector of every retained version read, its checksum verified and its payload
// decoded (so an encoding that fails to decode is found too), once per block however many
// versions share it. Each version is pinned while it is checked, so a concurrent writer
// cannot remove it midway.

import Foundation

/// What a check found.
public struct VerificationReport: Sendable {
    public struct Problem: Sendable {
        /// The file, relative to the warehouse.
        public var file: String
        /// What failed and where: the error, and which version and table read it.
        public var message: String
    }

    public var versions: [Int64] = []
    public var tables = 0
    public var blocks = 0
    public var bytes = 0
    public var problems: [Problem] = []
    /// Data files no retained version references (left by a crashed writer; `vacuum` removes them).
    public var unreferencedFiles = 0
    public var ok: Bool { problems.isEmpty }
}

extension Warehouse {
    /// Verifies the warehouse at `root` (see above).
    public static func verify(_ root: String) -> VerificationReport {
        var report = VerificationReport()
        func problem(_ error: StorageError, context: String = "") {
            var file = error.path ?? "(warehouse)"
            if file.hasPrefix(root + "/") { file.removeFirst(root.count + 1) }
            let message = error.message + context
            if !report.problems.contains(where: { $0.file == file && $0.message == message }) {
                report.problems.append(.init(file: file, message: message))
            }
        }
        var current: Int64? = nil
        do { current = try readCurrentManifest(root).version } catch { problem(error) }
        var referenced = Set<String>()
        var checked = Set<String>()  // "file@offset" of blocks already verified
        for file in Retention.manifestFiles(root: root).reversed() {
            let version: Warehouse
            do { version = try open(root, version: file.version) } catch {
                if error.code == .notFound && file.version != current { continue }  // removed meanwhile by a writer
                problem(error)
                continue
            }
            report.versions.append(file.version)
            let reader = version.segmentReader()
            for table in version.tables where !table.isView {
                report.tables += 1
                for (g, group) in table.rowGroups.enumerated() {
                    for (c, segment) in group.segments.enumerated() {
                        referenced.insert(segment.file)
                        guard checked.insert("\(segment.file)@\(segment.offset)").inserted else { continue }
                        report.blocks += 1
                        report.bytes += segment.length
                        let context = " (version \(file.version), \(table.qualifiedName).\(table.columns[c].name), row group \(g))"
                        do {
                            let column = try reader.read(segment, type: table.columns[c].type)
                            if column.count != group.rowCount {
                                problem(StorageError(.corrupt, "block at byte offset \(segment.offset) holds \(column.count) rows, its row group \(group.rowCount)",
                                                     path: root + "/" + segment.file), context: context)
                            }
                        } catch { problem(error, context: context) }
                    }
                    if let deletes = group.deletes {
                        referenced.insert(deletes.file)
                        guard checked.insert("\(deletes.file)@\(deletes.offset)").inserted else { continue }
                        report.blocks += 1
                        report.bytes += deletes.length
                        do { _ = try reader.deletedRows(group) } catch {
                            problem(error, context: " (version \(file.version), \(table.qualifiedName), row group \(g)'s deletion vector)")
                        }
                    }
                }
            }
        }
        report.unreferencedFiles = FileIO.listDirectory(root + "/data").filter { !referenced.contains("data/" + $0) }.count
        return report
    }
}
