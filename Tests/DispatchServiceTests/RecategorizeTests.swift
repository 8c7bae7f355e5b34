import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Re-routing when the category changes")
struct RecategorizeTests {
    @Test("a dispatched case given another category goes to that category's department with its deadline")
    func reroute() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            let dispatched = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            #expect(dispatched.department == "cg")

            // Unknown or unchanged categories are refused and write nothing.
            for category in ["no_such_matter", "road_damage", "Bad Code"] {
                #expect(await DispatchFixture.errorCode {
                    _ = try await f.client.call(DispatchAPI.Recategorize.self, .init(caseId: c.id, category: category), token: try f.streetCentre)
                } == .invalidParams, "\(category)")
            }
            // A department may not recategorize.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Recategorize.self, .init(caseId: c.id, category: "gas_leak"), token: try f.cgHandler)
            } == .permissionDenied)
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_timeline") == 3)

            f.clock.advance(by: 60)
            let moved = try await f.client.call(DispatchAPI.Recategorize.self, .init(caseId: c.id, category: "gas_leak"), token: try f.streetCentre)
            #expect(moved.state == .dispatched && moved.category == "gas_leak" && moved.department == "rq")
            #expect(moved.dueAt == DispatchFixture.start.addingTimeInterval(60 + 120 * 60))
            let timeline = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.streetCentre).timeline ?? []
            #expect(timeline.last?.event == "case.recategorized")
            // The old department hears of it and can no longer claim; the new one can.
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE stream = 'dispatch.dept.cg' AND type = 'case.recategorized'") == 1)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.cgHandler)
            } == .permissionDenied)
            let rq = try f.token("rq-1", .departmentHandler, at: "d01", department: "rq")
            let claimed = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: rq)
            #expect(claimed.state == .claimed)
            // Once claimed, the category is settled.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Recategorize.self, .init(caseId: c.id, category: "road_damage"), token: try f.streetCentre)
            } == .invalidTransition)
        }
    }
}
