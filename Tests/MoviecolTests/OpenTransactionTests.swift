// Input that ends between BEGIN and COMMIT keeps nothing of the transaction, and says so.

import Testing
import TestSupport

@Suite struct OpenTransactionTests {
    @Test func inputEndingInATransactionWarnsAndKeepsNothing() throws {
        let dir = TestEnvironment.temporaryDirectory("open-transaction")
        defer { TestEnvironment.remove(dir) }
        let db = dir + "/db"
        try TestEnvironment.moviecol(["query", "--db", db, "-c", "CREATE TABLE t AS SELECT 1 AS a"])
        let open = try TestEnvironment.moviecol(["query", "--db", db, "-c", "BEGIN; INSERT INTO t VALUES (2);"])
        #expect(open.status == 0)
        #expect(open.stderr.contains("ended inside a transaction"))
        let count = try TestEnvironment.moviecol(["query", "--db", db, "--format", "csv", "-c", "SELECT count(*) FROM t"])
        #expect(count.stdout.contains("\n1\n"))
        let committed = try TestEnvironment.moviecol(["query", "--db", db, "-c", "BEGIN; INSERT INTO t VALUES (3); COMMIT;"])
        #expect(!committed.stderr.contains("transaction"))
    }
}
