import DistrictClient
import DistrictRuntime
import DistrictServer
import Logging
import TestSupport

/// Runs `body` with a client of a TLS test server that answers `system.echo`, and closes
/// the client after it: a real service for the load driver to call.
func withEchoClient(connections: Int = 1, _ body: (DistrictClient) async throws -> Void) async throws {
    var router = MethodRouter()
    SystemMethods.registerEcho(into: &router)
    try await withTestServer(router: router) { server in
        let client = try DistrictClient(
            configuration: ClientConfiguration(
                host: "localhost", port: server.port, trustRootsPath: TestPKI.shared.caPath, connections: connections),
            logger: Logger(label: "test.load"))
        do {
            try await body(client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }
}
