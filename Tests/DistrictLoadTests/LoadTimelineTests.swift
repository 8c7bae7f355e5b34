import DistrictContracts
import DistrictLoad
import DistrictProtocol
import Testing

@Suite("The load tool's per-second timeline")
struct LoadTimelineTests {
    @Test("a second is finished only when the driver has left it and all its operations have ended")
    func secondsFinish() {
        let recorder = LoadRecorder()
        recorder.started(in: 0)
        recorder.started(in: 0)
        recorder.succeeded(latency: .milliseconds(3), second: 0)
        recorder.closeSeconds(before: 1)
        recorder.started(in: 1)
        #expect(recorder.lastFinishedSecond == nil, "second 0 still has an operation outstanding")

        recorder.failed(DistrictError(.unavailable, "gone"), second: 0)
        let first = recorder.lastFinishedSecond
        #expect(first?.second == 0)
        #expect(first?.started == 2)
        #expect(first?.succeeded == 1)
        #expect(first?.failed == 1)
        #expect((first?.max ?? 0) >= 2.99 && (first?.max ?? 0) <= 3.01)

        recorder.succeeded(latency: .milliseconds(40), second: 1)
        #expect(recorder.lastFinishedSecond?.second == 0, "second 1 is not closed yet")
        recorder.started(in: 3)
        recorder.succeeded(latency: .milliseconds(1), second: 3)
        recorder.closeSeconds(before: .max)
        #expect(recorder.lastFinishedSecond?.second == 3)

        let timeline = recorder.timeline()
        #expect(timeline.map(\.second) == [0, 1, 2, 3], "a second without operations is listed with zeros")
        #expect(timeline.map(\.started) == [2, 1, 0, 1])
        #expect(timeline[1].p99 >= 39.9 && timeline[1].p99 <= 40.1)
        #expect(timeline[2].succeeded == 0 && timeline[2].failed == 0 && timeline[2].p99 == 0 && timeline[2].max == 0)
    }

    @Test("the whole run's figures and the timeline count the same operations")
    func sameOperations() {
        let recorder = LoadRecorder()
        for n in 0..<1_000 {
            let second = n / 100
            recorder.started(in: second)
            if n % 10 == 0 {
                recorder.failed(DistrictError(.unavailable, "x"), second: second)
            } else {
                recorder.succeeded(latency: .microseconds(100 + n), second: second)
            }
        }
        recorder.closeSeconds(before: .max)
        let timeline = recorder.timeline()
        #expect(timeline.count == 10)
        #expect(timeline.map(\.succeeded).reduce(0, +) == recorder.succeededCount)
        #expect(timeline.map(\.failed).reduce(0, +) == recorder.errors.values.reduce(0, +))
        #expect(timeline.allSatisfy { $0.started == 100 })
    }

    @Test("in open loop, a stall shows in the second of the operations it held up")
    func stallIsAttributed() async throws {
        // 50 operations a second for 3 s. Those meant to start in the middle second are held
        // until operation 130 starts (meant for 2.6 s), so they end in the third second, each
        // at least 0.6 s late and half of them at least 1.1 s. Counted by when they ended,
        // the third second would hold them; counted by their intended start, the second one
        // does. (Only the counts and the slow second are checked: when the whole test suite
        // runs in parallel, the other operations may start late too.)
        let plan = LoadPlan(mode: .open(rate: 50), duration: .seconds(3))
        let recorder = LoadRecorder()
        let held = Gate()
        let outcome = await LoadDriver.run(plan, recorder: recorder) { n in
            if n == 130 { await held.open() }
            if (50..<100).contains(n) { await held.wait() }
        }
        let timeline = recorder.timeline()
        #expect(outcome.started == 150)
        #expect(timeline.map(\.started) == [50, 50, 50])
        #expect(timeline.map(\.succeeded) == [50, 50, 50])
        #expect(timeline[1].p50 >= 1_000, "the slow second: \(timeline[1])")
    }

    @Test("in closed loop, every operation of the measured window is in the timeline")
    func closedLoopTimeline() async throws {
        try await withEchoClient { client in
            let plan = LoadPlan(mode: .closed(inFlight: 4), duration: .milliseconds(2_500), warmup: .milliseconds(300))
            let recorder = LoadRecorder()
            let outcome = await LoadDriver.run(plan, recorder: recorder) { _ in
                _ = try await client.call(SystemAPI.Echo.self, .init(text: "秒"))
            }
            let timeline = recorder.timeline()
            #expect(timeline.map(\.second) == [0, 1, 2])
            #expect(timeline.map(\.started).reduce(0, +) == outcome.started)
            #expect(timeline.map(\.succeeded).reduce(0, +) == recorder.succeededCount)
            #expect(recorder.lastFinishedSecond?.second == 2, "every second is finished after the run")
        }
    }
}

/// Holds the operations that wait on it until it is opened.
private actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
