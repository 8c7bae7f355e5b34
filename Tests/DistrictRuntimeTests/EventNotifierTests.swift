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
}
