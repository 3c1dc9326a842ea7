// The module graph runs one way, in production and in tests:
//
//   Columnar <- Engine <- Pipeline <- Web <- moviecol,  MovieLens <- Columnar only
//
// This test reads the `import` lines of every Swift file under Sources/ and Tests/ and fails
// on an import its module may not make, so a shortcut through the layers cannot land.

import Foundation
import Testing

@Suite struct ModuleGraphTests {
    /// What each module (source or test target) may import of ours.
    static let allowed: [String: Set<String>] = [
        "Columnar": ["CZlib", "CSupport"],
        "MovieLens": ["Columnar"],
        "Engine": ["Columnar", "CSupport"],
        "Pipeline": ["Engine", "Columnar"],
        "Web": ["Pipeline", "Engine", "Columnar"],
        "moviecol": ["Web", "Pipeline", "Engine", "Columnar", "MovieLens", "CSupport"],
        "EmbedTool": [],
        "FuzzTargets": ["Web", "Pipeline", "Engine", "Columnar"],
        "MoviecolFuzz": ["FuzzTargets"],
        "TestSupport": ["Columnar", "MovieLens"],
        "ColumnarTests": ["Columnar", "TestSupport"],
        "MovieLensTests": ["MovieLens", "Columnar", "TestSupport"],
        "EngineTests": ["Engine", "Columnar", "MovieLens", "TestSupport"],
        "PipelineTests": ["Pipeline", "Engine", "Columnar", "TestSupport"],
        "WebTests": ["Web", "Pipeline", "Engine", "Columnar", "TestSupport"],
        "MoviecolTests": ["Columnar", "TestSupport"],
        "FuzzTests": ["FuzzTargets", "TestSupport"],
        "ModuleGraphTests": [],
    ]

    /// Our own modules; imports of anything else (Foundation, NIO, Testing) are not checked.
    static let ours: Set<String> = ["Columnar", "MovieLens", "Engine", "Pipeline", "Web", "moviecol", "CSupport", "CZlib",
                                    "TestSupport", "EmbedTool", "FuzzTargets", "MoviecolFuzz"]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// (module, file, imported module) for every import of every Swift file in `folder`.
    static func imports(in folder: String) -> [(String, String, String)] {
        var out: [(String, String, String)] = []
        let base = root.appendingPathComponent(folder)
        guard let modules = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return [] }
        for module in modules {
            guard let walker = FileManager.default.enumerator(atPath: base.appendingPathComponent(module).path) else { continue }
            while let item = walker.nextObject() as? String {
                guard item.hasSuffix(".swift") else { continue }
                let path = base.appendingPathComponent(module).appendingPathComponent(item).path
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
                for line in text.split(separator: "\n") {
                    let words = line.split(separator: " ")
                    guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
                          words[..<i].allSatisfy({ $0.hasPrefix("@") }) else { continue }
                    out.append((module, "\(folder)/\(module)/\(item)", String(words[i + 1])))
                }
            }
        }
        return out
    }

    @Test func importsFollowTheModuleGraph() {
        let all = Self.imports(in: "Sources") + Self.imports(in: "Tests")
        #expect(all.count > 100, "found only \(all.count) imports under \(Self.root.path)")
        var violations: [String] = []
        for (module, file, imported) in all where Self.ours.contains(imported) {
            guard let allowed = Self.allowed[module] else { violations.append("\(file): module \(module) is not in the graph"); continue }
            if !allowed.contains(imported) && imported != module { violations.append("\(file): \(module) may not import \(imported)") }
        }
        #expect(violations.isEmpty, "\(violations.joined(separator: "\n"))")
    }
}
