public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
public import Prometheus
public import ServiceLifecycle
import Synchronization

/// A small HTTP/1.1 server exposing a Prometheus registry, run as a lifecycle `Service`.
///
/// Routes: `GET /metrics` answers 200 with the registry in the text exposition
/// format 0.0.4; `GET /healthz` answers 200 `ok` (liveness only, it checks nothing);
/// any other path is 404 and any other method 405. Connections may be kept alive.
///
/// On graceful shutdown the endpoint stops accepting, lets in-flight requests
/// finish, closes idle connections, and `run()` returns.
public final class MetricsEndpoint: Service, Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let configuration: Configuration
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: (@Sendable (_ port: Int) -> Void)?
    private let state = Mutex(MetricsEndpointState())

    /// Creates an endpoint; nothing is bound until ``run()``.
    /// - Parameters:
    ///   - configuration: Host and port to listen on.
    ///   - registry: The registry rendered on `GET /metrics`.
    ///   - eventLoopGroup: The NIO event loops to run on; NIO's shared singleton group if `nil`.
    ///   - logger: Logger for listening, shutdown and connection errors.
    ///   - onListening: Called once with the bound port when the server is listening,
    ///     before any ``boundPort`` waiter resumes.
    public init(
        configuration: Configuration,
        registry: PrometheusCollectorRegistry,
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger = Logger(label: "district.metrics"),
        onListening: (@Sendable (_ port: Int) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.registry = registry
        self.eventLoopGroup = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.onListening = onListening
    }

    /// The port the endpoint is listening on, waiting until it has bound.
    ///
    /// Throws ``MetricsEndpointError/notListening`` if the endpoint stops or fails to
    /// bind first, and `CancellationError` if the waiting task is cancelled.
    public var boundPort: Int {
        get async throws {
            let id = self.state.withLock { $0.makeWaiterID() }
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (waiter: MetricsEndpointState.PortWaiter) in
                    let action = self.state.withLock {
                        $0.addWaiter(id: id, waiter, isCancelled: Task.isCancelled)
                    }
                    switch action {
                    case .resume(let port): waiter.resume(returning: port)
                    case .fail(let error): waiter.resume(throwing: error)
                    case .wait: break
                    }
                }
            } onCancel: {
                self.state.withLock { $0.removeWaiter(id: id) }?.resume(throwing: CancellationError())
            }
        }
    }

    /// Binds, serves until graceful shutdown or cancellation, then returns.
    ///
    /// Each connection runs in its own child task that handles its own errors,
    /// so a misbehaving client never stops the server.
    public func run() async throws {
        try self.state.withLock { state throws(MetricsEndpointError) in try state.start() }
        defer {
            let waiters = self.state.withLock { $0.finish() }
            for waiter in waiters { waiter.resume(throwing: MetricsEndpointError.notListening) }
        }

        try await withGracefulShutdownHandler {
            let server = try await self.bind()
            let port = server.channel.localAddress?.port ?? self.configuration.port
            self.logger.info(
                "metrics endpoint listening",
                metadata: ["metrics.host": "\(self.configuration.host)", "metrics.port": "\(port)"]
            )
            // Called before the state learns the port, so `boundPort` never returns ahead of it.
            self.onListening?(port)
            let (waiters, shutDownAlready) = self.state.withLock {
                $0.didBind(port: port, serverChannel: server.channel)
            }
            if shutDownAlready { server.channel.close(promise: nil) }
            for waiter in waiters { waiter.resume(returning: port) }

            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                } catch {
                    self.logger.debug("metrics endpoint stopped accepting", metadata: ["error": "\(error)"])
                }
            }
            self.logger.info("metrics endpoint stopped", metadata: ["metrics.port": "\(port)"])
        } onGracefulShutdown: {
            self.quiesce()
        }
    }

    private func bind() async throws -> NIOAsyncChannel<Connection, Never> {
        try await ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: self.configuration.backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: self.configuration.host, port: self.configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: true,
                        withErrorHandling: true
                    )
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Stops accepting and asks every open connection to close once its current
    /// request (if any) has been answered.
    private func quiesce() {
        let action = self.state.withLock { $0.quiesce() }
        action.serverChannel?.close(promise: nil)
        for connection in action.connections {
            // HTTPServerPipelineHandler closes an idle connection at once and a busy one after its response.
            connection.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
    }

    /// Serves one connection until the peer closes, asks to close, or shutdown quiesces it.
    private func serve(_ connection: Connection) async {
        let channel = connection.channel
        guard self.state.withLock({ $0.register(channel) }) else {
            channel.close(promise: nil)
            return
        }
        defer { self.state.withLock { $0.unregister(channel) } }

        do {
            try await connection.executeThenClose { inbound, outbound in
                var request: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let head):
                        request = head
                    case .body:
                        // No route takes a body; it is read and dropped.
                        continue
                    case .end:
                        guard let head = request else { continue }
                        request = nil
                        let keepAlive = head.isKeepAlive
                        try await outbound.write(contentsOf: self.respond(to: head, keepAlive: keepAlive))
                        if !keepAlive { return }
                    }
                }
            }
        } catch {
            self.logger.debug(
                "metrics connection failed",
                metadata: ["connection.remote": "\(channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"]
            )
        }
    }
}
