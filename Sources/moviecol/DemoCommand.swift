// `moviecol demo`: the main job end to end on built-in generated data: generate, ingest,
// build and test the pipeline, print the five dashboards.

import Web
import ArgumentParser
import Columnar
import Engine
import Foundation
import Pipeline

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The main job: generate MovieLens-format data, ingest it, build and test the pipeline, print the five dashboards.")

    @Option(name: .long, help: "Number of rating rows to generate.")
    var ratings: Int = 1_000_000

    @Option(name: .long, help: ArgumentHelp("Working folder: CSVs go to DIR/csv, the warehouse to DIR/warehouse.", valueName: "dir"))
    var dir: String = "moviecol-demo"

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    func run() throws {
        let start = Date()
        let csv = dir + "/csv", db = dir + "/warehouse"
        step(1, "generating \(ratings) ratings into \(csv)")
        var generate = GenerateCommand()
        generate.out = csv
        generate.ratings = ratings
        generate.seed = seed
        generate.threads = ProcessInfo.processInfo.activeProcessorCount
        try generate.run()

        step(2, "ingesting into \(db)")
        var ingest = try IngestCommand.parse([csv, "--db", db])
        ingest.progress = .auto
        try ingest.run()

        step(3, "building and testing the pipeline (raw -> staging -> serving, snapshot, data tests)")
        let build = try BuildCommand.parse(["--db", db])
        let ok = try PipelineInvocation(warehouse: build.warehouse, project: build.project, command: .build, role: .transform,
                                        threads: build.threads).execute()
        guard ok else { fail("the pipeline did not build cleanly; see the lines above and \(db)/target/run_results.json") }

        step(4, "the five dashboards (read as the reporter role)")
        let w: Warehouse
        do { w = try Warehouse.open(db) } catch { fail(error.description) }
        let engine = QueryEngine(warehouse: w, policy: Role.reporter.policy)
        for d in Dashboards.all {
            print("\n== \(d.title)  (\(d.mart))")
            do {
                // The mart's rule, e.g. "movies with at least 100 ratings".
                if let note = try DashboardData.note(d, engine) { print(note) }
                let (columns, chunk) = try engine.query(d.terminalSQL)
                if chunk.count == 0 {
                    print("not available for this data set: \(d.emptyReason)")
                    continue
                }
                var formatter = ResultFormatter(format: .table, columns: columns)
                print(formatter.header() + formatter.rows(chunk) + formatter.footer(), terminator: "")
            } catch {
                fail(error.render(in: d.terminalSQL))
            }
        }
        print("")
        fflush(nil)
        Terminal.error(String(format: "done in %.1f s. Next: moviecol query --db %@ | moviecol dashboard --db %@ --out %@/report.html | moviecol docs --db %@ --out %@/docs"
                              + " | moviecol user add NAME --db %@ && moviecol serve --db %@",
                              Date().timeIntervalSince(start), db, db, dir, db, dir, db, db))
    }

    private func step(_ n: Int, _ text: String) {
        fflush(nil)  // keep stdout and stderr in order when both go to one pipe
        Terminal.error("[\(n)/4] \(text)")
    }
}
