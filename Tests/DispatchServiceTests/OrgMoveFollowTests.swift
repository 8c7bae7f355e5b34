import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import IdentityService
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

            // The follower applies the move asynchronously; wait for it (bounded), then check.
            var path = c.orgPath
            for _ in 0..<100 where path != "d01.s02.c01.g001" {
                try await Task.sleep(for: .milliseconds(100))
                path = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.districtCentre).orgPath
            }
            #expect(path == "d01.s02.c01.g001")
            #expect(try await f.count("SELECT count(*) FROM dispatch.grids WHERE path <@ 'd01.s02.c01'") == 2)
            #expect(try await f.count("SELECT count(*) FROM dispatch.grids WHERE path <@ 'd01.s01'") == 0)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_stats_daily WHERE org_path <@ 'd01.s01'") == 0)
            // Street s01's command centre no longer reaches the case; a report there now lands under s02.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.streetCentre)
            } == .permissionDenied)
            // Placement reads the in-memory grid index, refreshed within a second.
            var located: String?
            for _ in 0..<50 where located != "d01.s02.c01.g001" {
                located = try await f.client.call(DispatchAPI.GridLocate.self, .init(location: DispatchFixture.inG001), token: try f.resident).path
                if located != "d01.s02.c01.g001" { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(located == "d01.s02.c01.g001")
        }
    }
}
