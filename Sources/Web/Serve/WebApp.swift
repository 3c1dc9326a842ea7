// The web app of `moviecol serve`: sign-in, the five dashboards live from the warehouse, the
// serving tables and an ad-hoc SQL box, all behind one JSON API. Every data request runs on
// the engine under the signed-in user's role, so the access rules are the engine's own: a
// reporter reaches the granted serving objects and nothing else, whatever the path or SQL.
// `handle` blocks (slow password hashes, queries): the server calls it on worker threads.

import Pipeline
import Columnar
import Engine
import Foundation

package final class WebApp: Sendable {
    package let warehouse: String
    let users: UserStore
    let sessions: SessionStore
    let throttle: SignInThrottle
    /// Served over TLS: cookies get the `Secure` flag (never sent over plain HTTP).
    let secureCookies: Bool
    /// Seconds one query may run before it is stopped.
    let queryTimeLimit: Double
    /// Rows `/api/query` returns at most (the rest is reported as truncated).
    let maxRows: Int
    /// Rows the joins of one query may produce together.
    let joinRowLimit: Int
    /// Bytes one query may hold (every signed-in user's queries get this budget).
    let memoryLimit: Int
    let threads: Int

    static let cookieName = "moviecol_session"
    static let maxQueryLength = 100_000

    package init(warehouse: String, sessions: SessionStore = SessionStore(), queryTimeLimit: Double = 30,
                maxRows: Int = 10_000, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                joinRowLimit: Int = 250_000_000, memoryLimit: Int = 2 << 30, throttle: SignInThrottle = SignInThrottle(),
                secureCookies: Bool = false) {
        self.memoryLimit = memoryLimit
        self.throttle = throttle
        self.secureCookies = secureCookies
        self.joinRowLimit = joinRowLimit
        self.warehouse = warehouse
        users = UserStore(warehouse: warehouse)
        self.sessions = sessions
        self.queryTimeLimit = queryTimeLimit
        self.maxRows = maxRows
        self.threads = max(1, threads)
    }

    /// The response to `request`, with the security headers every response carries.
    package func handle(_ request: WebRequest) -> WebResponse {
        var response = route(request)
        response.headers += [
            ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
                + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "no-referrer"),
        ]
        return response
    }

    private func route(_ r: WebRequest) -> WebResponse {
        let api = r.path.hasPrefix("/api/")
        // Assets and the sign-in form are public: they carry no data.
        switch (r.method, r.path) {
        case ("GET", "/static/app.css"): return asset(WebPages.css, type: "text/css")
        case ("GET", "/static/dashboards.js"): return asset(WebPages.dashboardsScript, type: "text/javascript")
        case ("GET", "/static/tables.js"): return asset(WebPages.tablesScript, type: "text/javascript")
        case ("GET", "/login"): return .html(200, WebPages.login(message: nil))
        case ("POST", "/login"): return formLogin(r)
        case ("POST", "/api/login"): return apiLogin(r)
        case ("POST", "/logout"), ("POST", "/api/logout"):
            if let token = r.cookies[Self.cookieName] { sessions.close(token) }
            var response: WebResponse = api ? .json(200, "{\"signed_out\": true}") : .redirect("/login")
            response.headers.append(("Set-Cookie", "\(Self.cookieName)=; Path=/; HttpOnly; SameSite=Strict\(secureCookies ? "; Secure" : ""); Max-Age=0"))
            return response
        default: break
        }

        guard let (user, role) = signedIn(r) else {
            return api ? .error(401, "sign in first: POST /api/login or open /login") : .redirect("/login")
        }
        switch (r.method, r.path) {
        case ("GET", "/"): return .html(200, WebPages.dashboards(user: user, role: role))
        case ("GET", "/tables"): return .html(200, WebPages.tables(user: user, role: role))
        case ("GET", "/api/me"): return .json(200, "{\"user\": \(Value.jsonString(user)), \"role\": \(Value.jsonString(role.rawValue))}")
        case ("GET", "/api/facts"): return facts(role)
        case ("GET", "/api/dashboards"):
            let list = Dashboards.all.map {
                "{\"id\": \(Value.jsonString($0.id)), \"title\": \(Value.jsonString($0.title)), \"mart\": \(Value.jsonString($0.mart))}"
            }
            return .json(200, "[" + list.joined(separator: ",\n") + "]")
        case ("GET", let path) where path.hasPrefix("/api/dashboards/"):
            return dashboard(String(path.dropFirst("/api/dashboards/".count)), query: r.query, role: role)
        case ("GET", "/api/tables"): return tables(role)
        case ("POST", "/api/query"): return adHocQuery(r, role: role)
        case (_, "/"), (_, "/tables"), (_, "/api/me"), (_, "/api/facts"), (_, "/api/dashboards"), (_, "/api/tables"), (_, "/api/query"):
            return api ? .error(405, "\(r.method) is not allowed on \(r.path)") : .html(405, WebPages.message("Method not allowed"))
        default:
            return api ? .error(404, "no such endpoint: \(r.path)") : .html(404, WebPages.message("Not found: \(r.path)"))
        }
    }

    // MARK: Signing in

    /// The signed-in user and their current role. The user must still exist with the password
    /// the session began with: removing a user, or changing their role or password, takes
    /// effect on their next request.
    private func signedIn(_ r: WebRequest) -> (String, Role)? {
        guard let token = r.cookies[Self.cookieName], let session = sessions.session(token) else { return nil }
        guard let user = try? users.user(session.user), let role = Role(rawValue: user.role), UserStore.webRoles.contains(role),
              session.credential == Self.credential(user) else {
            sessions.close(token)
            return nil
        }
        return (user.name, role)
    }

    private enum SignIn {
        case success(WebUser)
        case failure(WebResponse)
    }

    /// Checks the credentials; one slow hash whether or not the user exists.
    private func authenticate(_ name: String, _ password: String, client: String) -> SignIn {
        let wait = throttle.wait(client: client, user: name)
        if wait > 0 {
            let seconds = Int(wait.rounded(.up))
            var response = WebResponse.error(429, "too many failed sign-ins; try again in \(seconds) s")
            response.headers.append(("Retry-After", String(seconds)))
            return .failure(response)
        }
        do {
            guard let user = try users.authenticate(name, password: password), let role = Role(rawValue: user.role),
                  UserStore.webRoles.contains(role)
            else {
                throttle.record(client: client, user: name, succeeded: false)
                return .failure(WebResponse.error(401, "invalid user name or password"))
            }
            throttle.record(client: client, user: name, succeeded: true)
            return .success(user)
        } catch {
            return .failure(WebResponse.error(500, error.description))
        }
    }

    /// Identifies the user's current password record without keeping it in the session.
    static func credential(_ user: WebUser) -> String { SessionStore.digest(user.password) }

    private func sessionCookie(for user: WebUser) -> (String, String) {
        let token = sessions.open(user: user.name, role: Role(rawValue: user.role) ?? .reporter, credential: Self.credential(user))
        return ("Set-Cookie", "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict\(secureCookies ? "; Secure" : ""); Max-Age=\(Int(sessions.idleTimeout))")
    }

    private func formLogin(_ r: WebRequest) -> WebResponse {
        guard r.contentType == "application/x-www-form-urlencoded" else { return .html(415, WebPages.login(message: "Send the sign-in form.")) }
        let fields = WebRequest.formFields(String(decoding: r.body, as: UTF8.self))
        switch authenticate(fields["user"] ?? "", fields["password"] ?? "", client: r.client) {
        case .success(let user):
            var response = WebResponse.redirect("/")
            response.headers.append(sessionCookie(for: user))
            return response
        case .failure(let failure):
            let retry = failure.headers.first { $0.0 == "Retry-After" }
            let message = failure.status == 401 ? "Invalid user name or password."
                : retry.map { "Too many failed sign-ins; try again in \($0.1) s." } ?? failure.bodyText
            var page = WebResponse.html(failure.status, WebPages.login(message: message))
            page.headers += retry.map { [$0] } ?? []
            return page
        }
    }

    private func apiLogin(_ r: WebRequest) -> WebResponse {
        guard r.contentType == "application/json" else { return .error(415, "send JSON: {\"user\": ..., \"password\": ...}") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
              let name = object["user"] as? String, let password = object["password"] as? String
        else { return .error(400, "send JSON: {\"user\": ..., \"password\": ...}") }
        switch authenticate(name, password, client: r.client) {
        case .success(let user):
            var response = WebResponse.json(200, "{\"user\": \(Value.jsonString(user.name)), \"role\": \(Value.jsonString(user.role))}")
            response.headers.append(sessionCookie(for: user))
            return response
        case .failure(let failure):
            return failure
        }
    }

    // MARK: Data

    /// An engine over the warehouse's current version, with the role's access rules and a
    /// time limit for this request.
    private func engine(_ role: Role) throws(SQLError) -> QueryEngine {
        let opened: Warehouse
        do { opened = try Warehouse.open(warehouse) } catch { throw SQLError(error) }
        // The server's files are not a web user's: no role reads or writes them from here.
        var policy = role.policy
        policy.filesAllowed = false
        let engine = QueryEngine(warehouse: opened, threads: threads, policy: policy)
        engine.writerName = "moviecol serve"
        engine.limits = QueryContext.Limits(time: queryTimeLimit, joinRows: joinRowLimit, memoryBytes: memoryLimit)
        return engine
    }

    /// The HTTP status of a failed request, by the error's code: a query stopped at its time
    /// limit or a warehouse locked by a writer is "try again" (503), a broken file or engine
    /// bug 500, a refused name 403, the rest the request's own fault (400).
    static func status(of error: SQLError) -> Int {
        switch error.code {
        case .permission: return 403
        case .cancelled: return 503
        case .storage: return error.storage?.code == .locked ? 503 : 500
        case .internal: return 500
        default: return 400
        }
    }

    private func facts(_ role: Role) -> WebResponse {
        do {
            let facts = try DashboardData.facts(try engine(role))
            return .json(200, "{\"facts\": \(DashboardData.json(facts: facts))}")
        } catch {
            return .error(Self.status(of: error), error.description)
        }
    }

    private func dashboard(_ id: String, query: [String: String], role: Role) -> WebResponse {
        guard let board = Dashboards.all.first(where: { $0.id == id }) else {
            return .error(404, "no dashboard '\(id.prefix(60))'; the dashboards are \(Dashboards.all.map(\.id).joined(separator: ", "))")
        }
        let filter: DashboardFilter
        do { filter = try DashboardFilter(query: query) } catch { return .error(400, error.description) }
        let sql = filter.sql(for: id)!
        do {
            let start = DispatchTime.now().uptimeNanoseconds
            let engine = try engine(role)
            let (columns, chunk) = try engine.query(sql)
            let rows = (0..<chunk.count).map { r in chunk.columns.map { $0.value(at: r) } }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            // No rows can mean "nothing matches the filter" or "the data set has none": the page
            // says "not available" only for the second.
            let martRows = (try? engine.catalog.resolve(board.mart))?.rowCount ?? 0
            let note = try DashboardData.note(board, engine)
            var text = DashboardData.json(DashboardRows(dashboard: board, columns: columns.map(\.name), rows: rows, note: note))
            text.removeLast()  // the closing brace: add what ran and how long it took
            text += ", \"mart_empty\": \(martRows == 0), \"sql\": \(Value.jsonString(sql)), \"elapsed_ms\": \(String(format: "%.1f", elapsed))}"
            return .json(200, text)
        } catch {
            return .error(Self.status(of: error), error.description)
        }
    }

    private func tables(_ role: Role) -> WebResponse {
        do {
            let engine = try engine(role)
            let (_, t) = try engine.query("SELECT table_schema, table_name, table_type, row_count, comment FROM information_schema.tables ORDER BY 1, 2")
            let (_, c) = try engine.query("""
                SELECT table_schema, table_name, column_name, data_type, comment FROM information_schema.columns
                ORDER BY table_schema, table_name, ordinal_position
                """)
            var columns: [String: [String]] = [:]
            for r in 0..<c.count {
                let key = c.columns[0].value(at: r).description + "." + c.columns[1].value(at: r).description
                columns[key, default: []].append("{\"name\": \(c.columns[2].value(at: r).jsonText), "
                    + "\"type\": \(c.columns[3].value(at: r).jsonText), \"comment\": \(c.columns[4].value(at: r).jsonText)}")
            }
            var out: [String] = []
            for r in 0..<t.count {
                let key = t.columns[0].value(at: r).description + "." + t.columns[1].value(at: r).description
                out.append("{\"schema\": \(t.columns[0].value(at: r).jsonText), \"name\": \(t.columns[1].value(at: r).jsonText), "
                    + "\"type\": \(t.columns[2].value(at: r).jsonText), \"rows\": \(t.columns[3].value(at: r).jsonText), "
                    + "\"comment\": \(t.columns[4].value(at: r).jsonText), \"columns\": [\((columns[key] ?? []).joined(separator: ", "))]}")
            }
            return .json(200, "[" + out.joined(separator: ",\n") + "]")
        } catch {
            return .error(Self.status(of: error), error.description)
        }
    }

    /// One read-only statement from the SQL box. Only a single SELECT (or EXPLAIN [ANALYZE] of one)
    /// is run; anything else is refused before it reaches the engine, and the engine's
    /// access rules refuse what the role may not read.
    private func adHocQuery(_ r: WebRequest, role: Role) -> WebResponse {
        // JSON only: a cross-site form cannot send it, so a page elsewhere cannot run queries
        // with the user's cookie.
        guard r.contentType == "application/json" else { return .error(415, "send JSON: {\"sql\": \"SELECT ...\"}") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any], let sql = object["sql"] as? String else {
            return .error(400, "send JSON: {\"sql\": \"SELECT ...\"}")
        }
        guard sql.utf8.count <= Self.maxQueryLength else { return .error(413, "the query is longer than \(Self.maxQueryLength) bytes") }
        do {
            let engine = try engine(role)
            let statements = try engine.statements(sql)
            guard statements.count == 1, let statement = statements.first else {
                return .error(400, statements.isEmpty ? "no statement" : "one statement per request: found \(statements.count); stacked statements are refused")
            }
            switch statement {
            case .select, .explain, .describe: break
            case .copyTo, .copyFrom:
                try engine.policy.checkFiles()
                return .error(403, "only SELECT, EXPLAIN, SHOW and DESCRIBE are allowed here")
            case .createTable, .createEmptyTable, .cloneTable, .undrop, .createView, .insert, .drop, .delete, .update, .merge, .truncate, .transaction, .createSchema, .dropSchema, .use, .alterTable, .createIndex, .dropIndex:
                return .error(403, "only SELECT, EXPLAIN, SHOW and DESCRIBE are allowed here: the web app never writes to the warehouse")
            }
            let start = DispatchTime.now().uptimeNanoseconds
            let cursor = try engine.run(statement)
            var rows: [String] = []
            var truncated = false
            reading: while let chunk = try cursor.next() {
                for i in 0..<chunk.count {
                    if rows.count == maxRows { truncated = true; break reading }
                    rows.append("[" + chunk.columns.map { $0.value(at: i).jsonText }.joined(separator: ",") + "]")
                }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let columns = cursor.columns.map { "{\"name\": \(Value.jsonString($0.name)), \"type\": \(Value.jsonString($0.type.description))}" }
            return .json(200, """
                {"columns": [\(columns.joined(separator: ", "))], "row_count": \(rows.count), "truncated": \(truncated), \
                "elapsed_ms": \(String(format: "%.1f", elapsed)), "rows": [\(rows.joined(separator: ",\n"))]}
                """)
        } catch {
            return .error(Self.status(of: error), error.render(in: sql))
        }
    }

    private func asset(_ text: String, type: String) -> WebResponse {
        WebResponse(status: 200, headers: [("Content-Type", type + "; charset=utf-8"), ("Cache-Control", "no-cache")], body: Array(text.utf8))
    }
}
