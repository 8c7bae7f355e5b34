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
    /// A logger carrying `connection.id`, `rpc.id` and `rpc.method` metadata.
    public var logger: Logger

    /// Creates a context.
    public init(requestID: RequestID, method: String, token: String? = nil, idempotencyKey: String? = nil, peer: PeerIdentity = PeerIdentity(), logger: Logger) {
        self.requestID = requestID
        self.method = method
        self.token = token
        self.idempotencyKey = idempotencyKey
        self.peer = peer
        self.logger = logger
    }
}
