public import DistrictClient
import DistrictContracts
public import Foundation
public import Logging

/// A whole load run: clients, optional subscribers, the driver, and the report.
public struct LoadRun: Sendable {
    /// Where the dispatch service listens and how to trust it.
    public var host: String
    /// The dispatch service's port.
    public var port: Int
    /// The district CA (PEM).
    public var caPath: String
    /// Connections the load is spread over (requests are pipelined on each).
    public var connections: Int
    /// The scenario.
    public var scenario: LoadScenario
    /// Rate or in-flight, duration, warm-up.
    public var plan: LoadPlan
    /// `subscribe`: how many department connections follow their queues.
    public var subscribers: Int

    /// Creates a run description.
    public init(host: String, port: Int, caPath: String, connections: Int, scenario: LoadScenario, plan: LoadPlan, subscribers: Int = 0) {
        self.host = host
        self.port = port
        self.caPath = caPath
        self.connections = connections
        self.scenario = scenario
        self.plan = plan
        self.subscribers = subscribers
    }

    /// Runs against the service with `district`'s tokens; `progress` gets a line about once a second.
    public func run(district: LoadDistrict, logger: Logger, progress: (@Sendable (String) -> Void)? = nil) async throws -> LoadReport {
        let client = try DistrictClient(
            configuration: ClientConfiguration(
                host: host, port: port, trustRootsPath: caPath, clientName: "district-load/1", connections: max(1, connections),
                defaultTimeout: .seconds(60)),
            logger: logger)
        let recorder = LoadRecorder()
        let counters = ScenarioCounters()
        let operations = try LoadOperations(client: client, district: district, counters: counters, recorder: recorder)
        _ = try await client.call(SystemAPI.Health.self, .init())
        // `district`'s signing key was just published. A token naming a key the service has
        // not loaded waits for its next key refresh (at most one every 2 s, `KeyRing`), so
        // one authenticated read comes before the clock starts: otherwise the first seconds
        // of a run started right after another (or after the district was prepared) queue
        // behind that wait, and the run measures a key rotation instead of the service.
        _ = try await client.call(DispatchAPI.CatalogueGet.self, .init(district: LoadDistrict.code), token: try district.residentToken())

        // Subscribers: one connection each, on department queues in turn.
        var followers: [Task<Void, Never>] = []
        var subscriberClients: [DistrictClient] = []
        let delivery = LoadRecorder()
        if scenario == .subscribe {
            for index in 0..<subscribers {
                let department = LoadDistrict.departments[index % LoadDistrict.departments.count]
                let subscriber = try DistrictClient(
                    configuration: ClientConfiguration(host: host, port: port, trustRootsPath: caPath, clientName: "district-load-subscriber/1"),
                    logger: logger)
                subscriberClients.append(subscriber)
                let subscription = try await subscriber.subscribe(
                    DispatchAPI.QueueSubscribe.self, .init(department: department, path: LoadDistrict.code, cursor: district.eventCursor),
                    token: try district.handlerToken(department: department))
                followers.append(Task {
                    do {
                        for try await event in subscription.events where event.data.event == "case.dispatched" {
                            // The event's own `at` has whole seconds only: the delay runs from when the accept was sent.
                            guard let delay = counters.delivered(subscriber: index, caseID: event.data.caseId, cursor: event.cursor) else { continue }
                            delivery.step("delivery", latency: delay)
                        }
                    } catch {}
                })
            }
        }

        let scenario = self.scenario
        let started = Date()
        let outcome = await LoadDriver.run(plan, recorder: recorder, progress: { elapsed, recorder in
            let all = recorder.latencies()["all"]
            let errors = recorder.errors.values.reduce(0, +)
            var line = String(
                format: "[%5.1f s] ok %d  errors %d  p50 %.2f ms  p99 %.2f ms", Double(elapsed.components.seconds), recorder.succeededCount, errors,
                all?.p50 ?? 0, all?.p99 ?? 0)
            if let second = recorder.lastFinishedSecond { line += "  | " + second.summary }
            progress?(line)
        }) { n in
            try await operations.run(scenario, n)
        }
        // Let the last events arrive before closing the subscribers.
        if scenario == .subscribe { try? await Task.sleep(for: .seconds(1)) }
        for follower in followers { follower.cancel() }
        for subscriber in subscriberClients { await subscriber.close() }
        await client.close()

        var latencies = recorder.latencies()
        if let delivered = delivery.latencies()["delivery"] { latencies["delivery"] = delivered }
        let succeeded = recorder.succeededCount
        return LoadReport(
            scenario: scenario.rawValue, mode: plan.mode.description, connections: connections, subscribers: subscribers,
            startedAt: started, seconds: outcome.seconds, started: outcome.started, succeeded: succeeded,
            throughput: Double(succeeded) / outcome.seconds, late: outcome.late, errors: recorder.errors,
            newCases: counters.newCases, mergedReports: counters.merged, deliveredEvents: counters.deliveredEvents,
            repeatedEvents: counters.repeatedEvents, latencies: latencies, timeline: recorder.timeline())
    }
}

extension LoadPlan.Mode {
    var description: String {
        switch self {
        case .open(let rate): "open loop at \(rate)/s"
        case .closed(let inFlight): "closed loop with \(inFlight) in flight"
        }
    }
}

/// What a run measured; printed as a table and written as JSON (`--json FILE`).
public struct LoadReport: Codable, Sendable {
    /// The scenario.
    public var scenario: String
    /// Open loop at a rate, or closed loop with N in flight.
    public var mode: String
    /// Connections.
    public var connections: Int
    /// Subscribers (`subscribe`).
    public var subscribers: Int
    /// When the run started.
    public var startedAt: Date
    /// Seconds measured.
    public var seconds: Double
    /// Operations started in the measured window.
    public var started: Int
    /// Operations that succeeded.
    public var succeeded: Int
    /// Successful operations per second.
    public var throughput: Double
    /// Open loop: operations that could not start on time (the service fell behind).
    public var late: Int
    /// Failed operations by error code (`transport` for connection failures).
    public var errors: [String: Int]
    /// Reports that made a new case (all of the run, warm-up included).
    public var newCases: Int
    /// Reports merged into an open case (all of the run).
    public var mergedReports: Int
    /// Subscription events received (each once, changes of this run only).
    public var deliveredEvents: Int
    /// Subscription events a subscriber received again: must be 0.
    public var repeatedEvents: Int
    /// Latencies per label: `all` (whole operations), each method, and `delivery`.
    public var latencies: [String: LatencyFigures]
    /// The measured window second by second (whole operations), by intended start (open
    /// loop) or send (closed loop): where in the run the slow operations were.
    public var timeline: [SecondFigures]

    /// The second with the highest p99.
    public var worstSecond: SecondFigures? {
        timeline.filter { $0.succeeded > 0 }.max { ($0.p99, $0.max) < ($1.p99, $1.max) }
    }

    /// A table for people.
    public var table: String {
        var lines = [
            "scenario \(scenario), \(mode), \(connections) connection(s)\(subscribers > 0 ? ", \(subscribers) subscribers" : ""), \(String(format: "%.1f", seconds)) s measured",
            String(format: "  throughput  %.1f operations/s   (%d ok of %d started, %d late)", throughput, succeeded, started, late),
            "  errors      " + (errors.isEmpty ? "none" : errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")),
            "  reports     \(newCases) new cases, \(mergedReports) merged as duplicates (whole run)",
        ]
        if subscribers > 0 { lines.append("  events      \(deliveredEvents) delivered, \(repeatedEvents) delivered again (must be 0)") }
        if let worst = worstSecond { lines.append("  worst second " + worst.summary + " (the JSON report has every second)") }
        lines += ["", "  latency ms            count      p50      p90      p99    p99.9      max"]
        for (label, figures) in latencies.sorted(by: { $0.key == "all" ? true : $1.key == "all" ? false : $0.key < $1.key }) {
            let name = label.count >= 16 ? label : label + String(repeating: " ", count: 16 - label.count)
            lines.append("  " + name + String(
                format: " %10d %8.2f %8.2f %8.2f %8.2f %8.2f", figures.count, figures.p50, figures.p90, figures.p99, figures.p999, figures.max))
        }
        return lines.joined(separator: "\n")
    }
}
