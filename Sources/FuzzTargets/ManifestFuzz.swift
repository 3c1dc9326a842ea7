// Manifest input: a manifest file (binary formats 2-4, or the JSON of format 1) and a CURRENT
// pointer. A format-4 manifest's CRC32 trailer is made right first, so the mutations reach
// the decoder instead of stopping at the checksum. Invariant: a manifest that decodes encodes
// to bytes that decode to the same tables.

import Columnar
import Foundation

enum ManifestFuzz {
    static func run(_ input: [UInt8]) {
        _ = try? CurrentPointer(parsing: String(decoding: input, as: UTF8.self), path: "CURRENT")
        decode(input)
        if input.count >= 10, input.starts(with: Array("MCAT".utf8)) {
            var fixed = input
            let crc = fixed.withUnsafeBytes { Zlib.crc32(UnsafeRawBufferPointer(rebasing: $0[0..<(fixed.count - 4)])) }
            withUnsafeBytes(of: crc.littleEndian) { fixed.replaceSubrange((fixed.count - 4)..., with: $0) }
            decode(fixed)
        }
    }

    static func decode(_ bytes: [UInt8]) {
        guard let manifest = try? Manifest.decode(bytes) else { return }
        let again: Manifest
        do { again = try Manifest.decode(manifest.encoded()) } catch {
            finding("a decoded manifest's own encoding does not decode: \(error)")
        }
        if again.version != manifest.version || again.summary != manifest.summary {
            finding("manifest round trip changed it:\n\(manifest.summary)\nvs\n\(again.summary)")
        }
    }
}

extension Manifest {
    /// What a reader uses of a manifest, as text.
    var summary: String {
        var out = "version \(version) schemas \(schemas)\n"
        for t in tables {
            out += "\(t.schema).\(t.name) \(t.kind) columns \(t.columns.map { "\($0.name):\($0.type)" }) indexes \(t.indexes)\n"
            for g in t.rowGroups { out += "  \(g)\n" }
        }
        return out
    }
}
