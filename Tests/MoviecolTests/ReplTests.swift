// The REPL as a person uses it: through a pseudo-terminal (util-linux `script`), typing a
// multi-line query, switching to CSV, turning the timer on, making a syntax error, quitting.

import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct ReplTests {
    @Test func interactiveSession() throws {
        let dir = TestEnvironment.temporaryDirectory("repl")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["ingest", Fixtures.sqlDirectory + "/data", "--db", dir + "/db"])
        let session = """
            SELECT movieId, title
              FROM raw_movies
             WHERE movieId <= 2
             ORDER BY movieId;
            .mode csv
            .timer on
            SELECT count(*) AS n FROM raw_ratings;
            SELEC 1;
            .tables
            SELECT 40 + 2 AS answer;
            \u{1B}[A
            SELECT 'fresh' AS line;
            .quit

            """
        TestEnvironment.write(session, to: dir + "/input.txt")
        // `script` gives the command a terminal; its input comes from the file.
        let out = try TestEnvironment.run("/bin/sh", ["-c",
            "script -qfec '\(TestEnvironment.binary) query --db \(dir)/db' /dev/null < \(dir)/input.txt"],
            environment: ["HOME": dir])
        let text = out.stdout.replacingOccurrences(of: "\r", with: "")
        #expect(text.contains("moviecol>"), "no prompt in: \(text)")
        #expect(text.contains("...>"), "no continuation prompt for the multi-line query")
        #expect(text.contains("Toy Story (1995)") && text.contains("Jumanji (1995)"))
        #expect(text.contains("n\n20\n"), "CSV output missing in: \(text)")
        #expect(text.contains("Run Time:"))
        #expect(text.contains("Parser Error"))
        #expect(text.contains("^"))
        #expect(text.contains("raw.raw_ratings"))
        // Up-arrow recalled the previous statement, which ran again: its answer twice.
        #expect(text.components(separatedBy: "42\n").count - 1 == 2, "history recall missing in: \(text)")
        #expect(text.contains("fresh"))
        let history = (try? String(contentsOfFile: dir + "/.moviecol_history", encoding: .utf8)) ?? ""
        #expect(history.contains("SELECT 40 + 2 AS answer;"))
    }
}
