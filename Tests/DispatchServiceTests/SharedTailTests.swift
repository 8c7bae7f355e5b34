import DispatchService
import DistrictClient
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Many department subscribers over the shared event tail")
struct SharedTailTests {
    @Test("twenty subscribers each receive every dispatched case once and in order, live or catching up from the start")
    func manySubscribers() async throws {
        try await DispatchFixture.with { f in
            let token = try f.cgHandler
            // Two cases before anyone subscribes: only the from-the-start subscribers see them.
            var before: [String] = []
            for i in 0..<2 {
                let c = try await f.report(at: GeoPoint(longitude: 116.3860 + Double(i) * 0.001, latitude: 39.9110), token: try f.resident).case
                _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
                before.append(c.id)
            }
            let client = try f.service.makeClient(connections: 4)
            var subscriptions: [ClientSubscription<DispatchAPI.QueueSubscribe>] = []
            for _ in 0..<20 {
                subscriptions.append(try await client.subscribe(DispatchAPI.QueueSubscribe.self, .init(department: "cg", path: "d01"), token: token))
            }
            var after: [String] = []
            for i in 0..<8 {
                let c = try await f.report(at: GeoPoint(longitude: 116.3860 + Double(i) * 0.001, latitude: 39.9130), token: try f.resident).case
                _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
                after.append(c.id)
            }
            // Every subscription started at the beginning of the queue (no cursor), so each
            // sees all ten dispatches: two replayed from the database, eight live.
            let expected = before + after
            try await withThrowingTaskGroup(of: [String].self) { group in
                for subscription in subscriptions {
                    group.addTask {
                        var seen: [String] = []
                        for try await event in subscription.events where event.data.event == "case.dispatched" {
                            seen.append(event.data.caseId)
                            if seen.count == expected.count { break }
                        }
                        return seen
                    }
                }
                for try await seen in group {
                    #expect(seen == expected)
                }
            }
            await client.close()
        }
    }
}
