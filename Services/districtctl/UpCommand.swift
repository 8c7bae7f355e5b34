import ArgumentParser
import DistrictCertificates
import DistrictContracts
import DistrictObservability
import DistrictRuntime
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `districtctl up`: the whole district on one machine. The first run creates a
/// PostgreSQL cluster, a dev CA and certificates; every run starts the cluster, applies
/// migrations, and runs all five services in this process on loopback until Ctrl-C.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Run PostgreSQL and every service locally until interrupted.")

    @OptionGroup var home: HomeOptions

    @Option(help: "The embedded PostgreSQL's port on 127.0.0.1.")
    var postgresPort = 15432

    @Option(help: "Use this database instead of the embedded cluster.")
    var databaseURL: String?

    @Option(help: "The address the services listen on.")
    var listenHost = "127.0.0.1"

    @Option(help: "The first service port: identity here, then dispatch, mediation, legal, notify; 0 picks free ports.")
    var basePort = DistrictService.identity.defaultPort

    @Option(help: "The Prometheus metrics port of this process (all services).")
    var metricsPort = 9400

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func run() async throws {
        LoggingSetup.bootstrap(format: .text, level: Logger.Level(rawValue: logLevel) ?? .info)
        let metrics = MetricsSetup.bootstrap()
        let logger = Logger(label: "districtctl.up")
        try FileManager.default.createDirectory(atPath: home.directory, withIntermediateDirectories: true)

        let pki = try DistrictPKI.initialize(directory: home.certificates)
        say("certificates: \(pki.created.isEmpty ? "kept" : "created \(pki.created.joined(separator: ", "))") in \(home.certificates)")

        let (url, cluster) = try await startDatabase(logger: logger)
        do {
            try await runServices(url: url, metrics: metrics, logger: logger)
        } catch {
            await stop(cluster)
            throw error
        }
        await stop(cluster)
    }

    private func stop(_ cluster: EmbeddedPostgres?) async {
        guard let cluster else { return }
        say("stopping PostgreSQL")
        try? await cluster.stop()
    }

    private func runServices(url: String, metrics: MetricsSetup, logger: Logger) async throws {
        try await migrate(url: url, logger: logger)

        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = url
        environment["DISTRICT_CERT_DIR"] = home.certificates
        environment["DISTRICT_LISTEN_HOST"] = listenHost
        environment["DISTRICT_MIGRATE_ON_START"] = "false"
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var endpoints: [(DistrictService, ProtocolServer)] = []
        for (index, definition) in AllServices.definitions.enumerated() {
            environment["DISTRICT_LISTEN_PORT"] = String(basePort == 0 ? 0 : basePort + index)
            let configuration = try RuntimeConfiguration.fromEnvironment(service: definition.service, environment)
            var serviceLogger = Logger(label: "district.\(definition.service.rawValue)")
            serviceLogger[metadataKey: "service"] = "\(definition.service.rawValue)"
            let assembly = try ServiceRuntime.assemble(definition, configuration: configuration, logger: serviceLogger)
            services += assembly.services
            endpoints.append((definition.service, assembly.server))
        }
        let endpoint = MetricsEndpoint(configuration: .init(host: listenHost, port: metricsPort), registry: metrics.registry, logger: logger)
        let reporter = StartupReporter(endpoints: endpoints, metrics: endpoint, home: home, host: listenHost == "0.0.0.0" ? "localhost" : listenHost, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services + [.init(service: endpoint), .init(service: reporter)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
        say("all services stopped")
    }

    private func startDatabase(logger: Logger) async throws -> (String, EmbeddedPostgres?) {
        if let databaseURL { return (databaseURL, nil) }
        let cluster = try await EmbeddedPostgres(dataDirectory: home.postgresData, port: postgresPort, logger: logger)
        let fresh = !cluster.isInitialized
        if fresh {
            say("creating a PostgreSQL cluster in \(home.postgresData)")
            try await cluster.initialize()
        }
        if await cluster.isRunning() {
            say("PostgreSQL already running on port \(postgresPort)")
        } else {
            try await cluster.start()
            say("PostgreSQL started on 127.0.0.1:\(postgresPort)")
        }
        do {
            try await cluster.createDatabase("district")
        } catch let error as EmbeddedPostgresError where "\(error)".contains("already exists") {
            // A second `up` reuses the data.
        }
        return ("postgres://district@127.0.0.1:\(postgresPort)/district?sslmode=disable", cluster)
    }

    private func migrate(url: String, logger: Logger) async throws {
        let report = try await AllMigrations.apply(databaseURL: url, logger: logger)
        say("migrations: \(report.applied.count) applied, \(report.alreadyApplied.count) already present")
    }
}

/// Prints a line at once (unbuffered), also when standard output is a file.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
