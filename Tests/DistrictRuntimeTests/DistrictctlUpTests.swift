import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import DistrictWire
import Foundation
import Logging
import Testing
import TestSupport

@Suite("districtctl up, as the README runs it")
struct DistrictctlUpTests {
    private func start(home: String, postgresPort: Int) throws -> ChildProcess {
        try ChildProcess(
            executable: "\(ChildProcess.productsDirectory)/districtctl",
            arguments: ["up", "--home", home, "--postgres-port", String(postgresPort), "--base-port", "0", "--metrics-port", "0", "--log-level", "warning"],
            environment: [:])
    }

    private func dispatchPort(in output: String) throws -> Int {
        let line = try #require(output.split(separator: "\n").first { $0.contains("dispatch") && $0.contains("tls://") })
        let port = try #require(line.split(separator: ":").last?.split(separator: " ").first)
        return try #require(Int(port))
    }

    @Test("first run creates everything and serves; Ctrl-C stops it all; a second run reuses the data")
    func upTwice() async throws {
        let executable = "\(ChildProcess.productsDirectory)/districtctl"
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build the products first (swift build)")
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("districtctl-up-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: home) }
        let postgresPort = try EmbeddedPostgres.findFreePort()

        let first = try start(home: home, postgresPort: postgresPort)
        try await first.waitForOutput(containing: "district is up")
        #expect(first.output.contains("creating a PostgreSQL cluster"))
        let port = try dispatchPort(in: first.output)
        let client = try DistrictClient(
            configuration: ClientConfiguration(
                host: "localhost", port: port, trustRootsPath: "\(home)/certs/ca.pem",
                clientCredentials: TLSCredentials(directory: "\(home)/certs", name: "operator")),
            logger: Logger(label: "test.up"))
        let health = try await client.call(SystemAPI.Health.self, Empty())
        #expect(health.service == "dispatch")
        #expect(health.database == "ok")
        await client.close()
        first.signal(SIGINT)
        #expect(await first.waitForExit() == 0, "output:\n\(first.output)")
        #expect(first.output.contains("stopping PostgreSQL"))
        #expect(!FileManager.default.fileExists(atPath: "\(home)/postgres/postmaster.pid"), "PostgreSQL is stopped")

        let second = try start(home: home, postgresPort: postgresPort)
        try await second.waitForOutput(containing: "district is up")
        #expect(!second.output.contains("creating a PostgreSQL cluster"))
        #expect(second.output.contains("certificates: kept"))
        #expect(second.output.contains("migrations: 0 applied"))
        second.signal(SIGINT)
        #expect(await second.waitForExit() == 0, "output:\n\(second.output)")
    }
}
