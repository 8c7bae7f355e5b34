import DispatchService
import DistrictLoad
import DistrictStorage
import Foundation
import IdentityService
import Logging
import Testing
import TestSupport

@Suite("The pgbench script runs the service's report statement")
struct ReportPgbenchScriptTests {
    @Test("a transaction of the group script writes its whole group: cases, timeline entries and events", arguments: [1, 12])
    func groupWritesEveryReport(group: Int) async throws {
        try await RunningService.with(DispatchService.definition) { service in
            _ = try await Migrator.apply(IdentityMigrations.all, using: service.database, logger: Logger(label: "test.seed"))
            _ = try await LoadDistrict.prepare(database: service.database, logger: Logger(label: "test.load"))

            let script = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).pgbench")
            try ReportPgbenchScript.make(statement: ReportSQL.store, group: group).write(to: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: script) }
            // One transaction on a district without pgbench cases: no report of the group is a
            // duplicate of an earlier one, and the group's are not compared with each other.
            // 12, the largest group, uses 180 of the 255 parameters pgbench can prepare.
            let output = try await EmbeddedPostgres.runInstalledTool("pgbench", ["-n", "-M", "prepared", "-c", "1", "-t", "1", "-f", script.path, service.databaseURL])
            #expect(output.contains("number of failed transactions: 0"), "\(output)")

            let category = LoadDistrict.pgbenchCategory
            #expect(try await LoadRunCountTests.count("SELECT count(*) FROM dispatch.cases WHERE category = '\(category)' AND state = 'reported'", service.database) == group)
            #expect(try await LoadRunCountTests.count("""
                SELECT count(*) FROM dispatch.case_timeline t JOIN dispatch.cases c ON c.id = t.case_id
                WHERE c.category = '\(category)' AND t.event = 'case.reported'
                """, service.database) == group)
            #expect(try await LoadRunCountTests.count("""
                SELECT count(*) FROM events.log e JOIN dispatch.cases c ON e.key = c.id::text
                WHERE c.category = '\(category)' AND e.type = 'case.reported' AND e.payload->>'number' = c.number
                """, service.database) == group)
        }
    }
}
