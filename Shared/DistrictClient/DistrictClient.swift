public import DistrictProtocol
import DistrictWire
public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL
import Synchronization

/// A client of one district service: a small pool of TLS connections, typed calls with
/// deadlines, pipelining, reconnect with exponential backoff, and subscriptions.
///
/// ```swift
/// let client = try DistrictClient(configuration: configuration, logger: logger)
/// let health = try await client.call(SystemAPI.Health.self, Empty())
/// ```
public final class DistrictClient: Sendable {
    private enum Slot {
        case idle(failures: Int, lastFailure: ContinuousClock.Instant?)
        case connecting(EventLoopFuture<ClientConnection>)
        case ready(ClientConnection)
    }

    /// The configuration the client was made with.
    public let configuration: ClientConfiguration
    private let sslContext: NIOSSLContext
    private let group: any EventLoopGroup
    private let logger: Logger
    private let slots: Mutex<[Slot]>
    private let nextSlot = Atomic<Int>(0)

    /// Creates a client; connections open on first use.
    public init(configuration: ClientConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger) throws {
        self.configuration = configuration
        self.sslContext = try TLSContexts.client(trustRootsPath: configuration.trustRootsPath, clientCredentials: configuration.clientCredentials)
        self.group = eventLoopGroup
        self.logger = logger
        self.slots = Mutex(Array(repeating: .idle(failures: 0, lastFailure: nil), count: configuration.connections))
    }

    /// Calls a typed method and returns its typed result, or throws its `DistrictError`.
    public func call<Method: MethodDescriptor>(
        _ method: Method.Type,
        _ params: Method.Params,
        token: String? = nil,
        idempotencyKey: String? = nil,
        timeout: Duration? = nil
    ) async throws -> Method.Result {
        let raw = try await callRaw(method: Method.name, params: try WireCoding.encode(params), token: token, idempotencyKey: idempotencyKey, timeout: timeout)
        do {
            return try WireCoding.decodeParams(Method.Result.self, from: raw)
        } catch {
            throw DistrictError(.internal, "the server's result for \(Method.name) did not decode: \(error.message)")
        }
    }

    /// Calls a method by name with raw JSON params and returns the raw JSON result (for
    /// generic tools such as `districtctl call`).
    public func callRaw(method: String, params: [UInt8], token: String? = nil, idempotencyKey: String? = nil, timeout: Duration? = nil) async throws -> [UInt8] {
        let deadline = NIODeadline.after(timeout ?? configuration.defaultTimeout)
        let slot = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue % configuration.connections
        var attempt = 0
        while true {
            let connection = try await connection(slot: slot, deadline: deadline)
            do {
                return try await connection.send(method: method, params: params, token: token ?? configuration.token, idempotencyKey: idempotencyKey, deadline: deadline)
            } catch let error as DistrictError where attempt == 0 && (error.code == .shuttingDown || error.details?["sent"] == "false") {
                // The request was not processed (the server is draining, or the connection
                // closed before it was sent), so it is safe to send it once more.
                attempt += 1
                markUnusable(slot: slot, connection: connection)
            }
        }
    }

    /// Opens a subscription and returns its acknowledgement and event stream.
    public func subscribe<Method: SubscriptionDescriptor>(
        _ method: Method.Type,
        _ params: Method.Params,
        token: String? = nil,
        timeout: Duration? = nil
    ) async throws -> ClientSubscription<Method> {
        let deadline = NIODeadline.after(timeout ?? configuration.defaultTimeout)
        let slot = nextSlot.wrappingAdd(1, ordering: .relaxed).oldValue % configuration.connections
        let connection = try await connection(slot: slot, deadline: deadline)
        let (stream, continuation) = AsyncThrowingStream<PushedEvent, any Error>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let raw = try await connection.send(
            method: Method.name, params: try WireCoding.encode(params), token: token ?? configuration.token, idempotencyKey: nil,
            deadline: deadline, subscription: continuation)
        let result = try WireCoding.decodeParams(Method.Result.self, from: raw)
        let subscriptionID = result.subscription
        let token = token ?? configuration.token
        let defaultTimeout = configuration.defaultTimeout
        return ClientSubscription(result: result, raw: stream) {
            let deadline = NIODeadline.after(defaultTimeout)
            let params = (try? WireCoding.encode(ProtocolAPI.Unsubscribe.Params(subscription: subscriptionID))) ?? []
            _ = try? await connection.send(method: ProtocolAPI.Unsubscribe.name, params: params, token: token, idempotencyKey: nil, deadline: deadline)
            connection.forget(subscription: subscriptionID)
        }
    }

    /// The handshake result of a connection (connecting if needed), e.g. to read limits.
    public func handshake() async throws -> ProtocolAPI.Hello.Result {
        let deadline = NIODeadline.after(configuration.connectTimeout)
        return try await connection(slot: 0, deadline: deadline).hello
    }

    /// Closes every connection. Calls made afterwards reconnect.
    public func close() async {
        let connections: [ClientConnection] = slots.withLock { slots in
            defer { slots = Array(repeating: .idle(failures: 0, lastFailure: nil), count: slots.count) }
            return slots.compactMap { if case .ready(let connection) = $0 { return connection } else { return nil } }
        }
        for connection in connections { await connection.close() }
    }

    // MARK: Pool

    private enum Acquisition {
        case use(ClientConnection)
        case wait(EventLoopFuture<ClientConnection>)
        case connect(EventLoopPromise<ClientConnection>, delay: Duration, failures: Int)
    }

    private func connection(slot: Int, deadline: NIODeadline) async throws -> ClientConnection {
        let acquisition: Acquisition = slots.withLock { slots in
            switch slots[slot] {
            case .ready(let connection) where connection.isAvailable:
                return .use(connection)
            case .connecting(let future):
                return .wait(future)
            case .ready:
                let promise = group.any().makePromise(of: ClientConnection.self)
                slots[slot] = .connecting(promise.futureResult)
                return .connect(promise, delay: .zero, failures: 0)
            case .idle(let failures, let lastFailure):
                let promise = group.any().makePromise(of: ClientConnection.self)
                slots[slot] = .connecting(promise.futureResult)
                return .connect(promise, delay: backoff(failures: failures, since: lastFailure), failures: failures)
            }
        }
        switch acquisition {
        case .use(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .connect(let promise, let delay, let failures):
            do {
                if delay > .zero {
                    let remaining = Duration.nanoseconds((deadline - .now()).nanoseconds)
                    guard remaining > delay else {
                        throw DistrictError(.unavailable, "\(configuration.host):\(configuration.port) is unreachable; next attempt in \(delay)")
                    }
                    try await Task.sleep(for: delay)
                }
                let connection = try await ClientConnection.connect(configuration: configuration, sslContext: sslContext, group: group)
                slots.withLock { $0[slot] = .ready(connection) }
                promise.succeed(connection)
                logger.debug("connected", metadata: ["client.slot": "\(slot)", "server.address": "\(configuration.host):\(configuration.port)"])
                return connection
            } catch {
                let failure = error as? DistrictError ?? DistrictError(.unavailable, "cannot connect to \(configuration.host):\(configuration.port): \(error)")
                // Each consecutive failure of this slot doubles the next delay.
                slots.withLock { $0[slot] = .idle(failures: failures + 1, lastFailure: .now) }
                promise.fail(failure)
                throw failure
            }
        }
    }

    private func backoff(failures: Int, since lastFailure: ContinuousClock.Instant?) -> Duration {
        guard failures > 0, let lastFailure else { return .zero }
        var delay = configuration.initialBackoff
        for _ in 1..<min(failures, 20) { delay = min(delay * 2, configuration.maximumBackoff) }
        let elapsed = ContinuousClock.now - lastFailure
        return elapsed >= delay ? .zero : delay - elapsed
    }

    private func markUnusable(slot: Int, connection: ClientConnection) {
        slots.withLock { slots in
            if case .ready(let current) = slots[slot], current === connection {
                slots[slot] = .idle(failures: 0, lastFailure: nil)
            }
        }
        connection.channel.close(promise: nil)
    }
}
