public import DistrictWire

/// How a protocol server listens and what it allows each connection.
public struct ServerConfiguration: Sendable {
    /// The service name reported in the handshake and in metrics, e.g. `dispatch`.
    public var serviceName: String
    /// The build version reported in the handshake and health checks.
    public var serverVersion: String
    /// The address to bind; `127.0.0.1` for the embedded setup, `0.0.0.0` in containers.
    public var host: String
    /// The port to bind; 0 picks a free port (tests), reported by `listeningAddress`.
    public var port: Int
    /// The server's certificate, key and the district CA.
    public var tls: TLSCredentials
    /// Whether clients must present a district certificate.
    public var clientCertificates: ClientCertificatePolicy
    /// Frame size limits.
    public var frameLimits: FrameLimits
    /// A heartbeat frame is sent after this long without writing.
    public var heartbeatInterval: Duration
    /// A connection is closed after this long without reading anything.
    public var idleTimeout: Duration
    /// Requests beyond this many in flight on one connection are refused with `too_many_requests`.
    public var maximumInFlightPerConnection: Int
    /// On shutdown, connections get this long to finish in-flight requests.
    public var drainTimeout: Duration

    /// Creates a configuration with defaults suited to the embedded setup.
    public init(
        serviceName: String,
        serverVersion: String = "0.1.0",
        host: String = "127.0.0.1",
        port: Int = 0,
        tls: TLSCredentials,
        clientCertificates: ClientCertificatePolicy = .optional,
        frameLimits: FrameLimits = FrameLimits(),
        heartbeatInterval: Duration = .seconds(15),
        idleTimeout: Duration = .seconds(60),
        maximumInFlightPerConnection: Int = 4096,
        drainTimeout: Duration = .seconds(10)
    ) {
        self.serviceName = serviceName
        self.serverVersion = serverVersion
        self.host = host
        self.port = port
        self.tls = tls
        self.clientCertificates = clientCertificates
        self.frameLimits = frameLimits
        self.heartbeatInterval = heartbeatInterval
        self.idleTimeout = idleTimeout
        self.maximumInFlightPerConnection = maximumInFlightPerConnection
        self.drainTimeout = drainTimeout
    }
}
