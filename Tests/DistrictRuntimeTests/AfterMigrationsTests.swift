import DistrictRuntime
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Background work waits for the migrations")
struct AfterMigrationsTests {
    /// A service that records that it started, then runs until cancelled.
    final class Probe: Service, Sendable {
        let started = GenerationSignal()
        var hasStarted: Bool { started.generation > 0 }

        func run() async throws {
            started.advance()
            try await Task.sleep(for: .seconds(3600))
        }
    }

    @Test("the wrapped service starts once the migrations are applied, not before")
    func startsAfterMigrations() async throws {
        let migrated = GenerationSignal()
        let probe = Probe()
        let running = Task { try await AfterMigrations(probe, migrated: migrated).run() }
        // Were it not waiting, the probe would start at once.
        try await Task.sleep(for: .milliseconds(200))
        #expect(!probe.hasStarted)
        migrated.advance()
        await probe.started.wait(after: 0)
        #expect(probe.hasStarted)
        running.cancel()
        _ = await running.result
    }

    @Test("stopped before the migrations are applied, it ends without starting the wrapped service")
    func stopsWithoutStarting() async throws {
        let probe = Probe()
        let running = Task { try await AfterMigrations(probe, migrated: GenerationSignal()).run() }
        try await Task.sleep(for: .milliseconds(50))
        running.cancel()
        _ = await running.result
        #expect(!probe.hasStarted)
    }
}
