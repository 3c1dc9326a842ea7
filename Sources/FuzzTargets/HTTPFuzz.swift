// HTTP input: raw bytes of one connection through swift-nio's HTTP/1.1 request decoder, as
// `serve` reads them, and every whole request through the web app: sign-in, the JSON API, the
// ad-hoc SQL box, pages and assets. The placeholders `@ann@` and `@tess@` in the input become
// the session cookies of a signed-in reporter and transformer, so the fuzzer reaches what
// only signed-in users reach. Invariant: every request gets a response with a valid status.

import Columnar
import Engine
import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Web

final class HTTPFuzz: @unchecked Sendable {
    static let shared = HTTPFuzz()
    let app: WebApp
    /// Placeholder bytes and the session cookie value each stands for.
    private var sessions: [([UInt8], [UInt8])] = []

    private init() {
        let root = FuzzScratch.directory + "/web"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        do {
            _ = try QueryEngine(warehouse: try Warehouse.open(root), threads: 1).query(SQLFuzz.setup)
            try UserStore(warehouse: root).add("ann", role: .reporter, password: "ann-password", iterations: 10)
            try UserStore(warehouse: root).add("tess", role: .transform, password: "tess-password", iterations: 10)
        } catch {
            fatalError("cannot make the HTTP fuzzing warehouse: \(error)")
        }
        app = WebApp(warehouse: root, queryTimeLimit: 2, maxRows: 1_000, threads: 1, joinRowLimit: 1_000_000, memoryLimit: 256 << 20)
        for (user, password) in [("ann", "ann-password"), ("tess", "tess-password")] {
            let body = Array("{\"user\": \"\(user)\", \"password\": \"\(password)\"}".utf8)
            let response = app.handle(WebRequest(method: "POST", uri: "/api/login", headers: [("Content-Type", "application/json")], body: body))
            guard let cookie = response.headers.first(where: { $0.0 == "Set-Cookie" })?.1,
                  let value = cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last
            else { fatalError("cannot sign \(user) in to the fuzzing web app: \(response.status)") }
            sessions.append((Array("@\(user)@".utf8), Array(value.utf8)))
        }
    }

    func run(_ input: [UInt8]) {
        var bytes = input
        for (placeholder, token) in sessions { bytes.replace(placeholder, with: token) }
        let channel = EmbeddedChannel()
        defer { _ = try? channel.finish() }
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        } catch {
            // Not HTTP: the server answers 400 and closes, before the app sees anything.
        }
        var head: HTTPRequestHead?
        var body: [UInt8] = []
        while let part = try? channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let h): head = h; body = []
            case .body(var b): body += b.readBytes(length: b.readableBytes) ?? []
            case .end:
                guard let h = head else { finding("a request ended that never began") }
                let request = WebRequest(method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) },
                                         body: body, client: "fuzz")
                let response = app.handle(request)
                if !(100...599).contains(response.status) { finding("status \(response.status) for \(h.method) \(h.uri)") }
                head = nil
            }
        }
    }
}
