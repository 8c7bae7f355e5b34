import DistrictProtocol
import Testing
import TestSupport

@Suite("Handshake and liveness")
struct HandshakeTests {
    @Test("a request before protocol.hello gets handshake_required and a close")
    func handshakeRequired() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            try await connection.sendFrame(#"{"id":1,"method":"system.echo","params":{"text":"x"}}"#)
            let frame = try #require(await connection.readServerFrame())
            guard case .error(.number(1)?, let error) = frame else {
                Issue.record("expected an error for id 1, got \(frame)")
                return
            }
            #expect(error.code == .handshakeRequired)
            #expect(try await connection.readFrame() == nil)
        }
    }

    @Test("no common version gets unsupported_version and a close")
    func unsupportedVersion() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            try await connection.sendFrame(#"{"id":1,"method":"protocol.hello","params":{"versions":[7,9]}}"#)
            #expect(try await connection.readServerFrame()?.errorCode == .unsupportedVersion)
            #expect(try await connection.readFrame() == nil)
        }
    }

    @Test("the hello result announces the limits")
    func helloResult() async throws {
        try await withTestServer(router: echoRouter(), service: "dispatch") { server in
            let client = try makeClient(port: server.port)
            let hello = try await client.handshake()
            #expect(hello.version == 1)
            #expect(hello.service == "dispatch")
            #expect(hello.maxFrameBytes == 1 << 20)
            await client.close()
        }
    }

    @Test("a quiet server sends heartbeats")
    func heartbeat() async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.heartbeatInterval = .milliseconds(50) }) { server in
            let connection = try await connectRaw(server)
            try await connection.hello()
            let frame = try #require(await connection.readFrame(skipHeartbeats: false))
            guard case .heartbeat = try ServerFrame.parse(frame) else {
                Issue.record("expected a heartbeat")
                return
            }
        }
    }

    @Test("a silent peer is closed with idle_timeout")
    func idleTimeout() async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.idleTimeout = .milliseconds(200) }) { server in
            // Connects and never says anything, not even hello.
            let connection = try await connectRaw(server)
            #expect(try await connection.readServerFrame()?.errorCode == .idleTimeout)
            #expect(try await connection.readFrame() == nil)
        }
    }
}
