import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Linking and unlinking duplicates by hand")
struct ManualLinkTests {
    @Test("a case linked into another ends rejected with its reporter merged; unlinking restores both; the figures follow")
    func linkAndUnlink() async throws {
        try await DispatchFixture.with { f in
            let target = try await f.report(token: try f.resident).case
            // 200 m away, so not merged automatically.
            let far = GeoPoint(longitude: DispatchFixture.inG001.longitude, latitude: DispatchFixture.inG001.latitude - 0.0018)
            let other = try await f.report(at: far, token: try f.otherResident).case
            #expect(other.id != target.id)
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: other.id), token: try f.streetCentre)

            // Refusals write nothing: self-link, a department, an unknown target, linking into a linked case.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: other.id), token: try f.streetCentre)
            } == .invalidParams)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: target.id), token: try f.cgHandler)
            } == .permissionDenied)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: UUID().uuidString), token: try f.streetCentre)
            } == .notFound)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Unlink.self, .init(caseId: other.id), token: try f.streetCentre)
            } == .invalidTransition)
            let timelineRows = try await f.count("SELECT count(*) FROM dispatch.case_timeline")

            let linked = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: target.id, note: "同一处塌陷"), token: try f.streetCentre)
            #expect(linked.duplicate.state == .rejected)
            #expect(linked.target.duplicateReports == 1 && linked.target.state == .reported)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_timeline") == timelineRows + 2)
            // The second reporter may now read the target; linking again is refused.
            _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: target.id), token: try f.otherResident)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: target.id), token: try f.streetCentre)
            } == .invalidTransition)
            let day = DispatchAPI.Stats.Params(path: "d01", from: "2025-06-15", to: "2025-06-15")
            let afterLink = try await f.client.call(DispatchAPI.Stats.self, day, token: try f.districtCentre).total
            #expect(afterLink.reported == 1 && afterLink.duplicates == 1)

            let unlinked = try await f.client.call(DispatchAPI.Unlink.self, .init(caseId: other.id), token: try f.streetCentre)
            #expect(unlinked.duplicate.state == .dispatched)
            #expect(unlinked.target.duplicateReports == 0)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_reporters WHERE case_id = '\(target.id)'") == 1)
            let afterUnlink = try await f.client.call(DispatchAPI.Stats.self, day, token: try f.districtCentre).total
            #expect(afterUnlink.reported == 2 && afterUnlink.duplicates == 0)
            // A claimed case is being worked and cannot be linked.
            _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: other.id), token: try f.cgHandler)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Link.self, .init(caseId: other.id, intoCaseId: target.id), token: try f.streetCentre)
            } == .invalidTransition)
        }
    }
}
