import ArgumentParser
import DistrictCertificates
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictServer
import DistrictWire
import Foundation
import Histogram
import Logging
import ServiceLifecycle

/// `districtctl bench …`: protocol benchmarks (the dispatch load tool comes with its own issue).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmark the line protocol.",
        subcommands: [Echo.self, EchoServer.self, Tokens.self, Stats.self, Subtree.self, ReportPgbench.self])

    /// `districtctl bench echo-server`: a bare protocol server answering `system.echo`.
    struct EchoServer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "echo-server", abstract: "Serve system.echo over TLS until interrupted.")

        @OptionGroup var home: HomeOptions

        @Option(help: "The port to listen on.")
        var port = 7499

        func run() async throws {
            try DistrictPKI.initialize(directory: home.certificates)
            var router = MethodRouter()
            SystemMethods.registerEcho(into: &router)
            var logger = Logger(label: "bench.echo-server")
            logger.logLevel = .warning
            let server = ProtocolServer(
                configuration: ServerConfiguration(serviceName: "echo", port: port, tls: TLSCredentials(directory: home.certificates, name: "dispatch")),
                router: router, logger: logger)
            let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            print("echo server on port \(port)")
            try await group.run()
        }
    }

    /// `districtctl bench echo`: closed-loop load of `system.echo`.
    struct Echo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "echo",
            abstract: "Closed-loop system.echo load: N connections, each with M requests in flight.")

        @OptionGroup var home: HomeOptions

        @Option(help: "Host of the echo server.")
        var host = "localhost"

        @Option(help: "Port of the echo server (districtctl bench echo-server).")
        var port = 7499

        @Option(help: "Connections.")
        var connections = 1

        @Option(help: "Requests in flight per connection (pipelining depth).")
        var inFlight = 64

        @Option(help: "Seconds to measure, after the warm-up.")
        var duration = 10

        @Option(help: "Seconds of warm-up, not measured.")
        var warmup = 2

        @Option(help: "Bytes of text per request.")
        var payload = 16

        func run() async throws {
            var logger = Logger(label: "bench.echo")
            logger.logLevel = .warning
            let clients = try (0..<connections).map { _ in
                try DistrictClient(
                    configuration: ClientConfiguration(host: host, port: port, trustRootsPath: "\(home.certificates)/ca.pem", clientName: "bench"),
                    logger: logger)
            }
            let text = String(repeating: "x", count: payload)
            for client in clients { _ = try await client.call(SystemAPI.Echo.self, .init(text: text)) }

            let start = ContinuousClock.now
            let measureFrom = start + .seconds(warmup)
            let end = measureFrom + .seconds(duration)
            let results = try await withThrowingTaskGroup(of: WorkerResult.self) { group in
                for client in clients {
                    for _ in 0..<inFlight {
                        group.addTask {
                            var result = WorkerResult()
                            let params = SystemAPI.Echo.Params(text: text)
                            while true {
                                let sent = ContinuousClock.now
                                if sent >= end { break }
                                do {
                                    _ = try await client.call(SystemAPI.Echo.self, params)
                                    if sent >= measureFrom {
                                        let nanoseconds = (ContinuousClock.now - sent) / .nanoseconds(1)
                                        _ = result.latency.record(UInt64(max(1, nanoseconds / 1000)))
                                    }
                                } catch {
                                    if sent >= measureFrom { result.errors += 1 }
                                }
                            }
                            return result
                        }
                    }
                }
                var total = WorkerResult()
                for try await result in group {
                    total.latency.add(result.latency)
                    total.errors += result.errors
                }
                return total
            }
            for client in clients { await client.close() }
            let count = results.latency.totalCount
            let rate = Double(count) / Double(duration)
            func ms(_ percentile: Double) -> String {
                String(format: "%.3f", Double(results.latency.valueAtPercentile(percentile)) / 1000)
            }
            print("""
                system.echo over TLS, \(connections) connection(s) × \(inFlight) in flight, \(payload)-byte text, \(duration) s
                  requests/s  \(String(format: "%.0f", rate))
                  completed   \(count)   errors \(results.errors)
                  latency ms  p50 \(ms(50))  p90 \(ms(90))  p99 \(ms(99))  p99.9 \(ms(99.9))  max \(String(format: "%.3f", Double(results.latency.max) / 1000))
                """)
        }
    }

    struct WorkerResult: Sendable {
        var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var errors = 0
    }
}
