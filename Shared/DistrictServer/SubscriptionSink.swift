import DistrictProtocol

/// Where a subscription pushes its events: each `send` writes one event frame to the
/// subscriber's connection, waiting while the connection is not writable (backpressure).
public struct SubscriptionSink<Event: Encodable & Sendable>: Sendable {
    /// The subscription id the server assigned.
    public let subscriptionID: String
    private let write: @Sendable ([UInt8]) async throws -> Void

    init(subscriptionID: String, write: @escaping @Sendable ([UInt8]) async throws -> Void) {
        self.subscriptionID = subscriptionID
        self.write = write
    }

    /// Pushes one event with the cursor a client resumes from after it.
    public func send(_ event: Event, cursor: String?) async throws {
        let data = try WireCoding.encode(event)
        try await write(ServerFrame.event(subscription: subscriptionID, cursor: cursor, data: data).encoded())
    }
}

/// What a subscription handler returns: the acknowledgement sent as the method's result,
/// and the feed that then runs until the subscription ends.
public struct SubscriptionStart<Result: Sendable, Event: Encodable & Sendable>: Sendable {
    /// The method result sent before any event.
    public var result: Result
    /// Pushes events until it returns, throws, or is cancelled by `protocol.unsubscribe`,
    /// connection close or server drain.
    public var feed: @Sendable (SubscriptionSink<Event>) async throws -> Void

    /// Creates a subscription start.
    public init(result: Result, feed: @escaping @Sendable (SubscriptionSink<Event>) async throws -> Void) {
        self.result = result
        self.feed = feed
    }
}
