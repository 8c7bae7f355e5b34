import DispatchService
import DistrictClient
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Department queue subscription with resume")
struct QueueSubscriptionTests {
    /// Reads `count` events from `subscription`.
    static func take(_ count: Int, from subscription: ClientSubscription<DispatchAPI.QueueSubscribe>) async throws -> [ClientSubscription<DispatchAPI.QueueSubscribe>.Event] {
        var received: [ClientSubscription<DispatchAPI.QueueSubscribe>.Event] = []
        for try await event in subscription.events {
            received.append(event)
            if received.count == count { break }
        }
        return received
    }

    @Test("a subscriber that reconnects with its cursor receives every missed event once")
    func resume() async throws {
        try await DispatchFixture.with { f in
            let token = try f.cgHandler
            let first = try f.service.makeClient()
            let subscription = try await first.subscribe(DispatchAPI.QueueSubscribe.self, .init(department: "cg", path: "d01"), token: token)

            let c = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            let seen = try await Self.take(1, from: subscription)
            #expect(seen.map(\.data.event) == ["case.dispatched"])
            #expect(seen[0].data.caseId == c.id && seen[0].data.department == "cg")
            let cursor = try #require(seen.last?.cursor)
            await first.close()  // the department's system goes away

            // Work goes on while it is away; another department's case must not leak in.
            _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: token)
            _ = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: c.id), token: token)
            f.clock.advance(by: 2 * 86400)
            let elsewhere = try await f.report("gas_leak", token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: elsewhere.id), token: try f.streetCentre)

            let second = try f.service.makeClient()
            let resumed = try await second.subscribe(DispatchAPI.QueueSubscribe.self, .init(department: "cg", path: "d01", cursor: cursor), token: token)
            #expect(resumed.result.cursor == cursor)
            let missed = try await Self.take(2, from: resumed)
            #expect(missed.map(\.data.event) == ["case.claimed", "case.resolved"], "\(missed.map { ($0.data.event, $0.data.caseId, $0.cursor ?? "-", $0.data.at) }) after \(cursor)")
            // A new change arrives next, with nothing repeated in between.
            _ = try await f.client.call(DispatchAPI.Verify.self, .init(caseId: c.id, passed: true), token: try f.streetCentre)
            let next = try await Self.take(1, from: resumed)
            #expect(next.map(\.data.event) == ["case.verified"])
            await second.close()

            // Another department may not subscribe to cg's queue.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.subscribe(DispatchAPI.QueueSubscribe.self, .init(department: "cg", path: "d01"), token: try f.jtHandler)
            } == .permissionDenied)
        }
    }
}
