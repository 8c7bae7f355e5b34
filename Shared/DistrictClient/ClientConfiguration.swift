public import DistrictWire

/// How a client reaches a district service.
public struct ClientConfiguration: Sendable {
    /// The service's host name or address.
    public var host: String
    /// The service's port.
    public var port: Int
    /// The name the server certificate must carry; defaults to `host`.
    public var serverHostname: String?
    /// PEM file of the district CA that signed the server certificate.
    public var trustRootsPath: String
    /// This client's certificate and key, for mutual TLS (services, departments that use
    /// certificates); nil for token-only clients.
    public var clientCredentials: TLSCredentials?
    /// A token sent with every call that does not pass its own.
    public var token: String?
    /// A name for the server's logs, e.g. `urban-management-gateway/2.1`.
    public var clientName: String
    /// How many connections the pool keeps.
    public var connections: Int
    /// The deadline of a call that does not set its own.
    public var defaultTimeout: Duration
    /// How long connecting (TCP, TLS and handshake) may take.
    public var connectTimeout: Duration
    /// The first reconnect delay; it doubles per failed attempt up to `maximumBackoff`.
    public var initialBackoff: Duration
    /// The longest reconnect delay.
    public var maximumBackoff: Duration
    /// A ping is sent after this long without writing.
    public var heartbeatInterval: Duration
    /// The connection is dropped after this long without hearing from the server.
    public var idleTimeout: Duration
    /// Frame size limits for what the server sends.
    public var frameLimits: FrameLimits

    /// Creates a configuration.
    public init(
        host: String,
        port: Int,
        serverHostname: String? = nil,
        trustRootsPath: String,
        clientCredentials: TLSCredentials? = nil,
        token: String? = nil,
        clientName: String = "district-client",
        connections: Int = 1,
        defaultTimeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        initialBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(10),
        heartbeatInterval: Duration = .seconds(15),
        idleTimeout: Duration = .seconds(60),
        frameLimits: FrameLimits = FrameLimits(maximumPayloadBytes: 16 << 20)
    ) {
        self.host = host
        self.port = port
        self.serverHostname = serverHostname
        self.trustRootsPath = trustRootsPath
        self.clientCredentials = clientCredentials
        self.token = token
        self.clientName = clientName
        self.connections = max(1, connections)
        self.defaultTimeout = defaultTimeout
        self.connectTimeout = connectTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.heartbeatInterval = heartbeatInterval
        self.idleTimeout = idleTimeout
        self.frameLimits = frameLimits
    }
}
