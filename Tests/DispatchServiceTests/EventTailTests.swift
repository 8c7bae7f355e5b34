@testable import DispatchService
import DistrictRuntime
import DistrictStorage
import Logging
import Testing
import TestSupport

@Suite("The shared event tail, over a real database")
struct EventTailTests {
    @Test("a full tail keeps the newest events, between its capacity and a quarter more; what it holds is the log after its floor, in order")
    func dropsInChunks() async throws {
        try await withStartedTail(capacity: 8) { tail, append in
            var positions: [EventPosition] = []
            for index in 0..<20 { positions.append(try await append("s", "t\(index)")) }
            let last = positions[19]
            await waitUntil(tail) { tail.events(after: positions[18], limit: 10)?.map(\.position) == [last] }

            // 20 events through a tail of 8: it holds 8 to 10 of them, the newest.
            let held = positions.indices.filter { tail.events(after: positions[$0], limit: 100) != nil }
            let floor = try #require(held.first)
            #expect(held == Array(floor..<20))
            #expect((20 - floor - 1) >= 8 && (20 - floor - 1) <= 10, "holds \(20 - floor - 1) events")
            for index in held {
                #expect(tail.events(after: positions[index], limit: 100)?.map(\.position) == Array(positions[(index + 1)...]))
            }
            #expect(tail.events(after: .start, limit: 100) == nil)
        }
    }

    @Test("no two reads of the tail start less than its read interval apart, so commits close together are read together")
    func readInterval() async throws {
        let interval = Duration.milliseconds(300)
        try await withStartedTail(readInterval: interval) { tail, append in
            /// Waits until the tail holds `position`, and returns when the read that brought it started.
            func readStart(bringing position: EventPosition) async throws -> ContinuousClock.Instant {
                await waitUntil(tail) {
                    tail.events(after: position.justBefore, limit: 1000)?.contains(where: { $0.position == position }) == true
                }
                return try #require(tail.lastReadStarted)
            }
            let first = try await readStart(bringing: try await append("s", "t0"))
            // Three commits right after: read together, the interval after the first read.
            var positions: [EventPosition] = []
            for index in 1...3 { positions.append(try await append("s", "t\(index)")) }
            let second = try await readStart(bringing: positions[2])
            #expect(second - first >= interval, "reads \(second - first) apart")
            #expect(tail.events(after: positions[0], limit: 10)?.map(\.position) == Array(positions[1...]))
        }
    }

    @Test("a stream's waiters are woken by reads that bring that stream's events, not by other streams'")
    func streamWakeUps() async throws {
        try await withStartedTail(readInterval: .zero) { tail, append in
            let first = try await append("a", "t")
            // Woken by the read that brings it.
            while true {
                let generation = tail.generation(of: "a")
                if let read = tail.events(of: "a", after: first.justBefore, limit: 10), read.events.map(\.position) == [first] {
                    #expect(read.through == first && read.isCaughtUp)
                    break
                }
                await tail.wait(after: generation, of: "a")
            }
            let quiet = tail.generation(of: "a")
            let other = try await append("b", "t")
            await waitUntil(tail) { tail.events(after: first, limit: 10)?.map(\.position) == [other] }
            #expect(tail.generation(of: "a") == quiet, "a read of another stream's event woke the stream's waiters")
            // The stream's reader moves past the other stream's event without receiving it.
            let read = try #require(tail.events(of: "a", after: first, limit: 10))
            #expect(read.events.isEmpty && read.through == other && read.isCaughtUp)
        }
    }

    @Test("a stream with no events dropped after a position skips from it to the floor; one with dropped events reads the database")
    func quietStreamSkipsToFloor() async throws {
        try await withStartedTail(capacity: 8, readInterval: .zero) { tail, append in
            let quiet = try await append("a", "t")
            let busy = try await append(batchOf: 20, to: "b")
            await waitUntil(tail) { tail.events(after: busy[18], limit: 10)?.map(\.position) == [busy[19]] }
            // The floor has passed the quiet stream's event.
            #expect(tail.events(after: quiet, limit: 100) == nil)
            let skipped = try #require(tail.events(of: "a", after: quiet, limit: 100))
            #expect(skipped.events.isEmpty && skipped.through == busy[19] && skipped.isCaughtUp)
            // Events of "b" after that position are gone from the tail.
            #expect(tail.events(of: "b", after: quiet, limit: 100) == nil)
            // Before the tail's first floor, it vouches for nothing.
            #expect(tail.events(of: "a", after: .start, limit: 100) == nil)
            // A limit stops the read early, and says so.
            let held = try #require(tail.events(after: busy[14], limit: 100)).map(\.position)
            #expect(held == Array(busy[15...]))
            let firstTwo = try #require(tail.events(of: "b", after: busy[14], limit: 2))
            #expect(firstTwo.events.map(\.position) == [busy[15], busy[16]] && firstTwo.through == busy[16] && !firstTwo.isCaughtUp)
        }
    }
}

/// Appends events to the log in one transaction each: `append(stream, type)`, or a batch
/// of `count` events of one stream in one transaction.
private struct Appender {
    let database: Database
    let logger: Logger

    func callAsFunction(_ stream: String, _ type: String) async throws -> EventPosition {
        try await database.withTransaction { connection in
            try await EventLog.append([NewEvent(stream: stream, type: type, payloadJSON: "{}")], on: connection, logger: logger)
        }[0]
    }

    func callAsFunction(batchOf count: Int, to stream: String) async throws -> [EventPosition] {
        try await database.withTransaction { connection in
            try await EventLog.append((0..<count).map { NewEvent(stream: stream, type: "t\($0)", payloadJSON: "{}") }, on: connection, logger: logger)
        }
    }
}

/// Runs `body` on a fresh database with a tail (and the notifier it follows) running and
/// started: its floor is set, so a position far ahead reads from the tail.
private func withStartedTail(
    capacity: Int = 20_000, readInterval: Duration = .milliseconds(5),
    _ body: @escaping @Sendable (EventTail, Appender) async throws -> Void
) async throws {
    try await TestDatabase.withFreshDatabase(applying: CoreMigrations.all) { database in
        let logger = TestDatabase.makeLogger("test.tail")
        let notifier = EventNotifier(database: database, logger: logger)
        let tail = EventTail(database: database, notifier: notifier, logger: logger, capacity: capacity, readInterval: readInterval)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await notifier.run() }
            group.addTask { try await tail.run() }
            let ahead = EventPosition(transactionID: UInt64(Int64.max), eventID: 0)
            await waitUntil(tail) { tail.events(after: ahead, limit: 1) != nil }
            try await body(tail, Appender(database: database, logger: logger))
            group.cancelAll()
        }
    }
}

/// Returns once `condition` holds, checking again after each change of the tail.
private func waitUntil(_ tail: EventTail, _ condition: () -> Bool) async {
    while true {
        let generation = tail.generation
        if condition() { return }
        await tail.wait(after: generation)
    }
}

extension EventPosition {
    /// A position just before every event of this one's transaction.
    fileprivate var justBefore: EventPosition { EventPosition(transactionID: transactionID - 1, eventID: Int64.max) }
}
