/// A typed method of the district line protocol: its wire name, the type of its
/// `params` and the type of its `result`.
///
/// Server and client share these descriptors, so a service registers
/// `router.register(Dispatch.Report.self) { params, context in ... }` and a client calls
/// `try await client.call(Dispatch.Report.self, params)`; neither side switches over
/// method strings.
public protocol MethodDescriptor: Sendable {
    /// The `params` object of a request.
    associatedtype Params: Codable & Sendable
    /// The `result` object of a successful response.
    associatedtype Result: Codable & Sendable
    /// The method's name on the wire, e.g. `system.health`.
    static var name: String { get }
}

/// The result of a subscription method: an object whose `subscription` member names the
/// subscription, so that clients can route the event frames that follow.
public protocol SubscriptionAcknowledgement: Codable, Sendable {
    /// The subscription id the server assigned.
    var subscription: String { get }
}

/// A method that opens a subscription: its result acknowledges the subscription and the
/// server then pushes `Event` frames on the same connection until it is cancelled.
public protocol SubscriptionDescriptor: MethodDescriptor where Result: SubscriptionAcknowledgement {
    /// The payload type of each pushed event frame.
    associatedtype Event: Codable & Sendable
}

/// The empty JSON object `{}`, for methods that take no parameters or return nothing.
public struct Empty: Codable, Sendable, Hashable {
    /// Creates the empty value.
    public init() {}
}
