import DistrictProtocol
import DistrictWire
import Logging
import NIOCore
import NIOSSL
import X509

/// Serves one connection: the handshake, then requests pipelined into child tasks whose
/// responses are written as they finish (matched by id, not by order), subscriptions, and
/// draining on shutdown.
struct ServerConnection {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let state: ConnectionState
    let router: MethodRouter
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                let queue = OutboundQueue()
                let write: @Sendable ([UInt8]) async throws -> Void = { bytes in
                    await queue.send(ByteBuffer(bytes: bytes))
                }
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        try await queue.runWriter { batch in try await outbound.write(contentsOf: batch) }
                    }
                    group.addTask { try await drainWhenAsked(queue: queue) }
                    try await readRequests(inbound: inbound, write: write, group: &group)
                    // Whatever was queued last (an error frame before a close) goes out first.
                    await queue.finish()
                    // The peer closed (or we did): nothing is left to answer.
                    state.beginDrain()
                    group.cancelAll()
                }
            }
        } catch {
            logger.debug("connection ended with error", metadata: ["error": "\(error)"])
        }
    }

    private func readRequests(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        write: @escaping @Sendable ([UInt8]) async throws -> Void,
        group: inout ThrowingDiscardingTaskGroup<any Error>
    ) async throws {
        var peer: PeerIdentity?
        for try await frame in inbound {
            let parsed = frame.withUnsafeReadableBytes { RequestEnvelope.parse($0) }
            let request: RequestEnvelope
            switch parsed {
            case .success(let envelope):
                request = envelope
            case .failure(.malformedFrame(let error)):
                metrics.recordError(method: "protocol", known: true, code: error.code)
                try await write(ServerFrame.error(id: nil, error).encoded())
                return
            case .failure(.badRequest(let id, let error)):
                metrics.recordError(method: "protocol", known: true, code: error.code)
                try await write(ServerFrame.error(id: id, error).encoded())
                continue
            }

            guard let knownPeer = peer else {
                // The first request must be the handshake.
                guard request.method == ProtocolAPI.Hello.name else {
                    let error = DistrictError(.handshakeRequired, "the first request must be protocol.hello")
                    metrics.recordError(method: "protocol", known: true, code: error.code)
                    try await write(ServerFrame.error(id: request.id, error).encoded())
                    return
                }
                guard try await answerHello(request, write: write) else { return }
                peer = await peerIdentity()
                continue
            }

            switch request.method {
            case ProtocolAPI.Ping.name:
                try await write(ServerFrame.result(id: request.id, json: Array("{}".utf8)).encoded())
                continue
            case ProtocolAPI.Unsubscribe.name:
                try await answerUnsubscribe(request, write: write)
                continue
            case ProtocolAPI.Hello.name:
                try await write(ServerFrame.error(id: request.id, DistrictError(.badRequest, "protocol.hello was already answered")).encoded())
                continue
            default:
                break
            }

            switch state.admit() {
            case .draining:
                try await write(ServerFrame.error(id: request.id, DistrictError(.shuttingDown, "the server is shutting down; reconnect")).encoded())
                continue
            case .full:
                try await write(ServerFrame.error(id: request.id, DistrictError(
                    .tooManyRequests, "at most \(configuration.maximumInFlightPerConnection) requests may be in flight per connection")).encoded())
                continue
            case .admitted:
                break
            }
            let context = makeContext(request, peer: knownPeer)
            let ticket = InFlightTicket(state: state)
            group.addTask {
                defer { ticket.release() }
                try? await handle(request, context: context, ticket: ticket, write: write)
            }
        }
    }

    private func handle(_ request: RequestEnvelope, context: RequestContext, ticket: InFlightTicket, write: @escaping @Sendable ([UInt8]) async throws -> Void) async throws {
        let route = router.route(for: request.method)
        let instruments = metrics.method(request.method, known: route != nil)
        instruments.requests.increment()
        let started = ContinuousClock.now
        defer { instruments.duration.recordNanoseconds(Int64((ContinuousClock.now - started) / .nanoseconds(1))) }

        guard let route else {
            let error = DistrictError(.unknownMethod, "no method '\(request.method)' on \(configuration.serviceName)")
            metrics.recordError(method: request.method, known: false, code: error.code)
            try await write(ServerFrame.error(id: request.id, error).encoded())
            return
        }
        do {
            switch route {
            case .unary(let handler):
                let result = try await handler(request.params, context)
                try await write(ServerFrame.result(id: request.id, json: result).encoded())
            case .subscription(let handler):
                let (subscriptionID, stop) = state.openSubscription()
                let (result, feed) = try await handler(request.params, context, subscriptionID)
                try await write(ServerFrame.result(id: request.id, json: result).encoded())
                // The feed does not count as in flight: a subscription may last for days.
                ticket.release()
                await runFeed(feed, stop: stop, write: write, context: context, subscriptionID: subscriptionID)
            }
        } catch let error as DistrictError {
            metrics.recordError(method: request.method, known: true, code: error.code)
            try await write(ServerFrame.error(id: request.id, error).encoded())
        } catch is CancellationError {
            return
        } catch {
            metrics.recordError(method: request.method, known: true, code: .internal)
            context.logger.error("handler failed", metadata: ["error": "\(String(reflecting: error))"])
            try await write(ServerFrame.error(id: request.id, DistrictError(.internal, "internal error")).encoded())
        }
    }

    private func runFeed(
        _ feed: @escaping @Sendable (@escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void,
        stop: AsyncStream<Void>,
        write: @escaping @Sendable ([UInt8]) async throws -> Void,
        context: RequestContext,
        subscriptionID: String
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await feed(write)
                } catch is CancellationError {
                } catch {
                    // Tell the subscriber, so it resubscribes from its cursor instead of waiting forever.
                    context.logger.warning("subscription ended by the server", metadata: ["subscription.id": "\(subscriptionID)", "error": "\(error)"])
                    let reason = error as? DistrictError ?? DistrictError(.unavailable, "the subscription's source failed; resubscribe with your last cursor")
                    try? await write(ServerFrame.subscriptionEnded(subscription: subscriptionID, reason).encoded())
                }
            }
            group.addTask {
                for await _ in stop {}
            }
            await group.next()
            group.cancelAll()
        }
        state.stopSubscription(subscriptionID)
    }

    private func answerHello(_ request: RequestEnvelope, write: @Sendable ([UInt8]) async throws -> Void) async throws -> Bool {
        let params: ProtocolAPI.Hello.Params
        do {
            params = try WireCoding.decodeParams(ProtocolAPI.Hello.Params.self, from: request.params)
        } catch {
            try await write(ServerFrame.error(id: request.id, error).encoded())
            return false
        }
        guard let version = params.versions.filter(ProtocolVersion.supported.contains).max() else {
            let error = DistrictError(.unsupportedVersion, "this server speaks protocol versions \(ProtocolVersion.supported)", details: ["supported": ProtocolVersion.supported.map(String.init).joined(separator: ",")])
            metrics.recordError(method: ProtocolAPI.Hello.name, known: true, code: error.code)
            try await write(ServerFrame.error(id: request.id, error).encoded())
            return false
        }
        let result = ProtocolAPI.Hello.Result(
            version: version,
            service: configuration.serviceName,
            serverVersion: configuration.serverVersion,
            maxFrameBytes: configuration.frameLimits.maximumPayloadBytes,
            heartbeatIntervalMs: Int(configuration.heartbeatInterval / .milliseconds(1)),
            idleTimeoutMs: Int(configuration.idleTimeout / .milliseconds(1)),
            maxInFlight: configuration.maximumInFlightPerConnection)
        try await write(ServerFrame.result(id: request.id, json: try WireCoding.encode(result)).encoded())
        logger.debug("handshake", metadata: ["client.name": "\(params.client ?? "")", "protocol.version": "\(version)"])
        return true
    }

    private func answerUnsubscribe(_ request: RequestEnvelope, write: @Sendable ([UInt8]) async throws -> Void) async throws {
        do {
            let params = try WireCoding.decodeParams(ProtocolAPI.Unsubscribe.Params.self, from: request.params)
            guard state.stopSubscription(params.subscription) else {
                throw DistrictError(.notFound, "no subscription '\(params.subscription)' on this connection")
            }
            try await write(ServerFrame.result(id: request.id, json: Array("{}".utf8)).encoded())
        } catch let error as DistrictError {
            try await write(ServerFrame.error(id: request.id, error).encoded())
        }
    }

    /// On drain: stop subscriptions, let in-flight requests finish (up to the drain
    /// timeout), say goodbye and close.
    private func drainWhenAsked(queue: OutboundQueue) async throws {
        for await _ in state.drainSignal {}
        guard !Task.isCancelled else { return }
        state.stopAllSubscriptions()
        let drainTimeout = configuration.drainTimeout
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await state.waitUntilIdle() }
            group.addTask { try? await Task.sleep(for: drainTimeout) }
            await group.next()
            group.cancelAll()
        }
        guard !Task.isCancelled else { return }
        await queue.send(ByteBuffer(bytes: ServerFrame.goodbye(reason: "shutdown").encoded()))
        await queue.finish()
        try? await channel.channel.close()
    }

    private func makeContext(_ request: RequestEnvelope, peer: PeerIdentity) -> RequestContext {
        RequestContext(
            requestID: request.id, method: request.method, token: request.token,
            idempotencyKey: request.idempotencyKey, peer: peer, logger: logger)
    }

    private func peerIdentity() async -> PeerIdentity {
        let address = channel.channel.remoteAddress.map { "\($0)" }
        // BoringSSL has verified the certificate against the district CA by now.
        guard let leaf = try? await channel.channel.nioSSL_peerCertificate().get(),
            let der = try? leaf.toDERBytes(),
            let certificate = try? Certificate(derEncoded: der)
        else {
            return PeerIdentity(address: address, certificateCommonName: nil)
        }
        return PeerIdentity(address: address, certificateCommonName: certificate.subject.commonName)
    }
}

extension DistinguishedName {
    /// The first common name in the name, if any.
    var commonName: String? {
        for rdn in self {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return attribute.value.description
            }
        }
        return nil
    }
}
