import DistrictProtocol
import Testing
import TestSupport

@Suite("Framing over TLS")
struct FramingTests {
    @Test("several frames in one write and one frame split over many writes both decode")
    func splitAndCoalesced() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            let hello = RawTLSConnection.frame(Array(#"{"id":0,"method":"protocol.hello","params":{"versions":[1]}}"#.utf8))
            let first = RawTLSConnection.frame(Array(#"{"id":1,"method":"system.echo","params":{"text":"一"}}"#.utf8))
            let second = RawTLSConnection.frame(Array(#"{"id":2,"method":"system.echo","params":{"text":"二"}}"#.utf8))
            try await connection.send(hello + first + second)
            var texts: [String] = []
            for _ in 0..<3 { texts.append(try #require(await connection.readServerFrame()?.resultText)) }
            #expect(texts.contains(#"{"text":"一"}"#))
            #expect(texts.contains(#"{"text":"二"}"#))

            // The third frame in pieces: inside the length prefix, then byte by byte.
            let third = RawTLSConnection.frame(Array(#"{"id":3,"method":"system.echo","params":{"text":"三"}}"#.utf8))
            try await connection.send(Array(third[0..<2]))
            try await connection.send(Array(third[2..<5]))
            for byte in third[5...] { try await connection.send([byte]) }
            #expect(try await connection.readServerFrame()?.resultText == #"{"text":"三"}"#)
            await connection.close()
        }
    }

    @Test(
        "bad frames get the documented error and a clean close, other connections keep working",
        arguments: [
            ("oversize", [0x00, 0x10, 0x00, 0x01] as [UInt8], ErrorCode.frameTooLarge),
            ("zero length", [0, 0, 0, 0], .emptyFrame),
            ("not UTF-8", RawTLSConnection.frame([UInt8(ascii: "{"), 0x22, 0xFF, 0xFE, 0x22, UInt8(ascii: ":"), UInt8(ascii: "1"), UInt8(ascii: "}")]), .malformedFrame),
            ("not an object", RawTLSConnection.frame(Array("[1,2,3]".utf8)), .malformedFrame),
            ("not JSON", RawTLSConnection.frame(Array("hello".utf8)), .malformedFrame),
        ])
    func badFrames(name: String, bytes: [UInt8], code: ErrorCode) async throws {
        try await withTestServer(router: echoRouter()) { server in
            let bystander = try await connectRaw(server)
            try await bystander.hello()

            let offender = try await connectRaw(server)
            try await offender.hello()
            try await offender.send(bytes)
            let frame = try #require(await offender.readServerFrame())
            guard case .error(let id, let error) = frame else {
                Issue.record("\(name): expected an error frame, got \(frame)")
                return
            }
            #expect(id == nil)
            #expect(error.code == code)
            #expect(try await offender.readFrame() == nil, "the server closes after a framing error")

            try await bystander.sendFrame(#"{"id":"still","method":"system.echo","params":{"text":"ok"}}"#)
            #expect(try await bystander.readServerFrame()?.resultText == #"{"text":"ok"}"#)
            await bystander.close()
        }
    }

    @Test("the maximum frame size is configurable and frames at the limit pass")
    func configurableLimit() async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.frameLimits = .init(maximumPayloadBytes: 200) }) { server in
            let connection = try await connectRaw(server)
            try await connection.hello()
            let prefix = #"{"id":1,"method":"system.echo","params":{"text":""#
            let suffix = #""}}"#
            let exact = prefix + String(repeating: "x", count: 200 - prefix.utf8.count - suffix.utf8.count) + suffix
            #expect(exact.utf8.count == 200)
            try await connection.sendFrame(exact)
            #expect(try await connection.readServerFrame()?.resultText != nil)
            try await connection.sendFrame(exact.replacingOccurrences(of: "\"x", with: "\"xy"))
            #expect(try await connection.readServerFrame()?.errorCode == .frameTooLarge)
            #expect(try await connection.readFrame() == nil)
        }
    }

    @Test("a bad envelope is answered with bad_request and the connection stays open")
    func badEnvelope() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            try await connection.hello()
            try await connection.sendFrame(#"{"id":7,"params":{}}"#)
            let frame = try #require(await connection.readServerFrame())
            guard case .error(.number(7)?, let error) = frame else {
                Issue.record("expected an error for id 7, got \(frame)")
                return
            }
            #expect(error.code == .badRequest)
            try await connection.sendFrame(#"{"id":8,"method":"system.echo","params":{"text":5}}"#)
            #expect(try await connection.readServerFrame()?.errorCode == .invalidParams)
            try await connection.sendFrame(#"{"id":9,"method":"nope"}"#)
            #expect(try await connection.readServerFrame()?.errorCode == .unknownMethod)
            try await connection.sendFrame(#"{"id":10,"method":"system.echo","params":{"text":"alive"}}"#)
            #expect(try await connection.readServerFrame()?.resultText == #"{"text":"alive"}"#)
        }
    }
}
