public import DistrictStorage
public import Logging
public import ServiceLifecycle

/// One `LISTEN` per process, fanned out to every subscription: waiters are woken when a
/// transaction that appended events commits, and at least every second while the
/// listener runs (events held back by an older open transaction become readable without
/// a notification of their own).
public final class EventNotifier: Service, Sendable {
    private let signal = GenerationSignal()
    private let database: Database
    private let logger: Logger

    /// Creates a notifier over `database`.
    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The current generation; pass it to ``wait(after:)``.
    public var generation: UInt64 { signal.generation }

    /// Returns once the generation moved past `generation` (or the task is cancelled).
    public func wait(after generation: UInt64) async {
        await signal.wait(after: generation)
    }

    public func run() async throws {
        let listener = EventListener(database: database, logger: logger)
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown {
                    try await listener.run {
                        self.advance()
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

    private func advance() {
        signal.advance()
    }
}
