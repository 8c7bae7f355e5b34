public import DistrictProtocol
public import Logging

/// What a handler knows about the request it serves, besides its parameters.
public struct RequestContext: Sendable {
    /// The client's request id.
    public var requestID: RequestID
    /// The method name.
    public var method: String
    /// The bearer token, if any; services verify it with the shared authorization library.
    public var token: String?
    /// The idempotency key for retried writes, if any.
    public var idempotencyKey: String?
    /// The transport-level identity of the peer.
    public var peer: PeerIdentity
    /// The connection's logger (with `connection.id`), without the request's metadata.
    public var connectionLogger: Logger

    /// A logger carrying `connection.id`, `rpc.id` and `rpc.method` metadata.
    ///
    /// Built on first use: most requests log nothing, and setting metadata is not free.
    public var logger: Logger {
        var logger = connectionLogger
        logger[metadataKey: "rpc.id"] = "\(requestID)"
        logger[metadataKey: "rpc.method"] = "\(method)"
        return logger
    }

    /// Creates a context.
    public init(requestID: RequestID, method: String, token: String? = nil, idempotencyKey: String? = nil, peer: PeerIdentity = PeerIdentity(), logger: Logger) {
        self.requestID = requestID
        self.method = method
        self.token = token
        self.idempotencyKey = idempotencyKey
        self.peer = peer
        self.connectionLogger = logger
    }
}
