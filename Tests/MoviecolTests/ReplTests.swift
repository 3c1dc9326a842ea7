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

    /// Ctrl-C typed while a query runs stops that query; the session goes on. The keys reach the
    /// terminal through a FIFO, so that ^C arrives while the query runs (the terminal then
    /// turns it into SIGINT), not before.
    @Test func ctrlCCancelsTheQueryNotTheSession() throws {
        let dir = TestEnvironment.temporaryDirectory("repl-cancel")
        defer { TestEnvironment.remove(dir) }
        try TestEnvironment.moviecol(["ingest", Fixtures.sqlDirectory + "/data", "--db", dir + "/db"])
        let fifo = dir + "/keys"
        #expect(mkfifo(fifo, 0o600) == 0)
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "script -qfec '\(TestEnvironment.binary) query --db \(dir)/db' /dev/null < \(fifo) > \(dir)/out.txt 2>&1"]
        shell.environment = ProcessInfo.processInfo.environment.merging(["HOME": dir]) { $1 }
        try shell.run()
        let keys = try #require(FileHandle(forWritingAtPath: fifo))
        // 20^7 = 1.28 billion joined rows: a minute in a release build, far more in debug.
        let slow = "SELECT count(*) FROM raw_ratings a CROSS JOIN raw_ratings b CROSS JOIN raw_ratings c "
            + "CROSS JOIN raw_ratings d CROSS JOIN raw_ratings e CROSS JOIN raw_ratings f CROSS JOIN raw_ratings g;\n"
        keys.write(Data(slow.utf8))
        Thread.sleep(forTimeInterval: 2)
        let start = Date()
        keys.write(Data([0x03]))
        Thread.sleep(forTimeInterval: 1)
        keys.write(Data("SELECT 'still here' AS after;\n.quit\n".utf8))
        try keys.close()
        let deadline = Date().addingTimeInterval(60)
        while shell.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let finished = !shell.isRunning
        if !finished { shell.terminate() }
        let text = ((try? String(contentsOfFile: dir + "/out.txt", encoding: .utf8)) ?? "").replacingOccurrences(of: "\r", with: "")
        #expect(finished, "the session did not end: \(text)")
        #expect(text.contains("query cancelled"), "no cancellation in: \(text)")
        #expect(text.contains("still here"), "the session did not go on: \(text)")
        #expect(Date().timeIntervalSince(start) < 30)
    }
}
