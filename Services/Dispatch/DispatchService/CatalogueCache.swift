import DispatchDomain
import DistrictContracts
import Synchronization

/// Published catalogue versions never change, so a version once read is kept for good;
/// only "which version is newest" is asked of the database.
final class CatalogueCache: Sendable {
    private struct Key: Hashable {
        var district: String
        var version: Int
    }

    private let versions = Mutex<[Key: MatterCatalogue]>([:])

    func catalogue(district: String, version: Int) -> MatterCatalogue? {
        versions.withLock { $0[Key(district: district, version: version)] }
    }

    func remember(_ catalogue: MatterCatalogue) {
        let key = Key(district: catalogue.version.district, version: catalogue.version.version)
        versions.withLock { $0[key] = catalogue }
    }
}
