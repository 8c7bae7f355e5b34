public import Logging
public import PostgresNIO
public import ServiceLifecycle
import Synchronization

/// The shared PostgreSQL database as a `Service`: a connection pool (`PostgresClient`) that serves
/// leases while ``run()`` runs.
///
/// Put it first in the `ServiceGroup` so it shuts down last.
public final class Database: Service, Sendable {
    /// The configuration the pool was built from.
    public let configuration: DatabaseConfiguration
    /// The underlying postgres-nio connection pool.
    public let client: PostgresClient
    /// Logger carrying `db.*` metadata.
    public let logger: Logger

    private struct RunStart {
        var started = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let runStarted = Mutex(RunStart())

    /// Creates the pool; no connection is opened until ``run()`` runs and a lease is asked for.
    public init(configuration: DatabaseConfiguration, logger: Logger) {
        var logger = logger
        logger[metadataKey: "db.host"] = "\(configuration.host)"
        logger[metadataKey: "db.port"] = "\(configuration.port)"
        logger[metadataKey: "db.name"] = "\(configuration.database)"
        self.configuration = configuration
        self.logger = logger

        let tls: PostgresClient.Configuration.TLS = switch configuration.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var clientConfiguration = PostgresClient.Configuration(
            host: configuration.host,
            port: configuration.port,
            username: configuration.username,
            password: configuration.password,
            database: configuration.database,
            tls: tls
        )
        clientConfiguration.options.maximumConnections = configuration.poolSize
        clientConfiguration.options.connectTimeout = .seconds(5)
        self.client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
    }

    /// Runs the pool until the task is cancelled or graceful shutdown is triggered.
    public func run() async throws {
        self.logger.debug("database pool starting")
        // The waiters of `whileRunning` go on as the pool starts (the next statement).
        let waiting = runStarted.withLock { state in
            state.started = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiting { waiter.resume() }
        await self.client.run()
        self.logger.debug("database pool stopped")
    }

    /// Runs the pool for the duration of `body`, for commands and tests that use the
    /// database outside a `ServiceGroup`; the pool stops when `body` returns or throws.
    ///
    /// `body` starts once ``run()`` has begun and yielded once, so that its first lease
    /// rarely comes before the pool runs. (A lease that does is not lost: the pool serves
    /// it once it runs, after logging a warning that `run()` had not been called yet.
    /// The pool does not say when it has started.)
    public func whileRunning<Result>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let started = runStarted.withLock { state in
                    if !state.started { state.waiters.append(continuation) }
                    return state.started
                }
                if started { continuation.resume() }
            }
            await Task.yield()
            return try await body()
        }
    }

    /// Leases a connection for the duration of `body`. The connection must not escape `body`.
    @discardableResult
    public func withConnection<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await self.client.withConnection(isolation: isolation, body)
    }

    /// Runs `body` in a transaction on a leased connection: `BEGIN`, then `COMMIT` if `body`
    /// returns, `ROLLBACK` if it throws.
    ///
    /// Uses postgres-nio's own `withTransaction`, but rethrows the error of `body` unwrapped when
    /// the rollback succeeded, so callers can match their own errors.
    @discardableResult
    public func withTransaction<Result>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        try await self.client.withConnection(isolation: isolation) { connection in
            try await Self.transaction(on: connection, logger: self.logger, isolation: isolation, body)
        }
    }

    /// Runs `body` in a transaction on an already leased connection (see ``withTransaction(isolation:_:)``).
    public static func transaction<Result>(
        on connection: PostgresConnection,
        logger: Logger,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await connection.withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil {
                throw closureError
            }
            throw error
        }
    }

    /// Whether `SELECT 1` succeeds within `timeout`. For health checks; never throws.
    public func isReachable(timeout: Duration = .seconds(2)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    try await self.client.withConnection { connection in
                        _ = try await connection.query("SELECT 1", logger: self.logger)
                    }
                    return true
                } catch {
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
