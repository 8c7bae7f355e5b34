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
    /// duplicate; idempotent by the request's idempotency key.
    func report(_ params: DispatchAPI.Report.Params, _ context: RequestContext) async throws -> DispatchAPI.Report.Result {
        let principal = try await authenticator.principal(for: context)
        try Self.validate(params)
        if let key = context.idempotencyKey {
            guard !key.isEmpty, key.utf8.count <= 128 else { throw DistrictError.invalidParams("idempotencyKey must be 1–128 bytes", field: "idempotencyKey") }
        }
        let logger = context.logger
        let now = clock.now()

        // A retry answers with what the first call did, before any other work.
        if let key = context.idempotencyKey, let earlier = try await earlierReport(reporter: principal.subject, key: key, logger: logger) {
            return earlier
        }

        let (place, catalogue, duplicate) = try await database.withConnection { connection in
            var place: OrgPath?
            if let location = params.location, let grid = try await findGrid(containing: location, on: connection, logger: logger) {
                place = try OrgPath(grid)
            }
            if place == nil, let text = params.orgPath { place = try Self.parsePath(text, field: "orgPath") }
            guard let place else {
                throw params.location == nil
                    ? DistrictError.invalidParams("a report needs a location or an orgPath", field: "orgPath")
                    : DistrictError.invalidParams("the location lies in no grid; give an orgPath", field: "location")
            }
            try policyCheck(principal, .caseReport, place)
            guard let catalogue = try await latestCatalogue(district: place.components[0], on: connection, logger: logger) else {
                throw DistrictError(.failedPrecondition, "district \(place.components[0]) has no matter catalogue yet")
            }
            guard catalogue.category(params.category) != nil else {
                throw DistrictError.invalidParams("category \(params.category) is not in catalogue version \(catalogue.version.version)", field: "category")
            }
            let duplicate = try await params.location.asyncMap { location in
                try await openDuplicate(category: params.category, at: location, now: now, on: connection, logger: logger)
            } ?? nil
            return (place, catalogue, duplicate)
        }

        do {
            if let duplicate {
                return try await merge(into: duplicate, principal: principal, key: context.idempotencyKey, now: now, logger: logger)
            }
            return try await create(params, at: place, catalogue: catalogue, principal: principal, key: context.idempotencyKey, now: now, logger: logger)
        } catch is LostIdempotencyRace {
            guard let key = context.idempotencyKey, let earlier = try await earlierReport(reporter: principal.subject, key: key, logger: logger) else {
                throw DistrictError(.conflict, "a concurrent report with the same idempotency key did not finish; retry")
            }
            return earlier
        }
    }

    private func policyCheck(_ principal: Principal, _ action: Action, _ path: OrgPath) throws(DistrictError) {
        try authenticator.policy.authorize(principal, action, on: Resource(path: path))
    }

    /// The case an earlier report with the same key created or joined.
    private func earlierReport(reporter: String, key: String, logger: Logger) async throws -> DispatchAPI.Report.Result? {
        try await database.withConnection { connection in
            var found: (UUID, Bool)?
            for try await row in try await connection.query(
                "SELECT case_id, merged FROM dispatch.report_keys WHERE reporter = \(reporter) AND idempotency_key = \(key)", logger: logger
            ).decode((UUID, Bool).self) {
                found = row
            }
            guard let (id, merged) = found, let row = try await Self.loadCase(id, on: connection, logger: logger) else { return nil }
            return .init(case: row.record(), merged: merged)
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

    private func create(
        _ params: DispatchAPI.Report.Params, at place: OrgPath, catalogue: MatterCatalogue, principal: Principal, key: String?, now: Date, logger: Logger
    ) async throws -> DispatchAPI.Report.Result {
        let category = catalogue.category(params.category)!
        let number = try await nextCaseNumber(district: place.components[0], at: now, logger: logger)
        let acceptDeadline = CaseDeadline(from: now, minutes: category.acceptWithinMinutes)
        let row = CaseRow(
            id: UUID(), number: number, state: .reported, category: category.code, district: place.components[0],
            catalogueVersion: catalogue.version.version, level: category.level, title: params.title, description: params.description,
            channel: params.channel, reporter: principal.subject, orgPath: place.description,
            lon: params.location?.longitude, lat: params.location?.latitude, department: nil, assignee: nil, reportedAt: now,
            dueAt: acceptDeadline.dueAt, warnAt: acceptDeadline.warnAt, warned: false, overdue: false, wasOverdue: false,
            escalationLevel: "grid", whistle: nil, reopenCount: 0, returnCount: 0, supervisorReview: false, satisfaction: nil,
            duplicateReports: 0, attachments: params.attachments ?? [], version: 1)
        let attachments = try Self.encodeJSON(row.attachments)
        let event = try NewEvent(
            stream: DispatchAPI.caseStream, type: "case.reported", key: row.id.uuidString.lowercased(), orgPath: row.orgPath,
            payload: CaseEvent(
                caseId: row.id.uuidString.lowercased(), number: row.number, event: "case.reported", fromState: nil, toState: row.state,
                category: row.category, orgPath: row.orgPath, department: nil, actor: principal.subject, note: nil, at: now))
        let tally = CaseTally.of(event: "case.reported", satisfaction: nil, wasOverdue: false, reportedAt: now, at: now)
        let day = DistrictDay.of(now)
        let month = String(day.prefix(8)) + "01"
        // One statement, so one round trip and its own transaction: the key, the case, its
        // reporter, timeline entry, statistics and event (the same rows `record` and `tally`
        // write for every other change). No key row when the key was taken meanwhile: then
        // nothing is written and the race is lost.
        let written = try await database.withConnection { connection in
            var cases = 0
            for try await count in try await connection.query(
                """
                WITH k AS (
                    INSERT INTO dispatch.report_keys (reporter, idempotency_key, case_id, merged)
                    SELECT \(principal.subject), \(key), \(row.id), false WHERE \(key)::text IS NOT NULL
                    ON CONFLICT DO NOTHING RETURNING 1
                ), c AS (
                    INSERT INTO dispatch.cases (id, number, state, category, district, catalogue_version, level, title, description,
                        channel, reporter, org_path, lon, lat, reported_at, due_at, warn_at, attachments)
                    SELECT \(row.id), \(row.number), \(row.state.rawValue), \(row.category), \(row.district), \(row.catalogueVersion),
                        \(row.level.rawValue), \(row.title), \(row.description), \(row.channel.rawValue), \(row.reporter),
                        \(row.orgPath)::ltree, \(row.lon), \(row.lat), \(now), \(row.dueAt), \(row.warnAt), \(attachments)::jsonb
                    WHERE \(key)::text IS NULL OR EXISTS (SELECT 1 FROM k)
                    RETURNING id
                ), r AS (
                    INSERT INTO dispatch.case_reporters (case_id, reporter, reported_at, duplicate)
                    SELECT id, \(row.reporter), \(now), false FROM c
                ), t AS (
                    INSERT INTO dispatch.case_timeline (case_id, sequence, at, actor, event, from_state, to_state, department, note)
                    SELECT id, 1, \(now), \(principal.subject), 'case.reported', NULL, \(row.state.rawValue), NULL, NULL FROM c
                ), d AS (
                    INSERT INTO dispatch.case_stats_daily AS s (day, org_path, department, reported)
                    SELECT \(day)::date, \(row.orgPath)::ltree, '', \(tally.reported) FROM c
                    ON CONFLICT (day, org_path, department) DO UPDATE SET reported = s.reported + EXCLUDED.reported
                ), m AS (
                    INSERT INTO dispatch.case_stats_monthly AS s (month, org_path, department, reported)
                    SELECT \(month)::date, \(row.orgPath)::ltree, '', \(tally.reported) FROM c
                    ON CONFLICT (month, org_path, department) DO UPDATE SET reported = s.reported + EXCLUDED.reported
                ), e AS (
                    INSERT INTO events.log (stream, type, key, org_path, payload)
                    SELECT \(event.stream), \(event.type), \(event.key), \(event.orgPath), \(event.payloadJSON)::jsonb FROM c
                )
                SELECT count(*)::int FROM c
                """,
                logger: logger
            ).decode(Int.self) {
                cases = count
            }
            return cases
        }
        if written == 0 { throw LostIdempotencyRace() }
        logger.info("case reported", metadata: ["case.id": "\(row.id)", "case.number": "\(number)", "case.path": "\(place)"])
        return .init(case: row.record(), merged: false)
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
                try await Self.update(row, on: connection, logger: logger)
                try await Self.record("case.duplicate_merged", of: row, from: row.state, actor: principal.subject, note: nil, at: now, on: connection, logger: logger)
            }
            return row
        }
        return .init(case: row.record(), merged: true)
    }

    /// The nearest open case of `category` within 50 m reported in the last 24 h.
    private func openDuplicate(category: String, at location: GeoPoint, now: Date, on connection: PostgresConnection, logger: Logger) async throws -> UUID? {
        let box = GeoDistance.box(around: location, radius: DuplicateRule.radius)
        let since = now.addingTimeInterval(-DuplicateRule.window)
        let rows = try await connection.query(
            """
            SELECT id, lon, lat, reported_at FROM dispatch.cases
            WHERE category = \(category) AND state NOT IN ('closed', 'rejected')
              AND lat BETWEEN \(box.minLatitude) AND \(box.maxLatitude)
              AND lon BETWEEN \(box.minLongitude) AND \(box.maxLongitude)
              AND reported_at >= \(since)
            """,
            logger: logger)
        var best: (UUID, Double)?
        for try await (id, lon, lat, reportedAt) in rows.decode((UUID, Double, Double, Date).self) {
            let open = GeoPoint(longitude: lon, latitude: lat)
            guard DuplicateRule.isDuplicate(category: category, location: location, at: now, of: (category, open, reportedAt)) else { continue }
            let distance = GeoDistance.meters(location, open)
            if best.map({ distance < $0.1 }) ?? true { best = (id, distance) }
        }
        return best?.0
    }

    /// `<district>-<year>-<serial>` from a PostgreSQL sequence per district and year (created on
    /// first use). Sequences hand out numbers outside transactions, so there is no hot row;
    /// a rolled-back report leaves a gap in the numbers.
    private func nextCaseNumber(district: String, at now: Date, logger: Logger) async throws -> String {
        let year = DistrictDay.calendar.component(.year, from: now)
        guard MatterCatalogue.isCode(district) else { throw DistrictError(.internal, "district code unusable in a sequence name") }
        let sequence = "dispatch.case_number_\(district)_\(year)"
        return try await database.withConnection { connection in
            for attempt in 0..<2 {
                do {
                    var serial: Int64 = 0
                    for try await value in try await connection.query("SELECT nextval(\(sequence)::regclass)", logger: logger).decode(Int64.self) {
                        serial = value
                    }
                    return "\(district)-\(year)-\(String(format: "%06lld", serial))"
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" && attempt == 0 {
                    do {
                        try await connection.query(PostgresQuery(unsafeSQL: "CREATE SEQUENCE IF NOT EXISTS \(sequence)"), logger: logger)
                    } catch let error as PSQLError where ["23505", "42P07"].contains(error.serverInfo?[.sqlState]) {
                        // Another report created it at the same moment ("IF NOT EXISTS" is not atomic).
                    }
                }
            }
            throw DistrictError(.internal, "could not number the case")
        }
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

extension Optional {
    /// Maps the wrapped value with an async function.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
