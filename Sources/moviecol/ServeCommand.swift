// `moviecol serve` and `moviecol user`: the dashboards as a live, sign-in protected web app,
// and the accounts that may use it.

import Web
import ArgumentParser
import NIOSSL
import Columnar
import Foundation
import NIOCore
import Pipeline
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the five dashboards live, with a table list and a SQL box, to signed-in users (see `moviecol user add`).",
        discussion: """
            Every filter change and every query runs on the engine under the user's role: a reporter \
            reads the granted serving-layer objects and nothing else. Listens on 127.0.0.1 unless \
            --host says otherwise; SIGINT or SIGTERM stops it after the requests in flight.
            """)

    @OptionGroup var warehouse: WarehouseOptions

    @Option(name: .long, help: ArgumentHelp("Address to listen on (default 127.0.0.1: this machine only).", valueName: "address"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("Port (0 picks a free one and prints it).", valueName: "port"))
    var port = 8080

    @Option(name: .long, help: ArgumentHelp("Requests handled at once (default: the number of cores).", valueName: "n"))
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Seconds a query may run before it is stopped.", valueName: "seconds"))
    var queryTimeLimit: Double = 30

    @Option(name: .long, help: ArgumentHelp("Rows the joins of one query may produce together before it is stopped.", valueName: "rows"))
    var joinRowLimit = 250_000_000

    @Option(name: .long, help: ArgumentHelp("Memory one query of a signed-in user may hold, e.g. 2GB (default 2GiB).", valueName: "size"))
    var memoryLimit = "2GiB"

    @Option(name: .long, help: ArgumentHelp("Seconds a client has to send a whole request (slow or silent clients are disconnected).", valueName: "seconds"))
    var requestTimeout: Double = 10

    @Option(name: .long, help: ArgumentHelp("Connections open at once; past it a new one replaces the longest-idle, or gets 503 when all are busy.", valueName: "n"))
    var maxConnections = 1024

    @Option(name: .long, help: ArgumentHelp("Serve HTTPS with this PEM certificate (chain); needs --tls-key. Cookies get the Secure flag.", valueName: "file"))
    var tlsCert: String?

    @Option(name: .long, help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    func validate() throws {
        guard queryTimeLimit > 0, !queryTimeLimit.isNaN else { throw ValidationError("--query-time-limit must be a positive number of seconds") }
        guard joinRowLimit > 0 else { throw ValidationError("--join-row-limit must be positive") }
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard requestTimeout > 0, !requestTimeout.isNaN else { throw ValidationError("--request-timeout must be a positive number of seconds") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard ByteCount.parse(memoryLimit) != nil else { throw ValidationError("--memory-limit: '\(memoryLimit)' is not a size (2GB, 512MiB, bytes)") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
    }

    func run() async throws {
        let root = warehouse.path
        do { _ = try Warehouse.open(root) } catch { fail(error.description) }
        let users: [WebUser]
        do { users = try UserStore(warehouse: root).users() } catch { fail(error.description) }
        var tls: NIOSSLContext? = nil
        if let tlsCert, let tlsKey {
            do { tls = try HTTPServer.tlsContext(certificate: tlsCert, key: tlsKey) } catch { fail("\(error)") }
        }
        let app = WebApp(warehouse: root, queryTimeLimit: queryTimeLimit, joinRowLimit: joinRowLimit,
                         memoryLimit: ByteCount.parse(memoryLimit)!, secureCookies: tls != nil)
        let server = HTTPServer(app: app, host: host, port: port, workers: workers, requestTimeout: requestTimeout,
                                maxConnections: maxConnections, tls: tls)
        let scheme = tls == nil ? "http" : "https"
        let host = self.host
        do {
            let served = try await server.run { address in
                let port = address.port ?? 0
                print("moviecol serve: \(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)/ (warehouse \(root), \(users.count) user\(users.count == 1 ? "" : "s"))")
                if users.isEmpty { print("no users yet: add one with `moviecol user add NAME --role reporter --db \(root)`") }
                print("Ctrl-C stops")
                fflush(nil)
            }
            print("moviecol serve: stopped after \(served) request\(served == 1 ? "" : "s")")
        } catch {
            fail("cannot serve on \(host):\(port): \(error)")
        }
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the accounts of `moviecol serve` (stored in the warehouse as salted PBKDF2-SHA-256 hashes).",
        subcommands: [UserAddCommand.self, UserListCommand.self, UserRemoveCommand.self])
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user. The password is asked for twice on a terminal, else read as the first line of stdin.")

    @OptionGroup var warehouse: WarehouseOptions

    @Argument(help: "User name: letters, digits, '.', '_' or '-'.")
    var name: String

    @Option(name: .long, help: ArgumentHelp("Role: reporter (serving layer only) or transform (default: reporter).", valueName: "role"))
    var role: Role = .reporter

    @Flag(name: .long, help: "Replace the password and role of an existing user (their sessions end).")
    var replace = false

    func run() throws {
        let password: String
        if isatty(0) != 0 {
            guard let first = readSecret("Password for \(name): "), let second = readSecret("Again: ") else { fail("no password given") }
            guard first == second else { fail("the two passwords differ; nothing changed") }
            password = first
        } else {
            guard let line = readLine(strippingNewline: true) else { fail("no password on stdin") }
            password = line
        }
        do {
            try UserStore(warehouse: warehouse.path).add(name, role: role, password: password, replace: replace)
        } catch {
            fail(error.description)
        }
        print("user \(name) (\(role.rawValue)) saved in \(warehouse.path)/users.json")
    }

    /// Reads a line from the terminal without echo.
    private func readSecret(_ prompt: String) -> String? {
        Terminal.writeStderr(prompt)
        var saved = termios()
        tcgetattr(0, &saved)
        var silent = saved
        silent.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &silent)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            Terminal.writeStderr("\n")
        }
        return readLine(strippingNewline: true)
    }
}

struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users and their roles.")

    @OptionGroup var warehouse: WarehouseOptions

    func run() throws {
        let users: [WebUser]
        do { users = try UserStore(warehouse: warehouse.path).users() } catch { fail(error.description) }
        print(TextTable.render(header: ["user", "role", "created"], rows: users.map { [$0.name, $0.role, $0.created] }, rightAligned: []))
    }
}

struct UserRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a user (their sessions end at their next request).")

    @OptionGroup var warehouse: WarehouseOptions

    @Argument(help: "User name.")
    var name: String

    func run() throws {
        do {
            guard try UserStore(warehouse: warehouse.path).remove(name) else { fail("no user \(name)") }
        } catch {
            fail(error.description)
        }
        print("user \(name) removed")
    }
}
