import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictServer
import DistrictWire
import Logging
import NIOCore
import TestSupport

/// A router with `system.echo` and a test subscription.
func echoRouter() -> MethodRouter {
    var router = MethodRouter()
    SystemMethods.registerEcho(into: &router)
    router.register(subscription: Counting.self) { params, _, subscription in
        SubscriptionStart(result: Counting.Result(subscription: subscription, from: params.from)) { sink in
            var value = params.from
            while params.until.map({ value <= $0 }) ?? true {
                try await sink.send(Counting.Event(value: value), cursor: String(value))
                value += 1
            }
            // Stay open until cancelled, like a live feed that has nothing new.
            let (idle, continuation) = AsyncStream<Never>.makeStream()
            defer { continuation.finish() }
            for await _ in idle {}
        }
    }
    router.register(subscription: FailingFeed.self) { _, _, subscription in
        SubscriptionStart(result: Counting.Result(subscription: subscription, from: 1)) { sink in
            try await sink.send(Counting.Event(value: 1), cursor: "1")
            throw DistrictError(.unavailable, "the source went away")
        }
    }
    return router
}

/// A subscription whose feed fails after one event.
enum FailingFeed: SubscriptionDescriptor {
    static let name = "test.failing"
    typealias Params = Empty
    typealias Result = Counting.Result
    typealias Event = Counting.Event
}

/// A subscription that pushes consecutive numbers.
enum Counting: SubscriptionDescriptor {
    static let name = "test.count"
    struct Params: Codable, Sendable {
        var from: Int
        var until: Int?
    }
    struct Result: SubscriptionAcknowledgement {
        var subscription: String
        var from: Int
    }
    struct Event: Codable, Sendable {
        var value: Int
    }
}

func makeClient(port: Int, credentials: TLSCredentials? = nil, trustRootsPath: String = TestPKI.shared.caPath, connections: Int = 1) throws -> DistrictClient {
    try DistrictClient(
        configuration: ClientConfiguration(
            host: "localhost", port: port, trustRootsPath: trustRootsPath, clientCredentials: credentials, connections: connections),
        logger: Logger(label: "test.client"))
}

func connectRaw(_ server: TestServerHandle, credentials: TLSCredentials? = nil) async throws -> RawTLSConnection {
    try await RawTLSConnection.connect(to: server.address, trustRootsPath: TestPKI.shared.caPath, clientCredentials: credentials)
}

extension ServerFrame {
    var errorCode: ErrorCode? {
        if case .error(_, let error) = self { return error.code }
        return nil
    }

    var resultText: String? {
        if case .result(_, let json) = self { return String(decoding: json, as: UTF8.self) }
        return nil
    }
}
