import Synchronization

/// Runs an operation under a ``LoadPlan`` and records what happened.
///
/// The operation gets its sequence number and returns normally on success or throws;
/// the driver times it. In open loop the driver fixes every operation's intended start
/// (`start + i / rate`) in advance and measures from it, so time an operation spent waiting
/// for a free slot because the server fell behind is part of its latency.
public enum LoadDriver {
    /// What the driver measured, besides the recorder's figures.
    public struct Outcome: Sendable, Hashable {
        /// Operations started in the measured window.
        public var started: Int
        /// Seconds measured.
        public var seconds: Double
        /// Open loop: operations that started later than intended (waiting for a slot).
        public var late: Int
    }

    /// Runs `operation` per `plan`; `progress` is called about once a second.
    public static func run(
        _ plan: LoadPlan,
        recorder: LoadRecorder,
        progress: (@Sendable (_ elapsed: Duration, _ recorder: LoadRecorder) -> Void)? = nil,
        operation: @escaping @Sendable (Int) async throws -> Void
    ) async -> Outcome {
        let start = ContinuousClock.now
        let measureFrom = start + plan.warmup
        let end = measureFrom + plan.duration
        let counts = Counts()

        let reporter = Task {
            guard let progress else { return }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                progress(ContinuousClock.now - start, recorder)
            }
        }
        defer { reporter.cancel() }

        switch plan.mode {
        case .open(let rate):
            let interval = Duration.seconds(1.0 / max(rate, 0.001))
            let slots = Semaphore(plan.maximumOutstanding)
            await withTaskGroup(of: Void.self) { group in
                var index = 0
                var openSecond = -1
                while true {
                    let intended = start + interval * index
                    if intended >= end { break }
                    let now = ContinuousClock.now
                    if intended > now { try? await Task.sleep(until: intended, clock: .continuous) }
                    await slots.acquire()
                    let second = intended >= measureFrom ? Self.second(of: intended, from: measureFrom) : nil
                    if let second {
                        counts.started.add(1, ordering: .relaxed)
                        if ContinuousClock.now - intended > .milliseconds(1) { counts.late.add(1, ordering: .relaxed) }
                        if second != openSecond {
                            // Intended starts only move forward: the seconds before are over.
                            recorder.closeSeconds(before: second)
                            openSecond = second
                        }
                        recorder.started(in: second)
                    }
                    let sequence = index
                    group.addTask {
                        defer { slots.release() }
                        do {
                            try await operation(sequence)
                            if let second { recorder.succeeded(latency: ContinuousClock.now - intended, second: second) }
                        } catch {
                            if let second { recorder.failed(error, second: second) }
                        }
                    }
                    index += 1
                }
                recorder.closeSeconds(before: Int.max)
                await group.waitForAll()
            }
        case .closed(let inFlight):
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, inFlight) {
                    group.addTask {
                        while true {
                            let sent = ContinuousClock.now
                            if sent >= end { break }
                            let sequence = counts.sequence.add(1, ordering: .relaxed).oldValue
                            let second = sent >= measureFrom ? Self.second(of: sent, from: measureFrom) : nil
                            if let second {
                                counts.started.add(1, ordering: .relaxed)
                                recorder.started(in: second)
                            }
                            do {
                                try await operation(sequence)
                                if let second { recorder.succeeded(latency: ContinuousClock.now - sent, second: second) }
                            } catch {
                                if let second { recorder.failed(error, second: second) }
                            }
                        }
                    }
                }
                // A second closes once the clock is two seconds past it: a sender reads the
                // clock just before it starts an operation.
                group.addTask {
                    while ContinuousClock.now < end {
                        try? await Task.sleep(for: .milliseconds(250))
                        let now = ContinuousClock.now
                        if now > measureFrom { recorder.closeSeconds(before: Self.second(of: now, from: measureFrom) - 2) }
                    }
                }
                await group.waitForAll()
                // Every sender has stopped: no second gets another operation.
                recorder.closeSeconds(before: Int.max)
            }
        }
        let measured = plan.duration
        return Outcome(
            started: counts.started.load(ordering: .relaxed),
            seconds: Double(measured.components.seconds) + Double(measured.components.attoseconds) / 1e18,
            late: counts.late.load(ordering: .relaxed))
    }
}

extension LoadDriver {
    /// The whole seconds from `origin` to `instant` (which is not before it).
    static func second(of instant: ContinuousClock.Instant, from origin: ContinuousClock.Instant) -> Int {
        Int((instant - origin).components.seconds)
    }
}

/// The driver's shared counters.
final class Counts: Sendable {
    let started = Atomic<Int>(0)
    let late = Atomic<Int>(0)
    let sequence = Atomic<Int>(0)
}

/// A counting semaphore for tasks.
final class Semaphore: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) { state = Mutex(State(available: max(1, count))) }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}
