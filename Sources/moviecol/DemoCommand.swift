// `moviecol demo`: the main job end to end on built-in generated data.

import ArgumentParser
import Columnar
import Pipeline
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generate MovieLens-format data, ingest it into a warehouse, show what was built and query it.")

    @Option(name: .long, help: "Number of rating rows to generate.")
    var ratings: Int = 1_000_000

    @Option(name: .long, help: ArgumentHelp("Working folder: CSVs go to DIR/csv, the warehouse to DIR/warehouse.", valueName: "dir"))
    var dir: String = "moviecol-demo"

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    func run() throws {
        let csv = dir + "/csv", db = dir + "/warehouse"
        Terminal.error("[1/4] generating \(ratings) ratings into \(csv)")
        var generate = GenerateCommand()
        generate.out = csv
        generate.ratings = ratings
        generate.seed = seed
        generate.threads = ProcessInfo.processInfo.activeProcessorCount
        try generate.run()
        Terminal.error("[2/4] ingesting into \(db)")
        var ingest = try IngestCommand.parse([csv, "--db", db])
        ingest.progress = .auto
        try ingest.run()
        Terminal.error("[3/4] the warehouse")
        let tables = try TablesCommand.parse(["--db", db])
        try tables.run()
        let describe = try DescribeCommand.parse(["--db", db, "raw_ratings"])
        try describe.run()
        Terminal.error("[4/4] top movies by average rating (at least 100 ratings)")
        let sql = "SELECT m.movieId, trim(m.title) AS title, round(avg(r.rating), 3) AS avg_rating, count(*) AS ratings "
            + "FROM raw_ratings r JOIN raw_movies m ON r.movieId = m.movieId GROUP BY m.movieId, m.title "
            + "HAVING count(*) >= 100 ORDER BY avg_rating DESC, m.movieId LIMIT 10"
        let query = try QueryCommand.parse(["--db", db, "-c", sql])
        try query.run()
    }
}
