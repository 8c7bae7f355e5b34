import DistrictProtocol
import DistrictWire
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One TLS connection to a service, after a successful `protocol.hello`.
final class ClientConnection: Sendable {
    let channel: any Channel
    let hello: ProtocolAPI.Hello.Result
    private let availability: Box
    private let batcher: RequestBatcher

    private init(channel: any Channel, hello: ProtocolAPI.Hello.Result, availability: Box) {
        self.channel = channel
        self.hello = hello
        self.availability = availability
        self.batcher = RequestBatcher(channel: channel)
    }

    /// False once the server said goodbye or the connection closed.
    var isAvailable: Bool { availability.flag.load(ordering: .relaxed) && channel.isActive }

    static func connect(configuration: ClientConfiguration, sslContext: NIOSSLContext, group: any EventLoopGroup) async throws -> ClientConnection {
        let availability = Box()
        let hostname = configuration.serverHostname ?? configuration.host
        let sniName = hostname.first?.isNumber == true || hostname.contains(":") ? nil : hostname
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            // TCP level: `.socketOption(.tcp_nodelay)` would set SO_DEBUG instead.
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: sniName, customVerificationCallback: nil, configuration: .init())
                    try sync.addHandler(tls)
                    try sync.addDistrictFraming(limits: configuration.frameLimits)
                    try sync.addHandler(IdleStateHandler(
                        readTimeout: TimeAmount(configuration.idleTimeout),
                        writeTimeout: TimeAmount(configuration.heartbeatInterval)))
                    try sync.addHandler(ClientChannelHandler(onUnusable: { availability.flag.store(false, ordering: .relaxed) }))
                }
            }
            .connect(host: configuration.host, port: configuration.port).get()
        do {
            let params = ProtocolAPI.Hello.Params(versions: ProtocolVersion.supported, client: configuration.clientName)
            let deadline = NIODeadline.after(configuration.connectTimeout)
            let raw = try await send(on: channel, method: ProtocolAPI.Hello.name, params: try WireCoding.encode(params), token: nil, idempotencyKey: nil, deadline: deadline, subscription: nil)
            let hello = try WireCoding.decodeParams(ProtocolAPI.Hello.Result.self, from: raw)
            return ClientConnection(channel: channel, hello: hello, availability: availability)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Drops a subscription's routing entry on this connection.
    func forget(subscription: String) {
        channel.eventLoop.execute {
            if let handler = try? self.channel.pipeline.syncOperations.handler(type: ClientChannelHandler.self) {
                handler.forget(subscription: subscription)
            }
        }
    }

    func close() async {
        try? await channel.close()
    }

    func send(method: String, params: [UInt8], token: String?, idempotencyKey: String?, deadline: NIODeadline, subscription: AsyncThrowingStream<PushedEvent, any Error>.Continuation? = nil) async throws -> [UInt8] {
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        batcher.submit(ClientRequest(method: method, params: params, token: token, idempotencyKey: idempotencyKey, deadline: deadline, promise: promise, subscription: subscription))
        return try await promise.futureResult.get()
    }

    private static func send(on channel: any Channel, method: String, params: [UInt8], token: String?, idempotencyKey: String?, deadline: NIODeadline, subscription: AsyncThrowingStream<PushedEvent, any Error>.Continuation?) async throws -> [UInt8] {
        let promise = channel.eventLoop.makePromise(of: [UInt8].self)
        let request = ClientRequest(method: method, params: params, token: token, idempotencyKey: idempotencyKey, deadline: deadline, promise: promise, subscription: subscription)
        channel.writeAndFlush(request).whenFailure { error in
            promise.fail(error as? DistrictError ?? DistrictError(.unavailable, "could not send: \(error)"))
        }
        return try await promise.futureResult.get()
    }

    private final class Box: Sendable {
        let flag = Atomic(true)
    }
}
