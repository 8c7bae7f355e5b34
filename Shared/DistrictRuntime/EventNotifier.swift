public import DistrictStorage
public import Logging
public import ServiceLifecycle
import Synchronization

/// One `LISTEN` per process, fanned out to every subscription: waiters are woken when a
/// transaction that appended events commits, and at least every second while the
/// listener runs (events held back by an older open transaction become readable without
/// a notification of their own).
public final class EventNotifier: Service, Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let database: Database
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a notifier over `database`.
    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// The current generation; pass it to ``wait(after:)``.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Returns once the generation moved past `generation` (or the task is cancelled).
    public func wait(after generation: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.generation > generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
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

    private func advance() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }
}
