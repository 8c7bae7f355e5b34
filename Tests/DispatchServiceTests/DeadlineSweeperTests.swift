import DispatchDomain
import DispatchService
import DistrictContracts
import Foundation
import Logging
import Testing
import TestSupport

@Suite("Deadline sweeper with a test clock")
struct DeadlineSweeperTests {
    @Test("warning at 80 %, overdue and escalated at 100 %, each once with several sweepers")
    func sweep() async throws {
        try await DispatchFixture.with { f in
            // gas_leak: accept within 10 min, resolve within 120 min.
            let c = try await f.report("gas_leak", token: try f.resident).case
            _ = try await f.client.call(DispatchAPI.Accept.self, .init(caseId: c.id), token: try f.streetCentre)
            let sweepers = (0..<3).map { _ in DeadlineSweeper(database: f.service.database, clock: f.clock, logger: Logger(label: "test.sweeper")) }
            func sweepAll() async throws {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for sweeper in sweepers { group.addTask { try await sweeper.sweep() } }
                    try await group.waitForAll()
                }
            }
            func events(_ type: String) async throws -> Int {
                try await f.count("SELECT count(*) FROM events.log WHERE stream = 'dispatch.case' AND type = '\(type)' AND key = '\(c.id)'")
            }

            f.clock.advance(by: 95 * 60)
            try await sweepAll()
            #expect(try await events("case.deadline_warning") == 0)

            f.clock.advance(by: 2 * 60)  // 97 of 120 minutes
            try await sweepAll()
            try await sweepAll()
            #expect(try await events("case.deadline_warning") == 1)
            #expect(try await events("case.overdue") == 0)

            f.clock.advance(by: 24 * 60)  // past due
            try await sweepAll()
            try await sweepAll()
            #expect(try await events("case.overdue") == 1)
            let late = try await f.client.call(DispatchAPI.Get.self, .init(caseId: c.id), token: try f.districtCentre)
            #expect(late.overdue && late.escalationLevel == "street" && late.state == .dispatched)
            #expect(late.timeline?.suffix(2).map(\.event) == ["case.deadline_warning", "case.overdue"])
            // The department hears of it on its queue.
            #expect(try await f.count("SELECT count(*) FROM events.log WHERE stream = 'dispatch.dept.rq' AND type = 'case.overdue'") == 1)
        }
    }
}
