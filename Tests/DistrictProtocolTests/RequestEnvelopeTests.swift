import DistrictProtocol
import Testing

@Suite("Request envelope")
struct RequestEnvelopeTests {
    @Test("parses every member")
    func full() throws {
        let text = #"{"id":"r-1","method":"dispatch.report","params":{"a":1},"token":"t","idempotencyKey":"k"}"#
        let envelope = try RequestEnvelope.parse(Array(text.utf8)).get()
        #expect(envelope.id == .string("r-1"))
        #expect(envelope.method == "dispatch.report")
        #expect(String(decoding: envelope.params, as: UTF8.self) == #"{"a":1}"#)
        #expect(envelope.token == "t")
        #expect(envelope.idempotencyKey == "k")
    }

    @Test("missing params become {} and null token is absent")
    func defaults() throws {
        let envelope = try RequestEnvelope.parse(Array(#"{"id":5,"method":"system.health","token":null}"#.utf8)).get()
        #expect(envelope.id == .number(5))
        #expect(envelope.params == Array("{}".utf8))
        #expect(envelope.token == nil)
    }

    @Test("round-trips through encoded()")
    func roundTrip() throws {
        let original = RequestEnvelope(id: .number(42), method: "a.b", params: Array(#"{"x":"中文"}"#.utf8), token: "tok\"en", idempotencyKey: "key")
        let parsed = try RequestEnvelope.parse(original.encoded()).get()
        #expect(parsed.id == original.id)
        #expect(parsed.method == original.method)
        #expect(parsed.params == original.params)
        #expect(parsed.token == original.token)
        #expect(parsed.idempotencyKey == original.idempotencyKey)
    }

    @Test(
        "bad envelopes are bad_request, answered to their id when known",
        arguments: [
            (#"{"method":"a"}"#, nil as RequestID?),
            (#"{"id":1.5,"method":"a"}"#, nil),
            (#"{"id":true,"method":"a"}"#, nil),
            (#"{"id":9007199254740993,"method":"a"}"#, nil),
            (#"{"id":""}"#, nil),
            (#"{"id":3}"#, .number(3)),
            (#"{"id":3,"method":7}"#, .number(3)),
            (#"{"id":3,"method":""}"#, .number(3)),
            (#"{"id":"x","method":"a","params":5}"#, .string("x")),
            (#"{"id":3,"method":"a","extra":1}"#, .number(3)),
            (#"{"id":3,"method":"a","token":5}"#, .number(3)),
        ])
    func badRequests(text: String, expectedID: RequestID?) {
        switch RequestEnvelope.parse(Array(text.utf8)) {
        case .failure(.badRequest(let id, let error)):
            #expect(id == expectedID)
            #expect(error.code == .badRequest)
        default:
            Issue.record("expected bad_request for \(text)")
        }
    }

    @Test("frames that are not JSON objects are malformed_frame", arguments: ["[1]", "nope", "{\"id\":1,"])
    func malformed(text: String) {
        guard case .failure(.malformedFrame(let error)) = RequestEnvelope.parse(Array(text.utf8)) else {
            Issue.record("expected malformed_frame for \(text)")
            return
        }
        #expect(error.code == .malformedFrame)
    }
}
