extension MetricsEndpoint {
    /// Where the metrics endpoint listens.
    public struct Configuration: Sendable, Hashable {
        /// The host or address to bind, e.g. `127.0.0.1` or `0.0.0.0`.
        public var host: String
        /// The TCP port to bind; `0` lets the system pick one (see ``MetricsEndpoint/boundPort``).
        public var port: Int
        /// The listen backlog.
        public var backlog: Int32

        /// Creates a configuration.
        public init(host: String = "127.0.0.1", port: Int, backlog: Int32 = 64) {
            self.host = host
            self.port = port
            self.backlog = backlog
        }
    }
}
