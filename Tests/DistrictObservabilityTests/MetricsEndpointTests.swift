@testable import DistrictObservability
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

@Suite("MetricsEndpoint", .timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    /// Runs an endpoint on port 0 in a service group for the duration of `body`, then shuts it down
    /// gracefully and waits for `run()` to return.
    private func withEndpoint(
        _ setup: MetricsSetup,
        _ body: (MetricsEndpoint, Int) async throws -> Void
    ) async throws {
        let logger = Logger(label: "test.metrics")
        let endpoint = MetricsEndpoint(configuration: .init(port: 0), registry: setup.registry, logger: logger)
        let group = ServiceGroup(services: [endpoint], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await endpoint.boundPort
            do {
                try await body(endpoint, port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test("GET /metrics on a port-0 endpoint returns the registry's text")
    func servesMetrics() async throws {
        let setup = MetricsSetup()
        Counter(label: "district_cases_opened_total", factory: setup.factory).increment(by: 5)

        try await self.withEndpoint(setup) { _, port in
            #expect(port > 0)
            let response = try await RawHTTPConnection.send(
                "GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                port: port
            )
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.lowercased().contains("content-type: text/plain; version=0.0.4"))
            #expect(response.contains("\ndistrict_cases_opened_total 5\n"))
        }
    }

    @Test("unknown paths are 404, other methods 405, /healthz is ok")
    func routes() async throws {
        try await self.withEndpoint(MetricsSetup()) { _, port in
            let missing = try await RawHTTPConnection.send(
                "GET /nope HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                port: port
            )
            #expect(missing.hasPrefix("HTTP/1.1 404 Not Found\r\n"))

            let post = try await RawHTTPConnection.send(
                "POST /metrics HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc",
                port: port
            )
            #expect(post.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
            #expect(post.lowercased().contains("allow: get"))

            let health = try await RawHTTPConnection.send(
                "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                port: port
            )
            #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(health.hasSuffix("\r\n\r\nok"))
        }
    }

    @Test("a kept-alive connection answers pipelined requests in order")
    func keepAlive() async throws {
        let setup = MetricsSetup()
        Counter(label: "pipelined_total", factory: setup.factory).increment()

        try await self.withEndpoint(setup) { _, port in
            let response = try await RawHTTPConnection.send(
                "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
                port: port
            )
            // Bodies carry no trailing CRLF, so status lines are found anywhere, not per line.
            let statuses = response.matches(of: #/HTTP/1\.1 (\d{3}) /#).map { String($0.output.1) }
            #expect(statuses == ["200", "404", "200"], "\(response)")
            #expect(response.contains("\npipelined_total 1\n"))
        }
    }

    @Test("graceful shutdown closes idle keep-alive connections and run() returns")
    func gracefulShutdown() async throws {
        let logger = Logger(label: "test.metrics")
        let listened = ListeningRecorder()
        let endpoint = MetricsEndpoint(
            configuration: .init(port: 0),
            registry: MetricsSetup().registry,
            logger: logger,
            onListening: { listened.record($0) }
        )
        let group = ServiceGroup(services: [endpoint], gracefulShutdownSignals: [], logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await endpoint.boundPort
            #expect(listened.ports == [port])

            let connection = try await RawHTTPConnection.connect(port: port)
            let rest = try await connection.exchange("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n") { iterator in
                // Wait for the complete first response; the connection then sits idle.
                var received = ""
                while !received.hasSuffix("\r\n\r\nok"), let chunk = try await iterator.next() {
                    received += String(buffer: chunk)
                }
                #expect(received.hasPrefix("HTTP/1.1 200 OK\r\n"))

                await group.triggerGracefulShutdown()
                // The server must close the idle connection: the stream ends without more bytes.
                return try await RawHTTPConnection.readToEnd(&iterator)
            }
            #expect(rest == "")
            try await tasks.waitForAll()
        }

        await #expect(throws: MetricsEndpointError.notListening) { try await endpoint.boundPort }
        await #expect(throws: MetricsEndpointError.alreadyStarted) { try await endpoint.run() }
    }

    @Test("routing without sockets")
    func routeTable() {
        let endpoint = MetricsEndpoint(configuration: .init(port: 0), registry: MetricsSetup().registry)
        func status(_ method: HTTPMethod, _ uri: String) -> HTTPResponseStatus {
            endpoint.route(HTTPRequestHead(version: .http1_1, method: method, uri: uri)).0
        }
        #expect(status(.GET, "/metrics") == .ok)
        #expect(status(.GET, "/metrics?name=x") == .ok)
        #expect(status(.GET, "/healthz") == .ok)
        #expect(status(.GET, "/") == .notFound)
        #expect(status(.GET, "/metrics/") == .notFound)
        #expect(status(.HEAD, "/metrics") == .methodNotAllowed)
        #expect(status(.DELETE, "/nope") == .methodNotAllowed)
    }
}
