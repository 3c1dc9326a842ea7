// `moviecol serve`'s transport: HTTP/1.1 on swift-nio. Connections are read on the event
// loop; each request runs on a worker thread (password hashes and queries block), so a slow
// query never stalls other connections. A client has `requestTimeout` seconds to send each
// whole request (`RequestDeadline`); at most `maxConnections` are open at once, and a new
// one past that takes the place of the longest-idle connection, or, when every connection is
// busy, is refused with 503. SIGINT or SIGTERM stops accepting, lets requests in flight
// finish, closes idle keep-alive connections and returns.

import Web
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Pipeline
import Synchronization

final class HTTPServer: Sendable {
    let app: WebApp
    let host: String
    let port: Int
    let workerCount: Int
    let requestTimeout: Double
    let maxConnections: Int
    /// TLS, when `serve --tls-cert/--tls-key` are given.
    let tls: NIOSSLContext?
    /// Larger request bodies get 413.
    static let maxBody = 1 << 20

    private struct Connection {
        let channel: Channel
        var busy = false
        /// When it last finished a response (or opened): the longest idle is evicted first.
        var idleSince: NIODeadline
    }

    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var draining = false
        var served = 0
        var listener: Channel?
    }

    private let state = Mutex(State())

    init(app: WebApp, host: String, port: Int, workers: Int, requestTimeout: Double = 10, maxConnections: Int = 1024,
         tls: NIOSSLContext? = nil) {
        self.tls = tls
        self.app = app
        self.host = host
        self.port = port
        workerCount = max(1, workers)
        self.requestTimeout = requestTimeout
        self.maxConnections = max(1, maxConnections)
    }

    /// The TLS context of a PEM certificate chain and private key, or an error naming the file.
    static func tlsContext(certificate: String, key: String) throws -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(certificate) } catch {
            throw ValidationFailure("\(certificate): not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else { throw ValidationFailure("\(certificate): no certificate in the file") }
        let privateKey: NIOSSLPrivateKey
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw ValidationFailure("\(key): not a PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        configuration.minimumTLSVersion = .tlsv12
        do { return try NIOSSLContext(configuration: configuration) } catch {
            throw ValidationFailure("the certificate and key do not make a TLS context (do they belong together?): \(error)")
        }
    }

    struct ValidationFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// Lets the process hold as many sockets as the system allows (the soft limit is often
    /// 1,024 file descriptors, fewer than the connections served).
    private static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Serves until SIGINT or SIGTERM; `ready` gets the bound address. Returns the number of
    /// requests served.
    func run(ready: @Sendable (SocketAddress) -> Void) async throws -> Int {
        Self.raiseDescriptorLimit()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let requestTimeout = self.requestTimeout
        let tls = self.tls
        let workers = NIOThreadPool(numberOfThreads: workerCount)
        workers.start()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RequestDeadline(seconds: requestTimeout))
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(wrappingChannelSynchronously: channel)
                }
            }
        state.withLock { $0.listener = server.channel }
        let signals = installSignalHandlers()
        if let address = server.channel.localAddress { ready(address) }

        try await withThrowingDiscardingTaskGroup { tasks in
            try await server.executeThenClose { inbound in
                for try await connection in inbound {
                    tasks.addTask { await self.serve(connection, workers: workers) }
                }
            }
        }
        signals.forEach { $0.cancel() }
        try await workers.shutdownGracefully()
        try await group.shutdownGracefully()
        return state.withLock { $0.served }
    }

    /// Stops accepting, closes idle connections; busy ones close after their response.
    func shutdown() {
        let (listener, idle) = state.withLock { s -> (Channel?, [Channel]) in
            s.draining = true
            return (s.listener, s.connections.values.filter { !$0.busy }.map(\.channel))
        }
        listener?.close(promise: nil)
        for channel in idle { channel.close(promise: nil) }
    }

    private func installSignalHandlers() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                let already = state.withLock { $0.draining }
                if already { Foundation.exit(130) }  // a second signal: stop now
                FileHandle.standardError.write(Data("moviecol serve: stopping (requests in flight finish; signal again to stop now)\n".utf8))
                shutdown()
            }
            source.resume()
            return source
        }
    }

    private func setBusy(_ id: ObjectIdentifier, _ busy: Bool) {
        state.withLock { $0.connections[id]?.busy = busy }
    }

    /// Admits a new connection: under the limit, or in place of the longest-idle one (closed).
    /// nil when every connection is busy.
    private func admit(_ id: ObjectIdentifier, _ channel: Channel) -> (draining: Bool, admitted: Bool) {
        let (draining, admitted, evicted) = state.withLock { s -> (Bool, Bool, Channel?) in
            var evicted: Channel? = nil
            if s.connections.count >= maxConnections {
                guard let oldest = s.connections.filter({ !$0.value.busy }).min(by: { $0.value.idleSince < $1.value.idleSince }) else {
                    return (s.draining, false, nil)
                }
                s.connections.removeValue(forKey: oldest.key)
                evicted = oldest.value.channel
            }
            s.connections[id] = Connection(channel: channel, idleSince: .now())
            return (s.draining, true, evicted)
        }
        evicted?.close(promise: nil)
        return (draining, admitted)
    }

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, workers: NIOThreadPool) async {
        let id = ObjectIdentifier(connection.channel)
        let (draining, admitted) = admit(id, connection.channel)
        defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
        if draining {
            connection.channel.close(promise: nil)
            return
        }
        let client = connection.channel.remoteAddress?.ipAddress ?? ""
        if !admitted {
            // Every connection is answering a request: a clear refusal, not a silent wait.
            try? await connection.executeThenClose { _, outbound in
                let refusal = WebResponse(status: 503, headers: [("Content-Type", "application/json"), ("Retry-After", "1")],
                                          body: Array("{\"error\": \"the server is at its connection limit; try again\"}".utf8))
                try await self.write(refusal, for: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"), keepAlive: false, to: outbound)
            }
            return
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let h):
                        head = h
                        body.removeAll(keepingCapacity: true)
                        tooLarge = false
                        setBusy(id, true)
                    case .body(let buffer):
                        if body.count + buffer.readableBytes > Self.maxBody { tooLarge = true } else { body += buffer.readableBytesView }
                    case .end:
                        guard let h = head else { continue }
                        let response: WebResponse
                        if tooLarge {
                            response = WebResponse(status: 413, headers: [("Content-Type", "application/json")],
                                                   body: Array("{\"error\": \"the request body is larger than 1 MiB\"}".utf8))
                        } else {
                            let request = WebRequest(method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) },
                                                     body: body, client: client)
                            let app = self.app
                            do {
                                response = try await workers.runIfActive { app.handle(request) }
                            } catch {
                                response = WebResponse(status: 503, headers: [("Content-Type", "application/json")],
                                                       body: Array("{\"error\": \"the server is stopping\"}".utf8))
                            }
                        }
                        let keepAlive = h.isKeepAlive && !state.withLock { $0.draining } && !tooLarge
                        try await write(response, for: h, keepAlive: keepAlive, to: outbound)
                        let stop = state.withLock { s -> Bool in
                            s.served += 1
                            s.connections[id]?.busy = false
                            s.connections[id]?.idleSince = .now()
                            return s.draining
                        }
                        head = nil
                        if !keepAlive || stop { return }
                    }
                }
            }
        } catch {
            // The client went away or sent something that is not HTTP; the connection is closed.
        }
    }

    private func write(_ response: WebResponse, for request: HTTPRequestHead, keepAlive: Bool,
                       to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>) async throws {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.replaceOrAdd(name: "Server", value: "moviecol")
        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status),
                                                        headers: headers)))
        if request.method != .HEAD && !response.body.isEmpty {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        }
        try await outbound.write(.end(nil))
    }
}
