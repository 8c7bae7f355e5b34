import NIOCore

/// The endpoint's lifecycle as a plain value: the owner holds it under a lock and
/// carries out what its methods return (resume waiters, close channels) outside it.
struct MetricsEndpointState {
    typealias PortWaiter = CheckedContinuation<Int, any Error>

    private enum Phase {
        case initial
        case starting
        case listening(port: Int, serverChannel: any Channel)
        case finished
    }

    /// What a new ``MetricsEndpoint/boundPort`` waiter should do.
    enum WaitAction {
        case resume(Int)
        case fail(any Error)
        case wait
    }

    /// Channels to close or quiesce when graceful shutdown begins.
    struct QuiesceAction {
        var serverChannel: (any Channel)?
        var connections: [any Channel]
    }

    private var phase: Phase = .initial
    private var quiescing = false
    private var waiters: [Int: PortWaiter] = [:]
    private var nextWaiterID = 0
    private var connections: [ObjectIdentifier: any Channel] = [:]

    /// Moves from initial to starting; a second `run()` is an error.
    mutating func start() throws(MetricsEndpointError) {
        guard case .initial = self.phase else { throw .alreadyStarted }
        self.phase = .starting
    }

    /// Records the bound server channel.
    /// - Returns: the waiters to resume with `port`, and whether shutdown already began
    ///   (then the caller closes the server channel straight away).
    mutating func didBind(port: Int, serverChannel: any Channel) -> (waiters: [PortWaiter], shutDownAlready: Bool) {
        self.phase = .listening(port: port, serverChannel: serverChannel)
        let waiters = Array(self.waiters.values)
        self.waiters.removeAll()
        return (waiters, self.quiescing)
    }

    /// Marks the endpoint stopped. Returns the waiters that never saw a port, to fail.
    mutating func finish() -> [PortWaiter] {
        self.phase = .finished
        let waiters = Array(self.waiters.values)
        self.waiters.removeAll()
        return waiters
    }

    /// A fresh id for a ``MetricsEndpoint/boundPort`` waiter.
    mutating func makeWaiterID() -> Int {
        defer { self.nextWaiterID += 1 }
        return self.nextWaiterID
    }

    /// Answers a port request now if possible, otherwise parks the waiter under `id`.
    mutating func addWaiter(id: Int, _ waiter: PortWaiter, isCancelled: Bool) -> WaitAction {
        if isCancelled { return .fail(CancellationError()) }
        switch self.phase {
        case .listening(let port, _):
            return .resume(port)
        case .finished:
            return .fail(MetricsEndpointError.notListening)
        case .initial, .starting:
            self.waiters[id] = waiter
            return .wait
        }
    }

    /// Removes a parked waiter (its task was cancelled); the caller fails it.
    mutating func removeWaiter(id: Int) -> PortWaiter? {
        self.waiters.removeValue(forKey: id)
    }

    /// Tracks an accepted connection. Returns `false` once shutdown began: the caller closes it.
    mutating func register(_ connection: any Channel) -> Bool {
        guard !self.quiescing else { return false }
        self.connections[ObjectIdentifier(connection)] = connection
        return true
    }

    /// Stops tracking a connection that has closed.
    mutating func unregister(_ connection: any Channel) {
        self.connections.removeValue(forKey: ObjectIdentifier(connection))
    }

    /// Begins graceful shutdown (once): stop accepting and quiesce open connections.
    mutating func quiesce() -> QuiesceAction {
        guard !self.quiescing else { return QuiesceAction(serverChannel: nil, connections: []) }
        self.quiescing = true
        var serverChannel: (any Channel)?
        if case .listening(_, let channel) = self.phase {
            serverChannel = channel
        }
        return QuiesceAction(serverChannel: serverChannel, connections: Array(self.connections.values))
    }
}
