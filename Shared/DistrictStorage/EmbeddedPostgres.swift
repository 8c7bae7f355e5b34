public import Logging

/// A local PostgreSQL cluster run from the installed server binaries, for development
/// (`districtctl up`) and tests.
///
/// The server listens on `127.0.0.1` only and the cluster trusts local connections
/// (`initdb --auth=trust`), which is why it must never listen on other addresses.
/// `initdb` and `postgres` refuse to run as root: when the process runs as root they are started
/// as the `postgres` system user (via `runuser`) and the data and socket directories are handed to
/// that user. Their parent directories must then be traversable by it.
public struct EmbeddedPostgres: Sendable {
    /// Absolute path of the data directory.
    public var dataDirectory: String
    /// TCP port on 127.0.0.1.
    public var port: Int
    /// Directory for the Unix-domain socket.
    public var socketDirectory: String
    /// The superuser `initdb` creates.
    public var username: String
    /// Directory holding `initdb`, `pg_ctl`, `createdb`.
    public var binDirectory: String
    /// Extra server settings passed as `-c name=value` on start (e.g. `fsync=off` for throwaway test clusters).
    /// `fsync` stays on unless set here.
    public var settings: [String: String]
    /// The server log file (`pg_ctl -l`).
    public var logFile: String
    let logger: Logger

    /// Describes a cluster; nothing is created until ``initialize()``.
    ///
    /// - Parameters:
    ///   - binDirectory: Server binaries; `nil` locates them (see ``locateBinDirectory(environment:)``).
    ///   - socketDirectory: Defaults to the data directory.
    public init(
        dataDirectory: String,
        port: Int,
        socketDirectory: String? = nil,
        username: String = "district",
        settings: [String: String] = [:],
        binDirectory: String? = nil,
        logger: Logger
    ) async throws {
        let dataDirectory = Self.absolute(dataDirectory)
        self.dataDirectory = dataDirectory
        self.port = port
        self.socketDirectory = Self.absolute(socketDirectory ?? dataDirectory)
        self.username = username
        self.settings = settings
        if let binDirectory {
            self.binDirectory = binDirectory
        } else {
            self.binDirectory = try await Self.locateBinDirectory()
        }
        self.logFile = dataDirectory + "/server.log"
        var logger = logger
        logger[metadataKey: "postgres.data_directory"] = "\(dataDirectory)"
        logger[metadataKey: "postgres.port"] = "\(port)"
        self.logger = logger
    }

    /// Settings always passed on start, before ``settings``.
    public static let baseSettings: [String: String] = [
        "listen_addresses": "127.0.0.1",
        "max_connections": "300",
    ]

    /// A configuration for connecting to `database` on this cluster.
    public func configuration(database: String, poolSize: Int = 16) -> DatabaseConfiguration {
        DatabaseConfiguration(
            host: "127.0.0.1", port: self.port, username: self.username, password: nil,
            database: database, poolSize: poolSize, tls: .disable
        )
    }
}
