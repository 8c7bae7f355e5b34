public import DistrictStorage
public import Logging
public import ServiceLifecycle
import Synchronization

/// One `LISTEN` per process, fanned out to every subscription: waiters are woken when a
/// transaction that appended events commits, and at least every second while the
/// listener runs (events held back by an older open transaction become readable without
/// a notification of their own).
///
/// A waiter that reads only one stream waits on that stream's generation
/// (``generation(of:)``, ``wait(after:of:)``): it is woken by commits that appended events of
/// that stream (the notification's payload names it) and by the once-a-second re-check, not
/// by every commit of the district.
///
/// The notifier listens only while someone waits: `LISTEN` on a pooled connection when the
/// first waiter arrives, released after ``idleTimeout`` without waiters. Every process of the
/// district gets every commit's notification while it listens (a wake-up of a PostgreSQL
/// backend and of this process per commit), so a service nobody follows pays nothing for the
/// district's writes. Once listening, it wakes every waiter, so one that read before the
/// `LISTEN` took effect reads again.
public final class EventNotifier: Service, Sendable {
    private let signal = GenerationSignal()
    /// One signal per stream a waiter asked about, advanced by the notifications naming it.
    private let streamSignals = StreamSignals()
    /// Set by each notification, cleared by the wake it causes: a wake without one is the
    /// re-check interval's.
    private let notifiedSinceWake = Atomic<Bool>(false)
    private let database: Database
    private let logger: Logger

    private let recheckInterval: Duration
    /// How long the notifier keeps listening with nobody waiting.
    public let idleTimeout: Duration

    private struct Waiters {
        var count = 0
        /// When the last waiter left.
        var idleSince = ContinuousClock.now
    }

    private let waiters = Mutex(Waiters())
    /// Advanced when the first waiter arrives; the idle notifier waits on it.
    private let demand = GenerationSignal()
    private let listening = Atomic<Bool>(false)
    /// Advanced whenever the notifier starts or stops listening.
    public let listeningChanged = GenerationSignal()

    /// Creates a notifier over `database` that also wakes every waiter after
    /// `recheckInterval` without a notification, and stops listening after `idleTimeout`
    /// without waiters.
    public init(database: Database, recheckInterval: Duration = .seconds(1), idleTimeout: Duration = .seconds(30), logger: Logger) {
        self.database = database
        self.recheckInterval = recheckInterval
        self.idleTimeout = idleTimeout
        self.logger = logger
    }

    /// Whether the notifier holds its `LISTEN` now.
    public var isListening: Bool { listening.load(ordering: .acquiring) }

    /// The current generation; pass it to ``wait(after:)``.
    public var generation: UInt64 { signal.generation }

    /// Returns once the generation moved past `generation` (or the task is cancelled).
    public func wait(after generation: UInt64) async {
        await waiting { await signal.wait(after: generation) }
    }

    /// The current generation of `stream`; pass it to ``wait(after:of:)``.
    public func generation(of stream: String) -> UInt64 { streamSignals.signal(of: stream).generation }

    /// Returns once a commit appended events of `stream`, or the re-check interval passed,
    /// after `generation` (or the task is cancelled).
    public func wait(after generation: UInt64, of stream: String) async {
        let signal = streamSignals.signal(of: stream)
        await waiting { await signal.wait(after: generation) }
    }

    public func run() async throws {
        let listener = EventListener(database: database, recheckInterval: recheckInterval, logger: logger)
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    await self.waitForDemand()
                    try Task.checkCancellation()
                    defer { self.setListening(false) }
                    try await listener.run(notified: { stream in
                        self.notifiedSinceWake.store(true, ordering: .relaxed)
                        self.streamSignals.advance(stream)
                    }) {
                        if !self.isListening {
                            // Listening now: everyone reads again (a commit may have come
                            // between their read and the LISTEN).
                            self.setListening(true)
                            self.notifiedSinceWake.store(false, ordering: .relaxed)
                            self.advance()
                            return .afterNotificationOrInterval
                        }
                        if self.isIdle {
                            self.logger.debug("nobody waits for events; no longer listening")
                            return .stop
                        }
                        // No notification since the last wake: the re-check interval, after
                        // which held-back events of any stream may have become readable.
                        if self.notifiedSinceWake.exchange(false, ordering: .relaxed) {
                            self.signal.advance()
                        } else {
                            self.advance()
                        }
                        return .afterNotificationOrInterval
                    }
                }
            } catch is CancellationError {
                break
            } catch {
                // The database went away: wake everyone (they will see the error on their
                // own reads) and listen again after a pause.
                logger.warning("event listener failed; retrying", metadata: ["error": "\(error)"])
                advance()
                try? await Task.sleep(for: .seconds(1))
            }
            if Task.isCancelled || Task.isShuttingDownGracefully { break }
        }
        advance()
    }

    /// Returns once the generation moved past `generation` or after `timeout`, whichever
    /// comes first (or the task is cancelled).
    public func wait(after generation: UInt64, atMost timeout: Duration) async {
        await waiting { await signal.wait(after: generation, atMost: timeout) }
    }

    /// Counts the caller as a waiter while `body` runs; the first one wakes the idle notifier.
    private func waiting(_ body: () async -> Void) async {
        let first = waiters.withLock { waiters -> Bool in
            waiters.count += 1
            return waiters.count == 1
        }
        if first { demand.advance() }
        await body()
        waiters.withLock { waiters in
            waiters.count -= 1
            if waiters.count == 0 { waiters.idleSince = .now }
        }
    }

    /// Whether nobody has waited for ``idleTimeout``.
    private var isIdle: Bool {
        waiters.withLock { $0.count == 0 && ContinuousClock.now - $0.idleSince >= idleTimeout }
    }

    /// Returns once someone waits (or the task is cancelled).
    private func waitForDemand() async {
        while !Task.isCancelled {
            let generation = demand.generation
            if waiters.withLock({ $0.count > 0 }) { return }
            await demand.wait(after: generation)
        }
    }

    private func setListening(_ value: Bool) {
        if listening.exchange(value, ordering: .acquiringAndReleasing) != value { listeningChanged.advance() }
    }

    /// Wakes every waiter, of all events and of each stream.
    private func advance() {
        signal.advance()
        streamSignals.advanceAll()
    }
}
