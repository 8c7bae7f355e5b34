import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// The most attachments one report may carry.
    static let maximumAttachments = 20

    /// Thrown inside the report transaction when a concurrent request with the same
    /// idempotency key won: roll back, then answer with the winner's case.
    private struct LostIdempotencyRace: Error {}

    /// `case.report`: places, numbers and stores a report, or merges it into an open
    /// duplicate; idempotent by the request's idempotency key. The report is checked and
    /// placed here, in memory; `ReportWriter` stores it in a group with the reports that
    /// arrive meanwhile (one transaction, acknowledged after its commit).
    func report(_ params: DispatchAPI.Report.Params, _ context: RequestContext) async throws -> DispatchAPI.Report.Result {
        let principal = try await authenticator.principal(for: context)
        try Self.validate(params)
        let key = context.idempotencyKey
        if let key {
            guard !key.isEmpty, key.utf8.count <= 128 else { throw DistrictError.invalidParams("idempotencyKey must be 1–128 bytes", field: "idempotencyKey") }
        }
        let logger = context.logger
        let now = clock.now()

        let place: OrgPath
        let catalogue: MatterCatalogue
        do {
            (place, catalogue) = try await placeAndCatalogue(params, principal: principal, logger: logger)
        } catch let error as DistrictError where key != nil && [.invalidParams, .failedPrecondition].contains(error.code) {
            // A retry of a report stored before answers with it, even if grids or the catalogue changed since.
            if let key, let earlier = try await earlierReport(reporter: principal.subject, key: key, logger: logger) { return earlier }
            throw error
        }

        let category = catalogue.category(params.category)!
        let acceptDeadline = CaseDeadline(from: now, minutes: category.acceptWithinMinutes)
        let row = CaseRow(
            id: .random(), number: "", state: .reported, category: category.code, district: place.components[0],
            catalogueVersion: catalogue.version.version, level: category.level, title: params.title, description: params.description,
            channel: params.channel, reporter: principal.subject, orgPath: place.description,
            lon: params.location?.longitude, lat: params.location?.latitude, department: nil, assignee: nil, reportedAt: now,
            dueAt: acceptDeadline.dueAt, warnAt: acceptDeadline.warnAt, warned: false, overdue: false, wasOverdue: false,
            escalationLevel: "grid", whistle: nil, reopenCount: 0, returnCount: 0, supervisorReview: false, satisfaction: nil,
            duplicateReports: 0, attachments: params.attachments ?? [], version: 1)
        // The payload's number is filled in when the writer numbers the case.
        let event = NewEvent(
            stream: DispatchAPI.caseStream, type: "case.reported", key: row.id.uuidString.lowercased(), orgPath: row.orgPath,
            payloadJSON: CaseEvent(
                caseId: row.id.uuidString.lowercased(), number: "", event: "case.reported", fromState: nil, toState: row.state,
                category: row.category, orgPath: row.orgPath, department: nil, actor: principal.subject, note: nil, at: now
            ).payloadJSON)
        let tally = CaseTally.of(event: "case.reported", satisfaction: nil, wasOverdue: false, reportedAt: now, at: now)
        let day = DistrictDay.of(now)

        let outcome = try await reports.write(.init(
            row: row, key: key, event: event, reported: tally.reported, day: day, month: DistrictDay.month(of: day)))
        switch outcome {
        case .created(let stored):
            logger.info("case reported", metadata: ["case.id": "\(stored.id)", "case.number": "\(stored.number)", "case.path": "\(place)"])
            return .init(case: stored.record(), merged: false)
        case .earlier(let caseID, let merged):
            guard let earlier = try await loadReport(caseID, merged: merged, logger: logger) else { throw Self.notFound(caseID) }
            return earlier
        case .duplicate(let target):
            do {
                return try await merge(into: target, principal: principal, key: key, now: now, logger: logger)
            } catch is LostIdempotencyRace {
                return try await answerLostRace(reporter: principal.subject, key: key, logger: logger)
            }
        case .keyTaken:
            return try await answerLostRace(reporter: principal.subject, key: key, logger: logger)
        }
    }

    /// Where the report belongs (its grid by location, else its org path) and the district's
    /// newest catalogue, which must have the report's category; the caller must be allowed
    /// to report there.
    private func placeAndCatalogue(
        _ params: DispatchAPI.Report.Params, principal: Principal, logger: Logger
    ) async throws -> (OrgPath, MatterCatalogue) {
        var place: OrgPath?
        if let location = params.location, let grid = try await findGrid(containing: location, logger: logger) {
            place = try OrgPath(grid)
        }
        if place == nil, let text = params.orgPath { place = try Self.parsePath(text, field: "orgPath") }
        guard let place else {
            throw params.location == nil
                ? DistrictError.invalidParams("a report needs a location or an orgPath", field: "orgPath")
                : DistrictError.invalidParams("the location lies in no grid; give an orgPath", field: "location")
        }
        try policyCheck(principal, .caseReport, place)
        guard let catalogue = try await latestCatalogue(district: place.components[0], logger: logger) else {
            throw DistrictError(.failedPrecondition, "district \(place.components[0]) has no matter catalogue yet")
        }
        guard catalogue.category(params.category) != nil else {
            throw DistrictError.invalidParams("category \(params.category) is not in catalogue version \(catalogue.version.version)", field: "category")
        }
        return (place, catalogue)
    }

    /// The answer when a concurrent report with the same key won: the case it made or joined.
    private func answerLostRace(reporter: String, key: String?, logger: Logger) async throws -> DispatchAPI.Report.Result {
        guard let key, let earlier = try await earlierReport(reporter: reporter, key: key, logger: logger) else {
            throw DistrictError(.conflict, "a concurrent report with the same idempotency key did not finish; retry")
        }
        return earlier
    }

    private func policyCheck(_ principal: Principal, _ action: Action, _ path: OrgPath) throws(DistrictError) {
        try authenticator.policy.authorize(principal, action, on: Resource(path: path))
    }

    /// The case an earlier report with the same key created or joined.
    private func earlierReport(reporter: String, key: String, logger: Logger) async throws -> DispatchAPI.Report.Result? {
        var found: (UUID, Bool)?
        try await database.withConnection { connection in
            for try await row in try await connection.query(
                "SELECT case_id, merged FROM dispatch.report_keys WHERE reporter = \(reporter) AND idempotency_key = \(key)", logger: logger
            ).decode((UUID, Bool).self) {
                found = row
            }
        }
        guard let (id, merged) = found else { return nil }
        return try await loadReport(id, merged: merged, logger: logger)
    }

    /// The answer to a report that made or joined case `id`.
    private func loadReport(_ id: UUID, merged: Bool, logger: Logger) async throws -> DispatchAPI.Report.Result? {
        try await database.withConnection { connection in
            try await Self.loadCase(id, on: connection, logger: logger).map { .init(case: $0.record(), merged: merged) }
        }
    }

    /// Claims the idempotency key inside the transaction; a concurrent holder makes this wait
    /// for its commit, after which the key is taken and the race is lost.
    private static func claimKey(_ key: String?, reporter: String, caseID: UUID, merged: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        guard let key else { return }
        var inserted = false
        for try await _ in try await connection.query(
            """
            INSERT INTO dispatch.report_keys (reporter, idempotency_key, case_id, merged)
            VALUES (\(reporter), \(key), \(caseID), \(merged)) ON CONFLICT DO NOTHING RETURNING 1
            """,
            logger: logger
        ) {
            inserted = true
        }
        if !inserted { throw LostIdempotencyRace() }
    }

    /// Merges a duplicate report into `target`: the reporter joins (once), the case counts once.
    private func merge(into target: UUID, principal: Principal, key: String?, now: Date, logger: Logger) async throws -> DispatchAPI.Report.Result {
        let row = try await database.withTransaction { connection in
            try await Self.claimKey(key, reporter: principal.subject, caseID: target, merged: true, on: connection, logger: logger)
            guard var row = try await Self.loadCase(target, lock: true, on: connection, logger: logger) else { throw Self.notFound(target) }
            var joined = false
            for try await _ in try await connection.query(
                """
                INSERT INTO dispatch.case_reporters (case_id, reporter, reported_at, duplicate)
                VALUES (\(target), \(principal.subject), \(now), true) ON CONFLICT DO NOTHING RETURNING 1
                """,
                logger: logger
            ) {
                joined = true
            }
            if joined {
                row.duplicateReports += 1
                row.version += 1
                try await Self.save(row, "case.duplicate_merged", from: row.state, actor: principal.subject, note: nil, at: now, on: connection, logger: logger)
            }
            return row
        }
        return .init(case: row.record(), merged: true)
    }

    /// Checks a report's fields before anything is read or written.
    static func validate(_ params: DispatchAPI.Report.Params) throws(DistrictError) {
        guard MatterCatalogue.isCode(params.category) else { throw .invalidParams("category is not a category code", field: "category") }
        try checkText(params.title, field: "title", limit: 100, required: true)
        try checkText(params.description, field: "description", limit: 4000, required: true)
        if let location = params.location { try checkLocation(location) }
        let attachments = params.attachments ?? []
        guard attachments.count <= maximumAttachments else {
            throw .invalidParams("at most \(maximumAttachments) attachments", field: "attachments")
        }
        for (index, attachment) in attachments.enumerated() {
            let field = "attachments[\(index)]"
            guard attachment.url.hasPrefix("https://"), attachment.url.utf8.count <= 2048 else {
                throw .invalidParams("an attachment url is an https URL of at most 2048 bytes", field: "\(field).url")
            }
            guard attachment.sha256.utf8.count == 64, attachment.sha256.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                throw .invalidParams("sha256 is 64 lower-case hex digits", field: "\(field).sha256")
            }
            guard attachment.size >= 0 else { throw .invalidParams("size must not be negative", field: "\(field).size") }
        }
    }
}
