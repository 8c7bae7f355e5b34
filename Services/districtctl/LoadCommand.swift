public import ArgumentParser
import DistrictLoad
import DistrictStorage
import Foundation
import Logging

/// `districtctl load`: drives the dispatch service over the real protocol with TLS.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load-test the dispatch service (open or closed loop; report, lifecycle, mixed or subscribe).",
        discussion: """
            Prepares the load district `lt` (576 grids, 8 categories, 12 departments) in the database if it is missing, \
            publishes a signing key of its own so it can act as residents, the command centre and the departments, and \
            then drives the dispatch service at --host/--port. Give --rate for an open loop (latency from each \
            operation's intended start, so queueing shows) or --in-flight for a closed loop.

            With `districtctl up` running:  districtctl load --scenario report --rate 2000 --duration 20
            """)

    @OptionGroup var home: HomeOptions

    @Option(help: "The dispatch service's host.")
    var host = "localhost"

    @Option(help: "The dispatch service's port.")
    var port = 7402

    @Option(help: "The district CA (default: <home>/certs/ca.pem).")
    var ca: String?

    @Option(help: "The database the service uses (default: $DATABASE_URL, else the one `districtctl up` runs).")
    var databaseURL: String?

    @Option(help: "report, lifecycle, mixed or subscribe.")
    var scenario: LoadScenario = .report

    @Option(help: "Open loop: operations per second.")
    var rate: Double?

    @Option(help: "Closed loop: operations in flight.")
    var inFlight: Int?

    @Option(help: "Connections the load is spread over.")
    var connections = 4

    @Option(help: "Seconds to measure.")
    var duration = 10

    @Option(help: "Seconds of warm-up before measuring.")
    var warmup = 2

    @Option(help: "Open loop: the most operations outstanding at once.")
    var maxOutstanding = 10_000

    @Option(help: "subscribe: department connections following their queues.")
    var subscribers = 200

    @Option(help: "Also write the report as JSON to this file.")
    var json: String?

    func validate() throws {
        if (rate == nil) == (inFlight == nil) {
            throw ValidationError("give either --rate (open loop) or --in-flight (closed loop)")
        }
        if let rate, rate <= 0 { throw ValidationError("--rate must be positive") }
        if let inFlight, inFlight <= 0 { throw ValidationError("--in-flight must be positive") }
        if connections <= 0 || duration <= 0 || warmup < 0 { throw ValidationError("--connections and --duration must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "district.load")
        logger.logLevel = .warning
        let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "postgres://district@127.0.0.1:15432/district?sslmode=disable"
        let caPath = ca ?? "\(home.certificates)/ca.pem"
        guard FileManager.default.fileExists(atPath: caPath) else {
            throw ValidationError("no district CA at \(caPath): pass --ca, or --home of the `districtctl up` that runs the service")
        }
        let database = Database(configuration: try DatabaseConfiguration(url: url, environment: ProcessInfo.processInfo.environment), logger: logger)
        let district: LoadDistrict
        do {
            district = try await database.whileRunning {
                try await LoadDistrict.prepare(database: database, logger: logger)
            }
        } catch {
            throw ValidationError("""
                could not prepare the load district in \(url): \(String(reflecting: error))
                The load tool needs the dispatch service's database (migrations applied: `districtctl migrate`) to create \
                the district `lt` and publish its signing key. Pass --database-url or set DATABASE_URL.
                """)
        }
        let mode: LoadPlan.Mode = rate.map { .open(rate: $0) } ?? .closed(inFlight: inFlight ?? 1)
        let run = LoadRun(
            host: host, port: port, caPath: caPath, connections: connections, scenario: scenario,
            plan: LoadPlan(mode: mode, duration: .seconds(duration), warmup: .seconds(warmup), maximumOutstanding: maxOutstanding),
            subscribers: scenario == .subscribe ? subscribers : 0)
        let report = try await run.run(district: district, logger: logger) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        print(report.table)
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("report written to \(json)")
        }
    }
}

extension LoadScenario: ExpressibleByArgument {}
