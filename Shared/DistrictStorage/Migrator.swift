public import Logging
public import PostgresNIO

/// Applies versioned SQL migrations exactly once, also when several replicas start at the same time.
///
/// The whole run holds a session-level `pg_advisory_lock(Migrator.advisoryLockKey)` on one
/// connection, so concurrent runners queue up and the later ones find everything applied.
/// Each migration runs in its own transaction together with its row in
/// `district_meta.schema_migrations`, so a migration and its record commit (or fail) together.
public enum Migrator {
    /// The fixed advisory-lock key of migration runs ("DISTRICT" in ASCII).
    public static let advisoryLockKey: Int64 = 0x4449_5354_5249_4354

    /// Applies `migrations` using a connection leased from `database`.
    public static func apply(_ migrations: [Migration], using database: Database, logger: Logger) async throws -> MigrationReport {
        try await database.withConnection { connection in
            try await self.apply(migrations, on: connection, logger: logger)
        }
    }

    /// Applies `migrations` using a connection leased from `client`.
    public static func apply(_ migrations: [Migration], using client: PostgresClient, logger: Logger) async throws -> MigrationReport {
        try await client.withConnection { connection in
            try await self.apply(migrations, on: connection, logger: logger)
        }
    }

    /// Applies `migrations` on `connection`, in the order components first appear in the list,
    /// then by version.
    ///
    /// Before applying anything, every already-applied migration is compared with its recorded
    /// checksum; a difference throws ``MigrationError`` with code `checksum_mismatch` and nothing is applied.
    public static func apply(_ migrations: [Migration], on connection: PostgresConnection, logger: Logger) async throws -> MigrationReport {
        let ordered = try self.ordered(migrations)
        try await connection.query("SELECT pg_advisory_lock(\(self.advisoryLockKey))", logger: logger)
        do {
            let report = try await self.applyLocked(ordered, on: connection, logger: logger)
            try await connection.query("SELECT pg_advisory_unlock(\(self.advisoryLockKey))", logger: logger)
            return report
        } catch {
            // A broken connection releases the session lock by itself.
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(self.advisoryLockKey))", logger: logger)
            throw error
        }
    }

    static func ordered(_ migrations: [Migration]) throws -> [Migration] {
        var componentRank: [String: Int] = [:]
        var seen: Set<String> = []
        for migration in migrations {
            if componentRank[migration.component] == nil {
                componentRank[migration.component] = componentRank.count
            }
            guard seen.insert(migration.id).inserted else {
                throw MigrationError(
                    .duplicateMigration, component: migration.component, version: migration.version,
                    message: "listed twice"
                )
            }
        }
        return migrations.sorted { lhs, rhs in
            let (left, right) = (componentRank[lhs.component]!, componentRank[rhs.component]!)
            return left != right ? left < right : lhs.version < rhs.version
        }
    }

    private static func applyLocked(_ migrations: [Migration], on connection: PostgresConnection, logger: Logger) async throws -> MigrationReport {
        try await connection.query("CREATE SCHEMA IF NOT EXISTS district_meta", logger: logger)
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS district_meta.schema_migrations (
                component text NOT NULL,
                version integer NOT NULL,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (component, version)
            )
            """,
            logger: logger
        )
        var recorded: [String: String] = [:]
        let rows = try await connection.query(
            "SELECT component, version, checksum FROM district_meta.schema_migrations", logger: logger
        )
        for try await (component, version, checksum) in rows.decode((String, Int, String).self) {
            recorded["\(component)/\(version)"] = checksum
        }

        var report = MigrationReport()
        var pending: [Migration] = []
        for migration in migrations {
            guard let checksum = recorded[migration.id] else {
                pending.append(migration)
                continue
            }
            guard checksum == migration.checksum else {
                throw MigrationError(
                    .checksumMismatch, component: migration.component, version: migration.version,
                    message: "migration '\(migration.name)' was applied with checksum \(checksum) but now has \(migration.checksum)"
                )
            }
            report.alreadyApplied.append(migration)
        }

        for migration in pending {
            var logger = logger
            logger[metadataKey: "migration.id"] = "\(migration.id)"
            logger.info("applying migration", metadata: ["migration.name": "\(migration.name)"])
            let body = try self.executableBody(of: migration)
            try await Database.transaction(on: connection, logger: logger) { connection in
                try await connection.query(PostgresQuery(unsafeSQL: body), logger: logger)
                try await connection.query(
                    """
                    INSERT INTO district_meta.schema_migrations (component, version, name, checksum)
                    VALUES (\(migration.component), \(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
            }
            report.applied.append(migration)
        }
        return report
    }

    private static let outerTag = "$district_migration$"
    private static let bodyTag = "$district_migration_sql$"

    /// postgres-nio 1.33.2 only speaks the extended query protocol, whose Parse step refuses
    /// several commands in one string, and offers no simple-query API. A PL/pgSQL `EXECUTE` of the
    /// dollar-quoted body does run several statements, so the body is wrapped in a `DO` block.
    static func executableBody(of migration: Migration) throws -> String {
        guard !migration.sql.contains(self.outerTag), !migration.sql.contains(self.bodyTag) else {
            throw MigrationError(
                .invalidMigration, component: migration.component, version: migration.version,
                message: "SQL must not contain \(self.outerTag) or \(self.bodyTag)"
            )
        }
        return "DO \(self.outerTag) BEGIN EXECUTE \(self.bodyTag)\(migration.sql)\(self.bodyTag); END \(self.outerTag)"
    }
}
