import DispatchService
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing
import TestSupport

@Suite("Case statistics over TLS and a real database")
struct CaseStatsTests {
    static let day = DispatchAPI.Stats.Params(path: "d01", from: "2025-06-15", to: "2025-06-15")

    @Test("worker figures count valid reports only; grouping by child and grid; returns and reopens counted")
    func workersAndGroups() async throws {
        try await DispatchFixture.with { f in
            // gw-2 reports three grid matters at spots far apart: one is rejected.
            let spots = [(116.3960, 39.9105), (116.4040, 39.9105), (116.4040, 39.9195)]
            var ids: [String] = []
            for (i, (lon, lat)) in spots.enumerated() {
                let c = try await f.report("litter", at: GeoPoint(longitude: lon, latitude: lat), token: try f.gridWorker2, key: "gw2-\(i)", channel: .gridWorker).case
                ids.append(c.id)
            }
            _ = try await f.client.call(DispatchAPI.Reject.self, .init(caseId: ids[2], reason: "私人物业", redirectTo: "物业公司"), token: try f.streetCentre)
            // A resident's duplicate of the first counts as a duplicate, not a report.
            let dup = try await f.report("litter", at: GeoPoint(longitude: 116.3961, latitude: 39.9105), token: try f.resident)
            #expect(dup.merged)
            // gw-2 handles the first to the end.
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: ids[0]), token: try f.streetCentre)
            _ = try await f.client.call(DispatchAPI.Claim.self, .init(caseId: ids[0]), token: try f.gridWorker2)
            _ = try await f.client.call(DispatchAPI.Resolve.self, .init(caseId: ids[0]), token: try f.gridWorker2)
            _ = try await f.client.call(DispatchAPI.Verify.self, .init(caseId: ids[0], passed: true), token: try f.streetCentre)
            _ = try await f.client.call(DispatchAPI.Close.self, .init(caseId: ids[0]), token: try f.streetCentre)
            // A department case is returned once.
            let road = try await f.report(token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: road.id), token: try f.streetCentre)
            _ = try await f.client.call(DispatchAPI.Return.self, .init(caseId: road.id, reason: "不属于本部门"), token: try f.cgHandler)

            var byWorker = Self.day
            byWorker.groupBy = .worker
            let stats = try await f.client.call(DispatchAPI.Stats.self, byWorker, token: try f.districtCentre)
            let gw2 = try #require(stats.workers.first { $0.worker == "gw-2" })
            #expect(gw2.validReports == 2 && gw2.rejectedReports == 1 && gw2.handledClosed == 1 && gw2.handledOnTime == 1, "\(stats.workers)")
            #expect(stats.total.reported == 4 && stats.total.duplicates == 1 && stats.total.rejected == 1 && stats.total.returned == 1)
            #expect(stats.total.closed == 1)

            var byGrid = Self.day
            byGrid.groupBy = .grid
            let grids = try await f.client.call(DispatchAPI.Stats.self, byGrid, token: try f.districtCentre).groups
            #expect(grids.map(\.key) == ["d01.s01.c01.g001", "d01.s01.c01.g002"])
            #expect(grids.map(\.figures.reported) == [1, 3])
            var byChild = Self.day
            byChild.groupBy = .child
            let streets = try await f.client.call(DispatchAPI.Stats.self, byChild, token: try f.districtCentre).groups
            #expect(streets.map(\.key) == ["d01.s01"] && streets[0].figures.reported == 4)
            var byDepartment = Self.day
            byDepartment.groupBy = .department
            let departments = try await f.client.call(DispatchAPI.Stats.self, byDepartment, token: try f.districtCentre).groups
            #expect(departments.first { $0.key == "cg" }?.figures.returned == 1)

            // Whole months come from the monthly roll-up, the days around them from the daily
            // one: the same figures, counted once, whatever the period's shape.
            for (from, to) in [("2025-06-01", "2025-06-30"), ("2025-05-20", "2025-07-10"), ("2025-01-01", "2025-12-31"), ("2025-06-15", "2025-07-31")] {
                let period = try await f.client.call(DispatchAPI.Stats.self, .init(path: "d01", from: from, to: to), token: try f.districtCentre)
                #expect(period.total == stats.total, "\(from) … \(to)")
            }
            let july = try await f.client.call(DispatchAPI.Stats.self, .init(path: "d01", from: "2025-07-01", to: "2025-07-31"), token: try f.districtCentre)
            #expect(july.total.reported == 0 && july.total.closed == 0)
        }
    }

    @Test("bad periods are invalid_params; reach and department are enforced")
    func refusals() async throws {
        try await DispatchFixture.with { f in
            for (from, to) in [("2025-6-15", "2025-06-15"), ("2025-02-30", "2025-03-01"), ("2025-06-16", "2025-06-15"), ("2020-01-01", "2025-12-31")] {
                #expect(await DispatchFixture.errorCode {
                    _ = try await f.client.call(DispatchAPI.Stats.self, .init(path: "d01", from: from, to: to), token: try f.districtCentre)
                } == .invalidParams, "\(from) … \(to)")
            }
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Stats.self, Self.day, token: try f.gridWorker1)
            } == .permissionDenied)
            var other = Self.day
            other.department = "jt"
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Stats.self, other, token: try f.cgHandler)
            } == .permissionDenied)
            var street = Self.day
            street.path = "d01.s02"
            #expect(await DispatchFixture.errorCode {
                _ = try await f.client.call(DispatchAPI.Stats.self, street, token: try f.streetCentre)
            } == .permissionDenied)
        }
    }
}
