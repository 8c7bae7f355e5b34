import DispatchDomain
import DistrictContracts
import Synchronization

/// Published catalogue versions never change, so a version once read is kept for good.
/// "Which version is newest" is asked of the database at most once per
/// ``latestLifetime`` per district: a version published through another replica is used
/// for new reports within that time (through this replica, at once).
final class CatalogueCache: Sendable {
    /// How long the newest version number is trusted without asking the database.
    static let latestLifetime: Duration = .seconds(1)

    private let latest = Mutex<[String: (version: Int, checked: ContinuousClock.Instant)]>([:])

    /// The newest version of `district` if it was checked within ``latestLifetime``.
    func latestVersion(district: String) -> Int? {
        latest.withLock { entries in
            guard let entry = entries[district], entry.checked.duration(to: .now) < Self.latestLifetime else { return nil }
            return entry.version
        }
    }

    /// Records `version` as the newest of `district` (never going back to an older one).
    func rememberLatest(district: String, version: Int) {
        latest.withLock { entries in
            let known = entries[district]?.version ?? 0
            entries[district] = (max(known, version), .now)
        }
    }

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
