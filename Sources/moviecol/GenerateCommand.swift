// `moviecol generate`: deterministic MovieLens-format CSVs at any scale.

import MovieLens
import ArgumentParser
import Pipeline
import Dispatch
import Foundation

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write deterministic MovieLens-format CSV files (all six) shaped like ml-25m.",
        discussion: """
            The same --seed and --ratings always give the same bytes, at any --threads. About N/154 \
            users (at least 20 ratings each, a long tail, in sessions), N/400 movies (Zipf-like \
            popularity, rated only after they joined), N/23 tags and genome scores for the N/1809 \
            most popular movies x 1,128 tags; per-genre averages and the rating histogram as in \
            ml-25m. Figures next to ml-25m's: docs/generator.md. Below ~300,000 ratings the \
            catalogue (N/400 movies) is too small for ml-25m's shape.
            """)

    @Option(name: .long, help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "Number of rating rows.")
    var ratings: Int = 1_000_000

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard ratings >= 0 else { throw ValidationError("--ratings must be 0 or more") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let generator = MovieLensGenerator(ratings: ratings, seed: seed, threads: threads)
        let s: MovieLensGenerator.Summary
        do { s = try generator.write(to: out) } catch { fail(error.description) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print("wrote \(out): \(s.ratings) ratings, \(s.movies) movies, \(s.users) users, \(s.tags) tags, \(s.genomeScores) genome scores, \(s.genomeTags) genome tags in \(String(format: "%.2f", seconds)) s")
    }
}
