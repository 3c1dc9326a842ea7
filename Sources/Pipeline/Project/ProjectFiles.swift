// The files of a project: read from a folder, or the default project compiled into the
// binary (so `moviecol build` works with nothing but a warehouse).

import Foundation

/// A project's text files by path relative to its root.
public struct ProjectFiles: Sendable {
    public var root: String
    public var files: [String: String]

    public init(root: String, files: [String: String]) {
        self.root = root
        self.files = files
    }

    /// The default MovieLens project (`Sources/Pipeline/Embedded/DefaultProject`), compiled
    /// into the binary by the EmbedFiles build plugin.
    public static let builtIn = ProjectFiles(root: "built-in", files: EmbeddedDefaultProject.files)

    /// Reads every .sql, .yml, .yaml, .csv and .md file under `directory`.
    public static func load(directory: String) throws(ProjectError) -> ProjectFiles {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ProjectError("project folder not found", file: directory)
        }
        guard let walker = fm.enumerator(atPath: directory) else { throw ProjectError("cannot list the project folder", file: directory) }
        var files: [String: String] = [:]
        while let item = walker.nextObject() as? String {
            let first = item.split(separator: "/").first.map(String.init) ?? item
            if ["target", "dbt_packages", "logs", ".git"].contains(first) { walker.skipDescendants(); continue }
            guard ["sql", "yml", "yaml", "csv", "md"].contains((item as NSString).pathExtension.lowercased()) else { continue }
            let path = (directory as NSString).appendingPathComponent(item)
            guard let data = fm.contents(atPath: path) else { continue }
            guard let text = String(data: data, encoding: .utf8) else { throw ProjectError("not valid UTF-8", file: item) }
            files[item] = text
        }
        return ProjectFiles(root: directory, files: files)
    }

    /// Writes the files under `directory` (for `moviecol init`).
    public func write(to directory: String) throws(ProjectError) {
        let fm = FileManager.default
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let full = (directory as NSString).appendingPathComponent(path)
            do {
                try fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(text.utf8).write(to: URL(fileURLWithPath: full))
            } catch {
                throw ProjectError("cannot write: \(error.localizedDescription)", file: full)
            }
        }
    }

    /// Paths under `folder` with one of `extensions`, sorted.
    func paths(under folder: String, extensions: Set<String>) -> [String] {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return files.keys.filter { ($0.hasPrefix(prefix) || folder == ".") && extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    }
}
