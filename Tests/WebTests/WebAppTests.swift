// The web app without a socket: hashes against the RFCs' vectors, the dashboard filters, and
// requests through `WebApp.handle` on the fixture warehouse built with the default project:
// sign-in, sessions, the reporter's limits, and SQL that tries to write or stack statements.

import Columnar
import Crypto
import Engine
import Foundation
import Synchronization
import Testing
import TestSupport
@testable import Web
import Pipeline

@Suite struct PasswordHashTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    func hmac(key: [UInt8], _ message: String) -> String {
        hex(Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key))))
    }

    @Test func sha256MatchesFIPSVectors() {
        #expect(hex(Array(SHA256.hash(data: [UInt8]()))) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Array(SHA256.hash(data: Array("abc".utf8)))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(Array(SHA256.hash(data: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(Array(SHA256.hash(data: [UInt8](repeating: 0x61, count: 1000)))) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func hmacMatchesRFC4231() {
        #expect(hmac(key: [UInt8](repeating: 0x0b, count: 20), "Hi There")
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(hmac(key: Array("Jefe".utf8), "what do ya want for nothing?")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(hmac(key: [UInt8](repeating: 0xaa, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First")
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func pbkdf2MatchesRFC7914() {
        #expect(hex(PasswordHash.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(hex(PasswordHash.pbkdf2(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 4096, length: 32))
                == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
    }

    @Test func storedHashesAreSaltedAndVerify() {
        let a = PasswordHash.make("correct horse", iterations: 50)
        let b = PasswordHash.make("correct horse", iterations: 50)
        #expect(a != b, "each hash has its own salt")
        #expect(a.hasPrefix("pbkdf2-sha256$50$"))
        #expect(!a.contains("correct"))
        #expect(PasswordHash.verify("correct horse", against: a))
        #expect(!PasswordHash.verify("correct horsf", against: a))
        #expect(!PasswordHash.verify("", against: a))
        #expect(!PasswordHash.verify("correct horse", against: "pbkdf2-sha256$50$bad"))
        #expect(!PasswordHash.verify("correct horse", against: ""))
        #expect(PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!PasswordHash.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!PasswordHash.constantTimeEqual([1, 2], [1, 2, 3]))
    }
}

@Suite struct DashboardFilterTests {
    @Test func parsesAndChecksEveryFilter() throws {
        let f = try DashboardFilter(query: ["genre": "Drama", "from": "1990", "to": "2005", "min": "30", "top": "7"])
        #expect(f == DashboardFilter(genre: "Drama", fromYear: 1990, toYear: 2005, minRatings: 30, top: 7))
        #expect(try DashboardFilter(query: [:]) == DashboardFilter())
        #expect(try DashboardFilter(query: ["genre": "", "from": ""]) == DashboardFilter())
        for bad in [["top": "0"], ["top": "101"], ["min": "-1"], ["from": "19x0"], ["to": "1e3"], ["limit": "5"], ["genre": "a\u{1}b"]] {
            #expect(throws: DashboardFilter.Invalid.self, "\(bad)") { try DashboardFilter(query: bad) }
        }
    }

    @Test func genreIsQuotedAsALiteral() throws {
        let f = DashboardFilter(genre: "Drama' OR 1=1 --")
        let sql = try #require(f.sql(for: "top_movies"))
        #expect(sql.contains("array_contains('Drama'' OR 1=1 --', m.genre_array)"))
        #expect(f.sql(for: "nope") == nil)
        for d in Dashboards.all { #expect(f.sql(for: d.id) != nil) }
    }
}

@Suite(.serialized) struct WebAppTests {
    /// The fixture warehouse with the default project built, and a reporter `ann`.
    static let warehouse: String = {
        let dir = TestEnvironment.temporaryDirectory("web")
        let db = dir + "/db"
        do {
            try Fixtures.copyWarehouse(Fixtures.warehouse, to: db)
            let engine = QueryEngine(warehouse: try Warehouse.open(db), threads: 2, policy: Role.transform.policy)
            let project = try ProjectLoader.load(.builtIn, vars: [("top_movies_min_ratings", .int(1))])
            for command in [PipelineCommand.seed, .run, .snapshot] {
                _ = try Runner(project: project, engine: engine, options: RunOptions(command: command)) { _ in }.run()
            }
            try UserStore(warehouse: db).add("ann", role: .reporter, password: "ann-password", iterations: 100)
            try UserStore(warehouse: db).add("tess", role: .transform, password: "tess-password", iterations: 100)
        } catch {
            fatalError("cannot build the web test warehouse: \(error)")
        }
        return db
    }()

    let app = WebApp(warehouse: WebAppTests.warehouse, threads: 1)

    func request(_ method: String, _ uri: String, json: String? = nil, form: String? = nil, cookie: String? = nil) -> WebResponse {
        var headers: [(String, String)] = []
        if json != nil { headers.append(("Content-Type", "application/json")) }
        if form != nil { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
        if let cookie { headers.append(("Cookie", "other=1; moviecol_session=\(cookie)")) }
        return app.handle(WebRequest(method: method, uri: uri, headers: headers, body: Array((json ?? form ?? "").utf8)))
    }

    func header(_ r: WebResponse, _ name: String) -> String? { r.headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    /// Signs in and returns the session cookie value.
    func signIn(_ user: String = "ann", _ password: String = "ann-password") throws -> String {
        let r = request("POST", "/api/login", json: #"{"user": "\#(user)", "password": "\#(password)"}"#)
        #expect(r.status == 200, "\(r.bodyText)")
        let cookie = try #require(header(r, "Set-Cookie"))
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
        return String(cookie.split(separator: ";")[0].split(separator: "=")[1])
    }

    @Test func withoutASessionNothingButTheSignInForm() {
        #expect(request("GET", "/api/dashboards/top_movies").status == 401)
        #expect(request("POST", "/api/query", json: #"{"sql": "select 1"}"#).status == 401)
        let page = request("GET", "/")
        #expect(page.status == 303 && header(page, "Location") == "/login")
        #expect(request("GET", "/tables").status == 303)
        #expect(request("GET", "/login").status == 200)
        #expect(request("GET", "/static/app.css").status == 200)
        #expect(request("GET", "/api/me", cookie: String(repeating: "0", count: 64)).status == 401)
        let csp = header(request("GET", "/login"), "Content-Security-Policy") ?? ""
        #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"))
    }

    @Test func wrongPasswordAndUnknownUserLookTheSame() {
        let wrong = request("POST", "/api/login", json: #"{"user": "ann", "password": "nope-nope"}"#)
        let unknown = request("POST", "/api/login", json: #"{"user": "bob", "password": "nope-nope"}"#)
        #expect(wrong.status == 401 && unknown.status == 401)
        #expect(wrong.bodyText == unknown.bodyText)
        #expect(header(wrong, "Set-Cookie") == nil)
        let form = request("POST", "/login", form: "user=ann&password=nope")
        #expect(form.status == 401 && form.bodyText.contains("Invalid user name or password."))
        let ok = request("POST", "/login", form: "user=ann&password=ann-password")
        #expect(ok.status == 303 && header(ok, "Location") == "/" && header(ok, "Set-Cookie") != nil)
    }

    @Test func dashboardsRunTheirFilteredQueries() throws {
        let cookie = try signIn()
        let r = request("GET", "/api/dashboards/user_activity?min=1&top=3", cookie: cookie)
        #expect(r.status == 200, "\(r.bodyText)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let rows = try #require(body["rows"] as? [[Any]])
        let engine = QueryEngine(warehouse: try Warehouse.open(Self.warehouse), threads: 1, policy: Role.reporter.policy)
        let (_, expected) = try engine.query("SELECT user_id FROM serving.mart_user_activity WHERE rating_count >= 1 ORDER BY rating_count DESC, user_id LIMIT 3")
        #expect(rows.map { ($0[0] as? Int) ?? -1 } == (0..<expected.count).map { Int(expected.columns[0].value(at: $0).description)! })
        for d in Dashboards.all {
            #expect(request("GET", "/api/dashboards/\(d.id)?genre=Drama&from=1990&to=2000&min=0&top=5", cookie: cookie).status == 200)
        }
        #expect(request("GET", "/api/dashboards/top_movies?top=1000", cookie: cookie).status == 400)
        #expect(request("GET", "/api/dashboards/raw_ratings", cookie: cookie).status == 404)
        let injected = request("GET", "/api/dashboards/top_movies?genre=Drama%27%20OR%201%3D1%20--", cookie: cookie)
        #expect(injected.status == 200 && injected.bodyText.contains("\"rows\": []"))
        #expect(request("GET", "/api/facts", cookie: cookie).status == 200)
        #expect(request("GET", "/", cookie: cookie).status == 200)
    }

    @Test func reporterQueriesStayInTheServingLayer() throws {
        let cookie = try signIn()
        func query(_ sql: String) -> WebResponse {
            request("POST", "/api/query", json: "{\"sql\": \(Value.jsonString(sql))}", cookie: cookie)
        }
        for object in ["raw.raw_ratings", "staging.src_ratings", "snapshots.snap_tags"] {
            let r = query("SELECT * FROM \(object)")
            #expect(r.status == 403 && r.bodyText.contains(object), "\(object): \(r.bodyText)")
        }
        let tables = request("GET", "/api/tables", cookie: cookie)
        #expect(tables.status == 200 && tables.bodyText.contains("mart_top_movies") && !tables.bodyText.contains("raw_ratings"))
        #expect(query("SELECT 1; DROP TABLE serving.dim_movies").status == 400)
        #expect(query("DROP TABLE serving.dim_movies").status == 403)
        #expect(query("CREATE TABLE serving.x AS SELECT 1 AS a").status == 403)
        #expect(query("INSERT INTO serving.dim_users SELECT 1").status == 403)
        for files in ["SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM '/etc/passwd'", "COPY serving.dim_movies TO 'dim_movies.csv'"] {
            let r = query(files)
            #expect(r.status == 403 && r.bodyText.contains("may not read or write files"), "\(files): \(r.bodyText)")
        }
        let ok = query("SELECT genre, rating_count FROM serving.mart_genre_ratings ORDER BY genre LIMIT 2")
        #expect(ok.status == 200 && ok.bodyText.contains("\"row_count\": 2"), "\(ok.bodyText)")
        #expect(request("POST", "/api/query", form: "sql=select+1", cookie: cookie).status == 415, "no cross-site form posts")
        #expect(request("GET", "/api/query?sql=select+1", cookie: cookie).status == 405)
        // The transform role reads staging, still through the same read-only door.
        let tess = try signIn("tess", "tess-password")
        #expect(request("POST", "/api/query", json: #"{"sql": "SELECT count(*) FROM staging.src_ratings"}"#, cookie: tess).status == 200)
        #expect(request("POST", "/api/query", json: #"{"sql": "SELECT * FROM read_csv('/etc/passwd')"}"#, cookie: tess).status == 403,
                "no role reads the server's files through the web app")
        #expect(request("POST", "/api/query", json: #"{"sql": "DROP TABLE staging.src_ratings"}"#, cookie: tess).status == 403)
    }

    @Test func resultsAreCappedAndSessionsEnd() throws {
        let capped = WebApp(warehouse: Self.warehouse, maxRows: 2, threads: 1)
        let cookie = try signIn()
        // Sessions live in the app's store; a second app does not know the first one's cookies.
        let other = capped.handle(WebRequest(method: "GET", uri: "/api/me", headers: [("Cookie", "moviecol_session=\(cookie)")]))
        #expect(other.status == 401)
        let r = request("POST", "/logout", cookie: cookie)
        #expect(r.status == 303 && (header(r, "Set-Cookie") ?? "").contains("Max-Age=0"))
        #expect(request("GET", "/api/me", cookie: cookie).status == 401)

        let store = SessionStore()
        let sessionApp = WebApp(warehouse: Self.warehouse, sessions: store, maxRows: 2, threads: 1)
        let login = sessionApp.handle(WebRequest(method: "POST", uri: "/api/login", headers: [("Content-Type", "application/json")],
                                                 body: Array(#"{"user": "ann", "password": "ann-password"}"#.utf8)))
        let token = String((header(login, "Set-Cookie") ?? "").split(separator: ";")[0].split(separator: "=")[1])
        let q = sessionApp.handle(WebRequest(method: "POST", uri: "/api/query", headers: [("Content-Type", "application/json"), ("Cookie", "moviecol_session=\(token)")],
                                             body: Array(#"{"sql": "SELECT user_id FROM serving.dim_users"}"#.utf8)))
        #expect(q.status == 200 && q.bodyText.contains("\"truncated\": true") && q.bodyText.contains("\"row_count\": 2"))
    }

    @Test func aNewPasswordEndsOldSessions() throws {
        let users = UserStore(warehouse: Self.warehouse)
        try users.add("pat", role: .reporter, password: "pat-password-1", iterations: 100)
        let cookie = try signIn("pat", "pat-password-1")
        #expect(request("GET", "/api/me", cookie: cookie).status == 200)
        try users.add("pat", role: .reporter, password: "pat-password-2", replace: true, iterations: 100)
        #expect(request("GET", "/api/me", cookie: cookie).status == 401)
        let again = try signIn("pat", "pat-password-2")
        #expect(request("GET", "/api/me", cookie: again).status == 200)
        try users.remove("pat")
        #expect(request("GET", "/api/me", cookie: again).status == 401)
    }
}

@Suite struct QueryContextTests {
    @Test func aTimeLimitOrACancelStopsTheQuery() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1)
        engine.limits = QueryContext.Limits(time: 0)
        #expect { _ = try engine.query("SELECT count(*) FROM raw.raw_ratings") } throws: { error in
            (error as? SQLError)?.code == .cancelled && (error as? SQLError)?.reason == .timeLimit
        }
        #expect(WebApp.status(of: SQLError(.cancelled, "stopped", reason: .timeLimit)) == 503)
        engine.limits = QueryContext.Limits()
        let context = engine.makeContext()
        context.cancel()
        let statement = try engine.statements("SELECT count(*) FROM raw.raw_ratings")[0]
        #expect { _ = try engine.run(statement, context: context).all() } throws: { error in
            (error as? SQLError)?.code == .cancelled && (error as? SQLError)?.reason == nil
        }
        engine.limits = QueryContext.Limits(time: 60)
        #expect(try engine.query("SELECT count(*) FROM raw.raw_ratings").rows.count == 1)
    }

    /// The bytes a query's operators hold are counted; past the limit the query stops with
    /// a limit error, under it the same query answers.
    @Test func aMemoryLimitStopsAQueryThatHoldsTooMuch() throws {
        let engine = QueryEngine(warehouse: try Warehouse.open(Fixtures.warehouse), threads: 1)
        let sql = "SELECT userId, movieId FROM raw.raw_ratings ORDER BY timestamp"
        let context = engine.makeContext()
        _ = try engine.run(try engine.statements(sql)[0], context: context).all()
        #expect(context.peakMemory > 0)
        engine.limits = QueryContext.Limits(memoryBytes: 64)
        #expect { _ = try engine.query(sql) } throws: { error in
            (error as? SQLError)?.code == .limit && (error as? SQLError)?.reason == .memory
        }
    }

    /// Storage errors keep their cause: a lock held by another writer is a 503, not a 500.
    @Test func storageErrorsKeepTheirCause() {
        let locked = SQLError(StorageError(.locked, "held by another writer"))
        #expect(locked.code == .storage && locked.storage?.code == .locked)
        #expect(WebApp.status(of: locked) == 503)
        #expect(WebApp.status(of: SQLError(StorageError(.checksumMismatch, "bad block", path: "x.dat"))) == 500)
    }
}

@Suite struct UserStoreConcurrencyTests {
    /// Ten concurrent adds keep ten users: each read-modify-write holds the store's lock.
    @Test func concurrentAddsKeepEveryUser() throws {
        let dir = TestEnvironment.temporaryDirectory("users")
        defer { TestEnvironment.remove(dir) }
        try Fixtures.copyWarehouse(Fixtures.warehouse, to: dir + "/db")
        let store = UserStore(warehouse: dir + "/db")
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 10) { i in
            do { try store.add("user\(i)", role: .reporter, password: "password-\(i)", iterations: 10) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try store.users().map(\.name).sorted() == (0..<10).map { "user\($0)" }.sorted())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir + "/db").filter { $0.contains(".tmp") }
        #expect(leftovers == [])
    }
}
