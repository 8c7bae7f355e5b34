/// Methods of the protocol itself, answered by every server before any service method.
public enum ProtocolAPI {
    /// `protocol.hello`: must be the first request on a connection; negotiates the version.
    public enum Hello: MethodDescriptor {
        public static let name = "protocol.hello"

        /// What the client offers.
        public struct Params: Codable, Sendable, Hashable {
            /// Protocol versions the client speaks.
            public var versions: [Int]
            /// A free-form client name for logs, e.g. `urban-management-gateway/2.1`.
            public var client: String?

            /// Creates hello parameters.
            public init(versions: [Int] = ProtocolVersion.supported, client: String? = nil) {
                self.versions = versions
                self.client = client
            }
        }

        /// What the server settled on.
        public struct Result: Codable, Sendable, Hashable {
            /// The negotiated protocol version.
            public var version: Int
            /// The service answering, e.g. `dispatch`.
            public var service: String
            /// The server's build version.
            public var serverVersion: String
            /// The largest frame payload either side may send, in bytes.
            public var maxFrameBytes: Int
            /// The server sends a heartbeat after this many milliseconds without writing.
            public var heartbeatIntervalMs: Int
            /// The server closes the connection after this many milliseconds without reading.
            public var idleTimeoutMs: Int
            /// How many requests may be in flight on this connection at once.
            public var maxInFlight: Int

            /// Creates a hello result.
            public init(version: Int, service: String, serverVersion: String, maxFrameBytes: Int, heartbeatIntervalMs: Int, idleTimeoutMs: Int, maxInFlight: Int) {
                self.version = version
                self.service = service
                self.serverVersion = serverVersion
                self.maxFrameBytes = maxFrameBytes
                self.heartbeatIntervalMs = heartbeatIntervalMs
                self.idleTimeoutMs = idleTimeoutMs
                self.maxInFlight = maxInFlight
            }
        }
    }

    /// `protocol.ping`: keeps a connection alive and measures round trips.
    public enum Ping: MethodDescriptor {
        public static let name = "protocol.ping"
        public typealias Params = Empty
        public typealias Result = Empty
    }

    /// `protocol.unsubscribe`: ends a subscription opened on this connection.
    public enum Unsubscribe: MethodDescriptor {
        public static let name = "protocol.unsubscribe"

        /// Which subscription to end.
        public struct Params: Codable, Sendable, Hashable {
            /// The id the subscribe result returned.
            public var subscription: String
            /// Creates unsubscribe parameters.
            public init(subscription: String) { self.subscription = subscription }
        }

        public typealias Result = Empty
    }
}
