// Files through `moviecol query`: COPY to a file and back, read_csv and FROM 'file.csv' for a
// role that may touch files, and a permission error for the reporter, whatever the statement.

import Foundation
import Testing
import TestSupport

@Suite struct FileAccessTests {
    @Test func copyRoundTripsAndTheReporterIsRefused() throws {
        let dir = TestEnvironment.temporaryDirectory("files")
        defer { TestEnvironment.remove(dir) }
        let db = dir + "/db"  // does not exist yet: query creates an empty warehouse
        let setup = try TestEnvironment.moviecol(["query", "--db", db, "-c", """
            CREATE TABLE serving.t (id INTEGER NOT NULL, name VARCHAR, day DATE);
            INSERT INTO serving.t VALUES (1, 'a, "quoted"', '2024-01-02'), (2, NULL, NULL);
            COPY serving.t TO '\(dir)/t.csv' (HEADER);
            CREATE TABLE serving.u (id INTEGER NOT NULL, name VARCHAR, day DATE);
            COPY serving.u FROM '\(dir)/t.csv';
            """])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(try String(contentsOfFile: dir + "/t.csv", encoding: .utf8) == "id,name,day\n1,\"a, \"\"quoted\"\"\",2024-01-02\n2,,\n")
        let back = try TestEnvironment.moviecol(["query", "--db", db, "--format", "csv", "-c",
                                                 "SELECT count(*), max(name), max(day) FROM serving.u; SELECT count(*) FROM '\(dir)/t.csv'"])
        #expect(back.stdout == "count_star(),max(name),max(day)\n2,\"a, \"\"quoted\"\"\",2024-01-02\ncount_star()\n2\n", "\(back.stdout)\(back.stderr)")

        for sql in ["SELECT * FROM read_csv('\(dir)/t.csv')", "SELECT * FROM '\(dir)/t.csv'",
                    "COPY serving.t TO '\(dir)/out.csv'", "COPY serving.u FROM '\(dir)/t.csv'"] {
            let r = try TestEnvironment.moviecol(["query", "--db", db, "--role", "reporter", "-c", sql])
            #expect(r.status != 0 && r.stderr.contains("Permission Error") && r.stderr.contains("may not read or write files"), "\(sql): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
        // A reporter session cannot take a role that may touch files.
        let escape = try TestEnvironment.moviecol(["query", "--db", db, "--role", "reporter", "-c",
                                                   "USE ROLE transform; COPY serving.t TO '\(dir)/out.csv'"])
        #expect(escape.status != 0 && escape.stderr.contains("may not take role transform"), "\(escape.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.csv"))
        // A failed COPY FROM leaves the table as it was.
        TestEnvironment.write("id,name,day\n3,c,2024-01-01\n4,d,not a date\n", to: dir + "/bad.csv")
        let bad = try TestEnvironment.moviecol(["query", "--db", db, "-c", "COPY serving.u FROM '\(dir)/bad.csv'"])
        #expect(bad.status != 0 && bad.stderr.contains("bad.csv:3:") && bad.stderr.contains("expected a date"), "\(bad.stderr)")
        let count = try TestEnvironment.moviecol(["query", "--db", db, "--format", "csv", "-c", "SELECT count(*) FROM serving.u"])
        #expect(count.stdout == "count_star()\n2\n")
    }

    /// Other delimiters: COPY TO writes them (quoting fields that hold one), COPY FROM and
    /// read_csv take them when told and find them when not.
    @Test func delimitersRoundTrip() throws {
        let dir = TestEnvironment.temporaryDirectory("delimiters")
        defer { TestEnvironment.remove(dir) }
        let db = dir + "/wh"
        let setup = try TestEnvironment.moviecol(["query", "--db", db, "-c", """
            CREATE TABLE serving.t (id INTEGER, name VARCHAR, score DOUBLE);
            INSERT INTO serving.t VALUES (1, 'a|b', 1.5), (2, 'tab\there', -2.25), (3, NULL, NULL);
            COPY serving.t TO '\(dir)/pipe.csv' (HEADER, DELIMITER '|');
            COPY serving.t TO '\(dir)/tab.tsv' (DELIMITER '\\t');
            CREATE TABLE serving.u (id INTEGER, name VARCHAR, score DOUBLE);
            COPY serving.u FROM '\(dir)/pipe.csv';
            COPY serving.u FROM '\(dir)/tab.tsv' (DELIMITER '\t');
            """])
        #expect(setup.status == 0, "\(setup.stderr)")
        #expect(try String(contentsOfFile: dir + "/pipe.csv", encoding: .utf8) == "id|name|score\n1|\"a|b\"|1.5\n2|tab\there|-2.25\n3||\n")
        #expect(try String(contentsOfFile: dir + "/tab.tsv", encoding: .utf8) == "id\tname\tscore\n1\ta|b\t1.5\n2\t\"tab\there\"\t-2.25\n3\t\t\n")
        let back = try TestEnvironment.moviecol(["query", "--db", db, "--format", "csv", "-c", """
            SELECT count(*), count(name), sum(score) FROM serving.u;
            SELECT name FROM read_csv('\(dir)/tab.tsv') ORDER BY id LIMIT 2;
            SELECT sum(score) FROM read_csv('\(dir)/pipe.csv', delim = '|', header = true)
            """])
        #expect(back.stdout == "count_star(),count(name),sum(score)\n6,4,-1.5\nname\na|b\ntab\there\nsum(score)\n-0.75\n",
                "\(back.stdout)\(back.stderr)")
        for (sql, expected) in [("SELECT * FROM read_csv('\(dir)/pipe.csv', delim = 'ab')", "the delimiter must be one ASCII character"),
                                ("COPY serving.t TO '\(dir)/x.csv' (DELIMITER '7')", "the delimiter must be one ASCII character")] {
            let r = try TestEnvironment.moviecol(["query", "--db", db, "-c", sql])
            #expect(r.status != 0 && r.stderr.contains(expected), "\(sql): \(r.stderr)")
        }
    }
}
