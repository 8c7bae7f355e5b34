import Logging
import NIOCore

/// Sits first in the listening channel's pipeline and keeps the errors of single
/// connections (a socket option refused, a connection reset before it was set up) from
/// reaching the accept loop, where they would end the whole server. Each is logged once
/// and counted; the listening socket stays open.
final class AcceptErrorHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = Any

    private let logger: Logger
    private let onError: @Sendable () -> Void

    init(logger: Logger, onError: @escaping @Sendable () -> Void) {
        self.logger = logger
        self.onError = onError
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError()
        logger.warning("a connection could not be set up", metadata: ["error": "\(error)"])
    }
}
