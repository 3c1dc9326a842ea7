// The CURRENT file: which manifest is the warehouse's present version, that manifest's
// checksum and length, and a checksum of the line itself, so that a damaged CURRENT is
// reported as corruption of CURRENT rather than as a missing manifest.
//
//   manifest-00000007.json 1c291ca3 52311 9f2b01c4
//
// Files written before the line checksum (three fields) still read.

/// The parsed content of CURRENT.
package struct CurrentPointer: Equatable {
    package var manifest: String
    package var crc: UInt32
    package var length: Int

    package init(manifest: String, crc: UInt32, length: Int) {
        self.manifest = manifest
        self.crc = crc
        self.length = length
    }

    /// The file's text, newline-terminated.
    package var text: String {
        let fields = "\(manifest) \(String(crc, radix: 16)) \(length)"
        return fields + " " + String(Zlib.crc32(Array(fields.utf8)), radix: 16) + "\n"
    }

    /// Parses CURRENT's text; `path` names the file in errors.
    package init(parsing text: String, path: String) throws(StorageError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        let body: Substring
        if parts.count == 4 {
            // The line checksum covers the first three fields as written.
            let last = parts[3].hasSuffix("\n") ? parts[3].dropLast() : parts[3]
            body = text[text.startIndex..<parts[3].startIndex].dropLast()
            guard let lineCRC = UInt32(last, radix: 16), Zlib.crc32(Array(body.utf8)) == lineCRC else {
                throw StorageError(.checksumMismatch, "CURRENT is damaged: its checksum does not match its content", path: path)
            }
        } else if parts.count == 3, text.hasSuffix("\n") {
            body = text.dropLast()  // written before CURRENT had a checksum of its own
        } else {
            throw StorageError(.corrupt, "CURRENT is damaged: expected '<manifest> <crc32> <length> <crc32 of the line>'", path: path)
        }
        let fields = body.split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 3, Retention.version(ofManifest: String(fields[0])) != nil,
              let crc = UInt32(fields[1], radix: 16), let length = Int(fields[2]), length >= 0 else {
            throw StorageError(.corrupt, "CURRENT is damaged: expected '<manifest> <crc32> <length> <crc32 of the line>'", path: path)
        }
        self.init(manifest: String(fields[0]), crc: crc, length: length)
    }
}
