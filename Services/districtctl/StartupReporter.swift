import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictObservability
import DistrictServer
import DistrictWire
import Foundation
import Logging
import ServiceLifecycle

/// Waits until every service answers `system.health` over TLS, prints the endpoints,
/// then stays until shutdown.
struct StartupReporter: Service {
    let endpoints: [(DistrictService, ProtocolServer)]
    let metrics: MetricsEndpoint
    let home: HomeOptions
    let host: String
    let logger: Logger

    func run() async throws {
        var lines: [String] = []
        for (service, server) in endpoints {
            let port = try await server.listeningAddress.port ?? 0
            let client = try DistrictClient(
                configuration: ClientConfiguration(
                    host: host == "127.0.0.1" ? "localhost" : host, port: port, trustRootsPath: "\(home.certificates)/ca.pem",
                    clientCredentials: TLSCredentials(directory: home.certificates, name: "operator"),
                    clientName: "districtctl-up", initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(500)),
                logger: logger)
            var health: SystemAPI.Health.Result?
            let deadline = ContinuousClock.now + .seconds(60)
            while health == nil, ContinuousClock.now < deadline, !Task.isShuttingDownGracefully {
                health = try? await client.call(SystemAPI.Health.self, Empty(), timeout: .seconds(2))
                if health == nil { try? await Task.sleep(for: .milliseconds(100)) }
            }
            await client.close()
            guard let health else {
                logger.error("service did not become healthy", metadata: ["service": "\(service.rawValue)"])
                throw DistrictError(.unavailable, "\(service.rawValue) did not answer system.health within 60 s")
            }
            lines.append("  \(service.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) tls://\(host):\(port)   \(health.status), database \(health.database)")
        }
        let metricsPort = try await metrics.boundPort
        say("""

            district is up:
            \(lines.joined(separator: "\n"))
              metrics    http://\(host):\(metricsPort)/metrics
              CA         \(home.certificates)/ca.pem (operator certificate: operator.pem)

            try:  swift run districtctl call dispatch system.health '{}'
            stop: Ctrl-C
            """)
        try? await gracefulShutdown()
    }
}
