import DispatchService
import DistrictLoad
import DistrictStorage
import Foundation
import IdentityService
import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("A load run's counts match the database")
struct LoadRunCountTests {
    static func count(_ sql: String, _ database: Database) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await n in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "test")).decode(Int.self) { value = n }
            return value
        }
    }

    @Test("report and lifecycle runs over TLS: every acknowledged report is a case or a merge, every lifecycle a closed case")
    func counts() async throws {
        try await RunningService.with(DispatchService.definition) { service in
            _ = try await Migrator.apply(IdentityMigrations.all, using: service.database, logger: Logger(label: "test.seed"))
            let district = try await LoadDistrict.prepare(database: service.database, logger: Logger(label: "test.load"))
            // Preparing twice keeps one district.
            _ = try await LoadDistrict.prepare(database: service.database, logger: Logger(label: "test.load"))
            #expect(try await Self.count("SELECT count(*) FROM dispatch.grids WHERE path <@ 'lt'", service.database) == LoadDistrict.gridCount)

            let reports = LoadRun(
                host: "localhost", port: service.port, caPath: TestPKI.shared.caPath, connections: 2, scenario: .report,
                plan: LoadPlan(mode: .closed(inFlight: 8), duration: .milliseconds(800)))
            let reported = try await reports.run(district: district, logger: Logger(label: "test.load"))
            #expect(reported.errors.isEmpty, "\(reported.errors)")
            #expect(reported.succeeded > 0)
            #expect(reported.newCases + reported.mergedReports == reported.succeeded)
            #expect(try await Self.count("SELECT count(*) FROM dispatch.cases WHERE district = 'lt'", service.database) == reported.newCases)

            let lifecycles = LoadRun(
                host: "localhost", port: service.port, caPath: TestPKI.shared.caPath, connections: 2, scenario: .lifecycle,
                plan: LoadPlan(mode: .open(rate: 40), duration: .milliseconds(500)))
            // Each run prepares afresh (as `districtctl load` does), continuing after the cases
            // there are, so its reports are not duplicates of the previous run's.
            let again = try await LoadDistrict.prepare(database: service.database, logger: Logger(label: "test.load"))
            #expect(again.firstSequence == reported.newCases)
            let cycled = try await lifecycles.run(district: again, logger: Logger(label: "test.load"))
            #expect(cycled.errors.isEmpty, "\(cycled.errors)")
            #expect(cycled.succeeded == 20 && cycled.newCases == 20 && cycled.mergedReports == 0)
            #expect(try await Self.count("SELECT count(*) FROM dispatch.cases WHERE district = 'lt' AND state = 'closed' AND satisfaction = 'satisfied'", service.database)
                == cycled.newCases)
            #expect(cycled.latencies["case.claim"]?.count == cycled.newCases)
        }
    }
}
