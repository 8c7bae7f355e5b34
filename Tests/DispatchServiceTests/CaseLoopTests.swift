import DispatchDomain
import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("The closed loop over TLS and a real database")
struct CaseLoopTests {
    @Test("resident reports → routed → department claims → resolves → centre verifies → resident rates")
    func closedLoop() async throws {
        try await DispatchFixture.with { f in
            let reported = try await f.report(token: try f.resident, key: "loop-1")
            let c = reported.case
            #expect(!reported.merged)
            #expect(c.state == .reported)
            #expect(c.orgPath == "d01.s01.c01.g001")  // placed by its coordinates
            #expect(c.number == "d01-2025-000001")
            #expect(c.catalogueVersion == 1)
            #expect(c.dueAt == DispatchFixture.start.addingTimeInterval(480 * 60))
            #expect(c.attachments.count == 1)

            // The same report again with the same key: the same case.
            let again = try await f.report(token: try f.resident, key: "loop-1")
            #expect(again.case.id == c.id)
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 1)

            f.clock.advance(by: 600)
            let accepted = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            #expect(accepted.state == .dispatched)
            #expect(accepted.department == "cg")  // routed by the catalogue
            #expect(accepted.dueAt == DispatchFixture.start.addingTimeInterval(600 + 10080 * 60))

            let claimed = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.cgHandler)
            #expect(claimed.state == .claimed && claimed.assignee == "cg-1")
            _ = try await f.client.call(DispatchAPI.Start.self, .init(caseId: c.id), token: try f.cgHandler)
            let resolved = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: c.id, note: "已修复"), token: try f.cgHandler)
            #expect(resolved.state == .resolved)

            let verified = try await f.client.call(DispatchAPI.Verify.self, .init(caseId: c.id, passed: true), token: try f.streetCentre)
            #expect(verified.state == .verified)
            let closed = try await f.client.call(DispatchAPI.Close.self, .init(caseId: c.id), token: try f.streetCentre)
            #expect(closed.state == .closed)

            let rated = try await f.client.call(DispatchAPI.Rate.self, .init(caseId: c.id, satisfaction: .satisfied), token: try f.resident)
            #expect(rated.state == .closed && rated.satisfaction == .satisfied)

            let full = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.resident)
            #expect(full.timeline?.map(\.event) == [
                "case.reported", "case.accepted", "case.dispatched", "case.claimed", "case.started", "case.resolved",
                "case.verified", "case.closed", "case.rated",
            ])
            #expect(full.timeline?.map(\.sequence) == Array(1...9))
            // Each change announced once on dispatch.case, and the department's stream saw its part.
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE stream = 'dispatch.case' AND type LIKE 'case.%'") == 9)
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE stream = 'dispatch.dept.cg'") == 7)

            // The statistics moved by exactly this case, on its district day (UTC+8).
            let day = DispatchAPI.Stats.Params(path: "d01", from: "2025-06-15", to: "2025-06-15")
            let stats = try await f.client.call(DispatchAPI.Stats.self, day, token: try f.districtCentre)
            #expect(stats.total.reported == 1 && stats.total.accepted == 1 && stats.total.closed == 1 && stats.total.closedOnTime == 1)
            #expect(stats.total.rated == 1 && stats.total.satisfied == 1 && stats.total.duplicates == 0 && stats.total.rejected == 0)
            #expect(stats.total.acceptanceRate == 1 && stats.total.closureRate == 1 && stats.total.onTimeRate == 1 && stats.total.satisfactionRate == 1)
            #expect(stats.total.averageHoursToClose == 600.0 / 3600)
            // The day after holds nothing; the department's own view holds its part.
            var next = day
            next.from = "2025-06-16"
            next.to = "2025-06-16"
            #expect(try await f.client.call(DispatchAPI.Stats.self, next, token: try f.districtCentre).total.reported == 0)
            var byDepartment = day
            byDepartment.groupBy = .department
            let groups = try await f.client.call(DispatchAPI.Stats.self, byDepartment, token: try f.districtCentre).groups
            #expect(groups.map(\.key) == ["", "cg"])
            #expect(groups.last?.figures.closed == 1 && groups.last?.figures.reported == 0)
            var own = day
            own.department = "cg"
            #expect(try await f.client.call(DispatchAPI.Stats.self, own, token: try f.cgHandler).total.closed == 1)
        }
    }

    @Test("grid-level matters stay with the grid; a grid worker claims them, a department cannot")
    func gridLevel() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report("litter", at: DispatchFixture.inG002, token: try f.gridWorker2).case
            let routed = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            #expect(routed.state == .dispatched && routed.department == nil && routed.orgPath == "d01.s01.c01.g002")
            #expect(await DispatchFixture.errorCode { _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.cgHandler) } == .permissionDenied)
            #expect(await DispatchFixture.errorCode { _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.gridWorker1) } == .permissionDenied)
            let claimed = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.gridWorker2)
            #expect(claimed.assignee == "gw-2")
        }
    }

    @Test("吹哨报到: the street blows the whistle; the lead department holds the case, every summoned department hears of it, the summons reads back")
    func whistle() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            let reportBy = f.clock.now().addingTimeInterval(2 * 3600)
            let summons = Whistle(level: "street", departments: ["cg", "jt"], leadDepartment: "jt", reportBy: reportBy, leader: "街道副主任")
            let escalated = try await f.client.call(
                DispatchAPI.Escalate.self, .init(caseId: c.id, reason: "跨部门: 路面塌陷涉及管线", whistle: summons), token: try f.streetCentre)
            #expect(escalated.state == .escalated && escalated.department == "jt" && escalated.escalationLevel == "street")
            #expect(escalated.whistle == summons)
            #expect(escalated.dueAt.map { abs($0.timeIntervalSince(reportBy)) < 60 } == true)

            // The summons is stored and reads back whole.
            let read = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.districtCentre)
            #expect(read.whistle == summons && read.department == "jt")
            #expect(read.timeline?.last?.event == "case.escalated")
            // One event per stream: the case stream and each summoned department's (cg also held it before).
            let streams = try await f.count(
                "SELECT count(*) FROM events.log WHERE type = 'case.escalated' AND stream IN ('dispatch.case', 'dispatch.dept.cg', 'dispatch.dept.jt')")
            #expect(streams == 3)
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE type = 'case.escalated'") == 3)
            // The lead department can now claim it.
            let claimed = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.jtHandler)
            #expect(claimed.state == .claimed)
        }
    }

    @Test("a report of the same category within 50 m and 24 h joins the open case")
    func duplicates() async throws {
        try await DispatchFixture.with { f in
            let first = try await f.report(token: try f.resident).case
            f.clock.advance(by: 3600)
            let near = GeoPoint(longitude: DispatchFixture.inG001.longitude, latitude: DispatchFixture.inG001.latitude + 0.0003)  // ~33 m
            let second = try await f.report(at: near, token: try f.otherResident)
            #expect(second.merged && second.case.id == first.id && second.case.duplicateReports == 1)
            // The same reporter again counts once.
            let third = try await f.report(at: near, token: try f.otherResident)
            #expect(third.merged && third.case.duplicateReports == 1)
            // Another category at the same spot is a case of its own.
            let other = try await f.report("litter", at: near, token: try f.otherResident)
            #expect(!other.merged)
            #expect(try await f.count("SELECT count(*) FROM dispatch.cases") == 2)
            // The second reporter may read the case they joined.
            _ = try await f.client.call(DispatchAPI.Get.self, .init(caseId: first.id), token: try f.otherResident)
        }
    }

    @Test("unsatisfied reopens once; the second time goes to supervisor review")
    func reopen() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            func handleToClosed() async throws {
                _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: c.id), token: try f.cgHandler)
                _ = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: c.id), token: try f.cgHandler)
                _ = try await f.client.call(DispatchAPI.Verify.self, .init(caseId: c.id, passed: true), token: try f.streetCentre)
                _ = try await f.client.call(DispatchAPI.Close.self, .init(caseId: c.id), token: try f.streetCentre)
            }
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            try await handleToClosed()
            let reopened = try await f.client.call(DispatchAPI.Rate.self, .init(caseId: c.id, satisfaction: .unsatisfied), token: try f.resident)
            #expect(reopened.state == .reopened && reopened.reopenCount == 1 && reopened.assignee == nil)
            _ = try await f.client.call(DispatchAPI.Dispatch.self, .init(caseId: c.id), token: try f.streetCentre)
            try await handleToClosed()
            let reviewed = try await f.client.call(DispatchAPI.Rate.self, .init(caseId: c.id, satisfaction: .unsatisfied), token: try f.resident)
            #expect(reviewed.state == .closed && reviewed.needsSupervisorReview && reviewed.satisfaction == .unsatisfied)
        }
    }

    @Test("returns are argued: the arbiter overrules one and upholds the next")
    func returns() async throws {
        try await DispatchFixture.with { f in
            let c = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            let returned = try await f.client.call(DispatchAPI.Return.self, .init(caseId: c.id, reason: "属地事项"), token: try f.cgHandler)
            #expect(returned.state == .returned && returned.returnCount == 1)
            // Only the district command centre arbitrates.
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Arbitrate.self, .init(caseId: c.id, upheld: true), token: try f.streetCentre)
            } == .permissionDenied)
            let overruled = try await f.client.call(DispatchAPI.Arbitrate.self, .init(caseId: c.id, upheld: false), token: try f.districtCentre)
            #expect(overruled.state == .dispatched && overruled.department == "cg")
            _ = try await f.client.call(DispatchAPI.Return.self, .init(caseId: c.id, reason: "确属交通部门"), token: try f.cgHandler)
            let upheld = try await f.client.call(DispatchAPI.Arbitrate.self, .init(caseId: c.id, upheld: true), token: try f.districtCentre)
            #expect(upheld.state == .accepted && upheld.department == nil && upheld.returnCount == 2)
            let redispatched = try await f.client.call(DispatchAPI.Dispatch.self, .init(caseId: c.id, department: "jt"), token: try f.streetCentre)
            #expect(redispatched.department == "jt")
        }
    }
}
