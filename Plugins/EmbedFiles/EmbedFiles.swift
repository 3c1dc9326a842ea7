// A build-tool plugin that compiles the files under a target's `Embedded/<Name>/` folders
// into the target as `enum Embedded<Name> { static let files: [String: String] }`: the
// default dbt project of Pipeline, the web assets of Web. The files stay ordinary files in
// the repository (editable, diffable, read by tests), and the binary needs nothing beside it.

import Foundation
import PackagePlugin

@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let embedded = module.directoryURL.appending(path: "Embedded")
        let fm = FileManager.default
        guard let folders = try? fm.contentsOfDirectory(at: embedded, includingPropertiesForKeys: [.isDirectoryKey]) else { return [] }
        let tool = try context.tool(named: "EmbedTool")
        var commands: [Command] = []
        for folder in folders.sorted(by: { $0.path < $1.path }) where (try? folder.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
            var files: [URL] = []
            if let walker = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
                for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                    files.append(url)
                }
            }
            let name = folder.lastPathComponent
            let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(name).swift")
            commands.append(.buildCommand(
                displayName: "Embedding \(target.name)/Embedded/\(name) (\(files.count) files)",
                executable: tool.url,
                arguments: [output.path, "Embedded\(name)", folder.path] + files.map(\.path).sorted(),
                inputFiles: files,
                outputFiles: [output]))
        }
        return commands
    }
}
