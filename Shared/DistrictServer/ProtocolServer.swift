import DistrictProtocol
import DistrictWire
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
public import ServiceLifecycle
import Synchronization

/// A district protocol server: TLS, length-prefixed JSON frames, typed methods.
///
/// It is a `Service`: `run()` accepts connections in a discarding task group, each
/// connection in its own child task that catches its own errors, so one bad peer never
/// takes the server down. On graceful shutdown it stops accepting, lets every connection
/// answer what it already accepted, sends `goodbye`, and returns once all are closed.
public final class ProtocolServer: Service {
    private let configuration: ServerConfiguration
    private let router: MethodRouter
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let metrics: ServerMetrics
    private let bound: EventLoopPromise<SocketAddress>
    private let connections = Mutex<[UInt64: ConnectionState]>([:])
    private let nextConnectionID = Atomic<UInt64>(1)
    private let draining = Atomic(false)

    /// Creates a server. Protocol methods (`protocol.hello`, `protocol.ping`,
    /// `protocol.unsubscribe`) are built in; `router` holds the service's own.
    public init(configuration: ServerConfiguration, router: MethodRouter, logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.metrics = ServerMetrics(service: configuration.serviceName)
        self.bound = eventLoopGroup.any().makePromise(of: SocketAddress.self)
    }

    deinit {
        // A server that never ran (its group failed first) must not leak the promise.
        bound.fail(DistrictError(.unavailable, "the server did not start"))
    }

    /// The address the server listens on, once it does (waits until then).
    public var listeningAddress: SocketAddress {
        get async throws { try await bound.futureResult.get() }
    }

    /// The number of connections open now.
    public var openConnectionCount: Int {
        connections.withLock { $0.count }
    }

    public func run() async throws {
        let sslContext: NIOSSLContext
        let serverChannel: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            sslContext = try TLSContexts.server(credentials: configuration.tls, clientCertificates: configuration.clientCertificates)
            serverChannel = try await bind(sslContext: sslContext)
        } catch {
            bound.fail(error)
            throw error
        }
        let address = serverChannel.channel.localAddress!
        bound.succeed(address)
        logger.info("listening", metadata: ["server.address": "\(address)", "server.service": "\(configuration.serviceName)"])

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await serverChannel.executeThenClose { inbound in
                    for try await channel in inbound {
                        group.addTask { await self.serve(channel) }
                    }
                }
            }
        } onGracefulShutdown: {
            self.logger.info("draining", metadata: ["server.service": "\(self.configuration.serviceName)"])
            self.draining.store(true, ordering: .sequentiallyConsistent)
            serverChannel.channel.close(promise: nil)
            self.connections.withLock { $0.values.forEach { $0.beginDrain() } }
        }
        logger.info("stopped", metadata: ["server.service": "\(configuration.serviceName)"])
    }

    private func bind(sslContext: NIOSSLContext) async throws -> NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never> {
        let configuration = self.configuration
        let metrics = self.metrics
        let logger = self.logger
        return try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorHandler(logger: logger) {
                        metrics.recordError(method: "protocol", known: true, code: .unavailable)
                    })
                }
            }
            // TCP_NODELAY is a TCP-level option: `.socketOption` would set SOL_SOCKET
            // option 1, which is SO_DEBUG and needs CAP_NET_ADMIN (refused in containers).
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLServerHandler(context: sslContext))
                    try sync.addDistrictFraming(limits: configuration.frameLimits)
                    try sync.addHandler(IdleStateHandler(
                        readTimeout: TimeAmount(configuration.idleTimeout),
                        writeTimeout: TimeAmount(configuration.heartbeatInterval)))
                    try sync.addHandler(ConnectionGuardHandler { code in
                        metrics.recordError(method: "protocol", known: true, code: code)
                    })
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func serve(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let id = nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue
        let state = ConnectionState(maximumInFlight: configuration.maximumInFlightPerConnection)
        connections.withLock { $0[id] = state }
        // A connection accepted just as the drain began is drained too.
        if draining.load(ordering: .sequentiallyConsistent) { state.beginDrain() }
        metrics.connectionOpened()
        var logger = self.logger
        logger[metadataKey: "connection.id"] = "\(id)"
        if let remote = channel.channel.remoteAddress {
            logger[metadataKey: "peer.address"] = "\(remote)"
        }
        defer {
            connections.withLock { _ = $0.removeValue(forKey: id) }
            metrics.connectionClosed()
        }
        let connection = ServerConnection(
            channel: channel, state: state, router: router, configuration: configuration, metrics: metrics, logger: logger)
        await connection.run()
    }
}

