import DistrictRuntime
import DistrictStorage
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The newest events of the shared log, read once per process and shared by every
/// department queue subscription that is caught up, so that one committed change costs one
/// read however many departments follow their queues.
///
/// The tail holds the events after its `floor` in log order, as `EventLog.read` hands them
/// out (only events no later commit can precede), up to ``capacity`` (and a quarter more);
/// older ones are dropped and the floor moves up. A subscription whose position is at or above the floor
/// reads from the tail; one below it (resuming from far back, or fallen behind) reads the
/// database until it passes the floor. Both orders are the log's order, so switching
/// between them neither skips nor repeats an event.
///
/// Reads follow the commits' notifications, but no two reads start less than
/// ``readInterval`` apart: under load one read takes in the events of many commits (each read
/// costs a statement in PostgreSQL and wake-ups here, about as much as the group write it
/// follows), while a commit after a quiet spell is still read at once.
final class EventTail: Service, Sendable {
    /// The events kept: between this many and a quarter more.
    let capacity: Int

    /// The shortest time between the starts of two reads.
    let readInterval: Duration

    private struct State {
        var floor: EventPosition?
        var events: [StoredEvent] = []
        /// When the latest read started.
        var lastReadStarted: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// Advanced after the held events or the floor change, so a reader that saw the old
    /// generation and found nothing new is woken.
    private let signal = GenerationSignal()
    private let database: Database
    private let notifier: EventNotifier
    private let logger: Logger

    init(database: Database, notifier: EventNotifier, logger: Logger, capacity: Int = 20_000, readInterval: Duration = .milliseconds(5)) {
        self.database = database
        self.notifier = notifier
        self.logger = logger
        self.capacity = capacity
        self.readInterval = readInterval
    }

    /// When the latest read started (nil before the first).
    var lastReadStarted: ContinuousClock.Instant? { state.withLock { $0.lastReadStarted } }

    /// The events after `position` that the tail holds (at most `limit`), or nil when
    /// `position` lies below the floor (or the tail has not started) and the caller must
    /// read the database.
    func events(after position: EventPosition, limit: Int) -> [StoredEvent]? {
        state.withLock { state in
            guard let floor = state.floor, position >= floor else { return nil }
            // Binary search for the first event after `position`.
            var low = 0
            var high = state.events.count
            while low < high {
                let middle = (low + high) / 2
                if state.events[middle].position <= position { low = middle + 1 } else { high = middle }
            }
            return Array(state.events[low..<min(state.events.count, low + limit)])
        }
    }

    /// The current generation; pass it to ``wait(after:)``.
    var generation: UInt64 { signal.generation }

    /// Returns once the tail has grown past `generation` (or the task is cancelled).
    func wait(after generation: UInt64) async {
        await signal.wait(after: generation)
    }

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            var heldBackRetry = HeldBackRetry()
            while !Task.isCancelled {
                // Commits that land within the interval are read together.
                if let started = self.lastReadStarted, ContinuousClock.now < started + self.readInterval {
                    try? await Task.sleep(until: started + self.readInterval)
                }
                let generation = self.notifier.generation
                let outcome: ReadOutcome
                do {
                    outcome = try await self.readOnce()
                } catch {
                    if Task.isCancelled { break }
                    self.logger.warning("event tail read failed; retrying", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(1))
                    continue
                }
                switch outcome {
                case .full:
                    continue
                case .heldBack:
                    // A transaction holding them may end without a notification.
                    await self.notifier.wait(after: generation, atMost: heldBackRetry.next())
                case .caughtUp:
                    heldBackRetry.reset()
                    await self.notifier.wait(after: generation)
                }
            }
        }
        // Wake everyone still waiting: they read the database or end.
        state.withLock { $0.floor = nil }
        signal.advance()
    }

    /// What one read found.
    private enum ReadOutcome {
        /// A whole batch: read again right away.
        case full
        /// Events exist that an older open transaction still holds back.
        case heldBack
        /// Everything written so far is in the tail.
        case caughtUp
    }

    /// Reads the next batch.
    private func readOnce() async throws -> ReadOutcome {
        let batchSize = 1000
        let start = state.withLock { state in
            state.lastReadStarted = .now
            return state.events.last?.position ?? state.floor
        }
        let logger = self.logger
        let after: EventPosition
        if let start {
            after = start
        } else {
            // First read: every transaction below the snapshot's xmin has finished, so the
            // events from it on are those still to come in log order.
            let horizon = try await database.withConnection { connection in
                try await EventLog.horizon(on: connection, logger: logger)
            }
            let floor = EventPosition(transactionID: max(horizon, 1) - 1, eventID: Int64.max)
            state.withLock { $0.floor = floor }
            // Readers waiting for the tail to start (positions at or above the floor) may now read it.
            signal.advance()
            after = floor
        }
        let batch = try await database.withConnection { connection in
            try await EventLog.readBatch(after: after, limit: batchSize, on: connection, logger: logger)
        }
        if !batch.events.isEmpty {
            let overlap = state.withLock { state -> Int in
                // Log order is strictly increasing; a read that overlaps the held events
                // must not add them twice (a subscriber would get them twice).
                let last = state.events.last?.position ?? state.floor ?? EventPosition.start
                let fresh = batch.events.drop(while: { $0.position <= last })
                state.events.append(contentsOf: fresh)
                // Drop the oldest in chunks of a quarter of the capacity: dropping on every
                // read would move all the held events (megabytes) once per commit.
                if state.events.count > capacity + capacity / 4 {
                    let dropped = state.events.count - capacity
                    state.floor = state.events[dropped - 1].position
                    state.events.removeFirst(dropped)
                }
                return batch.events.count - fresh.count
            }
            if overlap > 0 {
                logger.warning("event tail read overlapped the held events", metadata: ["events.overlap": "\(overlap)", "events.after": "\(after)"])
            }
            signal.advance()
        }
        if batch.events.count == batchSize { return .full }
        return batch.hasHeldBackEvents ? .heldBack : .caughtUp
    }
}
