import DistrictProtocol
import NIOCore

/// Carries requests out and matches responses to them by id, in any order; routes
/// pushed events to their subscriptions; pings when quiet; fails everything pending when
/// the connection closes.
final class ClientChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ClientRequest
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var promise: EventLoopPromise<[UInt8]>?
        var timeout: Scheduled<Void>?
        var subscription: AsyncThrowingStream<PushedEvent, any Error>.Continuation?
    }

    private var nextID: Int64 = 1
    private var pending: [Int64: Pending] = [:]
    private var subscriptions: [String: AsyncThrowingStream<PushedEvent, any Error>.Continuation] = [:]
    private var closedError: DistrictError?
    private let onUnusable: @Sendable () -> Void

    /// `onUnusable` runs when the connection can take no more requests (goodbye, close, error).
    init(onUnusable: @escaping @Sendable () -> Void) {
        self.onUnusable = onUnusable
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            // Never sent, so the pool may safely send it again on a new connection.
            let notSent = DistrictError(closedError.code == .shuttingDown ? .shuttingDown : .unavailable, closedError.message, details: ["sent": "false"])
            request.promise.fail(notSent)
            promise?.fail(notSent)
            return
        }
        let id = nextID
        nextID += 1
        let envelope = RequestEnvelope(
            id: .number(id), method: request.method, params: request.params, token: request.token,
            idempotencyKey: request.idempotencyKey)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let timeout = context.eventLoop.scheduleTask(deadline: request.deadline) {
            let (handler, _) = loopBound.value
            if let entry = handler.pending.removeValue(forKey: id) {
                entry.promise?.fail(DistrictError(.deadlineExceeded, "no answer to \(request.method) before the deadline"))
                entry.subscription?.finish(throwing: DistrictError(.deadlineExceeded, "subscription not acknowledged before the deadline"))
            }
        }
        pending[id] = Pending(promise: request.promise, timeout: timeout, subscription: request.subscription)
        context.write(wrapOutboundOut(ByteBuffer(bytes: envelope.encoded())), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let parsed: ServerFrame
        do {
            parsed = try frame.withUnsafeReadableBytes { try ServerFrame.parse($0) }
        } catch {
            fail(DistrictError(.malformedFrame, "server sent a malformed frame"))
            context.close(promise: nil)
            return
        }
        switch parsed {
        case .result(let id, let json):
            guard case .number(let number) = id, let entry = pending.removeValue(forKey: number) else { return }
            entry.timeout?.cancel()
            if let continuation = entry.subscription {
                if let subscriptionID = Self.subscriptionID(in: json) {
                    subscriptions[subscriptionID] = continuation
                } else {
                    continuation.finish(throwing: DistrictError(.malformedFrame, "subscription result lacks 'subscription'"))
                }
            }
            entry.promise?.succeed(json)
        case .error(let id, let error):
            if case .number(let number)? = id, let entry = pending.removeValue(forKey: number) {
                entry.timeout?.cancel()
                entry.promise?.fail(error)
                entry.subscription?.finish(throwing: error)
            } else if error.code.closesConnection {
                fail(error)
            }
        case .event(let subscription, let cursor, let data):
            subscriptions[subscription]?.yield(PushedEvent(cursor: cursor, data: data))
        case .subscriptionEnded(let subscription, let error):
            subscriptions.removeValue(forKey: subscription)?.finish(throwing: error)
        case .heartbeat:
            break
        case .goodbye(let reason):
            onUnusable()
            closedError = DistrictError(.shuttingDown, "the server is shutting down (\(reason))")
            finishSubscriptions(DistrictError(.unavailable, "the server closed the subscription: \(reason)"))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch idle {
        case .write:
            // Keep the server's idle timer from closing a quiet but healthy connection.
            let id = nextID
            nextID += 1
            pending[id] = Pending(promise: nil, timeout: nil, subscription: nil)
            let ping = RequestEnvelope(id: .number(id), method: ProtocolAPI.Ping.name)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: ping.encoded())), promise: nil)
        case .read:
            fail(DistrictError(.unavailable, "the server went silent"))
            context.close(promise: nil)
        case .all:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(DistrictError(.unavailable, "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(DistrictError(.unavailable, "connection failed: \(error)"))
        context.close(promise: nil)
    }

    /// Unsubscribes locally: later events of that subscription are dropped.
    func forget(subscription: String) {
        subscriptions.removeValue(forKey: subscription)?.finish()
    }

    private func fail(_ error: DistrictError) {
        if closedError == nil { closedError = error }
        onUnusable()
        let entries = pending
        pending = [:]
        for entry in entries.values {
            entry.timeout?.cancel()
            entry.promise?.fail(error)
            entry.subscription?.finish(throwing: error)
        }
        finishSubscriptions(error)
    }

    private func finishSubscriptions(_ error: DistrictError) {
        let all = subscriptions
        subscriptions = [:]
        all.values.forEach { $0.finish(throwing: error) }
    }

    private static func subscriptionID(in json: [UInt8]) -> String? {
        guard let members = try? JSONObjectScanner.scanObject(json),
            let range = members.first(where: { $0.key == "subscription" })?.value,
            range.count >= 2, json[range.lowerBound] == UInt8(ascii: "\"")
        else { return nil }
        return json.withUnsafeBytes { JSONText.unescapeString(UnsafeRawBufferPointer(rebasing: $0[(range.lowerBound + 1)..<(range.upperBound - 1)])) }
    }
}

@available(*, unavailable)
extension ClientChannelHandler: Sendable {}
