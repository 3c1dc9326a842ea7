// `moviecol serve`'s transport: HTTP/1.1 on swift-nio. Connections are read on the event
// loop; each request runs on a worker thread (password hashes and queries block), so a slow
// query never stalls other connections. SIGINT or SIGTERM stops accepting, lets requests in
// flight finish, closes idle keep-alive connections and returns.

import Web
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Pipeline
import Synchronization

final class HTTPServer: Sendable {
    let app: WebApp
    let host: String
    let port: Int
    let workerCount: Int
    /// Larger request bodies get 413.
    static let maxBody = 1 << 20

    private struct Connection {
        let channel: Channel
        var busy = false
    }

    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var draining = false
        var served = 0
        var listener: Channel?
    }

    private let state = Mutex(State())

    init(app: WebApp, host: String, port: Int, workers: Int) {
        self.app = app
        self.host = host
        self.port = port
        workerCount = max(1, workers)
    }

    /// Serves until SIGINT or SIGTERM; `ready` gets the bound address. Returns the number of
    /// requests served.
    func run(ready: @Sendable (SocketAddress) -> Void) async throws -> Int {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let workers = NIOThreadPool(numberOfThreads: workerCount)
        workers.start()
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
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

    private func serve(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, workers: NIOThreadPool) async {
        let id = ObjectIdentifier(connection.channel)
        let draining = state.withLock { s -> Bool in
            s.connections[id] = Connection(channel: connection.channel)
            return s.draining
        }
        defer { _ = state.withLock { $0.connections.removeValue(forKey: id) } }
        if draining {
            connection.channel.close(promise: nil)
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
                            let request = WebRequest(method: h.method.rawValue, uri: h.uri, headers: h.headers.map { ($0.name, $0.value) }, body: body)
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
