import DistrictRuntime
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Background work waits for the migrations")
struct AfterMigrationsTests {
    /// A service that records whether the migrations were applied when it started, then
    /// runs until cancelled.
    final class Probe: Service, Sendable {
        let migrated: GenerationSignal
        let started = GenerationSignal()
        let startedAfterMigrations = Atomic<Bool>(false)
        private let stopped = GenerationSignal()
        var hasStarted: Bool { started.generation > 0 }
        var didStartAfterMigrations: Bool { startedAfterMigrations.load(ordering: .relaxed) }

        init(migrated: GenerationSignal) { self.migrated = migrated }

        func run() async throws {
            startedAfterMigrations.store(migrated.generation > 0, ordering: .relaxed)
            started.advance()
            await stopped.wait(after: 0)  // never advanced: returns when cancelled
        }
    }

    @Test("the wrapped service starts once the migrations are applied, not before")
    func startsAfterMigrations() async throws {
        let migrated = GenerationSignal()
        let probe = Probe(migrated: migrated)
        let running = Task { try await AfterMigrations(probe, migrated: migrated).run() }
        migrated.advance()
        await probe.started.wait(after: 0)
        #expect(probe.didStartAfterMigrations)
        running.cancel()
        _ = await running.result
    }

    @Test("stopped before the migrations are applied, it ends without starting the wrapped service")
    func stopsWithoutStarting() async throws {
        let probe = Probe(migrated: GenerationSignal())
        let running = Task { try await AfterMigrations(probe, migrated: probe.migrated).run() }
        running.cancel()
        _ = await running.result
        #expect(!probe.hasStarted)
    }
}
