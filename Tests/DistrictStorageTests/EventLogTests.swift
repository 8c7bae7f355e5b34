import DistrictStorage
import Foundation
import PostgresNIO
import TestSupport
import Testing

@Suite struct EventLogTests {
    let logger = TestDatabase.makeLogger("test.eventlog")

    struct Opened: Codable, Equatable {
        var caseID: String
        var at: Date
    }

    @Test func appendAndReadWithStreamFilterAndPayload() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            let opened = Opened(caseID: "c-1", at: Date(timeIntervalSince1970: 1_700_000_000))
            let positions = try await database.withTransaction { connection in
                try await EventLog.append([
                    try NewEvent(stream: "cases", type: "case.opened", key: "c-1", orgPath: "district/3", payload: opened),
                    NewEvent(stream: "mail", type: "mail.sent", payloadJSON: "{}"),
                    NewEvent(stream: "cases", type: "case.closed", key: "c-1", payloadJSON: #"{"caseID":"c-1"}"#),
                ], on: connection, logger: logger)
            }
            #expect(positions.count == 3)
            #expect(Set(positions.map(\.transactionID)).count == 1)

            let all = try await readSettled(after: .start, database: database, logger: logger)
            try #require(all.map(\.position) == positions)
            #expect(all[0].orgPath == "district/3")
            #expect(all[1].key == nil)
            #expect(try all[0].decodePayload(Opened.self) == opened)

            let cases = try await readSettled(after: .start, streams: ["cases"], database: database, logger: logger)
            #expect(cases.map(\.type) == ["case.opened", "case.closed"])

            let rest = try await readSettled(after: positions[0], limit: 1, database: database, logger: logger)
            #expect(rest.map(\.position) == [positions[1]])
            let resumed = try await readSettled(
                after: try #require(EventPosition(cursor: positions[1].cursor)), database: database, logger: logger
            )
            #expect(resumed.map(\.position) == [positions[2]])
        }
    }

    @Test func rolledBackEventsAreNeverRead() async throws {
        struct Abort: Error {}
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database async throws in
            await #expect(throws: Abort.self) {
                try await database.withTransaction { connection in
                    try await EventLog.append([NewEvent(stream: "s", type: "ghost", payloadJSON: "{}")], on: connection, logger: logger)
                    throw Abort()
                }
            }
            #expect(try await EventLog.read(after: .start, limit: 10, using: database, logger: logger).isEmpty)
        }
    }

    @Test("the read of all streams (a function planned once) agrees with the read naming every stream, held-back events included")
    func readOfAllStreamsAgreesWithStreamRead() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            func append(_ streams: [String], on connection: PostgresConnection) async throws {
                try await EventLog.append(streams.map { NewEvent(stream: $0, type: "t", payloadJSON: "{}") }, on: connection, logger: logger)
            }
            try await database.withTransaction { try await append(["a", "b", "a"], on: $0) }
            func reads() async throws -> (all: EventBatch, named: EventBatch) {
                try await database.withConnection { connection in
                    (try await EventLog.readBatch(after: .start, limit: 10, on: connection, logger: logger),
                     try await EventLog.readBatch(after: .start, streams: ["a", "b"], limit: 10, on: connection, logger: logger))
                }
            }
            let settled = try await readSettled(after: .start, database: database, logger: logger)
            #expect(settled.map(\.stream) == ["a", "b", "a"])

            // A transaction left open holds back an event committed after it began.
            let (opened, open) = AsyncStream.makeStream(of: Void.self)
            let (finish, finished) = AsyncStream.makeStream(of: Void.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await database.withTransaction { connection in
                        try await append(["b"], on: connection)
                        open.yield()
                        for await _ in finish { break }
                    }
                }
                for await _ in opened { break }
                try await database.withTransaction { try await append(["a"], on: $0) }
                let (all, named) = try await reads()
                #expect(all.events.map(\.position) == settled.map(\.position))
                #expect(named.events.map(\.position) == settled.map(\.position))
                #expect(all.hasHeldBackEvents && named.hasHeldBackEvents)
                #expect(all.horizon > 0 && named.horizon > 0)
                finished.yield()
                try await group.waitForAll()
            }
            let after = try await readSettled(after: .start, database: database, logger: logger)
            #expect(after.map(\.stream) == ["a", "b", "a", "b", "a"])
            #expect(try await readSettled(after: .start, streams: ["a", "b"], database: database, logger: logger).map(\.position) == after.map(\.position))
        }
    }

    @Test func listenerWakesOnCommitNotification() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            // A long interval: only the NOTIFY can wake the listener within the test.
            let listener = EventListener(database: database, recheckInterval: .seconds(3600), logger: logger)
            let (wakes, wake) = AsyncStream.makeStream(of: Int.self)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await listener.run {
                        let batch = try await database.withConnection { connection in
                            try await EventLog.readBatch(after: .start, limit: 10, on: connection, logger: logger)
                        }
                        wake.yield(batch.events.count)
                        // Held back by a parallel test's transaction: look again; otherwise only a NOTIFY may wake us.
                        return batch.hasHeldBackEvents ? .immediately : .afterNotification
                    }
                }
                var iterator = wakes.makeAsyncIterator()
                #expect(await iterator.next() == 0) // first call, listening already
                try await database.withTransaction { connection in
                    try await EventLog.append([NewEvent(stream: "s", type: "t", payloadJSON: "{}")], on: connection, logger: logger)
                }
                var seen = 0
                while seen == 0, let next = await iterator.next() { seen = next }
                #expect(seen == 1)
                group.cancelAll()
            }
        }
    }

    @Test func reachability() async throws {
        try await TestDatabase.withFreshDatabase { database in
            #expect(await database.isReachable())
        }
        let nowhere = DatabaseConfiguration(port: try EmbeddedPostgres.findFreePort(), username: "nobody", database: "none")
        try await TestDatabase.withRunningDatabase(nowhere, logger: logger) { database in
            #expect(await database.isReachable(timeout: .milliseconds(500)) == false)
        }
    }

    @Test func locatesServerBinaries() async throws {
        let bin = try await EmbeddedPostgres.locateBinDirectory(environment: [:])
        #expect(FileManager.default.isExecutableFile(atPath: bin + "/initdb"))
        await #expect(throws: EmbeddedPostgresError.self) {
            try await EmbeddedPostgres.locateBinDirectory(environment: ["PG_BIN": "/nonexistent"])
        }
    }
}
