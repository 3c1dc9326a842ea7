// `moviecol demo`: the main job end to end on built-in generated data.

import ArgumentParser
import Columnar
import Pipeline
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate MovieLens-format data, ingest it into a warehouse and show what was built.")

    @Option(name: .long, help: "Number of rating rows to generate.")
    var ratings: Int = 1_000_000

    @Option(name: .long, help: ArgumentHelp("Working folder: CSVs go to DIR/csv, the warehouse to DIR/warehouse.", valueName: "dir"))
    var dir: String = "moviecol-demo"

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    func run() throws {
        let csv = dir + "/csv", db = dir + "/warehouse"
        Terminal.error("[1/3] generating \(ratings) ratings into \(csv)")
        var generate = GenerateCommand()
        generate.out = csv
        generate.ratings = ratings
        generate.seed = seed
        generate.threads = ProcessInfo.processInfo.activeProcessorCount
        try generate.run()
        Terminal.error("[2/3] ingesting into \(db)")
        var ingest = try IngestCommand.parse([csv, "--db", db])
        ingest.progress = .auto
        try ingest.run()
        Terminal.error("[3/3] the warehouse")
        let tables = try TablesCommand.parse(["--db", db])
        try tables.run()
        let describe = try DescribeCommand.parse(["--db", db, "raw_ratings"])
        try describe.run()
    }
}
