// The build-time half of the EmbedFiles plugin: writes a Swift file that carries the text
// files of one folder into the binary, so the repository holds each file once and the
// binary stays self-contained.
//
//   EmbedTool OUTPUT.swift TYPE ROOT FILE...
//
// The output declares `enum TYPE { static let files: [String: String] }`, keyed by each
// file's path relative to ROOT, with '/' separators.

import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 4 else {
    FileHandle.standardError.write(Data("usage: EmbedTool OUTPUT.swift TYPE ROOT FILE...\n".utf8))
    exit(2)
}
let (output, type, root) = (arguments[1], arguments[2], arguments[3])
let prefix = root.hasSuffix("/") ? root : root + "/"

/// `text` as a Swift string literal: printable ASCII as is, everything else escaped.
func literal(_ text: String) -> String {
    var out = "\""
    for u in text.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if u.value >= 0x20 && u.value < 0x7F { out.unicodeScalars.append(u) } else { out += "\\u{\(String(u.value, radix: 16))}" }
        }
    }
    return out + "\""
}

var lines = [
    "// Generated at build time by the EmbedFiles plugin from \((root as NSString).lastPathComponent); do not edit.",
    "",
    "enum \(type) {",
    "    /// Every file of the folder, by relative path.",
    "    static let files: [String: String] = [",
]
for path in arguments.dropFirst(4).sorted() {
    guard path.hasPrefix(prefix) else {
        FileHandle.standardError.write(Data("EmbedTool: \(path) is not under \(root)\n".utf8))
        exit(1)
    }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("EmbedTool: \(path) is not a readable UTF-8 text file\n".utf8))
        exit(1)
    }
    lines.append("        \(literal(String(path.dropFirst(prefix.count)))): \(literal(text)),")
}
lines += ["    ]", "}", ""]
do {
    try lines.joined(separator: "\n").write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("EmbedTool: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
