import Foundation

/// Where and how to reach the shared PostgreSQL database.
///
/// Built either field by field or from a `postgres://` URL; ``description`` never shows the password.
public struct DatabaseConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection uses TLS.
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        /// Plain TCP; only sensible on loopback.
        case disable
        /// TLS when the server offers it, else plain TCP.
        case prefer
        /// TLS or fail.
        case require
    }

    /// Server host name or address.
    public var host: String
    /// Server TCP port.
    public var port: Int
    /// Role to log in as.
    public var username: String
    /// Password, if the server asks for one.
    public var password: String?
    /// Database name.
    public var database: String
    /// Maximum number of pooled connections.
    public var poolSize: Int
    /// TLS mode.
    public var tls: TLSMode

    /// Creates a configuration. Without an explicit `tls`, loopback hosts use `.disable`, others `.prefer`.
    public init(
        host: String = "127.0.0.1",
        port: Int = 5432,
        username: String,
        password: String? = nil,
        database: String,
        poolSize: Int = 16,
        tls: TLSMode? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.poolSize = poolSize
        self.tls = tls ?? (Self.isLoopback(host) ? .disable : .prefer)
    }

    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The URL form, with the password replaced by `***`.
    public var description: String {
        var userInfo = self.username
        if self.password != nil { userInfo += ":***" }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(userInfo)@\(host):\(self.port)/\(self.database)?sslmode=\(self.tls.rawValue)&pool_size=\(self.poolSize)"
    }

    /// A copy pointing at another database on the same server.
    public func with(database: String) -> Self {
        var copy = self
        copy.database = database
        return copy
    }
}
