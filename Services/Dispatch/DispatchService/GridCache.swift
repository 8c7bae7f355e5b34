import DispatchDomain
import DistrictStorage
import DistrictContracts
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The grid boundaries in memory (a ``GridIndex``), so placing a report costs no query.
///
/// Grids change rarely (`grid.define`, and paths with `org.moved`, both of which touch
/// `updated_at`). At most once per ``recheckInterval`` a lookup asks the database for the
/// table's signature (count and newest `updated_at`) and reloads every grid when it
/// changed; the lookups made meanwhile use the index they have (see ``Freshness``). A grid
/// defined through this replica is seen at once, through another within the interval.
final class GridCache: Sendable {
    /// How long a loaded index is used before its signature is checked again.
    let recheckInterval: Duration

    private struct State {
        var index = GridIndex<String>()
        var signature: String?
        var freshness: Freshness
    }

    private let state: Mutex<State>

    init(recheckInterval: Duration) {
        self.recheckInterval = recheckInterval
        state = Mutex(State(freshness: Freshness(interval: recheckInterval)))
    }

    /// Forgets the index (after this replica changed a grid).
    func invalidate() {
        state.withLock { $0.freshness.invalidate() }
    }

    /// The grid containing `point`, loading or refreshing the index when due.
    func locate(_ point: GeoPoint, using database: Database, logger: Logger) async throws -> String? {
        // A connection is leased only to look for changed grids, not for every report.
        if let ticket = state.withLock({ $0.freshness.claim() }) {
            try await database.withConnection { try await refresh(ticket, on: $0, logger: logger) }
        }
        return state.withLock { $0.index.locate(point) }
    }

    private func refresh(_ ticket: Freshness.Ticket, on connection: PostgresConnection, logger: Logger) async throws {
        var signature = ""
        for try await text in try await connection.query(
            "SELECT count(*)::text || '/' || coalesce(max(updated_at)::text, '') FROM dispatch.grids", logger: logger
        ).decode(String.self) {
            signature = text
        }
        let unchanged = state.withLock { state -> Bool in
            if state.signature == signature {
                state.freshness.checked(ticket)
                return true
            }
            return false
        }
        if unchanged { return }
        var index = GridIndex<String>()
        // Ordered by path, so overlapping boundaries resolve as the database query did.
        for try await (path, boundaryJSON) in try await connection.query(
            "SELECT path::text, boundary::text FROM dispatch.grids ORDER BY path", logger: logger
        ).decode((String, String).self) {
            let polygon = try JSONDecoder().decode(GeoPolygon.self, from: Data(boundaryJSON.utf8))
            if let boundary = try? GridBoundary(polygon) { index.insert(path, boundary) }
        }
        state.withLock { state in
            state.index = index
            state.signature = signature
            state.freshness.checked(ticket)
        }
        logger.debug("grid index loaded", metadata: ["grid.count": "\(index.count)"])
    }
}
