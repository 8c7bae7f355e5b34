public import DistrictAuth
public import DistrictClient
import DistrictProtocol
public import DistrictRuntime
public import DistrictStorage
public import Foundation
import Logging
import ServiceLifecycle

/// A service assembled by the real runtime on a fresh database, listening with TLS on a
/// free loopback port, with a connected client and a test signing key whose public half
/// is published the way the identity service publishes its own.
public struct RunningService: Sendable {
    /// A client connected to the service (trusting the test CA, no client certificate).
    public let client: DistrictClient
    /// The service's database pool.
    public let database: Database
    /// The fresh database's URL, for starting more replicas on it.
    public let databaseURL: String
    /// The service's listening port.
    public let port: Int
    /// Signs test tokens; its key is published in `identity.token_keys`.
    public let signer: TokenSigner

    /// A token for a staff member holding `role` at `path`.
    public func token(_ subject: String, _ role: Role, at path: String, department: String? = nil) throws -> String {
        try token(Principal(
            subject: subject, name: subject, kind: .staff,
            bindings: [RoleBinding(role, at: try OrgPath(path), department: department)], department: department))
    }

    /// A token for `principal`, issued now.
    public func token(_ principal: Principal) throws -> String {
        try signer.sign(AccessTokenClaims(for: principal, issuedAt: Date()))
    }

    /// A new client for the same service, presenting the client certificate `certificate`
    /// from the test PKI when given.
    public func makeClient(certificate: String? = nil, connections: Int = 1) throws -> DistrictClient {
        try DistrictClient(
            configuration: ClientConfiguration(
                host: "localhost", port: port, trustRootsPath: TestPKI.shared.caPath,
                clientCredentials: certificate.map { TestPKI.shared.credentials($0) }, connections: connections),
            logger: TestDatabase.makeLogger("test.client"))
    }

    /// Runs `definition` on a fresh database until `body` returns, then drains it, stops it
    /// and drops the database. `environment` adds to or overrides the defaults
    /// (`DISTRICT_*` variables).
    public static func with<Result: Sendable>(
        _ definition: ServiceDefinition,
        environment: [String: String] = [:],
        _ body: (RunningService) async throws -> Result
    ) async throws -> Result {
        let databaseConfiguration = try await TestDatabase.createFreshDatabase()
        let url = "postgres://\(databaseConfiguration.username)@\(databaseConfiguration.host):\(databaseConfiguration.port)/\(databaseConfiguration.database)?sslmode=disable"
        let result = try await with(definition, databaseURL: url, environment: environment, body)
        try? await TestDatabase.dropDatabase(databaseConfiguration)
        return result
    }

    /// Runs `definition` on the existing database at `databaseURL` (a second replica, or a
    /// restart) until `body` returns.
    public static func with<Result: Sendable>(
        _ definition: ServiceDefinition,
        databaseURL url: String,
        environment: [String: String] = [:],
        signer: TokenSigner = TokenSigner.generate(kid: "test-\(UUID().uuidString.prefix(8))"),
        _ body: (RunningService) async throws -> Result
    ) async throws -> Result {
        var variables = [
            "DATABASE_URL": url, "DISTRICT_LISTEN_PORT": "0", "DISTRICT_METRICS_PORT": "0",
            "DISTRICT_CERT_DIR": TestPKI.shared.directory, "DISTRICT_DB_POOL_SIZE": "4",
        ]
        variables.merge(environment) { _, new in new }
        let configuration = try RuntimeConfiguration.fromEnvironment(service: definition.service, variables)
        let logger = TestDatabase.makeLogger("test.\(definition.service.rawValue)")
        let assembly = try ServiceRuntime.assemble(definition, configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(services: assembly.services, logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let result: Result
            do {
                // Resolves once migrations ran and the server listens.
                let port = try await assembly.server.listeningAddress.port!
                try await TestTokenKeys.publish(signer, in: assembly.database)
                let client = try DistrictClient(
                    configuration: ClientConfiguration(host: "localhost", port: port, trustRootsPath: TestPKI.shared.caPath),
                    logger: TestDatabase.makeLogger("test.client"))
                let running = RunningService(client: client, database: assembly.database, databaseURL: url, port: port, signer: signer)
                do {
                    result = try await body(running)
                } catch {
                    await client.close()
                    throw error
                }
                await client.close()
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
