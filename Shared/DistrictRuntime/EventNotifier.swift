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
public final class EventNotifier: Service, Sendable {
    private let signal = GenerationSignal()
    /// One signal per stream a waiter asked about, advanced by the notifications naming it.
    private let streamSignals = Mutex<[String: GenerationSignal]>([:])
    /// Set by each notification, cleared by the wake it causes: a wake without one is the
    /// re-check interval's.
    private let notifiedSinceWake = Atomic<Bool>(false)
    private let database: Database
    private let logger: Logger

    private let recheckInterval: Duration

    /// Creates a notifier over `database` that also wakes every waiter after
    /// `recheckInterval` without a notification.
    public init(database: Database, recheckInterval: Duration = .seconds(1), logger: Logger) {
        self.database = database
        self.recheckInterval = recheckInterval
        self.logger = logger
    }

    /// The current generation; pass it to ``wait(after:)``.
    public var generation: UInt64 { signal.generation }

    /// Returns once the generation moved past `generation` (or the task is cancelled).
    public func wait(after generation: UInt64) async {
        await signal.wait(after: generation)
    }

    /// The current generation of `stream`; pass it to ``wait(after:of:)``.
    public func generation(of stream: String) -> UInt64 { signal(of: stream).generation }

    /// Returns once a commit appended events of `stream`, or the re-check interval passed,
    /// after `generation` (or the task is cancelled).
    public func wait(after generation: UInt64, of stream: String) async {
        await signal(of: stream).wait(after: generation)
    }

    public func run() async throws {
        let listener = EventListener(database: database, recheckInterval: recheckInterval, logger: logger)
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await listener.run(notified: { stream in
                        self.notifiedSinceWake.store(true, ordering: .relaxed)
                        self.streamSignals.withLock { $0[stream] }?.advance()
                    }) {
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
        await signal.wait(after: generation, atMost: timeout)
    }

    /// Wakes every waiter, of all events and of each stream.
    private func advance() {
        signal.advance()
        for stream in streamSignals.withLock({ Array($0.values) }) { stream.advance() }
    }

    private func signal(of stream: String) -> GenerationSignal {
        streamSignals.withLock { signals in
            if let signal = signals[stream] { return signal }
            let signal = GenerationSignal()
            signals[stream] = signal
            return signal
        }
    }
}
