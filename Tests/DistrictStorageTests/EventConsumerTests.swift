import DistrictStorage
import PostgresNIO
import Synchronization
import TestSupport
import Testing

@Suite struct EventConsumerTests {
    let logger = TestDatabase.makeLogger("test.events")

    static func event(_ type: String, stream: String = "cases") -> NewEvent {
        NewEvent(stream: stream, type: type, key: "k-\(type)", payloadJSON: #"{"type": "\#(type)"}"#)
    }

    /// Transaction A appends first (lower id) but commits after B. A reader must not skip A.
    @Test func outboxNeverSkipsAnEventCommittedOutOfIdOrder() async throws {
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            let consumer = EventConsumer(name: "skip-test", database: database, logger: logger)
            var delivered: [StoredEvent] = []

            try await database.withConnection { connectionA in
                try await connectionA.query("BEGIN", logger: logger)
                let a = try await EventLog.append([Self.event("A")], on: connectionA, logger: logger)

                let b = try await database.withConnection { connectionB in
                    try await connectionB.query("BEGIN", logger: logger)
                    let b = try await EventLog.append([Self.event("B")], on: connectionB, logger: logger)
                    try await connectionB.query("COMMIT", logger: logger)
                    return b
                }
                #expect(a[0].eventID < b[0].eventID)
                #expect(a[0] < b[0])

                // B is committed but must not be delivered before A: A could still commit before it.
                let early = try await consumer.processBatch { events, _ in delivered += events }
                #expect(early.delivered == 0)
                #expect(early.hasHeldBackEvents)
                #expect(try await EventLog.read(after: .start, limit: 10, using: database, logger: logger).isEmpty)

                try await connectionA.query("COMMIT", logger: logger)
            }

            // Deliver one at a time, so "once each" is checked across several batches.
            try await drain(consumer, limit: 1) { events, _ in delivered += events }
            #expect(delivered.map(\.type) == ["A", "B"])
            #expect(delivered.map(\.position) == delivered.map(\.position).sorted())
            #expect(try await consumer.processNextBatch { events, _ in delivered += events } == 0)
            #expect(delivered.count == 2)
            #expect(try await consumer.checkpoint() == delivered.last?.position)
        }
    }

    @Test func sameNamedConsumersNeverShareAnEvent() async throws {
        try await TestDatabase.withFreshDatabase { database in
            _ = try await Migrator.apply(CoreMigrations.all + [
                Migration(component: "test", version: 1, name: "handled", sql: "CREATE TABLE public.handled (event_id bigint PRIMARY KEY)"),
            ], using: database, logger: logger)
            let total = 120
            for batch in 0..<6 {
                try await database.withTransaction { connection in
                    try await EventLog.append((0..<20).map { Self.event("e\(batch)-\($0)") }, on: connection, logger: logger)
                }
            }

            @Sendable func consume(_ database: Database) async throws -> [Int64] {
                let consumer = EventConsumer(name: "shared", database: database, logger: logger)
                var mine: [Int64] = []
                try await drain(consumer, limit: 7) { events, connection in
                    for event in events {
                        // The handler's write commits with the checkpoint; a duplicate would violate the key.
                        try await connection.query("INSERT INTO public.handled VALUES (\(event.position.eventID))", logger: logger)
                        mine.append(event.position.eventID)
                    }
                }
                return mine
            }
            try await TestDatabase.withRunningDatabase(database.configuration, logger: logger) { other in
                async let one = consume(database)
                async let two = consume(other)
                let (first, second) = try await (one, two)
                #expect(Set(first).isDisjoint(with: Set(second)))
                #expect(first.count + second.count == total)
                #expect(Set(first + second).count == total)
            }
            let handled = try await database.withConnection { connection in
                var count = 0
                for try await value in try await connection.query("SELECT count(*)::int FROM public.handled", logger: logger).decode(Int.self) {
                    count = value
                }
                return count
            }
            #expect(handled == total)
        }
    }

    @Test func handlerFailureRollsBackAndRedelivers() async throws {
        struct Boom: Error {}
        try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
            try await database.withTransaction { connection in
                try await EventLog.append([Self.event("only")], on: connection, logger: logger)
            }
            let consumer = EventConsumer(name: "flaky", database: database, logger: logger)
            var threw = false
            while !threw {
                do {
                    _ = try await consumer.processBatch { _, _ in throw Boom() }
                    await Task.yield() // held back by a parallel test's transaction; try again
                } catch is Boom {
                    threw = true
                }
            }
            #expect(try await consumer.checkpoint() == .start)
            var types: [String] = []
            try await drain(consumer, limit: 10) { events, _ in types += events.map(\.type) }
            #expect(types == ["only"])
        }
    }
}
