import DistrictServer
import DistrictStorage
import Logging
import ServiceLifecycle

/// Applies pending migrations (retrying while the database is unreachable), then advances
/// `migrated` (background work waits for it, see ``AfterMigrations``) and serves. The port
/// opens only once the schema is current, so health checks stay red until then.
struct MigratingServer: Service {
    let server: ProtocolServer
    let database: Database
    let migrations: [Migration]
    let migrateOnStart: Bool
    let migrated: GenerationSignal
    let logger: Logger

    func run() async throws {
        if migrateOnStart {
            var delay = Duration.milliseconds(250)
            while true {
                do {
                    let report = try await Migrator.apply(migrations, using: database, logger: logger)
                    logger.info("migrations checked", metadata: ["migrations.applied": "\(report.applied.count)"])
                    break
                } catch let error as MigrationError {
                    // A checksum mismatch will not heal by waiting.
                    logger.critical("migrations refused", metadata: ["error": "\(error)"])
                    throw error
                } catch {
                    logger.warning("database not ready for migrations; retrying", metadata: ["error": "\(error)", "retry.delay": "\(delay)"])
                    try await gracefulSleep(delay)
                    if Task.isShuttingDownGracefully { return }
                    delay = min(delay * 2, .seconds(5))
                }
            }
        }
        migrated.advance()
        try await server.run()
    }

    private func gracefulSleep(_ delay: Duration) async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: delay)
        }
    }
}
