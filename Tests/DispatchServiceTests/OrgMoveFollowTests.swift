import DispatchService
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Foundation
import IdentityService
import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("Dispatch follows org moves made by the identity service")
struct OrgMoveFollowTests {
    @Test("moving a community to another street moves its cases, grids and figures, and the old street's reach with them")
    func follow() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            #expect(c.orgPath == "d01.s01.c01.g001")
            _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.streetCentre)

            // The identity service, on the same database, moves community c01 to street s02.
            try await RunningService.with(IdentityService.definition, databaseURL: f.service.databaseURL) { identity in
                let admin = try identity.token("admin", .systemAdministrator, at: "d01")
                let moved = try await identity.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01.c01", newParentPath: "d01.s02"), token: admin)
                #expect(moved.path == "d01.s02.c01")
            }

            // The service's follower applies the move in the background; catch up with it.
            try await Self.applyPendingMoves(f.service.database)
            let path = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.districtCentre).orgPath
            #expect(path == "d01.s02.c01.g001")
            #expect(try await f.count("SELECT count(*) FROM dispatch.grids WHERE path <@ 'd01.s02.c01'") == 2)
            #expect(try await f.count("SELECT count(*) FROM dispatch.grids WHERE path <@ 'd01.s01'") == 0)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_stats_daily WHERE org_path <@ 'd01.s01'") == 0)
            // Street s01's command centre no longer reaches the case; a report there now lands under s02.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.streetCentre)
            } == .permissionDenied)
            // Placement reads the in-memory grid index, which sees the moved grids.
            let located = try await f.client.call(DispatchAPI.GridLocate.self, .init(location: DispatchFixture.inG001), token: try f.resident).path
            #expect(located == "d01.s02.c01.g001")
        }
    }

    /// Applies every org move committed so far, as a second follower would: a batch that
    /// finds another follower's batch in progress waits for that batch's transaction (a
    /// blocking lock on the consumer's checkpoint row) and tries again.
    static func applyPendingMoves(_ database: Database) async throws {
        let logger = Logger(label: "test.follower")
        let follower = OrgPathFollower(database: database, notifier: EventNotifier(database: database, logger: logger), logger: logger)
        while true {
            let result = try await follower.processOnce()
            if result.isLockedElsewhere {
                try await database.withTransaction { connection in
                    try await connection.query(
                        "SELECT 1 FROM events.consumer_checkpoints WHERE consumer = \(OrgPathFollower.consumerName) FOR UPDATE", logger: logger)
                }
                continue
            }
            if !result.isFull && !result.hasHeldBackEvents { return }
        }
    }
}
