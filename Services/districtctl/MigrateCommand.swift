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
        let report = try await AllMigrations.apply(databaseURL: url, logger: Logger(label: "districtctl.migrate"))
        print("migrations: \(report.applied.count) applied, \(report.alreadyApplied.count) already present")
        for migration in report.applied { print("  applied \(migration.component) v\(migration.version) \(migration.name)") }
    }
}
