public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO

/// Fresh, isolated databases for tests, so tests can run in parallel.
public enum TestDatabase {
    /// A logger for tests that only shows warnings and errors (tests never bootstrap logging).
    public static func makeLogger(_ label: String = "test") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }

    /// Creates a new database `test_<random>` on the test server and returns its configuration.
    public static func createFreshDatabase(logger: Logger = makeLogger()) async throws -> DatabaseConfiguration {
        let admin = try await TestPostgresServer.adminConfiguration()
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await self.withAdminConnection(admin, logger: logger) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        }
        return admin.with(database: name)
    }

    /// Drops a database made by ``createFreshDatabase(logger:)``, disconnecting its sessions.
    public static func dropDatabase(_ configuration: DatabaseConfiguration, logger: Logger = makeLogger()) async throws {
        let admin = try await TestPostgresServer.adminConfiguration()
        try await self.withAdminConnection(admin, logger: logger) { connection in
            try await connection.query(
                PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(configuration.database)\" WITH (FORCE)"), logger: logger
            )
        }
    }

    /// Runs `body` with a running ``Database`` on a fresh database; stops it and drops the database afterwards.
    public static func withFreshDatabase<Result: Sendable>(
        logger: Logger = makeLogger(),
        _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        let configuration = try await self.createFreshDatabase(logger: logger)
        let result = try await self.withRunningDatabase(configuration, logger: logger, body)
        try? await self.dropDatabase(configuration, logger: logger)
        return result
    }

    /// Runs `body` like ``withFreshDatabase(logger:_:)``, on a database with `migrations`
    /// (the shared core ones, say) applied first.
    public static func withFreshDatabase<Result: Sendable>(
        applying migrations: [Migration],
        logger: Logger = makeLogger(),
        _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        try await self.withFreshDatabase(logger: logger) { database in
            _ = try await Migrator.apply(migrations, using: database, logger: logger)
            return try await body(database)
        }
    }

    /// Runs `body` with a ``Database`` service for `configuration` running in a child task, cancelled at the end.
    public static func withRunningDatabase<Result: Sendable>(
        _ configuration: DatabaseConfiguration,
        logger: Logger = makeLogger(),
        _ body: @Sendable (Database) async throws -> Result
    ) async throws -> Result {
        let database = Database(configuration: configuration, logger: logger)
        return try await database.whileRunning { try await body(database) }
    }

    private static func withAdminConnection(
        _ admin: DatabaseConfiguration, logger: Logger,
        _ body: (PostgresConnection) async throws -> Void
    ) async throws {
        let configuration = PostgresConnection.Configuration(
            host: admin.host, port: admin.port, username: admin.username, password: admin.password,
            database: admin.database, tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            try await body(connection)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
