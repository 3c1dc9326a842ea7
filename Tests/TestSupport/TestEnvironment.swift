// Paths, temporary folders and subprocesses for tests: where the package and the built
// `moviecol` binary are, and how to run it and read what it printed.

import Foundation

/// Helpers shared by test targets.
public enum TestEnvironment {
    /// The package root, found from this file's location.
    public static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The `moviecol` binary `swift test` built next to the test bundle.
    public static var binary: String {
        if let env = ProcessInfo.processInfo.environment["MOVIECOL_BIN"] { return env }
        let bundle = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
        let candidates = [bundle?.appendingPathComponent("moviecol").path, packageRoot + "/.build/debug/moviecol"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// A new empty directory, removed by the caller with `remove`.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "moviecol-test-\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    public static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    public static func write(_ text: String, to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    public static func writeBytes(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// What a finished process printed.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` with `arguments` to completion.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           directory: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        // Output goes to files, so a chatty process never blocks on a full pipe.
        let outPath = NSTemporaryDirectory() + "moviecol-out-\(UUID().uuidString)"
        let errPath = outPath + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { remove(outPath); remove(errPath) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try out.close()
        try err.close()
        return Output(status: p.terminationStatus,
                      stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Starts the `moviecol` binary and kills it (SIGKILL) after `microseconds`, finished or
    /// not: the crash tests' way of stopping a writer at a random moment.
    public static func killMoviecol(_ arguments: [String], after microseconds: UInt32, environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(microseconds)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// Runs the `moviecol` binary.
    @discardableResult
    public static func moviecol(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        try run(binary, arguments, environment: environment)
    }
}
