import ArgumentParser
import DistrictCertificates
import DistrictStorage
import Foundation
import IdentityService
import Logging

/// `districtctl seed …`: load data sets into a district's database.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Load data sets into the district database.", subcommands: [Demo.self])

    /// `districtctl seed demo`: the demo district (``DemoDistrict``), idempotently.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Load the demo district: org and party trees, departments, households and residents.",
            discussion: """
                Without --database-url (or $DATABASE_URL) it uses the embedded PostgreSQL of \
                `districtctl up` under --home, starting it for the seed when it is not running. \
                Migrations are applied first. A second run adds nothing and says so.
                """)

        @OptionGroup var home: HomeOptions

        @Option(help: "The database URL (default: $DATABASE_URL, else the embedded cluster under --home).")
        var databaseURL: String?

        @Option(help: "The embedded PostgreSQL's port on 127.0.0.1 (as for `districtctl up`).")
        var postgresPort = 15432

        @Option(help: "The district secret key file (default: $DISTRICT_SECRET_KEY, else district-secret.key in the certificate directory).")
        var secretKey: String?

        @Option(help: "The generator's seed; the same seed gives the same district.")
        var seed: UInt64 = DemoDistrict.defaultSeed

        @Option(help: "The password of the demo staff accounts (default: $DISTRICT_DEMO_PASSWORD, else a random one, printed once).")
        var demoPassword: String?

        func run() async throws {
            var logger = Logger(label: "districtctl.seed")
            logger.logLevel = .error
            let secretPath = secretKey ?? ProcessInfo.processInfo.environment["DISTRICT_SECRET_KEY"]
                ?? "\(home.certificates)/\(DistrictSecretKey.fileName)"
            if secretKey == nil, ProcessInfo.processInfo.environment["DISTRICT_SECRET_KEY"] == nil,
                !FileManager.default.fileExists(atPath: secretPath)
            {
                // The embedded setup: create the dev CA and secret as `districtctl up` would.
                try FileManager.default.createDirectory(atPath: home.directory, withIntermediateDirectories: true)
                _ = try DistrictPKI.initialize(directory: home.certificates)
            }
            let secret = try IdentitySecret.load(path: secretPath)

            var cluster: EmbeddedPostgres?
            let url: String
            if let given = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] {
                url = given
            } else {
                let embedded = try await EmbeddedPostgres(dataDirectory: home.postgresData, port: postgresPort, logger: logger)
                if !embedded.isInitialized {
                    try FileManager.default.createDirectory(atPath: home.directory, withIntermediateDirectories: true)
                    say("creating a PostgreSQL cluster in \(home.postgresData)")
                    try await embedded.initialize()
                }
                let running = await embedded.isRunning()
                if !running {
                    try await embedded.start()
                    cluster = embedded
                    say("PostgreSQL started on 127.0.0.1:\(postgresPort) for the seed")
                }
                do {
                    try await embedded.createDatabase("district")
                } catch let error as EmbeddedPostgresError where "\(error)".contains("already exists") {}
                url = "postgres://district@127.0.0.1:\(postgresPort)/district?sslmode=disable"
            }
            do {
                try await load(url: url, secret: secret, logger: logger)
            } catch {
                try? await cluster?.stop()
                throw error
            }
            if let cluster {
                try? await cluster.stop()
                say("PostgreSQL stopped")
            }
        }

        private func load(url: String, secret: IdentitySecret, logger: Logger) async throws {
            let migrations = try await AllMigrations.apply(databaseURL: url, logger: logger)
            if !migrations.applied.isEmpty { say("migrations: \(migrations.applied.count) applied") }

            let environment = ProcessInfo.processInfo.environment
            let password = demoPassword ?? environment["DISTRICT_DEMO_PASSWORD"] ?? Self.randomPassword()
            let users = try DemoUsersStep(password: password, iterations: AccountSettings.fromEnvironment(environment).passwordIterations)
            let started = ContinuousClock.now
            let district = DemoDistrict(seed: seed)
            let generated = ContinuousClock.now
            let database = Database(configuration: try DatabaseConfiguration(url: url, environment: ProcessInfo.processInfo.environment), logger: logger)
            let report = try await database.whileRunning {
                try await DemoSeeder.seed(district, secret: secret, database: database, steps: [users], logger: logger)
            }
            let finished = ContinuousClock.now
            func seconds(_ duration: Duration) -> String {
                String(format: "%.2f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            }
            let kinds = district.countsByKind
            say("demo district '\(DemoDistrict.rootCode)' (seed \(seed)): \(district.nodes.count) nodes (\(kinds[.street, default: 0]) streets, \(kinds[.township, default: 0]) townships, \(kinds[.community, default: 0]) communities, \(kinds[.village, default: 0]) villages, \(kinds[.grid, default: 0]) grids, \(kinds[.department, default: 0]) departments), \(district.households.count) households, \(district.residentCount) residents")
            if report.changedNothing {
                say("already loaded: nothing changed (\(report.nodesTotal) nodes, \(report.householdsTotal) households, \(report.residentsTotal) residents present)")
            } else {
                say("added \(report.nodesAdded) nodes, \(report.householdsAdded) households, \(report.residentsAdded) residents"
                    + report.stepsAdded.sorted { $0.key < $1.key }.map { ", \($0.value) \($0.key)" }.joined())
                say("now \(report.nodesTotal) nodes, \(report.householdsTotal) households, \(report.residentsTotal) residents under '\(DemoDistrict.rootCode)'")
            }
            say("generated in \(seconds(generated - started)), written in \(seconds(finished - generated))")
            if (report.stepsAdded["users"] ?? 0) > 0 {
                say("demo staff accounts (\(district.accounts.count), e.g. district.centre, s01.centre, urban_mgmt.handler, auditor) share the password: \(password)")
            }
        }

        /// 16 characters with all four classes.
        static func randomPassword() -> String {
            let lower = Array("abcdefghijkmnpqrstuvwxyz"), upper = Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), digits = Array("23456789")
            let all = lower + upper + digits
            var characters = [lower.randomElement()!, upper.randomElement()!, digits.randomElement()!, "-"]
            while characters.count < 16 { characters.append(all.randomElement()!) }
            return String(characters.shuffled())
        }
    }
}
