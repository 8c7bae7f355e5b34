import DistrictRuntime
import DistrictStorage
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
}

/// Every service's definition.
enum AllServices {
    static let definitions: [ServiceDefinition] = [
        IdentityService.definition, DispatchService.definition, MediationService.definition,
        LegalService.definition, NotifyService.definition,
    ]
}
