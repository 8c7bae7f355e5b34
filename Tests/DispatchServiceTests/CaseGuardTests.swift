import DispatchDomain
import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Permissions, illegal transitions and concurrency over TLS")
struct CaseGuardTests {
    @Test("a department cannot read or act on a case dispatched elsewhere; a grid worker sees their grid only")
    func reach() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            let other = try await f.report("litter", at: DispatchFixture.inG002, token: try f.gridWorker2).case

            for act in [
                { _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.jtHandler) },
                { _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.jtHandler) },
                { _ = try await f.client.call(DispatchAPI.Return.self, .init(caseId: c.id, reason: "x"), token: try f.jtHandler) },
                { _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.otherResident) },
                { _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.gridWorker2) },
                { _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: other.id), token: try f.gridWorker1) },
                { _ = try await f.client.call(DispatchAPI.List.self, .init(path: "d01.s01"), token: try f.gridWorker1) },
                { _ = try await f.client.call(DispatchAPI.Queue.self, .init(department: "cg", path: "d01"), token: try f.jtHandler) },
                { _ = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", department: "cg"), token: try f.jtHandler) },
            ] as [() async throws -> Void] {
                #expect(await DispatchFixture.errorCode(act) == .permissionDenied)
            }
            #expect(try await f.count("SELECT count(*) FROM dispatch.case_timeline WHERE case_id = '\(c.id)'") == 3)

            // What each may see.
            let mine = try await f.client.call(DispatchAPI.List.self, .init(path: "d01.s01.c01.g001"), token: try f.gridWorker1)
            #expect(mine.cases.map(\.id) == [c.id])
            let cgList = try await f.client.call(DispatchAPI.List.self, .init(path: "d01"), token: try f.cgHandler)
            #expect(cgList.cases.map(\.id) == [c.id])
            let jtList = try await f.client.call(DispatchAPI.List.self, .init(path: "d01"), token: try f.jtHandler)
            #expect(jtList.cases.isEmpty)
            let queue = try await f.client.call(DispatchAPI.Queue.self, .init(department: "cg", path: "d01"), token: try f.cgHandler)
            #expect(queue.cases.map(\.id) == [c.id])
            let street = try await f.client.call(DispatchAPI.List.self, .init(path: "d01.s01"), token: try f.streetCentre)
            #expect(Set(street.cases.map(\.id)) == [c.id, other.id])
            _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.cgHandler)
        }
    }

    @Test("case.get: the reporter reads their case with its whole timeline, oldest first; an unknown case is not_found")
    func reading() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            // The resident holds no case-reading role: reporting it is what lets them read it.
            let read = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.resident)
            #expect(read.id == c.id && read.state == .dispatched)
            let timeline = read.timeline ?? []
            #expect(timeline.map(\.sequence) == [1, 2, 3])
            #expect(timeline.map(\.event) == ["case.reported", "case.accepted", "case.dispatched"])
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: UUID().uuidString), token: try f.districtCentre)
            } == .notFound)
        }
    }

    @Test("case.queue pages a department's open work oldest first with a cursor; resolved cases leave it")
    func queuePaging() async throws {
        try await DispatchFixture.with { f in
            var ids: [String] = []
            for index in 0..<5 {
                f.clock.advance(by: 2 * 86400)  // no duplicates: each a day and more apart
                let c = try await f.report(token: try f.resident, key: "q\(index)").case
                _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
                ids.append(c.id)
            }
            // The oldest is claimed and resolved: no longer open work.
            _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: ids[0]), token: try f.cgHandler)
            _ = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: ids[0]), token: try f.cgHandler)
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await f.client.call(DispatchAPI.Queue.self, .init(department: "cg", path: "d01", cursor: cursor, limit: 2), token: try f.cgHandler)
                #expect(page.cases.count <= 2)
                seen += page.cases.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == Array(ids.dropFirst()))
            let otherDepartment = try await f.client.call(DispatchAPI.Queue.self, .init(department: "jt", path: "d01"), token: try f.jtHandler)
            #expect(otherDepartment.cases.isEmpty)
        }
    }

    @Test("list pages with a cursor, filters and text search")
    func listing() async throws {
        try await DispatchFixture.with { f in
            var ids: [String] = []
            for index in 0..<5 {
                f.clock.advance(by: 2 * 86400)  // no duplicates: each a day and more apart
                ids.append(try await f.report(token: try f.resident, key: "k\(index)").case.id)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", cursor: cursor, limit: 2), token: try f.districtCentre)
                #expect(page.cases.count <= 2)
                seen += page.cases.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == ids.reversed())
            let found = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", text: "塌陷"), token: try f.districtCentre)
            #expect(found.cases.count == 5)
            let none = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", text: "噪音"), token: try f.districtCentre)
            #expect(none.cases.isEmpty)
            let reported = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", states: [.dispatched]), token: try f.districtCentre)
            #expect(reported.cases.isEmpty)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.List.self, .init(path: "d01", limit: 0), token: try f.districtCentre)
            } == .invalidParams)
        }
    }

    @Test("every illegal transition is refused with invalid_transition and writes nothing")
    func illegal() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            let before = try await f.count("SELECT count(*) FROM dispatch.case_timeline") + f.count("SELECT count(*) FROM events.log")
            let centre = try f.districtCentre
            let calls: [() async throws -> Void] = [
                { _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.gridWorker1) },
                { _ = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: c.id), token: try f.gridWorker1) },
                { _ = try await f.client.call(DispatchAPI.Verify.self, .init(caseId: c.id, passed: true), token: centre) },
                { _ = try await f.client.call(DispatchAPI.Close.self, .init(caseId: c.id), token: centre) },
                { _ = try await f.client.call(DispatchAPI.Arbitrate.self, .init(caseId: c.id, upheld: true), token: centre) },
                { _ = try await f.client.call(DispatchAPI.Rate.self, .init(caseId: c.id, satisfaction: .satisfied), token: try f.resident) },
                { _ = try await f.client.call(DispatchAPI.Dispatch.self, .init(caseId: c.id), token: centre) },
            ]
            for call in calls {
                #expect(await DispatchFixture.errorCode(call) == .invalidTransition)
            }
            let after = try await f.count("SELECT count(*) FROM dispatch.case_timeline") + f.count("SELECT count(*) FROM events.log")
            #expect(after == before)
            let unchanged = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: centre)
            #expect(unchanged.state == .reported && unchanged.timeline?.count == 1)
            // Bad input is invalid_params naming the field, also before any lookup.
            #expect(await DispatchFixture.errorCode { _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: "nope"), token: centre) } == .invalidParams)
            #expect(await DispatchFixture.errorCode { _ = try await f.report("no_such", token: try f.resident) } == .invalidParams)
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: UUID().uuidString), token: centre)
            } == .notFound)
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 1)
        }
    }

    @Test("two handlers claim one case at once: exactly one wins")
    func concurrentClaims() async throws {
        try await DispatchFixture.with { f in
            for round in 0..<5 {
                f.clock.advance(by: 2 * 86400)
                let c = try await f.report(token: try f.resident, key: "claim-\(round)").case
                _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
                let first = try f.service.makeClient()
                let second = try f.service.makeClient()
                let tokens = (try f.cgHandler, try f.cgHandler2)
                async let a = DispatchFixture.errorCode { _ = try await first.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: tokens.0) }
                async let b = DispatchFixture.errorCode { _ = try await second.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: tokens.1) }
                let outcomes = await [a, b]
                #expect(outcomes.filter { $0 == nil }.count == 1)
                #expect(outcomes.filter { $0 == .invalidTransition }.count == 1)
                #expect(try await f.count("SELECT count(*) FROM dispatch.case_timeline WHERE case_id = '\(c.id)' AND event = 'case.claimed'") == 1)
                await first.close()
                await second.close()
            }
        }
    }

    @Test("the same report sent twice at once with one key makes one case")
    func concurrentReports() async throws {
        try await DispatchFixture.with { f in
            for round in 0..<5 {
                f.clock.advance(by: 2 * 86400)
                let first = try f.service.makeClient()
                let second = try f.service.makeClient()
                let token = try f.resident
                let params = DispatchAPI.Report.Params(
                    category: "road_damage", title: "井盖缺失", description: "路口井盖缺失", channel: .hotline, location: DispatchFixture.inG002)
                async let a = first.call(DispatchAPI.Report.self, params, token: token, idempotencyKey: "same-\(round)")
                async let b = second.call(DispatchAPI.Report.self, params, token: token, idempotencyKey: "same-\(round)")
                let (ra, rb) = try await (a, b)
                #expect(ra.case.id == rb.case.id)
                #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == round + 1)
                await first.close()
                await second.close()
            }
        }
    }
}
