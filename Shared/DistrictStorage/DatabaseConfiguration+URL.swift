import Foundation

extension DatabaseConfiguration {
    /// Parses `postgres://user:pass@host:port/db?sslmode=disable&pool_size=16`.
    ///
    /// Accepts the `postgres` and `postgresql` schemes; user and password are percent-decoded.
    /// `sslmode` maps `disable` → `.disable`, `allow`/`prefer` → `.prefer`,
    /// `require`/`verify-ca`/`verify-full` → `.require`; missing means the loopback default.
    /// - Throws: ``DatabaseConfigurationError`` naming what is wrong.
    public init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw DatabaseConfigurationError(.invalidURL, "not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw DatabaseConfigurationError(.invalidURL, "scheme must be postgres or postgresql, not '\(scheme)'")
        }
        guard let rawHost = components.percentEncodedHost, !rawHost.isEmpty,
              let host = rawHost.removingPercentEncoding
        else {
            throw DatabaseConfigurationError(.invalidURL, "missing host")
        }
        guard let rawUser = components.percentEncodedUser, !rawUser.isEmpty,
              let username = rawUser.removingPercentEncoding
        else {
            throw DatabaseConfigurationError(.invalidURL, "missing user name")
        }
        var password: String?
        if let rawPassword = components.percentEncodedPassword {
            guard let decoded = rawPassword.removingPercentEncoding else {
                throw DatabaseConfigurationError(.invalidURL, "password is not valid percent-encoding")
            }
            password = decoded
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else {
            throw DatabaseConfigurationError(.invalidURL, "port \(port) out of range")
        }
        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        guard !path.isEmpty, !path.contains("/"), let database = path.removingPercentEncoding else {
            throw DatabaseConfigurationError(.invalidURL, "missing or invalid database name")
        }

        var tls: TLSMode?
        var poolSize = 16
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                tls = try Self.tlsMode(sslmode: item.value ?? "")
            case "pool_size":
                guard let value = item.value.flatMap(Int.init), value > 0 else {
                    throw DatabaseConfigurationError(.invalidURL, "pool_size must be a positive integer")
                }
                poolSize = value
            default:
                throw DatabaseConfigurationError(.invalidURL, "unknown parameter '\(item.name)'")
            }
        }
        let bareHost = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.init(
            host: bareHost, port: port, username: username, password: password,
            database: database, poolSize: poolSize, tls: tls
        )
    }

    private static func tlsMode(sslmode: String) throws -> TLSMode {
        switch sslmode {
        case "disable": return .disable
        case "allow", "prefer": return .prefer
        case "require", "verify-ca", "verify-full": return .require
        default: throw DatabaseConfigurationError(.invalidURL, "unknown sslmode '\(sslmode)'")
        }
    }
}
