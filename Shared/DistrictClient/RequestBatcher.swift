import DistrictProtocol
import NIOCore
import Synchronization

/// Hands requests from many tasks to the channel in batches: the first request of a batch
/// schedules one event-loop task that writes every request queued by then and flushes
/// once, instead of one event-loop wake-up and one flush per request.
final class RequestBatcher: Sendable {
    private struct State {
        var pending: [ClientRequest] = []
        var scheduled = false
    }

    private let channel: any Channel
    private let state = Mutex(State())

    init(channel: any Channel) {
        self.channel = channel
    }

    func submit(_ request: ClientRequest) {
        let schedule = state.withLock { state -> Bool in
            state.pending.append(request)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard schedule else { return }
        channel.eventLoop.execute { self.writePending() }
    }

    private func writePending() {
        let batch = state.withLock { state in
            state.scheduled = false
            defer { state.pending = [] }
            return state.pending
        }
        for request in batch {
            let promise = request.promise
            channel.write(request).whenFailure { error in
                promise.fail(error as? DistrictError ?? DistrictError(.unavailable, "could not send: \(error)", details: ["sent": "false"]))
            }
        }
        channel.flush()
    }
}
