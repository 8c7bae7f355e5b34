public import DistrictContracts
public import DistrictServer
public import DistrictStorage
public import Logging
public import ServiceLifecycle

/// What makes one service different from the others: its name, its migrations, its
/// methods and its background work. Everything else is the shared runtime.
public struct ServiceDefinition: Sendable {
    /// Which service this is.
    public var service: DistrictService
    /// The build version reported by `system.health` and the handshake.
    public var version: String
    /// The service's own migrations (the shared core migrations always run first).
    public var migrations: [Migration]
    /// Registers the service's methods; throwing (a missing secret, say) stops the start.
    public var registerMethods: @Sendable (inout MethodRouter, ServiceContext) throws -> Void
    /// Long-lived background work (deadline sweeps, deliveries), each a `Service`.
    public var backgroundServices: @Sendable (ServiceContext) -> [any Service]

    /// Creates a definition.
    public init(
        service: DistrictService,
        version: String = DistrictVersion.current,
        migrations: [Migration] = [],
        registerMethods: @escaping @Sendable (inout MethodRouter, ServiceContext) throws -> Void = { _, _ in },
        backgroundServices: @escaping @Sendable (ServiceContext) -> [any Service] = { _ in [] }
    ) {
        self.service = service
        self.version = version
        self.migrations = migrations
        self.registerMethods = registerMethods
        self.backgroundServices = backgroundServices
    }
}

/// What a service's methods and background work are given.
public struct ServiceContext: Sendable {
    /// The process configuration.
    public var configuration: RuntimeConfiguration
    /// The database pool.
    public var database: Database
    /// Wakes event-log readers when events commit.
    public var notifier: EventNotifier
    /// Verifies callers and decides what they may do.
    public var authenticator: Authenticator
    /// The service's logger.
    public var logger: Logger
}
