import Synchronization

/// One admitted request's place in its connection's in-flight count, released once.
final class InFlightTicket: Sendable {
    private let state: ConnectionState
    private let released = Atomic(false)

    init(state: ConnectionState) {
        self.state = state
    }

    /// Gives the place back; later calls do nothing.
    func release() {
        if !released.exchange(true, ordering: .relaxed) {
            state.finish()
        }
    }
}
