import DistrictRuntime
import Foundation
import DistrictStorage
import Logging
import DispatchService
import IdentityService
import LegalService
import MediationService
import NotifyService

/// Every migration of the district, in the order a fresh database needs them.
enum AllMigrations {
    static var list: [Migration] {
        CoreMigrations.all + AllServices.definitions.flatMap(\.migrations)
    }

    /// Applies every pending migration to the database at `databaseURL`, with a pool
    /// that lives only for the call.
    static func apply(databaseURL: String, logger: Logger) async throws -> MigrationReport {
        let database = Database(configuration: try DatabaseConfiguration(url: databaseURL, environment: ProcessInfo.processInfo.environment), logger: logger)
        return try await database.whileRunning {
            try await Migrator.apply(list, using: database, logger: logger)
        }
    }
}

/// Every service's definition.
enum AllServices {
    static let definitions: [ServiceDefinition] = [
        IdentityService.definition, DispatchService.definition, MediationService.definition,
        LegalService.definition, NotifyService.definition,
    ]
}
