import ArgumentParser
import DistrictStorage
import Foundation
import Logging

/// `districtctl migrate`: applies every service's pending migrations once.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending database migrations of every service.")

    @Option(help: "The database URL (default: $DATABASE_URL).")
    var databaseURL: String?

    func run() async throws {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw ValidationError("give --database-url or set DATABASE_URL")
        }
        let logger = Logger(label: "districtctl.migrate")
        let database = Database(configuration: try DatabaseConfiguration(url: url), logger: logger)
        let report = try await withThrowingTaskGroup(of: MigrationReport?.self) { group in
            group.addTask { try await database.run(); return nil }
            defer { group.cancelAll() }
            return try await Migrator.apply(AllMigrations.list, using: database, logger: logger)
        }
        print("migrations: \(report.applied.count) applied, \(report.alreadyApplied.count) already present")
        for migration in report.applied { print("  applied \(migration)") }
    }
}
