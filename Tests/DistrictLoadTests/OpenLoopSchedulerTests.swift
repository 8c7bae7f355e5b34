import DistrictContracts
import DistrictLoad
import Testing

@Suite("The load driver's open loop counts latency from the intended send time")
struct OpenLoopSchedulerTests {
    @Test("against a server slower than the arrival rate, latencies include the wait for a slot, not just the service time")
    func queueingShows() async throws {
        try await withEchoClient { client in
            // 200 operations per second intended (one every 5 ms) for 0.2 s: 40 operations.
            // Each takes at least 20 ms on the server, and only one may be outstanding, so
            // operation k cannot finish before (k + 1) × 20 ms although it was due at k × 5 ms.
            let plan = LoadPlan(mode: .open(rate: 200), duration: .milliseconds(200), maximumOutstanding: 1)
            let recorder = LoadRecorder()
            let outcome = await LoadDriver.run(plan, recorder: recorder) { _ in
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "慢", delayMs: 20))
            }
            #expect(outcome.started == 40)
            #expect(recorder.succeededCount == 40)
            #expect(outcome.late >= 30)
            let all = try #require(recorder.latencies()["all"])
            // The last one waited about 39 × 15 ms for its slot: a closed-loop measurement
            // (from the actual send) would report about 20 ms for every operation.
            #expect(all.max >= 39 * 15 + 20 - 5, "max \(all.max) ms")
            #expect(all.p50 >= 20 * 15, "p50 \(all.p50) ms")
        }
    }

    @Test("closed loop keeps N in flight and counts errors by code")
    func closedLoop() async throws {
        try await withEchoClient(connections: 2) { client in
            let plan = LoadPlan(mode: .closed(inFlight: 4), duration: .milliseconds(300))
            let recorder = LoadRecorder()
            let outcome = await LoadDriver.run(plan, recorder: recorder) { n in
                if n % 5 == 0 {
                    _ = try await client.callRaw(method: "no.such.method", params: Array("{}".utf8))
                } else {
                    _ = try await client.call(SystemAPI.Echo.self, .init(text: "快"))
                }
            }
            let failed = recorder.errors["unknown_method"] ?? 0
            #expect(failed > 0)
            #expect(recorder.succeededCount + failed == outcome.started)
            #expect(recorder.errors.keys.sorted() == ["unknown_method"])
        }
    }
}
