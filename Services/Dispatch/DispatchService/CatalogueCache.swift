import DispatchDomain
import DistrictContracts
import Synchronization

/// Published catalogue versions never change, so a version once read is kept for good.
/// "Which version is newest" is asked of the database at most once per
/// ``latestLifetime`` per district, by one caller while the others use the version they
/// know (see ``Freshness``): a version published through another replica is used for new
/// reports within about that time (through this replica, at once).
final class CatalogueCache: Sendable {
    /// How long the newest version number is trusted without asking the database.
    static let latestLifetime: Duration = .seconds(1)

    /// What the cache says of a district's newest version.
    enum NewestVersion: Sendable, Hashable {
        /// Use this version.
        case use(Int)
        /// Ask the database, then hand the answer back with the ticket (`nil` when no
        /// version of the district is known yet).
        case ask(Freshness.Ticket?)
    }

    private struct Latest {
        var version: Int
        var freshness = Freshness(interval: CatalogueCache.latestLifetime)
    }

    private let latest = Mutex<[String: Latest]>([:])

    /// The newest version of `district`, or a ticket to ask the database for it.
    func newestVersion(district: String) -> NewestVersion {
        latest.withLock { entries in
            guard var entry = entries[district] else { return .ask(nil) }
            if let ticket = entry.freshness.claim() {
                entries[district] = entry
                return .ask(ticket)
            }
            return .use(entry.version)
        }
    }

    /// Records `version` as the newest of `district` (never going back to an older one):
    /// read from the database under `ticket`, or published through this replica, or the
    /// first version read (`nil`).
    func rememberLatest(district: String, version: Int, ticket: Freshness.Ticket?) {
        latest.withLock { entries in
            var entry = entries[district] ?? Latest(version: version)
            entry.version = max(entry.version, version)
            if let ticket { entry.freshness.checked(ticket) } else { entry.freshness.current() }
            entries[district] = entry
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
