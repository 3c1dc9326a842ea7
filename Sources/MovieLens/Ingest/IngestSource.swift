// Where the MovieLens files of an ingest come from: a folder, a GroupLens `.zip`, or `.csv`
// / `.csv.gz` files named as GroupLens names them. Each file is matched to its schema by name.

import Columnar

/// Where MovieLens files come from.
package struct IngestSource: Sendable {
    /// One input file found in the source.
    package struct File: Sendable {
        package var schema: CSVSchema
        /// How to show it in messages (`ml-25m.zip!ml-25m/ratings.csv`).
        package var displayName: String
        let open: @Sendable () throws(StorageError) -> ByteStream
        /// Compressed or plain size in the source.
        package var size: Int
    }

    package var files: [File]
    /// Paths the user named.
    package var description: String

    /// Resolves folders, `.zip` archives and `.csv` / `.csv.gz` files.
    package static func resolve(_ paths: [String]) throws(StorageError) -> IngestSource {
        var files: [File] = []
        for path in paths {
            if FileIO.isDirectory(path) {
                for name in FileIO.listDirectory(path) {
                    let full = path + "/" + name
                    if let f = try plainOrGzip(full, name: name) { files.append(f) }
                }
            } else if path.lowercased().hasSuffix(".zip") {
                let archive = try ZipArchive(path: path)
                for entry in archive.entries {
                    guard let schema = MovieLensFiles.all.first(where: { $0.fileName == entry.fileName }) else { continue }
                    files.append(File(schema: schema, displayName: "\(path)!\(entry.path)",
                                      open: { () throws(StorageError) in try archive.open(entry) }, size: entry.compressedSize))
                }
            } else if FileIO.exists(path) {
                let name = String(path.split(separator: "/").last ?? Substring(path))
                guard let f = try plainOrGzip(path, name: name) else {
                    throw StorageError(.invalidArgument, "not a MovieLens file (expected one of \(MovieLensFiles.all.map(\.fileName).joined(separator: ", ")), optionally .gz)", path: path)
                }
                files.append(f)
            } else {
                throw StorageError(.notFound, "no such file or folder", path: path)
            }
        }
        var seen = Set<String>()
        for f in files where !seen.insert(f.schema.fileName).inserted {
            throw StorageError(.invalidArgument, "\(f.schema.fileName) appears more than once in the source (\(f.displayName))")
        }
        return IngestSource(files: files, description: paths.joined(separator: " "))
    }

    private static func plainOrGzip(_ path: String, name: String) throws(StorageError) -> File? {
        if let schema = MovieLensFiles.all.first(where: { $0.fileName == name }) {
            let size = FileIO.fileSize(path) ?? 0
            return File(schema: schema, displayName: path, open: { () throws(StorageError) in try FileByteStream(path: path) }, size: size)
        }
        if name.hasSuffix(".gz"), let schema = MovieLensFiles.all.first(where: { $0.fileName + ".gz" == name }) {
            let size = FileIO.fileSize(path) ?? 0
            return File(schema: schema, displayName: path, open: { () throws(StorageError) in
                try InflatingByteStream(source: try FileByteStream(path: path), format: .gzip, name: path)
            }, size: size)
        }
        return nil
    }
}

