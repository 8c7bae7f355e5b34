import DispatchDomain
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Stores new reports in groups (group commit): the reports that arrive while one group is
/// being written wait and are then written together, in one transaction of two statements,
/// and each is acknowledged only after that transaction committed.
///
/// A group costs two round trips whatever its size: one read (earlier uses of the
/// reports' idempotency keys and the open cases near each report, for the 50 m duplicate
/// rule) and one write (keys, cases with their numbers, reporters, timeline entries,
/// statistics and events). Under load the groups grow, so PostgreSQL parses, plans and
/// commits once for many reports; with one report at a time a group is one report and the
/// cost is the read and the write it always needed.
///
/// Reports of one category share a lane, and a lane writes its groups one after another,
/// so a report's duplicate check sees every report of its category this process
/// acknowledged before it, and two reports of one group within 50 m of each other become
/// one case and a merged duplicate, as they would one after the other.
/// (Replicas each write their own groups; between them the check is as racy as any
/// read-then-write, which the duplicate rule tolerates: a missed duplicate is linked by hand
/// with `case.link`.)
final class ReportWriter: Service, Sendable {
    /// A report ready to store: placed, categorized, validated and authorized. Its number is
    /// handed out in the write; the event payload's `number` is filled in there.
    struct Report: Sendable {
        /// The case as it will be stored (its `number` is ignored).
        var row: CaseRow
        /// The reporter's idempotency key.
        var key: String?
        /// The `case.reported` event; its payload's `number` is replaced by the case's number.
        var event: NewEvent
        /// The statistics of the report (`reported`), per UTC+8 day and month.
        var reported: Int
        var day: String
        var month: String
    }

    /// What became of one report.
    enum Outcome: Sendable {
        /// Stored as a new case (with its number).
        case created(CaseRow)
        /// The reporter used the key before, for this case; answer with it.
        case earlier(caseID: UUID, merged: Bool)
        /// An open case of the category lies within 50 m: merge the report into it.
        case duplicate(of: UUID)
        /// A concurrent report with the same key won; answer with its case.
        case keyTaken
    }

    /// The most reports written in one group.
    let largestGroup: Int

    private struct Waiting: Sendable {
        var report: Report
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var queue: [Waiting] = []
        var closed = false
    }

    /// One queue per lane; each lane writes its groups one after another.
    private let lanes: [Lane]

    private final class Lane: Sendable {
        let state = Mutex(State())
    }

    /// Advanced whenever a report is queued or the writer closes: idle lanes wait on it
    /// (and so can a caller waiting for reports to be queued).
    private let queueChanged = GenerationSignal()
    private let database: Database
    private let logger: Logger
    private let groupSize: Recorder
    private let groupSeconds: Timer

    /// A writer of groups of at most `largestGroup` reports in `lanes` lanes. A report's lane
    /// follows from its category, and the duplicate rule only joins reports of one category,
    /// so lanes never race on a duplicate; more lanes overlap one group's commit with the
    /// next group's work.
    init(database: Database, logger: Logger, largestGroup: Int = 256, lanes: Int = 2) {
        precondition(lanes >= 1 && largestGroup >= 1)
        self.lanes = (0..<lanes).map { _ in Lane() }
        self.database = database
        self.logger = logger
        self.largestGroup = largestGroup
        self.groupSize = Recorder(label: "dispatch_report_group_size")
        self.groupSeconds = Timer(label: "dispatch_report_group_duration_seconds", preferredDisplayUnit: .seconds)
    }

    /// Reports queued and not yet taken into a group, over all lanes.
    var queued: Int {
        lanes.reduce(0) { sum, lane in sum + lane.state.withLock { $0.queue.count } }
    }

    /// Returns once at least `count` reports are queued and not yet taken into a group.
    func waitUntilQueued(_ count: Int) async {
        while true {
            let generation = queueChanged.generation
            if queued >= count || Task.isCancelled { return }
            await queueChanged.wait(after: generation)
        }
    }

    /// Queues `report` for the next group and returns once that group committed (or failed).
    func write(_ report: Report) async throws -> Outcome {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Outcome, any Error>) in
            let lane = lanes[Self.lane(of: report.row.category, among: lanes.count)]
            let accepted = lane.state.withLock { state -> Bool in
                guard !state.closed else { return false }
                state.queue.append(Waiting(report: report, continuation: continuation))
                return true
            }
            guard accepted else {
                continuation.resume(throwing: DistrictError(.unavailable, "the dispatch service is shutting down; retry with the same idempotency key"))
                return
            }
            queueChanged.advance()
        }
    }

    func run() async throws {
        // Reports already queued are still written when the service drains (or the task is
        // cancelled); later ones are refused.
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    for lane in lanes {
                        group.addTask {
                            while let reports = await self.nextGroup(from: lane) {
                                await self.writeGroup(reports)
                            }
                        }
                    }
                }
            } onGracefulShutdown: {
                self.close()
            }
        } onCancel: {
            self.close()
        }
    }

    /// Refuses new reports and wakes the lanes, which end once their queues are empty.
    private func close() {
        for lane in lanes {
            lane.state.withLock { $0.closed = true }
        }
        queueChanged.advance()
    }

    /// The lane of reports of `category`: a fixed function of the code (not `hashValue`,
    /// which changes between processes), so the same category always shares a lane.
    static func lane(of category: String, among count: Int) -> Int {
        var hash: UInt32 = 2_166_136_261
        for byte in category.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int(hash % UInt32(count))
    }

    /// The next group: everything queued (up to ``largestGroup``), waiting for the first
    /// report when nothing is; nil once closed and empty.
    private func nextGroup(from lane: Lane) async -> [Waiting]? {
        while true {
            let generation = queueChanged.generation
            let taken = lane.state.withLock { state -> [Waiting]? in
                if state.queue.isEmpty { return state.closed ? [] : nil }
                let count = min(state.queue.count, largestGroup)
                defer { state.queue.removeFirst(count) }
                return Array(state.queue.prefix(count))
            }
            if let taken { return taken.isEmpty ? nil : taken }
            await queueChanged.wait(after: generation)
        }
    }

    /// Writes one group and answers every report in it.
    private func writeGroup(_ group: [Waiting]) async {
        let started = ContinuousClock.now
        groupSize.record(group.count)
        do {
            let outcomes = try await store(group.map(\.report))
            for (waiting, outcome) in zip(group, outcomes) { waiting.continuation.resume(returning: outcome) }
        } catch where group.count > 1 {
            // One report may have made the whole group fail: write each alone, so only it fails.
            logger.warning("report group failed; writing its reports one by one", metadata: [
                "report.group": "\(group.count)", "error": "\(String(reflecting: error))",
            ])
            for waiting in group { await writeGroup([waiting]) }
            return
        } catch {
            group[0].continuation.resume(throwing: error)
        }
        let elapsed = ContinuousClock.now - started
        groupSeconds.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// Checks and stores `reports` (the two round trips), retrying a group that lost a
    /// deadlock or whose year had no number sequence yet.
    private func store(_ reports: [Report]) async throws -> [Outcome] {
        var outcomes = try await check(reports)
        let creating = outcomes.indices.filter { if case .created = outcomes[$0] { true } else { false } }
        guard !creating.isEmpty else { return outcomes }
        for attempt in 1...3 {
            do {
                let numbers = try await insert(creating.map { reports[$0] })
                for (position, index) in creating.enumerated() {
                    if let number = numbers[position] {
                        var row = reports[index].row
                        row.number = number
                        outcomes[index] = .created(row)
                    } else {
                        outcomes[index] = .keyTaken
                    }
                }
                return outcomes
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" && attempt < 3 {
                try await createNumberSequences(for: creating.map { reports[$0] })
            } catch let error as PSQLError where ["40P01", "40001"].contains(error.serverInfo?[.sqlState]) && attempt < 3 {
                logger.info("report group lost a deadlock; writing it again", metadata: ["report.group": "\(creating.count)"])
            }
        }
        throw DistrictError(.internal, "could not store the reports")
    }

    // MARK: The read

    /// Earlier uses of the keys and open cases near each report; `.created` (a placeholder)
    /// for the reports to store.
    private func check(_ reports: [Report]) async throws -> [Outcome] {
        var rows = JSONRecordWriter()
        for (index, report) in reports.enumerated() {
            let box = report.row.location.map { GeoDistance.box(around: $0, radius: DuplicateRule.radius) }
            rows.beginRecord()
            rows.field("i", index)
            rows.field("reporter", report.row.reporter)
            rows.field("key", report.key)
            rows.field("category", report.row.category)
            rows.field("min_lon", box?.minLongitude)
            rows.field("max_lon", box?.maxLongitude)
            rows.field("min_lat", box?.minLatitude)
            rows.field("max_lat", box?.maxLatitude)
            rows.field("since", report.row.reportedAt.addingTimeInterval(-DuplicateRule.window))
            rows.endRecord()
        }
        let json = rows.finish()
        var earlier: [Int: (UUID, Bool)] = [:]
        var nearby: [Int: [(UUID, GeoPoint, Date)]] = [:]
        let logger = self.logger
        try await database.withConnection { connection in
            let result = try await connection.execute(CheckReportsStatement(json: json), logger: logger)
            for try await (index, isKey, caseID, merged, lon, lat, reportedAt) in result {
                if isKey {
                    earlier[index] = (caseID, merged)
                } else if let lon, let lat, let reportedAt {
                    nearby[index, default: []].append((caseID, GeoPoint(longitude: lon, latitude: lat), reportedAt))
                }
            }
        }

        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(reports.count)
        var storing: [Int] = []
        for (index, report) in reports.enumerated() {
            if let (caseID, merged) = earlier[index] {
                outcomes.append(.earlier(caseID: caseID, merged: merged))
                continue
            }
            guard let location = report.row.location else {
                outcomes.append(.created(report.row))
                storing.append(index)
                continue
            }
            // Open cases stored before, then the reports of this group stored before this one.
            let stored = (nearby[index] ?? []).map { (id: $0.0, category: report.row.category, location: $0.1, reportedAt: $0.2) }
            let grouped = storing.compactMap { other -> (id: UUID, category: String, location: GeoPoint, reportedAt: Date)? in
                let row = reports[other].row
                return row.location.map { (row.id, row.category, $0, row.reportedAt) }
            }
            let nearest = (stored + grouped)
                .filter { DuplicateRule.isDuplicate(category: report.row.category, location: location, at: report.row.reportedAt, of: ($0.category, $0.location, $0.reportedAt)) }
                .min { GeoDistance.meters(location, $0.location) < GeoDistance.meters(location, $1.location) }
            if let nearest {
                outcomes.append(.duplicate(of: nearest.id))
            } else {
                outcomes.append(.created(report.row))
                storing.append(index)
            }
        }
        return outcomes
    }

    // MARK: The write

    /// Stores the reports in one statement (so one transaction); returns each one's number,
    /// or nil where its key was taken meanwhile (then nothing of it is written).
    private func insert(_ reports: [Report]) async throws -> [String?] {
        var rows = JSONRecordWriter()
        for (index, report) in reports.enumerated() {
            let row = report.row
            let year = DistrictDay.calendar.component(.year, from: row.reportedAt)
            guard MatterCatalogue.isCode(row.district) else { throw DistrictError(.internal, "district code unusable in a sequence name") }
            rows.beginRecord()
            rows.field("i", index)
            rows.field("id", row.id.uuidString)
            rows.field("sequence", Self.sequenceName(district: row.district, year: year))
            rows.field("prefix", "\(row.district)-\(year)-")
            rows.field("state", row.state.rawValue)
            rows.field("category", row.category)
            rows.field("district", row.district)
            rows.field("catalogue_version", row.catalogueVersion)
            rows.field("level", row.level.rawValue)
            rows.field("title", row.title)
            rows.field("description", row.description)
            rows.field("channel", row.channel.rawValue)
            rows.field("reporter", row.reporter)
            rows.field("org_path", row.orgPath)
            rows.field("lon", row.lon)
            rows.field("lat", row.lat)
            rows.field("reported_at", row.reportedAt)
            rows.field("due_at", row.dueAt)
            rows.field("warn_at", row.warnAt)
            rows.field("attachments", json: row.attachments.isEmpty ? "[]" : try DispatchHandlers.encodeJSON(row.attachments))
            rows.field("key", report.key)
            rows.field("day", report.day)
            rows.field("month", report.month)
            rows.field("reported", report.reported)
            rows.field("event_stream", report.event.stream)
            rows.field("event_type", report.event.type)
            rows.field("event_key", report.event.key)
            rows.field("event_path", report.event.orgPath)
            rows.field("payload", report.event.payloadJSON)
            rows.endRecord()
        }
        let json = rows.finish()
        var numbers = [String?](repeating: nil, count: reports.count)
        let logger = self.logger
        try await database.withConnection { connection in
            let result = try await connection.execute(InsertReportsStatement(json: json), logger: logger)
            for try await (index, number) in result {
                numbers[index] = number
            }
        }
        return numbers
    }

    /// `dispatch.case_number_<district>_<year>`: case numbers per district and year come from
    /// a sequence (no hot row; a failed write leaves a gap in the numbers).
    static func sequenceName(district: String, year: Int) -> String {
        "dispatch.case_number_\(district)_\(year)"
    }

    private func createNumberSequences(for reports: [Report]) async throws {
        let names = Set(reports.map { report in
            Self.sequenceName(district: report.row.district, year: DistrictDay.calendar.component(.year, from: report.row.reportedAt))
        })
        let logger = self.logger
        try await database.withConnection { connection in
            for name in names.sorted() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE SEQUENCE IF NOT EXISTS \(name)"), logger: logger)
                } catch let error as PSQLError where ["23505", "42P07"].contains(error.serverInfo?[.sqlState]) {
                    // Another writer created it at the same moment ("IF NOT EXISTS" is not atomic).
                }
            }
        }
    }
}

extension CaseRow {
    /// The report's place, when it has one.
    var location: GeoPoint? {
        guard let lon, let lat else { return nil }
        return GeoPoint(longitude: lon, latitude: lat)
    }
}
