public import DistrictClient
import DispatchDomain
import DistrictContracts
import DistrictProtocol
import Foundation
import Synchronization

/// What each operation of a run does.
public enum LoadScenario: String, Sendable, CaseIterable, Codable {
    /// One `case.report` per operation: a resident's report at a place of the district.
    case report
    /// One whole case per operation: report → accept (routed) → claim → resolve → verify →
    /// close → rate, by the resident, the district command centre and the department.
    case lifecycle
    /// Reports 40 %, case reads 20 %, department queue reads 20 %, lists 10 %, statistics 10 %.
    case mixed
    /// Report → accept per operation while `subscribers` department connections follow
    /// their queues; the delivery delay of each `case.dispatched` event is recorded.
    case subscribe
}

/// Counts a run keeps besides latencies.
public final class ScenarioCounters: Sendable {
    private struct State {
        var newCases = 0
        var merged = 0
        var recent: [String] = []
        var delivered = 0
        var deliveredKeys: Set<String> = []
        var repeated = 0
        var acceptSent: [String: ContinuousClock.Instant] = [:]
    }

    private let state = Mutex(State())

    /// Empty counters.
    public init() {}

    func reported(_ result: ReportAcknowledgement.Result) {
        state.withLock { state in
            if result.merged { state.merged += 1 } else { state.newCases += 1 }
            if state.recent.count < 1000 { state.recent.append(result.case.id) } else { state.recent[state.newCases % 1000] = result.case.id }
        }
    }

    func recentCase(_ n: Int) -> String? {
        state.withLock { $0.recent.isEmpty ? nil : $0.recent[n % $0.recent.count] }
    }

    /// Remembers when the accept of `caseID` was sent: the start of its event's delivery delay.
    func acceptSending(_ caseID: String) {
        let now = ContinuousClock.now
        state.withLock { $0.acceptSent[caseID] = now }
    }

    /// Counts one `case.dispatched` event a subscriber received and returns its delivery
    /// delay, measured from when this run sent the accept that caused it (so it includes
    /// the accept's own processing). Nil for changes this run did not make and for an event
    /// the same subscriber received before; the latter is counted as repeated (a fault:
    /// the service delivers each event once).
    func delivered(subscriber: Int, caseID: String, cursor: String?) -> Duration? {
        let now = ContinuousClock.now
        return state.withLock { state in
            guard let sent = state.acceptSent[caseID] else { return nil }
            guard state.deliveredKeys.insert("\(subscriber) \(caseID) \(cursor ?? "")").inserted else {
                state.repeated += 1
                return nil
            }
            state.delivered += 1
            return now - sent
        }
    }

    /// Reports that made a new case.
    public var newCases: Int { state.withLock { $0.newCases } }
    /// Reports merged into an open case as duplicates.
    public var merged: Int { state.withLock { $0.merged } }
    /// Subscription events received.
    public var deliveredEvents: Int { state.withLock { $0.delivered } }
    /// Subscription events received a second time by the same subscriber (a service fault).
    public var repeatedEvents: Int { state.withLock { $0.repeated } }
}

/// Numbers a run's reports 0, 1, 2 …
final class ReportCounter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

/// The operations of each scenario over one client.
public struct LoadOperations: Sendable {
    let client: DistrictClient
    let district: LoadDistrict
    let runID: String
    let counters: ScenarioCounters
    let recorder: LoadRecorder
    let resident: String
    let centre: String
    let handlers: [String: String]
    /// The k-th report of this run uses place number `base + k`.
    let base: Int
    let reports = ReportCounter()

    /// Operations for `client`, acting with `district`'s tokens.
    public init(client: DistrictClient, district: LoadDistrict, counters: ScenarioCounters, recorder: LoadRecorder) throws {
        self.client = client
        self.district = district
        self.runID = UUID().uuidString.prefix(8).lowercased()
        self.counters = counters
        self.recorder = recorder
        self.resident = try district.residentToken()
        self.centre = try district.centreToken()
        self.handlers = try Dictionary(uniqueKeysWithValues: LoadDistrict.departments.map { ($0, try district.handlerToken(department: $0)) })
        self.base = district.firstSequence
    }

    /// One operation of `scenario` with sequence number `n`.
    public func run(_ scenario: LoadScenario, _ n: Int) async throws {
        switch scenario {
        case .report:
            _ = try await report(n)
        case .lifecycle:
            try await lifecycle(n)
        case .mixed:
            try await mixed(n)
        case .subscribe:
            let reported = try await report(n)
            guard !reported.merged else { return }
            counters.acceptSending(reported.case.id)
            _ = try await timed("case.accept") { try await client.call(DispatchAPI.Accept.self, .init(caseId: reported.case.id), token: centre) }
        }
    }

    private func timed<T>(_ label: String, _ body: () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        let result = try await body()
        recorder.step(label, latency: ContinuousClock.now - started)
        return result
    }

    @discardableResult
    func report(_ n: Int) async throws -> ReportAcknowledgement.Result {
        // Places run on with the reports (not the operations: `mixed` reports in 4 of 10).
        let place = base + reports.next()
        let params = DispatchAPI.Report.Params(
            category: LoadDistrict.category(for: place), title: "负载测试 \(n)", description: "district-load report \(runID)-\(n)",
            channel: .resident, location: LoadDistrict.place(for: place))
        let result = try await timed("case.report") {
            try await client.call(ReportAcknowledgement.self, params, token: resident, idempotencyKey: "load-\(runID)-\(n)")
        }
        counters.reported(result)
        return result
    }

    private func lifecycle(_ n: Int) async throws {
        let reported = try await report(n)
        guard !reported.merged else { return }
        let id = reported.case.id
        let dispatched = try await timed("case.accept") { try await client.call(DispatchAPI.Accept.self, .init(caseId: id), token: centre) }
        guard let department = dispatched.department, let handler = handlers[department] else {
            throw DistrictError(.internal, "case \(dispatched.number) was not routed to a department")
        }
        _ = try await timed("case.claim") { try await client.call(DispatchAPI.Claim.self, .init(caseId: id), token: handler) }
        _ = try await timed("case.resolve") { try await client.call(DispatchAPI.Resolve.self, .init(caseId: id, note: "已处理"), token: handler) }
        _ = try await timed("case.verify") { try await client.call(DispatchAPI.Verify.self, .init(caseId: id, passed: true), token: centre) }
        _ = try await timed("case.close") { try await client.call(DispatchAPI.Close.self, .init(caseId: id), token: centre) }
        _ = try await timed("case.rate") { try await client.call(DispatchAPI.Rate.self, .init(caseId: id, satisfaction: .satisfied), token: resident) }
    }

    private func mixed(_ n: Int) async throws {
        let street = String(format: "lt.s%02d", n % 16 + 1)
        switch n % 10 {
        case 0, 1, 2, 3:
            try await report(n)
        case 4, 5:
            guard let id = counters.recentCase(n) else {
                try await report(n)
                return
            }
            _ = try await timed("case.get") { try await client.call(DispatchAPI.Get.self, .init(caseId: id), token: centre) }
        case 6, 7:
            let department = LoadDistrict.departments[n % LoadDistrict.departments.count]
            _ = try await timed("case.queue") {
                try await client.call(DispatchAPI.Queue.self, .init(department: department, path: LoadDistrict.code, limit: 20), token: handlers[department]!)
            }
        case 8:
            _ = try await timed("case.list") { try await client.call(DispatchAPI.List.self, .init(path: street, limit: 20), token: centre) }
        default:
            let today = DistrictDay.of(Date())
            _ = try await timed("case.stats") {
                try await client.call(DispatchAPI.Stats.self, .init(path: street, from: today, to: today, groupBy: .child), token: centre)
            }
        }
    }
}
