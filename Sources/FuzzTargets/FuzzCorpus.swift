// The checked-in inputs: `Tests/Fuzz/corpus/<target>/` (seeds and what fuzzing kept) and
// `Tests/Fuzz/findings/<target>/` (every input that once crashed or broke an invariant).

import Foundation

package enum FuzzCorpus {
    /// The files of `path` (a file, or every file under a directory), sorted.
    package static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue
        }
    }

    package static func read(_ file: String) -> [UInt8] {
        FileManager.default.contents(atPath: file).map(Array.init) ?? []
    }
}
