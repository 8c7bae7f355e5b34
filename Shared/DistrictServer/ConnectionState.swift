import Synchronization

/// The shared, lock-protected state of one connection: requests in flight, open
/// subscriptions and whether the connection is draining.
final class ConnectionState: Sendable {
    enum Admission {
        case admitted
        case draining
        case full
    }

    private struct State {
        var inFlight = 0
        var draining = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var subscriptions: [String: AsyncStream<Void>.Continuation] = [:]
        var nextSubscription = 1
    }

    private let state = Mutex(State())
    private let maximumInFlight: Int
    let drainSignal: AsyncStream<Void>
    private let drainContinuation: AsyncStream<Void>.Continuation

    init(maximumInFlight: Int) {
        self.maximumInFlight = maximumInFlight
        (drainSignal, drainContinuation) = AsyncStream<Void>.makeStream()
    }

    /// Counts a new request in, unless the connection is draining or full.
    func admit() -> Admission {
        state.withLock { state in
            if state.draining { return .draining }
            if state.inFlight >= maximumInFlight { return .full }
            state.inFlight += 1
            return .admitted
        }
    }

    /// Counts a finished request out and wakes drain waiters when none remain.
    func finish() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        waiters.forEach { $0.resume() }
    }

    /// Starts draining: new requests are refused and the drain task is woken.
    func beginDrain() {
        let first = state.withLock { state in
            defer { state.draining = true }
            return !state.draining
        }
        if first {
            drainContinuation.yield()
            drainContinuation.finish()
        }
    }

    /// Returns once no request is in flight.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state in
                if state.inFlight == 0 { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Registers a new subscription and returns its id and its stop signal.
    func openSubscription() -> (id: String, stop: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        let id = state.withLock { state in
            let id = "s\(state.nextSubscription)"
            state.nextSubscription += 1
            state.subscriptions[id] = continuation
            return id
        }
        return (id, stream)
    }

    /// Stops one subscription; returns false if there was none of that id.
    @discardableResult
    func stopSubscription(_ id: String) -> Bool {
        let continuation = state.withLock { $0.subscriptions.removeValue(forKey: id) }
        continuation?.finish()
        return continuation != nil
    }

    /// Stops every subscription of the connection.
    func stopAllSubscriptions() {
        let all = state.withLock { state in
            defer { state.subscriptions = [:] }
            return Array(state.subscriptions.values)
        }
        all.forEach { $0.finish() }
    }
}
