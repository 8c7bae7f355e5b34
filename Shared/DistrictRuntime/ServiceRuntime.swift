import DistrictContracts
import DistrictObservability
import DistrictProtocol
public import DistrictServer
public import DistrictStorage
import DistrictWire
import Foundation
public import Logging
public import ServiceLifecycle
import UnixSignals

/// The process skeleton every service shares: configuration from the environment,
/// logging and metrics, the database pool, migrations, the protocol server with the
/// `system.*` and `events.*` methods, the metrics endpoint, and a `ServiceGroup` that
/// drains on SIGTERM or SIGINT.
public enum ServiceRuntime {
    /// Runs `definition` as this process's service until SIGTERM/SIGINT. For `main`.
    public static func main(_ definition: ServiceDefinition) async {
        let configuration: RuntimeConfiguration
        do {
            configuration = try RuntimeConfiguration.fromEnvironment(service: definition.service)
        } catch {
            FileHandle.standardError.write(Data("\(definition.service.executableName): \(error)\n".utf8))
            exit(64)
        }
        LoggingSetup.bootstrap(format: LogFormat(rawValue: configuration.logFormat) ?? .text, level: Logger.Level(rawValue: configuration.logLevel) ?? .info)
        let metrics = MetricsSetup.bootstrap()
        var logger = Logger(label: "district.\(definition.service.rawValue)")
        logger[metadataKey: "service"] = "\(definition.service.rawValue)"
        do {
            let assembly = try assemble(definition, configuration: configuration, logger: logger)
            let endpoint = MetricsEndpoint(
                configuration: .init(host: configuration.metricsHost, port: configuration.metricsPort),
                registry: metrics.registry, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: assembly.services + [.init(service: endpoint)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            logger.info("starting", metadata: ["listen.port": "\(configuration.listenPort)", "metrics.port": "\(configuration.metricsPort)", "database": "\(assembly.databaseDescription)"])
            try await group.run()
            logger.info("stopped cleanly")
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            exit(1)
        }
    }

    /// The parts of a running service, in start order (stopped in reverse).
    public struct Assembly: Sendable {
        /// The services for a `ServiceGroup`.
        public var services: [ServiceGroupConfiguration.ServiceConfiguration]
        /// The protocol server (tests read its port).
        public var server: ProtocolServer
        /// The database pool.
        public var database: Database
        /// The database, password hidden, for logs.
        public var databaseDescription: String
    }

    /// Builds a service's parts without running them (tests run them in their own group).
    public static func assemble(_ definition: ServiceDefinition, configuration: RuntimeConfiguration, logger: Logger) throws -> Assembly {
        var databaseConfiguration = try DatabaseConfiguration(url: configuration.databaseURL, passwordFile: configuration.databasePasswordFile)
        databaseConfiguration.poolSize = configuration.databasePoolSize
        let database = Database(configuration: databaseConfiguration, logger: logger)
        let notifier = EventNotifier(database: database, logger: logger)
        let keyRing = KeyRing(database: database, logger: logger)
        let authenticator = Authenticator(keyRing: keyRing)
        let context = ServiceContext(configuration: configuration, database: database, notifier: notifier, authenticator: authenticator, logger: logger)

        var router = MethodRouter()
        SystemMethods.registerEcho(into: &router)
        SystemMethods.registerHealth(into: &router, service: definition.service.rawValue, version: definition.version) {
            await database.isReachable() ? "ok" : "unreachable"
        }
        EventSubscriptions.register(into: &router, database: database, notifier: notifier)
        try definition.registerMethods(&router, context)

        let server = ProtocolServer(
            configuration: ServerConfiguration(
                serviceName: definition.service.rawValue,
                serverVersion: definition.version,
                host: configuration.listenHost,
                port: configuration.listenPort,
                tls: configuration.tls,
                clientCertificates: configuration.clientCertificates,
                frameLimits: FrameLimits(maximumPayloadBytes: configuration.maximumFrameBytes),
                heartbeatInterval: .seconds(configuration.heartbeatSeconds),
                idleTimeout: .seconds(configuration.idleTimeoutSeconds),
                maximumInFlightPerConnection: configuration.maximumInFlight,
                drainTimeout: .seconds(configuration.drainSeconds)),
            router: router,
            logger: logger)
        // Work that reads the service's tables starts once the migrations are applied.
        let migrated = GenerationSignal()
        let migrating = MigratingServer(
            server: server, database: database, migrations: CoreMigrations.all + definition.migrations,
            migrateOnStart: configuration.migrateOnStart, migrated: migrated, logger: logger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] =
            [.init(service: database), .init(service: notifier)]
            + ([KeyRingRefresher(ring: keyRing, logger: logger)] + definition.backgroundServices(context))
                .map { .init(service: AfterMigrations($0, migrated: migrated)) }
            + [.init(service: migrating)]
        return Assembly(services: services, server: server, database: database, databaseDescription: databaseConfiguration.description)
    }
}
