import ArgumentParser
import DispatchDomain
import DispatchService
import DistrictAuth
import DistrictCertificates
import DistrictClient
import DistrictContracts
import DistrictLoad
import DistrictRuntime
import DistrictStorage
import Foundation
import Histogram
import Logging
import PostgresNIO
import ServiceLifecycle

extension BenchCommand {
    /// `districtctl bench stats`: `case.stats` over a district with a million cases.
    ///
    /// Builds (once) a bench district `bz` beside whatever else the database holds: 16
    /// streets, 144 communities, 576 grids, and `--cases` cases spread over the last year
    /// with their daily roll-ups, then starts the dispatch service in this process over
    /// TLS and times `case.stats` calls as a district command centre would make them.
    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats", abstract: "Measure case.stats over a bench district with many cases.")

        @OptionGroup var home: HomeOptions

        @Option(help: "The database (a scratch one: the bench district is added to it).")
        var databaseURL: String

        @Option(help: "Cases in the bench district.")
        var cases = 1_000_000

        @Option(help: "Calls per query shape.")
        var repeats = 30

        func run() async throws {
            var logger = Logger(label: "bench.stats")
            logger.logLevel = .warning
            try DistrictPKI.initialize(directory: home.certificates)
            _ = try await AllMigrations.apply(databaseURL: databaseURL, logger: logger)
            let database = Database(configuration: try DatabaseConfiguration(url: databaseURL, environment: ProcessInfo.processInfo.environment), logger: logger)
            try await database.whileRunning {
                do {
                    try await prepare(database, logger: logger)
                    try await measure(database, logger: logger)
                } catch let error as PSQLError {
                    throw ValidationError("database: \(String(reflecting: error))")
                }
            }
        }

        private func prepare(_ database: Database, logger: Logger) async throws {
            let existing = try await database.withConnection { connection in
                var count = 0
                for try await n in try await connection.query("SELECT count(*)::int8 FROM dispatch.cases WHERE district = 'bz'", logger: logger).decode(Int64.self) {
                    count = Int(n)
                }
                return count
            }
            if existing >= cases {
                print("bench district bz: \(existing) cases already there")
                return
            }
            print("building bench district bz with \(cases) cases …")
            let started = ContinuousClock.now
            try await database.withTransaction { connection in
                for statement in Self.buildDistrict(cases: cases) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            print("built in \(ContinuousClock.now - started)")
        }

        /// The bench district: org nodes, a catalogue, the cases and their roll-ups (the same
        /// counting as `CaseTally`, done in bulk).
        static func buildDistrict(cases: Int) -> [String] {
            [
                "DELETE FROM dispatch.case_stats_daily WHERE org_path <@ 'bz'",
                "DELETE FROM dispatch.case_stats_monthly WHERE org_path <@ 'bz'",
                "DELETE FROM dispatch.cases WHERE district = 'bz'",
                LoadDistrict.orgTreeStatement(code: "bz", name: "基准区"),
                """
                INSERT INTO dispatch.catalogue_versions (district, version, published_at, published_by, categories)
                VALUES ('bz', 1, now(), 'bench', '[]') ON CONFLICT DO NOTHING
                """,
                """
                INSERT INTO dispatch.cases (id, number, state, category, district, catalogue_version, level, title, description, channel,
                    reporter, org_path, department, assignee, reported_at, accepted_at, dispatched_at, resolved_at, closed_at,
                    was_overdue, satisfaction, return_count, reopen_count)
                SELECT gen_random_uuid(), 'bz-bench-' || n, st, 'cat' || (n % 40), 'bz', 1, 'department', '基准案件', '基准', 'grid_worker',
                    'gw-' || ((n % 576) + 1),
                    ('bz.s' || lpad((((n % 576) / 36) + 1)::text, 2, '0') || '.c' || lpad(((((n % 576) / 4) % 9) + 1)::text, 3, '0')
                        || '.g' || lpad(((n % 4) + 1)::text, 4, '0'))::ltree,
                    CASE WHEN st = 'rejected' THEN NULL ELSE 'd' || lpad(((n * 7) % 12 + 1)::text, 2, '0') END,
                    CASE WHEN st = 'closed' THEN 'h-' || (n % 300) END,
                    at, CASE WHEN st <> 'rejected' THEN at + interval '1 hour' END, CASE WHEN st <> 'rejected' THEN at + interval '1 hour' END,
                    CASE WHEN st = 'closed' THEN at + interval '2 days' END, CASE WHEN st = 'closed' THEN at + interval '3 days' END,
                    n % 17 = 0, CASE WHEN st = 'closed' AND n % 3 = 0 THEN (ARRAY['satisfied', 'basically_satisfied', 'satisfied', 'unsatisfied'])[n % 4 + 1] END,
                    CASE WHEN n % 50 = 0 THEN 1 ELSE 0 END, 0
                FROM (SELECT n, now() - (n % 365) * interval '1 day' - (n % 86400) * interval '1 second' AS at,
                        CASE WHEN n % 20 = 0 THEN 'rejected' WHEN n % 10 = 1 THEN 'dispatched' ELSE 'closed' END AS st
                      FROM generate_series(1, \(cases)) n) g
                """,
                """
                INSERT INTO dispatch.case_stats_daily AS s (day, org_path, department, reported, accepted, rejected, closed, closed_on_time,
                    seconds_to_close, rated, satisfied, returned)
                SELECT day, org_path, department, sum(reported), sum(accepted), sum(rejected), sum(closed), sum(closed_on_time),
                    sum(seconds_to_close), sum(rated), sum(satisfied), sum(returned)
                FROM (
                    SELECT ((reported_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day, org_path, '' AS department,
                        1 AS reported, (accepted_at IS NOT NULL)::int AS accepted, (state = 'rejected')::int AS rejected,
                        0 AS closed, 0 AS closed_on_time, 0::int8 AS seconds_to_close, 0 AS rated, 0 AS satisfied, 0 AS returned
                    FROM dispatch.cases WHERE district = 'bz'
                    UNION ALL
                    SELECT ((closed_at AT TIME ZONE 'UTC') + interval '8 hours')::date, org_path, department,
                        0, 0, 0, 1, (NOT was_overdue)::int, extract(epoch FROM closed_at - reported_at)::int8,
                        (satisfaction IS NOT NULL)::int, coalesce(satisfaction IN ('satisfied', 'basically_satisfied'), false)::int, return_count
                    FROM dispatch.cases WHERE district = 'bz' AND closed_at IS NOT NULL
                ) e
                GROUP BY day, org_path, department
                """,
                """
                INSERT INTO dispatch.case_stats_monthly (month, org_path, department, reported, duplicates, accepted, rejected, closed,
                    closed_on_time, seconds_to_close, rated, satisfied, returned, reopened)
                SELECT date_trunc('month', day)::date, org_path, department, sum(reported), sum(duplicates), sum(accepted), sum(rejected),
                    sum(closed), sum(closed_on_time), sum(seconds_to_close), sum(rated), sum(satisfied), sum(returned), sum(reopened)
                FROM dispatch.case_stats_daily WHERE org_path <@ 'bz' GROUP BY 1, 2, 3
                """,
                "ANALYZE dispatch.case_stats_monthly",
                "ANALYZE dispatch.cases",
                "ANALYZE dispatch.case_stats_daily",
            ]
        }

        private func measure(_ database: Database, logger: Logger) async throws {
            let signer = TokenSigner.generate(kid: "bench-\(UUID().uuidString.prefix(8))")
            try await database.withConnection { connection in
                try await connection.query(
                    "INSERT INTO identity.token_keys (kid, public_key) VALUES (\(signer.publicKey.kid), \(signer.publicKey.x))", logger: logger)
            }
            let principal = Principal(
                subject: "bench-centre", name: "区指挥中心", kind: .staff,
                bindings: [RoleBinding(.districtCommandCentre, at: try OrgPath("bz"))], department: nil)
            let token = try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date()))

            var environment = ProcessInfo.processInfo.environment
            environment["DATABASE_URL"] = databaseURL
            environment["DISTRICT_CERT_DIR"] = home.certificates
            environment["DISTRICT_LISTEN_PORT"] = "0"
            environment["DISTRICT_METRICS_PORT"] = "0"
            environment["DISTRICT_MIGRATE_ON_START"] = "false"
            let configuration = try RuntimeConfiguration.fromEnvironment(service: .dispatch, environment)
            let assembly = try ServiceRuntime.assemble(DispatchService.definition, configuration: configuration, logger: logger)
            let group = ServiceGroup(configuration: .init(services: assembly.services, logger: logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try await assembly.server.listeningAddress.port!
                let client = try DistrictClient(
                    configuration: ClientConfiguration(host: "localhost", port: port, trustRootsPath: "\(home.certificates)/ca.pem"),
                    logger: logger)
                let today = Date()
                let to = DistrictDay.of(today)
                let yearAgo = DistrictDay.of(today.addingTimeInterval(-364 * 86400))
                let monthAgo = DistrictDay.of(today.addingTimeInterval(-29 * 86400))
                let shapes: [(String, DispatchAPI.Stats.Params)] = [
                    ("district, year, total", .init(path: "bz", from: yearAgo, to: to)),
                    ("district, year, by street", .init(path: "bz", from: yearAgo, to: to, groupBy: .child)),
                    ("district, year, by department", .init(path: "bz", from: yearAgo, to: to, groupBy: .department)),
                    ("district, year, by grid", .init(path: "bz", from: yearAgo, to: to, groupBy: .grid)),
                    ("district, month, by street", .init(path: "bz", from: monthAgo, to: to, groupBy: .child)),
                    ("district, calendar year 2026 (whole months), total", .init(path: "bz", from: "2026-01-01", to: "2026-12-31")),
                    ("street, year, by worker", .init(path: "bz.s03", from: yearAgo, to: to, groupBy: .worker)),
                    ("one department, year", .init(path: "bz", from: yearAgo, to: to, department: "d05")),
                ]
                print("| query | reported in result | p50 ms | p99 ms | max ms |")
                print("|---|---:|---:|---:|---:|")
                for (label, params) in shapes {
                    var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var reported = 0
                    for _ in 0..<repeats {
                        let started = ContinuousClock.now
                        let result = try await client.call(DispatchAPI.Stats.self, params, token: token)
                        let elapsed = ContinuousClock.now - started
                        histogram.record(UInt64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000))
                        reported = result.total.reported
                    }
                    func ms(_ micros: UInt64) -> String { String(format: "%.1f", Double(micros) / 1000) }
                    print("| \(label) | \(reported) | \(ms(histogram.valueAtPercentile(50))) | \(ms(histogram.valueAtPercentile(99))) | \(ms(histogram.max)) |")
                }
                await client.close()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
