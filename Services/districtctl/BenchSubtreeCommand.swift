import ArgumentParser
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictWire
import Foundation
import Histogram
import Logging

extension BenchCommand {
    /// `districtctl bench subtree`: `org.subtree` paging against a running identity service.
    struct Subtree: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "subtree",
            abstract: "Closed-loop org.subtree paging over a subtree (e.g. the demo district) against a running identity service.",
            discussion: """
                Each worker walks the whole subtree page by page, again and again; every page is one \
                measured request. By default the call presents the `dispatch` service certificate, \
                which reads the org tree as a service peer; give --token to call as a person instead.
                """)

        @OptionGroup var home: HomeOptions

        @Option(help: "Host of the identity service.")
        var host = "localhost"

        @Option(help: "Port of the identity service.")
        var port = DistrictService.identity.defaultPort

        @Option(help: "The client certificate name in the certificate directory.")
        var certificate = "dispatch"

        @Option(help: "A bearer token (default: $DISTRICT_TOKEN; none: the certificate decides).")
        var token: String?

        @Option(help: "The subtree's root path.")
        var path = "demo"

        @Option(help: "Nodes per page (1–1000).")
        var limit = IdentityAPI.OrgSubtree.defaultLimit

        @Option(help: "Connections.")
        var connections = 1

        @Option(help: "Walkers per connection (requests in flight on each).")
        var inFlight = 4

        @Option(help: "Seconds to measure, after the warm-up.")
        var duration = 10

        @Option(help: "Seconds of warm-up, not measured.")
        var warmup = 2

        func run() async throws {
            var logger = Logger(label: "bench.subtree")
            logger.logLevel = .warning
            let directory = home.certificates
            let credentials = TLSCredentials(directory: directory, name: certificate)
            let hasCertificate = FileManager.default.fileExists(atPath: credentials.certificateChainPath)
            let bearer = token ?? ProcessInfo.processInfo.environment["DISTRICT_TOKEN"]
            let clients = try (0..<connections).map { _ in
                try DistrictClient(
                    configuration: ClientConfiguration(
                        host: host, port: port, trustRootsPath: "\(directory)/ca.pem",
                        clientCredentials: hasCertificate ? credentials : nil, token: bearer, clientName: "bench-subtree"),
                    logger: logger)
            }
            // One walk first: the size of the subtree, and a clear error if it is not readable.
            var nodes = 0
            var pages = 0
            var cursor: String?
            repeat {
                let page = try await clients[0].call(IdentityAPI.OrgSubtree.self, .init(path: path, cursor: cursor, limit: limit))
                nodes += page.nodes.count
                pages += 1
                cursor = page.nextCursor
            } while cursor != nil

            let path = self.path, limit = self.limit
            let start = ContinuousClock.now
            let measureFrom = start + .seconds(warmup)
            let end = measureFrom + .seconds(duration)
            let results = try await withThrowingTaskGroup(of: WalkResult.self) { group in
                for client in clients {
                    for _ in 0..<inFlight {
                        group.addTask {
                            var result = WalkResult()
                            var cursor: String?
                            while true {
                                let sent = ContinuousClock.now
                                if sent >= end { break }
                                do {
                                    let page = try await client.call(IdentityAPI.OrgSubtree.self, .init(path: path, cursor: cursor, limit: limit))
                                    cursor = page.nextCursor
                                    if sent >= measureFrom {
                                        let nanoseconds = (ContinuousClock.now - sent) / .nanoseconds(1)
                                        _ = result.latency.record(UInt64(max(1, nanoseconds / 1000)))
                                        result.nodes += page.nodes.count
                                        if cursor == nil { result.walks += 1 }
                                    }
                                } catch {
                                    cursor = nil
                                    if sent >= measureFrom { result.errors += 1 }
                                }
                            }
                            return result
                        }
                    }
                }
                var total = WalkResult()
                for try await result in group {
                    total.latency.add(result.latency)
                    total.errors += result.errors
                    total.nodes += result.nodes
                    total.walks += result.walks
                }
                return total
            }
            for client in clients { await client.close() }
            let count = results.latency.totalCount
            func ms(_ percentile: Double) -> String {
                String(format: "%.2f", Double(results.latency.valueAtPercentile(percentile)) / 1000)
            }
            print("""
                org.subtree over TLS at '\(path)': \(nodes) nodes in \(pages) pages of \(limit); \(connections) connection(s) × \(inFlight) walker(s), \(duration) s
                  pages/s     \(String(format: "%.0f", Double(count) / Double(duration)))   nodes/s \(String(format: "%.0f", Double(results.nodes) / Double(duration)))   full walks \(results.walks)
                  completed   \(count)   errors \(results.errors)
                  latency ms  p50 \(ms(50))  p90 \(ms(90))  p99 \(ms(99))  max \(String(format: "%.2f", Double(results.latency.max) / 1000))
                """)
        }
    }

    struct WalkResult: Sendable {
        var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var errors = 0
        var nodes = 0
        var walks = 0
    }
}
