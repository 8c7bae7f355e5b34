import DistrictClient
import Logging
import DistrictContracts
import DistrictProtocol
import Testing
import TestSupport

@Suite("Pipelining, drain and subscriptions")
struct PipeliningTests {
    @Test("1,000 pipelined requests are answered out of order and every id matches")
    func thousandPipelined() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            try await connection.hello()
            // Earlier requests wait longer, so the answers come back in a different order.
            var batch: [UInt8] = []
            for index in 0..<1000 {
                let delay = (999 - index) / 100
                batch += RawTLSConnection.frame(Array(#"{"id":\#(index),"method":"system.echo","params":{"text":"t\#(index)","delayMs":\#(delay)}}"#.utf8))
            }
            try await connection.send(batch)
            var order: [Int64] = []
            for _ in 0..<1000 {
                let frame = try #require(await connection.readServerFrame())
                guard case .result(.number(let id), let json) = frame else {
                    Issue.record("unexpected frame \(frame)")
                    return
                }
                #expect(String(decoding: json, as: UTF8.self) == #"{"text":"t\#(id)"}"#)
                order.append(id)
            }
            #expect(Set(order).count == 1000)
            #expect(order != order.sorted(), "answers should not simply follow the request order")
        }
    }

    @Test("the typed client matches 1,000 concurrent calls on one connection")
    func typedClientConcurrency() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let client = try makeClient(port: server.port)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<1000 {
                    group.addTask {
                        let result = try await client.call(SystemAPI.Echo.self, .init(text: "n\(index)", delayMs: index % 7))
                        #expect(result.text == "n\(index)")
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
        }
    }

    @Test("a server shutting down answers what it already accepted, then says goodbye")
    func drainAnswersAccepted() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let connection = try await connectRaw(server)
            try await connection.hello()
            var batch: [UInt8] = []
            for index in 0..<20 {
                batch += RawTLSConnection.frame(Array(#"{"id":\#(index),"method":"system.echo","params":{"text":"slow\#(index)","delayMs":300}}"#.utf8))
            }
            // The ping is answered inline once every frame before it has been admitted.
            batch += RawTLSConnection.frame(Array(#"{"id":"ping","method":"protocol.ping"}"#.utf8))
            try await connection.send(batch)
            guard case .result(.string("ping"), _)? = try await connection.readServerFrame() else {
                Issue.record("expected the ping answer first")
                return
            }
            await server.beginShutdown()
            var answered = Set<Int64>()
            var sawGoodbye = false
            while let frame = try await connection.readServerFrame() {
                switch frame {
                case .result(.number(let id), let json):
                    #expect(String(decoding: json, as: UTF8.self) == #"{"text":"slow\#(id)"}"#)
                    answered.insert(id)
                case .goodbye:
                    #expect(answered.count == 20, "goodbye only after every accepted request")
                    sawGoodbye = true
                default:
                    Issue.record("unexpected frame \(frame)")
                }
            }
            #expect(answered == Set(0..<20))
            #expect(sawGoodbye)
        }
    }

    @Test("a call past its deadline fails with deadline_exceeded and the connection goes on")
    func deadline() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let client = try makeClient(port: server.port)
            await #expect {
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "late", delayMs: 2000), timeout: .milliseconds(100))
            } throws: { error in
                (error as? DistrictError)?.code == .deadlineExceeded
            }
            #expect(try await client.call(SystemAPI.Echo.self, .init(text: "on time")).text == "on time")
            await client.close()
        }
    }

    @Test("subscriptions push events with cursors and stop on unsubscribe")
    func subscription() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let client = try makeClient(port: server.port)
            let subscription = try await client.subscribe(Counting.self, .init(from: 5, until: 9))
            #expect(subscription.result.from == 5)
            var received: [Int] = []
            var cursors: [String] = []
            for try await event in subscription.events {
                received.append(event.data.value)
                cursors.append(event.cursor ?? "")
                if received.count == 5 { break }
            }
            #expect(received == [5, 6, 7, 8, 9])
            #expect(cursors == ["5", "6", "7", "8", "9"])
            await subscription.cancel()
            // The connection still serves calls after the subscription ended.
            #expect(try await client.call(SystemAPI.Echo.self, .init(text: "after")).text == "after")
            await client.close()
        }
    }

    @Test("a subscription the server ends on error ends the subscriber's stream with that error")
    func subscriptionEnded() async throws {
        try await withTestServer(router: echoRouter()) { server in
            let client = try makeClient(port: server.port)
            let subscription = try await client.subscribe(FailingFeed.self, Empty())
            var values: [Int] = []
            var ending: DistrictError?
            do {
                for try await event in subscription.events { values.append(event.data.value) }
            } catch let error as DistrictError {
                ending = error
            }
            #expect(values == [1])
            #expect(ending?.code == .unavailable)
            #expect(ending?.message == "the source went away")
            // The connection itself is fine.
            #expect(try await client.call(SystemAPI.Echo.self, .init(text: "ok")).text == "ok")
            await client.close()
        }
    }

    @Test("the client reconnects after the server closed its connection")
    func reconnect() async throws {
        try await withTestServer(router: echoRouter(), configure: { $0.idleTimeout = .seconds(1) }) { server in
            // The client pings only every 10 s, so the server's idle timeout closes the link.
            let client = try DistrictClient(
                configuration: ClientConfiguration(
                    host: "localhost", port: server.port, trustRootsPath: TestPKI.shared.caPath, heartbeatInterval: .seconds(10)),
                logger: Logger(label: "test.client"))
            #expect(try await client.call(SystemAPI.Echo.self, .init(text: "before")).text == "before")
            // A subscription on the same connection ends when the connection does.
            let watch = try await client.subscribe(Counting.self, .init(from: 0, until: 0))
            var ended = false
            do {
                for try await _ in watch.events {}
            } catch let error as DistrictError {
                ended = error.code == .idleTimeout || error.code == .unavailable
            }
            #expect(ended, "the idle connection was closed by the server")
            #expect(try await client.call(SystemAPI.Echo.self, .init(text: "after")).text == "after")
            await client.close()
        }
    }
}
