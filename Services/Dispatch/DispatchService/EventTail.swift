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
/// A subscription follows one stream: it waits on that stream's generation
/// (``generation(of:)``, ``wait(after:of:)``), advanced only by reads that brought events of
/// the stream, and reads with ``events(of:after:limit:)``, which skips the other streams' events
/// for it. So a commit wakes the subscriptions it concerns, not every department's: with
/// hundreds of subscribers, waking all of them for every commit cost more than the commits.
/// A quiet subscription whose position the floor has passed may skip to the floor when no
/// event of its stream was dropped after its position, instead of reading the database.
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
        /// The first floor: every event after it has been held by the tail.
        var origin: EventPosition?
        var events: [StoredEvent] = []
        /// Per stream, the newest of its events dropped from the front.
        var droppedThrough: [String: EventPosition] = [:]
        /// When the latest read started.
        var lastReadStarted: ContinuousClock.Instant?

        /// The index of the first held event after `position` (binary search).
        func firstIndex(after position: EventPosition) -> Int {
            var low = 0
            var high = events.count
            while low < high {
                let middle = (low + high) / 2
                if events[middle].position <= position { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    private let state = Mutex(State())
    /// Advanced after the held events or the floor change, so a reader that saw the old
    /// generation and found nothing new is woken.
    private let signal = GenerationSignal()
    /// One signal per stream a subscription asked about, advanced by reads that brought
    /// events of that stream and whenever ``signal`` is advanced for another reason.
    private let streamSignals = StreamSignals()
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
    ///
    /// This and ``generation``/``wait(after:)`` see the whole tail, all streams; the tests
    /// observe the tail through them. Subscriptions use the per-stream forms
    /// (``events(of:after:limit:)``, ``wait(after:of:)``), which wake only for their stream.
    func events(after position: EventPosition, limit: Int) -> [StoredEvent]? {
        state.withLock { state in
            guard let floor = state.floor, position >= floor else { return nil }
            let first = state.firstIndex(after: position)
            return Array(state.events[first..<min(state.events.count, first + limit)])
        }
    }

    /// What the tail holds of one stream after a position.
    struct StreamRead {
        /// The stream's events after the position, in log order.
        var events: [StoredEvent]
        /// The caller has now seen every event of the stream up to this position: move to it.
        var through: EventPosition
        /// Whether `through` is the newest event held: read again after the stream's
        /// generation moves, not before.
        var isCaughtUp: Bool
    }

    /// The most held events one call looks through, so the lock is never held long.
    static let scanLimit = 10_000

    /// The events of `stream` after `position` that the tail holds (at most `limit`), or nil
    /// when the caller must read the database: `position` lies below the floor and an event
    /// of `stream` after it was dropped (or it lies below the tail's first floor, or the
    /// tail has not started).
    func events(of stream: String, after position: EventPosition, limit: Int) -> StreamRead? {
        state.withLock { state in
            guard let floor = state.floor, let origin = state.origin else { return nil }
            var from = position
            if position < floor {
                // Everything between the position and the floor passed through the tail; if
                // none of it was the stream's, nothing is missed by skipping to the floor.
                guard position >= origin, state.droppedThrough[stream].map({ $0 <= position }) ?? true else { return nil }
                from = floor
            }
            var index = state.firstIndex(after: from)
            let end = min(state.events.count, index + Self.scanLimit)
            var found: [StoredEvent] = []
            var through = from
            while index < end, found.count < limit {
                let event = state.events[index]
                if event.stream == stream { found.append(event) }
                through = event.position
                index += 1
            }
            return StreamRead(events: found, through: through, isCaughtUp: index == state.events.count)
        }
    }

    /// The current generation; pass it to ``wait(after:)``.
    var generation: UInt64 { signal.generation }

    /// Returns once the tail has grown past `generation` (or the task is cancelled).
    func wait(after generation: UInt64) async {
        await signal.wait(after: generation)
    }

    /// The current generation of `stream`; pass it to ``wait(after:of:)``.
    func generation(of stream: String) -> UInt64 { streamSignals.signal(of: stream).generation }

    /// Returns once a read brought events of `stream`, or the floor moved, or the tail
    /// started or stopped, after `generation` (or the task is cancelled).
    func wait(after generation: UInt64, of stream: String) async {
        await streamSignals.signal(of: stream).wait(after: generation)
    }

    /// Wakes every waiter, of all events and of each stream.
    private func advanceAll() {
        signal.advance()
        streamSignals.advanceAll()
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
        advanceAll()
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
            state.withLock { state in
                state.floor = floor
                state.origin = state.origin ?? floor
            }
            // Readers waiting for the tail to start (positions at or above the floor) may now read it.
            advanceAll()
            after = floor
        }
        let batch = try await database.withConnection { connection in
            try await EventLog.readBatch(after: after, limit: batchSize, on: connection, logger: logger)
        }
        if !batch.events.isEmpty {
            let (overlap, streams, floorMoved) = state.withLock { state -> (Int, Set<String>, Bool) in
                // Log order is strictly increasing; a read that overlaps the held events
                // must not add them twice (a subscriber would get them twice).
                let last = state.events.last?.position ?? state.floor ?? EventPosition.start
                let fresh = batch.events.drop(while: { $0.position <= last })
                state.events.append(contentsOf: fresh)
                let streams = Set(fresh.map(\.stream))
                // Drop the oldest in chunks of a quarter of the capacity: dropping on every
                // read would move all the held events (megabytes) once per commit.
                var floorMoved = false
                if state.events.count > capacity + capacity / 4 {
                    let dropped = state.events.count - capacity
                    for event in state.events[..<dropped] { state.droppedThrough[event.stream] = event.position }
                    state.floor = state.events[dropped - 1].position
                    state.events.removeFirst(dropped)
                    floorMoved = true
                }
                return (batch.events.count - fresh.count, streams, floorMoved)
            }
            if overlap > 0 {
                logger.warning("event tail read overlapped the held events", metadata: ["events.overlap": "\(overlap)", "events.after": "\(after)"])
            }
            if floorMoved {
                // Subscriptions the floor passed learn it and skip ahead or read the database.
                advanceAll()
            } else {
                signal.advance()
                for stream in streams { streamSignals.advance(stream) }
            }
        }
        if batch.events.count == batchSize { return .full }
        return batch.hasHeldBackEvents ? .heldBack : .caughtUp
    }
}
