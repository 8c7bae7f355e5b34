import Synchronization

/// A counter that tasks wait on: ``wait(after:)`` returns once ``advance()`` moved the
/// generation past the one the waiter read. Read the generation *before* checking for
/// work, then wait after it, and no wake-up is lost.
public final class GenerationSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A signal at generation 0.
    public init() {}

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

    /// Returns once the generation moved past `generation`, or after `timeout`, whichever
    /// comes first (or the task is cancelled).
    public func wait(after generation: UInt64, atMost timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(after: generation) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Moves to the next generation and wakes every waiter.
    public func advance() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }
}
