import DistrictContracts
import DistrictProtocol
import Testing
import TestSupport

@Suite("Hostile peers")
struct HostilePeerTests {
    /// Every answer to a mangled request is a well-formed frame: a result, or an error
    /// from the catalogue; after a framing error the connection closes and a new one works.
    @Test("mangled requests over 20 connections never break the server or a bystander")
    func mangledRequests() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let bystander = try makeClient(port: server.port)
            var random = SeededRandom(seed: 7)
            let seed = Array(#"{"id":1,"method":"system.echo","params":{"text":"测试","delayMs":0}}"#.utf8)
            let noise = Array(#"{}[]:,"\0123456789eE-+.truefalsnxyz "#.utf8) + [0x00, 0xFF, 0xC3]
            let variants = [
                #"{"id":3,"method":"system.echoo","params":{"text":"x"}}"#,
                #"{"id":4,"method":"system.echo","params":{"text":7}}"#,
                #"{"id":5,"method":"system.echo","params":{"text":"x","delayMs":-1}}"#,
                #"{"id":6,"method":"system.echo","params":[1,2]}"#,
                #"{"id":7,"method":"system.echo","params":{}}"#,
                #"{"id":8,"method":"system.echo","extra":true}"#,
                #"{"id":[],"method":"system.echo"}"#,
                #"{"method":"system.echo","params":{"text":"x"}}"#,
            ]
            let catalogue: Set<ErrorCode> = [.badRequest, .invalidParams, .unknownMethod, .malformedFrame, .handshakeRequired]
            var results = 0
            var requestErrors = 0
            var closes = 0
            for _ in 0..<20 {
                let connection = try await connectRaw(server)
                try await connection.hello()
                var open = true
                for _ in 0..<50 where open {
                    var bytes: [UInt8]
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<4:  // valid JSON, unknown method or wrong parameter types
                        bytes = Array(variants.randomElement(using: &random)!.utf8)
                    case 4..<9:  // valid request with odd text
                        let text = String((0..<Int.random(in: 0...40, using: &random)).map { _ in "a中\\\"\n🚧 0".randomElement(using: &random)! })
                        bytes = Array(#"{"id":2,"method":"system.echo","params":{"text":\#(JSONText.quoted(text))}}"#.utf8)
                    default:  // raw byte damage, often not JSON at all
                        bytes = seed
                        for _ in 0..<Int.random(in: 1...3, using: &random) {
                            let position = Int.random(in: 0..<bytes.count, using: &random)
                            if Bool.random(using: &random) {
                                bytes[position] = noise.randomElement(using: &random)!
                            } else {
                                bytes.insert(noise.randomElement(using: &random)!, at: position)
                            }
                        }
                    }
                    try await connection.send(RawTLSConnection.frame(bytes))
                    guard let frame = try await connection.readServerFrame() else {
                        Issue.record("the server closed without an error frame after \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                        break
                    }
                    switch frame {
                    case .result:
                        results += 1
                    case .error(_, let error):
                        #expect(catalogue.contains(error.code), "unexpected code \(error.code)")
                        requestErrors += 1
                        if error.code.closesConnection {
                            closes += 1
                            #expect(try await connection.readFrame() == nil)
                            open = false
                        }
                    default:
                        Issue.record("unexpected frame \(frame)")
                    }
                }
                await connection.close()
                #expect(try await bystander.call(SystemAPI.Echo.self, .init(text: "still here")).text == "still here")
            }
            await bystander.close()
            // The mutations must exercise all three outcomes, or the test proves little.
            #expect(results > 0 && requestErrors > closes && closes > 0, "results \(results), errors \(requestErrors), closes \(closes)")
        }
    }
}
