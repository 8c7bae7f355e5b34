import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Logging
import ServiceLifecycle
import Testing
import TestSupport

@Suite("A service assembled by the runtime, over TLS and a real database")
struct ServiceRuntimeTests {
    /// Runs a runtime-assembled service on a fresh database until `body` returns.
    private func withService(_ body: (Int, Database) async throws -> Void) async throws {
        let database = try await TestDatabase.createFreshDatabase()
        let url = "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database)?sslmode=disable"
        let configuration = try RuntimeConfiguration.fromEnvironment(service: .dispatch, [
            "DATABASE_URL": url, "DISTRICT_LISTEN_PORT": "0", "DISTRICT_CERT_DIR": TestPKI.shared.directory, "DISTRICT_DB_POOL_SIZE": "4",
        ])
        let logger = Logger(label: "test.runtime")
        let assembly = try ServiceRuntime.assemble(ServiceDefinition(service: .dispatch), configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: assembly.services, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                let port = try await assembly.server.listeningAddress.port!
                try await body(port, assembly.database)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await TestDatabase.dropDatabase(database)
    }

    private func client(_ port: Int, certificate: String? = "operator") throws -> DistrictClient {
        try DistrictClient(
            configuration: ClientConfiguration(
                host: "localhost", port: port, trustRootsPath: TestPKI.shared.caPath,
                clientCredentials: certificate.map { TestPKI.shared.credentials($0) }),
            logger: Logger(label: "test.client"))
    }

    private func appendEvents(_ count: Int, from first: Int, database: Database) async throws {
        try await database.withTransaction { connection in
            let events = (first..<(first + count)).map {
                NewEvent(stream: "test.stream", type: "test.numbered", key: "k\($0)", orgPath: nil, payloadJSON: #"{"n":\#($0)}"#)
            }
            try await EventLog.append(events, on: connection, logger: Logger(label: "test"))
        }
    }

    @Test("system.health reports the database and migrations ran at start")
    func health() async throws {
        try await withService { port, database in
            let client = try client(port)
            let health = try await client.call(SystemAPI.Health.self, Empty())
            #expect(health.status == "ok")
            #expect(health.database == "ok")
            #expect(health.service == "dispatch")
            // The event log exists, so the core migrations ran.
            try await appendEvents(1, from: 0, database: database)
            await client.close()
        }
    }

    @Test("a subscriber that reconnects with its cursor receives every event it missed, once")
    func resumeWithCursor() async throws {
        try await withService { port, database in
            try await appendEvents(3, from: 0, database: database)
            let first = try client(port)
            let subscription = try await first.subscribe(EventsAPI.Subscribe.self, .init(streams: ["test.stream"]))
            var received: [String] = []
            var cursor: String?
            for try await event in subscription.events {
                received.append(event.data.payload)
                cursor = event.cursor
                if received.count == 3 { break }
            }
            await first.close()

            // Events committed while nobody listens.
            try await appendEvents(2, from: 3, database: database)
            let second = try client(port)
            let resumed = try await second.subscribe(EventsAPI.Subscribe.self, .init(streams: ["test.stream"], cursor: cursor))
            try await appendEvents(1, from: 5, database: database)
            for try await event in resumed.events {
                received.append(event.data.payload)
                if received.count == 6 { break }
            }
            #expect(received == (0..<6).map { #"{"n": \#($0)}"# } || received == (0..<6).map { #"{"n":\#($0)}"# })
            #expect(Set(received).count == 6, "no event twice")
            await second.close()
        }
    }

    @Test("events.subscribe refuses callers without a certificate, bad cursors and empty stream lists")
    func subscribeRefusals() async throws {
        try await withService { port, _ in
            let anonymous = try client(port, certificate: nil)
            await #expect {
                _ = try await anonymous.subscribe(EventsAPI.Subscribe.self, .init(streams: ["test.stream"]))
            } throws: { ($0 as? DistrictError)?.code == .permissionDenied }
            await anonymous.close()

            let operatorClient = try client(port)
            await #expect {
                _ = try await operatorClient.subscribe(EventsAPI.Subscribe.self, .init(streams: ["test.stream"], cursor: "not-a-cursor"))
            } throws: { ($0 as? DistrictError)?.code == .invalidParams }
            await #expect {
                _ = try await operatorClient.subscribe(EventsAPI.Subscribe.self, .init(streams: []))
            } throws: { ($0 as? DistrictError)?.code == .invalidParams }
            await operatorClient.close()
        }
    }
}
