import DistrictProtocol
import DistrictWire
import NIOCore

/// Protocol housekeeping that belongs on the event loop: heartbeats when the server has
/// been quiet, closing idle peers, and answering framing errors before closing.
final class ConnectionGuardHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var closing = false
    private let onProtocolError: @Sendable (ErrorCode) -> Void

    init(onProtocolError: @escaping @Sendable (ErrorCode) -> Void) {
        self.onProtocolError = onProtocolError
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        switch idle {
        case .write:
            guard !closing else { return }
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: ServerFrame.heartbeat.encoded())), promise: nil)
        case .read:
            failAndClose(context: context, DistrictError(.idleTimeout, "no frame received within the idle timeout"))
        case .all:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let frameError = error as? FrameError {
            failAndClose(context: context, frameError.districtError)
        } else {
            context.fireErrorCaught(error)
        }
    }

    private func failAndClose(context: ChannelHandlerContext, _ error: DistrictError) {
        guard !closing else { return }
        closing = true
        onProtocolError(error.code)
        let frame = ByteBuffer(bytes: ServerFrame.error(id: nil, error).encoded())
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(frame)).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionGuardHandler: Sendable {}
