public import DistrictServer
import DistrictWire
import Logging
public import NIOCore
import ServiceLifecycle

/// Runs a protocol server on a free loopback port for the duration of `body`, then
/// shuts it down gracefully and waits until it has stopped.
public func withTestServer<Result: Sendable>(
    router: MethodRouter,
    service: String = "test",
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (TestServerHandle) async throws -> Result
) async throws -> Result {
    var configuration = ServerConfiguration(serviceName: service, tls: TestPKI.shared.credentials("dispatch"))
    configure(&configuration)
    let logger = Logger(label: "test.server")
    let server = ProtocolServer(configuration: configuration, router: router, logger: logger)
    let group = ServiceGroup(configuration: .init(services: [server], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let handle = TestServerHandle(address: try await server.listeningAddress, server: server, group: group)
        do {
            let result = try await body(handle)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// A running test server.
public struct TestServerHandle: Sendable {
    /// Where it listens.
    public let address: SocketAddress
    /// The server itself.
    public let server: ProtocolServer
    let group: ServiceGroup

    /// The port it listens on.
    public var port: Int { address.port! }

    /// Starts a graceful shutdown (drain) without waiting for it.
    public func beginShutdown() async {
        await group.triggerGracefulShutdown()
    }
}
