public import DistrictProtocol

/// An open subscription: the method's acknowledgement and the stream of pushed events.
///
/// The stream ends with an error when the connection closes; reconnect and subscribe
/// again with the cursor of the last event received to get every event after it.
public struct ClientSubscription<Method: SubscriptionDescriptor>: Sendable {
    /// The subscription method's result.
    public let result: Method.Result
    /// The pushed events, in order.
    public let events: Events
    private let cancelAction: @Sendable () async -> Void

    init(result: Method.Result, raw: AsyncThrowingStream<PushedEvent, any Error>, cancel: @escaping @Sendable () async -> Void) {
        self.result = result
        self.events = Events(raw: raw)
        self.cancelAction = cancel
    }

    /// Ends the subscription (sends `protocol.unsubscribe`).
    public func cancel() async {
        await cancelAction()
    }

    /// One received event and the cursor to resume after it.
    public struct Event: Sendable {
        /// The decoded payload.
        public var data: Method.Event
        /// The resumable cursor of this event.
        public var cursor: String?
    }

    /// The async sequence of decoded events.
    public struct Events: AsyncSequence, Sendable {
        public typealias Element = Event
        let raw: AsyncThrowingStream<PushedEvent, any Error>

        public func makeAsyncIterator() -> Iterator {
            Iterator(base: raw.makeAsyncIterator())
        }

        /// Iterates decoded events.
        public struct Iterator: AsyncIteratorProtocol {
            var base: AsyncThrowingStream<PushedEvent, any Error>.AsyncIterator

            public mutating func next() async throws -> Event? {
                guard let pushed = try await base.next() else { return nil }
                let data = try WireCoding.decodeParams(Method.Event.self, from: pushed.data)
                return Event(data: data, cursor: pushed.cursor)
            }
        }
    }
}
