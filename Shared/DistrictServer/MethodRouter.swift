public import DistrictProtocol

/// Maps method names to typed handlers. A service registers each of its method
/// descriptors once; the server looks handlers up by name and decodes `params` into the
/// descriptor's own type.
public struct MethodRouter: Sendable {
    typealias UnaryHandler = @Sendable ([UInt8], RequestContext) async throws -> [UInt8]
    typealias SubscriptionHandler = @Sendable ([UInt8], RequestContext, String) async throws -> (result: [UInt8], feed: @Sendable (@escaping @Sendable ([UInt8]) async throws -> Void) async throws -> Void)

    enum Route: Sendable {
        case unary(UnaryHandler)
        case subscription(SubscriptionHandler)
    }

    private(set) var routes: [String: Route] = [:]

    /// Creates an empty router.
    public init() {}

    /// The registered method names, sorted.
    public var methodNames: [String] { routes.keys.sorted() }

    /// Registers the handler of a request/response method.
    public mutating func register<Method: MethodDescriptor>(
        _ method: Method.Type,
        handler: @escaping @Sendable (Method.Params, RequestContext) async throws -> Method.Result
    ) {
        precondition(routes[Method.name] == nil, "method \(Method.name) registered twice")
        routes[Method.name] = .unary { rawParams, context in
            let params = try WireCoding.decodeParams(Method.Params.self, from: rawParams)
            let result = try await handler(params, context)
            return try WireCoding.encode(result)
        }
    }

    /// Registers the handler of a subscription method. The handler receives the
    /// subscription id the server assigned, so its result can report it.
    public mutating func register<Method: SubscriptionDescriptor>(
        subscription method: Method.Type,
        handler: @escaping @Sendable (Method.Params, RequestContext, String) async throws -> SubscriptionStart<Method.Result, Method.Event>
    ) {
        precondition(routes[Method.name] == nil, "method \(Method.name) registered twice")
        routes[Method.name] = .subscription { rawParams, context, subscriptionID in
            let params = try WireCoding.decodeParams(Method.Params.self, from: rawParams)
            let start = try await handler(params, context, subscriptionID)
            let result = try WireCoding.encode(start.result)
            return (result, { write in
                try await start.feed(SubscriptionSink(subscriptionID: subscriptionID, write: write))
            })
        }
    }

    func route(for name: String) -> Route? {
        routes[name]
    }
}
