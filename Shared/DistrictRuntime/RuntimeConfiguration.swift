public import DistrictContracts
public import DistrictWire
public import Foundation

/// Everything a service process reads from its environment, in one place.
///
/// Every variable has a default that suits `districtctl up` on one machine; the
/// reference with all of them is in `docs/operations.md`.
public struct RuntimeConfiguration: Sendable {
    /// Which service this process is.
    public var service: DistrictService
    /// `DISTRICT_LISTEN_HOST` (default `127.0.0.1`).
    public var listenHost: String
    /// `DISTRICT_LISTEN_PORT` (default: the service's port, 7401 … 7405).
    public var listenPort: Int
    /// `DISTRICT_METRICS_HOST` (default: the listen host).
    public var metricsHost: String
    /// `DISTRICT_METRICS_PORT` (default 9401 … 9405; 0 picks a free port).
    public var metricsPort: Int
    /// `DISTRICT_CERT_DIR` (default `./var/certs`): holds `ca.pem`, `<service>.pem`, `<service>-key.pem`.
    public var certificateDirectory: String
    /// `DISTRICT_TLS_CERT`, `DISTRICT_TLS_KEY`, `DISTRICT_TLS_CA` override single files.
    public var tls: TLSCredentials
    /// `DISTRICT_CLIENT_CERTS`: `optional` (default, departments may use tokens) or `required`.
    public var clientCertificates: ClientCertificatePolicy
    /// `DATABASE_URL` (default `postgres://district@127.0.0.1:5432/district?sslmode=disable`).
    public var databaseURL: String
    /// `DISTRICT_DATABASE_PASSWORD_FILE` (optional): a file holding the database password,
    /// which then replaces any password in `DATABASE_URL` (Compose secrets).
    public var databasePasswordFile: String?
    /// `DISTRICT_DB_POOL_SIZE` (default 16).
    public var databasePoolSize: Int
    /// `DISTRICT_MIGRATE_ON_START` (default `true`): apply pending migrations at start.
    public var migrateOnStart: Bool
    /// `DISTRICT_LOG_LEVEL` (default `info`).
    public var logLevel: String
    /// `DISTRICT_LOG_FORMAT`: `text` (default) or `json`.
    public var logFormat: String
    /// `DISTRICT_MAX_FRAME_BYTES` (default 1048576).
    public var maximumFrameBytes: Int
    /// `DISTRICT_HEARTBEAT_SECONDS` (default 15).
    public var heartbeatSeconds: Int
    /// `DISTRICT_IDLE_TIMEOUT_SECONDS` (default 60).
    public var idleTimeoutSeconds: Int
    /// `DISTRICT_MAX_IN_FLIGHT` per connection (default 4096).
    public var maximumInFlight: Int
    /// `DISTRICT_DRAIN_SECONDS` (default 10): how long shutdown waits for in-flight requests.
    public var drainSeconds: Int
    /// `DISTRICT_SECRET_KEY` (default `<cert dir>/district-secret.key`): the identity
    /// service's 32-byte secret (base64) that seals its signing keys and residents'
    /// personal data. Other services do not read it.
    public var secretKeyPath: String

    /// The default database URL of the embedded setup.
    public static let defaultDatabaseURL = "postgres://district@127.0.0.1:5432/district?sslmode=disable"

    /// Reads the configuration of `service` from `environment`.
    public static func fromEnvironment(
        service: DistrictService,
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> RuntimeConfiguration {
        func string(_ key: String, _ fallback: String) -> String {
            guard let value = environment[key], !value.isEmpty else { return fallback }
            return value
        }
        func integer(_ key: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[key], !text.isEmpty else { return fallback }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError(variable: key, value: text, expected: "an integer in \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }
        func boolean(_ key: String, _ fallback: Bool) throws -> Bool {
            guard let text = environment[key]?.lowercased(), !text.isEmpty else { return fallback }
            switch text {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw ConfigurationError(variable: key, value: text, expected: "true or false")
            }
        }

        let listenHost = string("DISTRICT_LISTEN_HOST", "127.0.0.1")
        let certificateDirectory = string("DISTRICT_CERT_DIR", "./var/certs")
        let defaults = TLSCredentials(directory: certificateDirectory, name: service.rawValue)
        let policyText = string("DISTRICT_CLIENT_CERTS", "optional")
        guard let policy = ClientCertificatePolicy(rawValue: policyText) else {
            throw ConfigurationError(variable: "DISTRICT_CLIENT_CERTS", value: policyText, expected: "required or optional")
        }
        let logFormat = string("DISTRICT_LOG_FORMAT", "text")
        guard ["text", "json"].contains(logFormat) else {
            throw ConfigurationError(variable: "DISTRICT_LOG_FORMAT", value: logFormat, expected: "text or json")
        }
        let logLevel = string("DISTRICT_LOG_LEVEL", "info")
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(logLevel) else {
            throw ConfigurationError(variable: "DISTRICT_LOG_LEVEL", value: logLevel, expected: "trace, debug, info, notice, warning, error or critical")
        }
        return RuntimeConfiguration(
            service: service,
            listenHost: listenHost,
            listenPort: try integer("DISTRICT_LISTEN_PORT", service.defaultPort, 0...65535),
            metricsHost: string("DISTRICT_METRICS_HOST", listenHost),
            metricsPort: try integer("DISTRICT_METRICS_PORT", service.defaultMetricsPort, 0...65535),
            certificateDirectory: certificateDirectory,
            tls: TLSCredentials(
                certificateChainPath: string("DISTRICT_TLS_CERT", defaults.certificateChainPath),
                privateKeyPath: string("DISTRICT_TLS_KEY", defaults.privateKeyPath),
                trustRootsPath: string("DISTRICT_TLS_CA", defaults.trustRootsPath)),
            clientCertificates: policy,
            databaseURL: string("DATABASE_URL", defaultDatabaseURL),
            databasePasswordFile: environment["DISTRICT_DATABASE_PASSWORD_FILE"].flatMap { $0.isEmpty ? nil : $0 },
            databasePoolSize: try integer("DISTRICT_DB_POOL_SIZE", 16, 1...500),
            migrateOnStart: try boolean("DISTRICT_MIGRATE_ON_START", true),
            logLevel: logLevel,
            logFormat: logFormat,
            maximumFrameBytes: try integer("DISTRICT_MAX_FRAME_BYTES", FrameLimits.defaultMaximumPayloadBytes, 1...(64 << 20)),
            heartbeatSeconds: try integer("DISTRICT_HEARTBEAT_SECONDS", 15, 1...3600),
            idleTimeoutSeconds: try integer("DISTRICT_IDLE_TIMEOUT_SECONDS", 60, 2...86400),
            maximumInFlight: try integer("DISTRICT_MAX_IN_FLIGHT", 4096, 1...1_000_000),
            drainSeconds: try integer("DISTRICT_DRAIN_SECONDS", 10, 0...3600),
            secretKeyPath: string("DISTRICT_SECRET_KEY", "\(certificateDirectory)/district-secret.key"))
    }
}

/// An environment variable with a value the service cannot use.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    /// The variable's name.
    public var variable: String
    /// The value found.
    public var value: String
    /// What was expected instead.
    public var expected: String

    public var description: String {
        "\(variable)=\(value) is not valid: expected \(expected)"
    }
}
