// The `moviecol` command: argument parsing and printing only. Every subcommand lives in
// its own file and calls into Columnar, Engine or Pipeline.

import ArgumentParser
import Columnar
#if canImport(Glibc)
import Glibc
#endif

@main
struct Moviecol: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moviecol",
        abstract: "MovieLens analytics in one binary: a columnar warehouse, a SQL engine and a dbt-style pipeline.",
        discussion: """
            Start with `moviecol demo`, which generates MovieLens-format data, ingests it, builds \
            and tests the pipeline and prints the five dashboards. The warehouse directory is \
            --db DIR, else $MOVIECOL_DB, else ./warehouse.
            """,
        subcommands: [DemoCommand.self, GenerateCommand.self, IngestCommand.self, QueryCommand.self, TablesCommand.self, DescribeCommand.self,
                      BuildCommand.self, RunCommand.self, TestCommand.self, SeedCommand.self, SnapshotCommand.self, CompileCommand.self,
                      ListCommand.self, DocsCommand.self, DashboardCommand.self, ServeCommand.self, UserCommand.self, InitCommand.self,
                      VersionsCommand.self, VacuumCommand.self, CheckCommand.self]
    )
}

/// Options every warehouse command takes.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Warehouse directory (default: $MOVIECOL_DB, else ./warehouse).", valueName: "dir"))
    var db: String?

    var path: String {
        if let db { return db }
        if let env = getenv("MOVIECOL_DB") { return String(cString: env) }
        return "warehouse"
    }
}

/// Prints `error: message` to stderr and exits non-zero.
func fail(_ message: String) -> Never {
    Terminal.error("error: \(message)")
    Moviecol.exit(withError: ExitCode.failure)
}

enum Terminal {
    /// Writes a line to stderr.
    static func error(_ s: String) { writeStderr(s + "\n") }

    /// Writes raw text to stderr (progress redraws).
    static func writeStderr(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }
}
