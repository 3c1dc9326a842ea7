// Runs the selected nodes of a project in dependency order, the way `dbt build` does: each
// node's tests right after it, a failing error-severity test skips everything downstream,
// status lines as nodes finish, a summary at the end, and run_results.json for tools.

import Columnar
import Engine
import Foundation

/// Which nodes a command runs.
public enum PipelineCommand: String, Sendable {
    case build, run, test, seed, snapshot

    func includes(_ type: ResourceType) -> Bool {
        switch self {
        case .build: return type != .source
        case .run: return type == .model
        case .test: return type == .test
        case .seed: return type == .seed
        case .snapshot: return type == .snapshot
        }
    }
}

public struct RunOptions: Sendable {
    public var command: PipelineCommand
    public var select: [String] = []
    public var exclude: [String] = []
    public var fullRefresh = false
    public var failFast = false
    public var storeFailures = false

    public init(command: PipelineCommand) { self.command = command }
}

/// How one node ended.
public enum NodeStatus: String, Sendable, Codable {
    case success, error, skipped, pass, fail, warn
}

public struct NodeResult: Sendable {
    public var node: Node
    public var status: NodeStatus
    public var message: String
    public var rows: Int?
    public var failures: Int?
    public var compiledCode: String?
    public var startedAt: Date
    public var completedAt: Date
    public var seconds: Double { completedAt.timeIntervalSince(startedAt) }
}

public struct RunSummary: Sendable {
    public var results: [NodeResult]
    public var elapsed: Double
    public var startedAt: Date
    public var succeeded: Bool { !results.contains { $0.status == .error || $0.status == .fail } }
    public func count(_ s: NodeStatus) -> Int { results.filter { $0.status == s }.count }
}

public final class Runner {
    let project: Project
    let engine: QueryEngine
    let options: RunOptions
    /// Receives each status line as it happens.
    let output: (String) -> Void

    public init(project: Project, engine: QueryEngine, options: RunOptions, output: @escaping (String) -> Void) {
        self.project = project
        self.engine = engine
        self.options = options
        self.output = output
    }

    public func run() throws(ProjectError) -> RunSummary {
        let start = Date()
        let selected = try Selector.select(project, select: options.select, exclude: options.exclude)
        let queue = executionOrder(selected)
        let compiler = Compiler(project: project)
        let materializer = Materializer(engine: engine, compiler: compiler, fullRefresh: options.fullRefresh)
        var results: [NodeResult] = []
        var blocked: [String: String] = [:]  // unique id -> why it is skipped
        let children = project.children
        let width = String(queue.count).count
        var stopped = false

        func block(downstreamOf id: String, because reason: String) {
            var frontier = children[id] ?? []
            while let next = frontier.popLast() {
                guard blocked[next] == nil else { continue }
                if let n = project.node(next), n.resourceType == .test, n.dependsOn.first != id, !(n.dependsOn.contains(where: { blocked[$0] != nil })) {
                    continue  // a test that merely looks at the failed node (relationships to it) still runs
                }
                blocked[next] = reason
                frontier += children[next] ?? []
            }
        }

        for (index, node) in queue.enumerated() {
            let began = Date()
            let label = "\(String(repeating: " ", count: width - String(index + 1).count))\(index + 1) of \(queue.count)"
            if stopped || blocked[node.uniqueId] != nil {
                let reason = stopped ? "skipped: --fail-fast stopped the run" : blocked[node.uniqueId]!
                results.append(NodeResult(node: node, status: .skipped, message: reason, startedAt: began, completedAt: began))
                output(line(label, "SKIP", describe(node), "[SKIP]"))
                continue
            }
            var result = NodeResult(node: node, status: .success, message: "", startedAt: began, completedAt: began)
            do throws(ProjectError) {
                switch node.resourceType {
                case .seed:
                    let (columns, data) = try SeedLoader.read(node)
                    do { try engine.load(into: [node.schema, node.relationName], columns: columns, data: data, annotations: materializer.annotations(node)) }
                    catch { throw ProjectError(error.message, file: node.path) }
                    result.rows = data.count
                    result.message = "INSERT \(data.count)"
                case .model:
                    let outcome = try materializer.build(node)
                    result.rows = outcome.rows
                    result.message = outcome.message
                    result.compiledCode = outcome.sql
                case .snapshot:
                    let outcome = try SnapshotBuilder(materializer: materializer, compiler: compiler).build(node)
                    result.rows = outcome.rows
                    result.message = outcome.message
                case .test:
                    let sql = try compiler.compile(node)
                    result.compiledCode = sql
                    let failures: Int
                    if options.storeFailures || node.config.storeFailures == true {
                        let audit = "dbt_test__audit.\(node.name)"
                        try materializer.run("create or replace table \(audit) as\n\(sql)", file: node.path)
                        failures = try count("select count(*) from \(audit)", materializer, node)
                    } else {
                        failures = try count("select count(*) from (\n\(sql)\n) dbt_internal_test", materializer, node)
                    }
                    result.failures = failures
                    if failures == 0 {
                        result.status = .pass
                        result.message = "PASS"
                    } else {
                        result.status = node.config.severity == "warn" ? .warn : .fail
                        result.message = "\(failures) failing row\(failures == 1 ? "" : "s"): \(testDescription(node))"
                    }
                case .source:
                    break
                }
            } catch {
                result.status = .error
                result.message = error.description
            }
            result.completedAt = Date()
            results.append(result)
            output(line(label, statusWord(result), describe(node), "[\(bracket(result))]"))
            if result.status == .error || result.status == .fail {
                if result.status == .error { output("    \(result.message.replacingOccurrences(of: "\n", with: "\n    "))") }
                let reason = "skipped: upstream \(node.name) \(result.status == .fail ? "failed its test" : "had an error")"
                if node.resourceType == .test {
                    for parent in node.dependsOn.prefix(1) { block(downstreamOf: parent, because: reason) }
                } else {
                    block(downstreamOf: node.uniqueId, because: reason)
                }
                if options.failFast { stopped = true }
            }
        }
        let summary = RunSummary(results: results, elapsed: Date().timeIntervalSince(start), startedAt: start)
        printSummary(summary)
        return summary
    }

    private func count(_ sql: String, _ m: Materializer, _ node: Node) throws(ProjectError) -> Int {
        let r = try m.query(sql, file: node.path)
        if case .int(let n) = r.rows.columns[0].value(at: 0) { return Int(n) }
        return 0
    }

    /// The selected nodes in dependency order, each node's tests right after the last node they read.
    func executionOrder(_ selected: Set<String>) -> [Node] {
        let runnable = project.nodes.filter { selected.contains($0.uniqueId) && options.command.includes($0.resourceType) }
        let tests = runnable.filter { $0.resourceType == .test }
        var out: [Node] = []
        var placed = Set<String>()
        var pending = tests
        let runnableIds = Set(runnable.map(\.uniqueId))
        func placeReadyTests() {
            pending.removeAll { t in
                let ready = t.dependsOn.allSatisfy { placed.contains($0) || !runnableIds.contains($0) }
                if ready { out.append(t); placed.insert(t.uniqueId) }
                return ready
            }
        }
        placeReadyTests()
        for n in runnable where n.resourceType != .test {
            out.append(n)
            placed.insert(n.uniqueId)
            placeReadyTests()
        }
        out += pending
        return out
    }

    // MARK: Output

    private func describe(_ node: Node) -> String {
        switch node.resourceType {
        case .test: return "test \(node.name)"
        case .seed: return "seed \(node.qualifiedName)"
        case .snapshot: return "snapshot \(node.qualifiedName)"
        case .model: return "\(node.materialization) model \(node.materialization == "ephemeral" ? node.name : node.qualifiedName)"
        case .source: return node.name
        }
    }

    private func statusWord(_ r: NodeResult) -> String {
        switch r.status {
        case .success: return "OK"
        case .error: return "ERROR"
        case .skipped: return "SKIP"
        case .pass: return "PASS"
        case .fail: return "FAIL \(r.failures ?? 0)"
        case .warn: return "WARN \(r.failures ?? 0)"
        }
    }

    private func bracket(_ r: NodeResult) -> String {
        let t = String(format: "%.2fs", r.seconds)
        switch r.status {
        case .success:
            if r.node.resourceType == .seed { return "INSERT \(r.rows ?? 0) in \(t)" }
            if let rows = r.rows { return "\(rows) rows in \(t)" }
            return "OK in \(t)"
        case .error: return "ERROR in \(t)"
        case .skipped: return "SKIP"
        case .pass: return "PASS in \(t)"
        case .fail: return "FAIL \(r.failures ?? 0) in \(t)"
        case .warn: return "WARN \(r.failures ?? 0) in \(t)"
        }
    }

    private func line(_ label: String, _ status: String, _ what: String, _ tail: String) -> String {
        let head = "\(label) \(status) \(what) "
        let dots = max(3, 78 - head.count - tail.count)
        return head + String(repeating: ".", count: dots) + " " + tail
    }

    func testDescription(_ node: Node) -> String {
        guard let g = node.generic else { return "singular test \(node.name) (\(node.path))" }
        let target = project.node(g.target)?.name ?? project.source(g.target).map { "\($0.sourceName).\($0.name)" } ?? g.target
        switch g.kind {
        case "relationships":
            let parent = g.to.flatMap { project.node($0)?.name ?? project.source($0)?.name } ?? "?"
            return "relationships \(target).\(g.column) -> \(parent).\(g.field ?? "?")"
        default:
            return "\(g.kind) on \(target).\(g.column)"
        }
    }

    private func printSummary(_ s: RunSummary) {
        var kinds: [String: Int] = [:]
        for r in s.results {
            let k: String
            switch r.node.resourceType {
            case .model: k = "\(r.node.materialization) model"
            case .test: k = "data test"
            default: k = r.node.resourceType.rawValue
            }
            kinds[k, default: 0] += 1
        }
        let order = ["seed", "view model", "table model", "incremental model", "ephemeral model", "snapshot", "data test"]
        let parts = order.compactMap { (k: String) -> String? in
            guard let n = kinds[k] else { return nil }
            return "\(n) \(k)\(n == 1 ? "" : "s")"
        }
        output("")
        output("Finished running \(parts.joined(separator: ", ")) in \(String(format: "%.2f", s.elapsed))s.")
        let problems = s.results.filter { $0.status == .error || $0.status == .fail || $0.status == .warn }
        if problems.isEmpty {
            output("Completed successfully")
        } else {
            let errors = problems.filter { $0.status != .warn }.count, warnings = problems.count - errors
            output("Completed with \(errors) error\(errors == 1 ? "" : "s") and \(warnings) warning\(warnings == 1 ? "" : "s"):")
            for p in problems {
                let what = p.node.resourceType == .test ? "test" : p.node.resourceType.rawValue
                let kind = p.status == .warn ? "Warning" : p.status == .fail ? "Failure" : "Error"
                output("  \(kind) in \(what) \(p.node.name) (\(p.node.path))")
                output("    " + (p.node.resourceType == .test && p.status != .error
                    ? "\(p.message); got \(p.failures ?? 0) result\(p.failures == 1 ? "" : "s"), configured to \(p.status == .warn ? "warn" : "fail") if != 0"
                    : p.message.replacingOccurrences(of: "\n", with: "\n    ")))
            }
        }
        output("")
        output("Done. PASS=\(s.count(.success) + s.count(.pass)) WARN=\(s.count(.warn)) ERROR=\(s.count(.error) + s.count(.fail)) "
               + "SKIP=\(s.count(.skipped)) TOTAL=\(s.results.count)")
    }
}
