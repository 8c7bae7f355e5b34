import DistrictRuntime
import DistrictStorage
import Logging
import Testing
import TestSupport

@Suite("The process's event notifier, over a real database")
struct EventNotifierTests {
    @Test("a waiter on one stream is woken by that stream's commits, not by every commit of the district")
    func streamWaiters() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            let logger = TestDatabase.makeLogger("test.notifier")
            // A long re-check interval: only notifications move the generations within the test.
            let notifier = EventNotifier(database: database, recheckInterval: .seconds(3600), logger: logger)
            func append(_ stream: String) async throws {
                try await database.withTransaction { connection in
                    try await EventLog.append([NewEvent(stream: stream, type: "t", payloadJSON: "{}")], on: connection, logger: logger)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                _ = notifier.generation(of: "identity.org")
                group.addTask { try await notifier.run() }
                // The first wake, once listening, wakes everyone.
                await notifier.wait(after: 0)
                let org = notifier.generation(of: "identity.org")

                // Another stream's commit wakes the waiters of all events, not identity.org's.
                let all = notifier.generation
                try await append("dispatch.case")
                await notifier.wait(after: all)
                #expect(notifier.generation(of: "identity.org") == org)

                // An identity.org commit wakes its waiters.
                try await append("identity.org")
                await notifier.wait(after: org, of: "identity.org")
                #expect(notifier.generation(of: "identity.org") > org)
                group.cancelAll()
            }
        }
    }

    @Test("the notifier listens only while someone waits, and a waiter that arrives is woken by the next commit", .timeLimit(.minutes(1)))
    func listensOnDemand() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            let logger = TestDatabase.makeLogger("test.notifier")
            let notifier = EventNotifier(database: database, recheckInterval: .milliseconds(50), idleTimeout: .milliseconds(100), logger: logger)
            // Waits on the notifier's own signal, bounded, so that a notifier that never
            // changes fails the test instead of hanging it.
            func waitUntil(listening: Bool, within limit: Duration = .seconds(10)) async -> Bool {
                let deadline = ContinuousClock.now + limit
                while true {
                    let generation = notifier.listeningChanged.generation
                    if notifier.isListening == listening { return true }
                    let left = deadline - ContinuousClock.now
                    if left <= .zero { return false }
                    await notifier.listeningChanged.wait(after: generation, atMost: left)
                }
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await notifier.run() }
                #expect(!notifier.isListening)

                // A waiter on a stream makes it listen; the stream's next commit wakes it.
                let before = notifier.generation(of: "s")
                let woken = Task {
                    var generation = before
                    // Wakes once when the listening starts; then waits for the commit's.
                    while notifier.generation(of: "s") < before + 2 {
                        await notifier.wait(after: generation, of: "s")
                        generation = notifier.generation(of: "s")
                    }
                }
                try #require(await waitUntil(listening: true))
                try await database.withTransaction { connection in
                    try await EventLog.append([NewEvent(stream: "s", type: "t", payloadJSON: "{}")], on: connection, logger: logger)
                }
                await woken.value
                #expect(notifier.generation(of: "s") >= before + 2)

                // Nobody waits any more: it stops listening after the idle timeout.
                try #require(await waitUntil(listening: false), "still listening with nobody waiting")

                // And listens again for the next waiter.
                let again = Task { await notifier.wait(after: notifier.generation) }
                try #require(await waitUntil(listening: true))
                await again.value
                group.cancelAll()
            }
        }
    }
}
