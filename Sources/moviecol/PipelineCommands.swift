// `moviecol build | run | test | seed | snapshot`: the dbt-style pipeline over the warehouse.

import Web
import ArgumentParser
import Columnar
import Engine
import Foundation
import Pipeline

/// Options every pipeline command takes.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Project folder with dbt_project.yml (default: the built-in MovieLens project).", valueName: "dir"))
    var project: String?

    @Option(name: .long, help: ArgumentHelp("Variables as YAML, e.g. \"{top_movies_min_ratings: 50}\".", valueName: "yaml"))
    var vars: String?

    @Option(name: [.long, .customShort("s")], parsing: .upToNextOption,
            help: ArgumentHelp("Nodes to run: name, +name, name+, tag:x, path, a,b (intersection); several = union.", valueName: "selector"))
    var select: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("Nodes to leave out (same syntax as --select).", valueName: "selector"))
    var exclude: [String] = []

    @Option(name: .customLong("target-path"), help: ArgumentHelp("Where run_results.json and manifest.json go (default: PROJECT/target, or DB/target for the built-in project).", valueName: "dir"))
    var targetPath: String?

    func load() throws -> Project {
        switch loadProject() {
        case .success(let p): return p
        case .failure(let e): fail(e.description)
        }
    }

    private func loadProject() -> Result<Project, ProjectError> {
        Result { () throws(ProjectError) -> Project in
            var cliVars: [(String, JinjaValue)] = []
            if let vars {
                guard case .dict(let pairs) = try YAML.parse(vars, file: "--vars").value else {
                    throw ProjectError("--vars must be a YAML map, e.g. \"{key: value}\"")
                }
                cliVars = pairs
            }
            let files = try project.map { (dir) throws(ProjectError) in try ProjectFiles.load(directory: dir) } ?? ProjectFiles.builtIn
            return try ProjectLoader.load(files, vars: cliVars)
        }
    }

    func target(db: String) -> String {
        if let targetPath { return targetPath }
        if let project { return (project as NSString).appendingPathComponent("target") }
        return (db as NSString).appendingPathComponent("target")
    }
}

extension Role: ExpressibleByArgument {}

/// Runs one pipeline command; shared by build, run, test, seed and snapshot.
struct PipelineInvocation {
    var warehouse: WarehouseOptions
    var project: ProjectOptions
    var command: PipelineCommand
    var role: Role
    var threads: Int
    var fullRefresh = false
    var failFast = false
    var storeFailures = false

    /// Runs and returns whether every node succeeded.
    func execute(print: @escaping (String) -> Void = { Swift.print($0) }) throws -> Bool {
        let loaded = try project.load()
        let w: Warehouse
        do { w = try Warehouse.open(warehouse.path) } catch { fail("\(error.description) (run `moviecol ingest` first)") }
        let engine = QueryEngine(warehouse: w, threads: threads, policy: role.policy)
        engine.writerName = "moviecol \(command.rawValue)"
        var options = RunOptions(command: command)
        options.select = project.select
        options.exclude = project.exclude
        options.fullRefresh = fullRefresh
        options.failFast = failFast
        options.storeFailures = storeFailures
        let runner = Runner(project: loaded, engine: engine, options: options, output: print)
        let summary: RunSummary
        do { summary = try runner.run() } catch { fail(error.description) }
        let target = project.target(db: warehouse.path)
        do {
            try Artifacts.write(project: loaded, summary: summary, command: command, engine: engine, to: target)
        } catch {
            Terminal.error("warning: could not write \(target): \(error)")
        }
        return summary.succeeded
    }
}

private func roleHelp(_ fallback: Role) -> ArgumentHelp {
    ArgumentHelp("Role: loader, transform or reporter (default: \(fallback.rawValue)).", valueName: "role")
}

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Seed, run models, snapshot and test, in dependency order (dbt build).",
        discussion: "A failing error-severity test skips everything downstream of what it tests. Exit status is non-zero when a node errors or a test fails.")

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Flag(name: .customLong("full-refresh"), help: "Rebuild incremental models from scratch.")
    var fullRefresh = false
    @Flag(name: .customLong("fail-fast"), help: "Stop at the first error or failing test.")
    var failFast = false
    @Flag(name: .customLong("store-failures"), help: "Keep each failing test's rows in dbt_test__audit.<test>.")
    var storeFailures = false
    @Option(name: .long, help: "Worker threads per query (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: roleHelp(.transform))
    var role: Role = .transform

    func run() throws {
        let ok = try PipelineInvocation(warehouse: warehouse, project: project, command: .build, role: role, threads: threads,
                                        fullRefresh: fullRefresh, failFast: failFast, storeFailures: storeFailures).execute()
        if !ok { throw ExitCode.failure }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Build the selected models (dbt run).")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Flag(name: .customLong("full-refresh"), help: "Rebuild incremental models from scratch.")
    var fullRefresh = false
    @Flag(name: .customLong("fail-fast"), help: "Stop at the first error.")
    var failFast = false
    @Option(name: .long, help: "Worker threads per query (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: roleHelp(.transform))
    var role: Role = .transform

    func run() throws {
        let ok = try PipelineInvocation(warehouse: warehouse, project: project, command: .run, role: role, threads: threads,
                                        fullRefresh: fullRefresh, failFast: failFast).execute()
        if !ok { throw ExitCode.failure }
    }
}

struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Run the data tests (dbt test): not_null, unique, relationships, accepted_values and singular tests.")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Flag(name: .customLong("store-failures"), help: "Keep each failing test's rows in dbt_test__audit.<test>.")
    var storeFailures = false
    @Flag(name: .customLong("fail-fast"), help: "Stop at the first failing test.")
    var failFast = false
    @Option(name: .long, help: "Worker threads per query (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: roleHelp(.transform))
    var role: Role = .transform

    func run() throws {
        let ok = try PipelineInvocation(warehouse: warehouse, project: project, command: .test, role: role, threads: threads,
                                        failFast: failFast, storeFailures: storeFailures).execute()
        if !ok { throw ExitCode.failure }
    }
}

struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Load the project's seed CSVs as tables (dbt seed).")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Option(name: .long, help: roleHelp(.transform))
    var role: Role = .transform

    func run() throws {
        let ok = try PipelineInvocation(warehouse: warehouse, project: project, command: .seed, role: role, threads: 1).execute()
        if !ok { throw ExitCode.failure }
    }
}

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshot", abstract: "Record SCD Type 2 history of the snapshot queries (dbt snapshot).")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Option(name: .long, help: "Worker threads per query (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: roleHelp(.transform))
    var role: Role = .transform

    func run() throws {
        let ok = try PipelineInvocation(warehouse: warehouse, project: project, command: .snapshot, role: role, threads: threads).execute()
        if !ok { throw ExitCode.failure }
    }
}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compile", abstract: "Print the SQL each selected node runs, templates rendered.")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Flag(name: .long, help: "Render as an incremental run (is_incremental() true).")
    var incremental = false

    func run() throws {
        let loaded = try project.load()
        let selected: Set<String>
        do { selected = try Selector.select(loaded, select: project.select, exclude: project.exclude) } catch { fail(error.description) }
        let compiler = Compiler(project: loaded)
        for node in loaded.nodes where selected.contains(node.uniqueId) && node.resourceType != .seed {
            do {
                let sql = try compiler.compile(node, isIncremental: incremental && node.materialization == "incremental")
                print("-- \(node.uniqueId) (\(node.path))")
                print(sql)
                print("")
            } catch {
                fail(error.description)
            }
        }
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the project's nodes (dbt ls).")
    @OptionGroup var project: ProjectOptions
    @Option(name: .customLong("resource-type"), help: "Only this type: model, seed, snapshot, test, source.")
    var resourceType: String?
    @Option(name: .long, help: "name, path, selector (unique id) or json.")
    var output: String = "selector"

    func run() throws {
        let loaded = try project.load()
        let selected: Set<String>
        do { selected = try Selector.select(loaded, select: project.select, exclude: project.exclude) } catch { fail(error.description) }
        for node in loaded.nodes where selected.contains(node.uniqueId) && (resourceType == nil || node.resourceType.rawValue == resourceType) {
            switch output {
            case "name": print(node.name)
            case "path": print(node.path)
            case "json":
                let object: [String: Any] = ["name": node.name, "resource_type": node.resourceType.rawValue, "unique_id": node.uniqueId,
                                             "path": node.path, "materialized": node.materialization, "tags": node.config.tags,
                                             "depends_on": node.dependsOn, "relation": node.resourceType == .test ? "" : node.qualifiedName]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            default: print(node.uniqueId)
            }
        }
        if resourceType == nil || resourceType == "source" {
            for s in loaded.sources where project.select.isEmpty {
                print(output == "name" ? "\(s.sourceName).\(s.name)" : output == "path" ? s.path : s.uniqueId)
            }
        }
    }
}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Write the built-in MovieLens project to a folder, to read or change it.")
    @Argument(help: ArgumentHelp("Folder to create.", valueName: "dir"))
    var dir: String

    func run() throws {
        guard !FileManager.default.fileExists(atPath: dir + "/dbt_project.yml") else { fail("\(dir) already holds a dbt_project.yml") }
        do { try ProjectFiles.builtIn.write(to: dir) } catch { fail(error.description) }
        print("wrote the MovieLens project to \(dir); build it with `moviecol build --project \(dir)`")
    }
}

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write the lineage and model docs: DIR/index.html (self-contained), DIR/lineage.dot, DIR/lineage.mmd.")
    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var project: ProjectOptions
    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String = "docs-site"

    func run() throws {
        let loaded = try project.load()
        // Column types and row counts come from the warehouse when there is one.
        let tables = (try? Warehouse.open(warehouse.path))?.tables ?? []
        var status: [String: String] = [:]
        let results = project.target(db: warehouse.path) + "/run_results.json"
        if let data = FileManager.default.contents(atPath: results),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let list = json["results"] as? [[String: Any]] {
            for r in list { if let id = r["unique_id"] as? String, let s = r["status"] as? String { status[id] = s } }
        }
        let files = try DocsSite.write(project: loaded, tables: tables, testStatus: status, to: out)
        for f in files { print("wrote \(f)") }
    }
}

struct DashboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Write the five dashboards as one self-contained HTML report (no network), read as the reporter role.")
    @OptionGroup var warehouse: WarehouseOptions
    @Option(name: .long, help: ArgumentHelp("The report file.", valueName: "file"))
    var out: String = "report.html"

    func run() throws {
        let w: Warehouse
        do { w = try Warehouse.open(warehouse.path) } catch { fail(error.description) }
        let engine = QueryEngine(warehouse: w, policy: Role.reporter.policy)
        let html: String
        do {
            html = DashboardReport.html(data: try DashboardData.load(engine), facts: try DashboardData.facts(engine))
        } catch {
            fail("\(error.message) (run `moviecol build` first)")
        }
        do { try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic) } catch { fail("cannot write \(out): \(error.localizedDescription)") }
        print("wrote \(out) (\(html.utf8.count / 1024) KiB)")
    }
}
