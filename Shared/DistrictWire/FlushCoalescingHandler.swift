public import NIOCore

/// Merges the flushes that arrive within one event-loop tick into a single flush.
///
/// Pipelined responses are written by many tasks; without this each would end its own
/// TLS record and system call. With it, writes made in the same tick share both.
public final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private var flushScheduled = false

    /// Creates the handler.
    public init() {}

    public func flush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = loopBound.value
            handler.flushScheduled = false
            context.flush()
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Whatever is written must reach the peer before we close.
        if flushScheduled {
            flushScheduled = false
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}

@available(*, unavailable)
extension FlushCoalescingHandler: Sendable {}
