import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import Logging
import Testing
import TestSupport

@Suite("A service executable as district IT runs it")
struct ServiceProcessTests {
    @Test("district-dispatch serves over TLS, and on SIGTERM answers what it accepted, then exits 0")
    func sigtermDrains() async throws {
        let executable = "\(ChildProcess.productsDirectory)/district-dispatch"
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build the products first (swift build)")
        let database = try await TestDatabase.createFreshDatabase()
        let port = try EmbeddedPostgres.findFreePort()
        let service = try ChildProcess(executable: executable, environment: [
            "DATABASE_URL": "postgres://\(database.username)@\(database.host):\(database.port)/\(database.database)?sslmode=disable",
            "DISTRICT_LISTEN_PORT": String(port),
            "DISTRICT_METRICS_PORT": "0",
            "DISTRICT_CERT_DIR": TestPKI.shared.directory,
            "DISTRICT_DB_POOL_SIZE": "2",
        ])
        try await service.waitForOutput(containing: "[DistrictServer] listening")

        let connection = try await RawTLSConnection.connect(
            to: try .init(ipAddress: "127.0.0.1", port: port), trustRootsPath: TestPKI.shared.caPath)
        try await connection.hello()
        try await connection.sendFrame(#"{"id":"h","method":"system.health"}"#)
        guard case .result(_, let health)? = try await connection.readServerFrame() else {
            Issue.record("no health answer")
            return
        }
        #expect(String(decoding: health, as: UTF8.self).contains(#""database":"ok""#))

        var batch: [UInt8] = []
        for index in 0..<10 {
            batch += RawTLSConnection.frame(Array(#"{"id":\#(index),"method":"system.echo","params":{"text":"t\#(index)","delayMs":400}}"#.utf8))
        }
        batch += RawTLSConnection.frame(Array(#"{"id":"ping","method":"protocol.ping"}"#.utf8))
        try await connection.send(batch)
        guard case .result(.string("ping"), _)? = try await connection.readServerFrame() else {
            Issue.record("expected the ping answer")
            return
        }
        // Every echo is accepted; now the operator stops the service.
        service.signal(SIGTERM)
        var answered = Set<Int64>()
        var goodbye = false
        while let frame = try await connection.readServerFrame() {
            switch frame {
            case .result(.number(let id), _): answered.insert(id)
            case .goodbye: goodbye = true
            default: Issue.record("unexpected frame \(frame)")
            }
        }
        #expect(answered == Set(0..<10))
        #expect(goodbye)
        #expect(await service.waitForExit() == 0, "output:\n\(service.output)")
        try await TestDatabase.dropDatabase(database)
    }
}
