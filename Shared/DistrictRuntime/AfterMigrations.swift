public import ServiceLifecycle

/// Runs a background service once the service's migrations are applied, so that on a
/// fresh database the event tail, the followers and the key-ring refresher do not fail
/// (and log a warning a second) against tables that do not exist yet. A graceful shutdown
/// before then ends it without starting the wrapped service.
public struct AfterMigrations: Service {
    /// The service to run.
    public let service: any Service
    /// Advanced once when the migrations are applied (or were not to be applied here).
    public let migrated: GenerationSignal

    /// Runs `service` after `migrated` first advances.
    public init(_ service: any Service, migrated: GenerationSignal) {
        self.service = service
        self.migrated = migrated
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await migrated.wait(after: 0)
        }
        if Task.isCancelled || Task.isShuttingDownGracefully { return }
        try await service.run()
    }
}
