import DistrictProtocol
import Testing

@Suite("Server frames")
struct ServerFrameTests {
    @Test("result frames keep the id and raw result")
    func result() throws {
        let encoded = ServerFrame.result(id: .string("a\"b"), json: Array(#"{"ok":true}"#.utf8)).encoded()
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"id":"a\"b","result":{"ok":true}}"#)
        guard case .result(let id, let json) = try ServerFrame.parse(encoded) else {
            Issue.record("not a result")
            return
        }
        #expect(id == .string("a\"b"))
        #expect(json == Array(#"{"ok":true}"#.utf8))
    }

    @Test("error frames carry code, message and sorted details")
    func error() throws {
        let error = DistrictError(.invalidParams, "bad \"x\"", details: ["field": "x", "limit": "5"])
        let encoded = ServerFrame.error(id: nil, error).encoded()
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"id":null,"error":{"code":"invalid_params","message":"bad \"x\"","details":{"field":"x","limit":"5"}}}"#)
        guard case .error(let id, let decoded) = try ServerFrame.parse(encoded) else {
            Issue.record("not an error")
            return
        }
        #expect(id == nil)
        #expect(decoded == error)
    }

    @Test("event, heartbeat and goodbye frames round-trip")
    func pushes() throws {
        let event = ServerFrame.event(subscription: "s1", cursor: "5-9", data: Array(#"{"n":1}"#.utf8)).encoded()
        guard case .event(let subscription, let cursor, let data) = try ServerFrame.parse(event) else {
            Issue.record("not an event")
            return
        }
        #expect(subscription == "s1")
        #expect(cursor == "5-9")
        #expect(data == Array(#"{"n":1}"#.utf8))
        let ended = ServerFrame.subscriptionEnded(subscription: "s2", DistrictError(.unavailable, "gone")).encoded()
        #expect(String(decoding: ended, as: UTF8.self) == #"{"subscriptionEnded":{"subscription":"s2","error":{"code":"unavailable","message":"gone"}}}"#)
        guard case .subscriptionEnded("s2", let error) = try ServerFrame.parse(ended), error.code == .unavailable else {
            Issue.record("not a subscriptionEnded")
            return
        }
        guard case .heartbeat = try ServerFrame.parse(ServerFrame.heartbeat.encoded()) else {
            Issue.record("not a heartbeat")
            return
        }
        guard case .goodbye(let reason) = try ServerFrame.parse(ServerFrame.goodbye(reason: "shutdown").encoded()) else {
            Issue.record("not a goodbye")
            return
        }
        #expect(reason == "shutdown")
    }

    @Test("JSON quoting escapes control characters")
    func quoting() {
        #expect(JSONText.quoted("a\u{01}\n\"\\") == #""a\u0001\n\"\\""#)
    }
}
