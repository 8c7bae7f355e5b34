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
/// being written wait and are then written together, in one statement (so one round trip
/// and one transaction), and each is acknowledged only after that transaction committed.
///
/// The statement (``ReportSQL/store``) decides each report's fate where the data is: an
/// earlier use of its idempotency key, an open case of its category within 50 m (the
/// duplicate rule, the same haversine as `GeoDistance`), or else a new case with its key,
/// number, reporter, timeline entry, statistics and event. Under load the groups grow, so
/// PostgreSQL parses, plans and commits once for many reports; with one report at a time a
/// group is one report and the cost is the one statement it always needed.
///
/// Reports of one category share a lane, and a lane writes its groups one after another,
/// so a report's duplicate check sees every report of its category this process
/// acknowledged before it. Within a group the writer decides first, in memory, which
/// reports lie within 50 m of an earlier one (taking the earlier ones to be stored): those
/// are not stored by the statement but merged into the nearest earlier report that was
/// stored (or the nearest open case, if nearer). If none of them was stored after all (it
/// had used its key before, or was itself a duplicate of a stored case), the report is
/// written again at the head of the next group, as it would be one report after the other.
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
                                await self.writeGroup(reports, lane: lane)
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

    /// Writes one group and answers every report in it; a report that must be written again
    /// (see the type's documentation) goes back to the head of its lane's queue.
    private func writeGroup(_ group: [Waiting], lane: Lane) async {
        let started = ContinuousClock.now
        groupSize.record(group.count)
        do {
            let outcomes = try await store(group.map(\.report))
            var again: [Waiting] = []
            for (waiting, outcome) in zip(group, outcomes) {
                if let outcome { waiting.continuation.resume(returning: outcome) } else { again.append(waiting) }
            }
            if !again.isEmpty {
                lane.state.withLock { $0.queue.insert(contentsOf: again, at: 0) }
                queueChanged.advance()
            }
        } catch where group.count > 1 {
            // One report may have made the whole group fail: write each alone, so only it fails.
            logger.warning("report group failed; writing its reports one by one", metadata: [
                "report.group": "\(group.count)", "error": "\(String(reflecting: error))",
            ])
            for waiting in group { await writeGroup([waiting], lane: lane) }
            return
        } catch {
            group[0].continuation.resume(throwing: error)
        }
        let elapsed = ContinuousClock.now - started
        groupSeconds.recordNanoseconds(elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }

    /// Stores `reports` (the one round trip), retrying a group that lost a deadlock or whose
    /// year had no number sequence yet; nil for a report to write again in the next group.
    private func store(_ reports: [Report]) async throws -> [Outcome?] {
        let neighbours = Self.groupNeighbours(reports)
        let json = try Self.rows(reports, neighbours: neighbours)
        for attempt in 1...3 {
            do {
                var created: [Int: String] = [:]
                var earlier: [Int: (UUID, Bool)] = [:]
                var near: [Int: (UUID, GeoPoint)] = [:]
                let logger = self.logger
                try await database.withConnection { connection in
                    let result = try await connection.execute(StoreReportsStatement(json: json), logger: logger)
                    for try await (index, outcome, number, caseID, merged, lon, lat) in result {
                        switch outcome {
                        case "created": created[index] = number
                        case "earlier": if let caseID { earlier[index] = (caseID, merged ?? false) }
                        default: if let caseID, let lon, let lat { near[index] = (caseID, GeoPoint(longitude: lon, latitude: lat)) }
                        }
                    }
                }
                return Self.outcomes(of: reports, neighbours: neighbours, created: created, earlier: earlier, near: near)
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" && attempt < 3 {
                try await createNumberSequences(for: reports)
            } catch let error as PSQLError where ["40P01", "40001"].contains(error.serverInfo?[.sqlState]) && attempt < 3 {
                logger.info("report group lost a deadlock; writing it again", metadata: ["report.group": "\(reports.count)"])
            }
        }
        throw DistrictError(.internal, "could not store the reports")
    }

    /// For each report, the earlier reports of the group within the duplicate rule, nearest
    /// first, taking every earlier report without such a neighbour to be stored; empty for
    /// the reports the statement may store.
    static func groupNeighbours(_ reports: [Report]) -> [[Int]] {
        var storing: [Int] = []
        var neighbours: [[Int]] = []
        neighbours.reserveCapacity(reports.count)
        for (index, report) in reports.enumerated() {
            guard let location = report.row.location else {
                neighbours.append([])
                storing.append(index)
                continue
            }
            let near = storing.compactMap { other -> (Int, Double)? in
                let row = reports[other].row
                guard let at = row.location,
                    DuplicateRule.isDuplicate(category: report.row.category, location: location, at: report.row.reportedAt, of: (row.category, at, row.reportedAt))
                else { return nil }
                return (other, GeoDistance.meters(location, at))
            }
            neighbours.append(near.sorted { $0.1 < $1.1 }.map(\.0))
            if near.isEmpty { storing.append(index) }
        }
        return neighbours
    }

    /// What became of each report, from what the statement returned; nil for a report whose
    /// earlier neighbours in the group were none of them stored, to write again.
    static func outcomes(
        of reports: [Report], neighbours: [[Int]],
        created: [Int: String], earlier: [Int: (UUID, Bool)], near: [Int: (UUID, GeoPoint)]
    ) -> [Outcome?] {
        reports.indices.map { index -> Outcome? in
            if let (caseID, merged) = earlier[index] { return .earlier(caseID: caseID, merged: merged) }
            if let number = created[index] {
                var row = reports[index].row
                row.number = number
                return .created(row)
            }
            guard let location = reports[index].row.location, !neighbours[index].isEmpty else {
                // No neighbour in the group: an open case nearby, or its key was taken meanwhile.
                if let (caseID, _) = near[index] { return .duplicate(of: caseID) }
                return .keyTaken
            }
            // The nearest of the open case nearby and the neighbours that were stored.
            var candidates = neighbours[index].compactMap { other -> (UUID, GeoPoint)? in
                guard created[other] != nil, let at = reports[other].row.location else { return nil }
                return (reports[other].row.id, at)
            }
            if let stored = near[index] { candidates.append(stored) }
            guard let nearest = candidates.min(by: { GeoDistance.meters(location, $0.1) < GeoDistance.meters(location, $1.1) }) else {
                return nil
            }
            return .duplicate(of: nearest.0)
        }
    }

    /// The group as the statement's JSON array.
    private static func rows(_ reports: [Report], neighbours: [[Int]]) throws -> String {
        var rows = JSONRecordWriter()
        for (index, report) in reports.enumerated() {
            let row = report.row
            let year = DistrictDay.year(of: row.reportedAt)
            guard MatterCatalogue.isCode(row.district) else { throw DistrictError(.internal, "district code unusable in a sequence name") }
            let box = row.location.map { GeoDistance.box(around: $0, radius: DuplicateRule.radius) }
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
            rows.field("min_lon", box?.minLongitude)
            rows.field("max_lon", box?.maxLongitude)
            rows.field("min_lat", box?.minLatitude)
            rows.field("max_lat", box?.maxLatitude)
            rows.field("anchor", neighbours[index].first)
            rows.endRecord()
        }
        return rows.finish()
    }

    /// `dispatch.case_number_<district>_<year>`: case numbers per district and year come from
    /// a sequence (no hot row; a failed write leaves a gap in the numbers).
    static func sequenceName(district: String, year: Int) -> String {
        "dispatch.case_number_\(district)_\(year)"
    }

    private func createNumberSequences(for reports: [Report]) async throws {
        let names = Set(reports.map { report in
            Self.sequenceName(district: report.row.district, year: DistrictDay.year(of: report.row.reportedAt))
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
