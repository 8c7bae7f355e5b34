import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// The case `id`, locked `FOR UPDATE` when `lock`.
    static func loadCase(_ id: UUID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> CaseRow? {
        let query: PostgresQuery = lock
            ? "SELECT to_jsonb(c)::text FROM dispatch.cases c WHERE id = \(id) FOR UPDATE"
            : "SELECT to_jsonb(c)::text FROM dispatch.cases c WHERE id = \(id)"
        return try await decodeCases(connection.query(query, logger: logger)).first
    }

    /// Decodes rows of one `to_jsonb(c)::text` column.
    static func decodeCases(_ rows: PostgresRowSequence) async throws -> [CaseRow] {
        let decoder = rowDecoder()
        var cases: [CaseRow] = []
        for try await json in rows.decode(String.self) {
            cases.append(try decoder.decode(CaseRow.self, from: Data(json.utf8)))
        }
        return cases
    }

    /// The timeline of case `id`, oldest first.
    static func timeline(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> [TimelineEntry] {
        let decoder = rowDecoder()
        var entries: [TimelineEntry] = []
        for try await json in try await connection.query(
            "SELECT to_jsonb(t)::text FROM dispatch.case_timeline t WHERE case_id = \(id) ORDER BY sequence", logger: logger
        ).decode(String.self) {
            entries.append(try decoder.decode(TimelineRow.self, from: Data(json.utf8)).entry)
        }
        return entries
    }

    /// Whether `subject` reported case `id` (first or as a merged duplicate).
    static func isReporter(_ subject: String, of row: CaseRow, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        if row.reporter == subject { return true }
        var found = false
        for try await _ in try await connection.query(
            "SELECT 1 FROM dispatch.case_reporters WHERE case_id = \(row.id) AND reporter = \(subject)", logger: logger
        ) {
            found = true
        }
        return found
    }

    /// Records one change of `row` (already at its new version) in its timeline and the
    /// event log: `dispatch.case`, and the stream of every department it concerns.
    static func record(
        _ event: String, of row: CaseRow, from: CaseState?, actor: String, note: String?, at: Date,
        alsoNotifying extraDepartments: [String] = [], on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO dispatch.case_timeline (case_id, sequence, at, actor, event, from_state, to_state, department, note)
            VALUES (\(row.id), \(row.version), \(at), \(actor), \(event), \(from?.rawValue), \(row.state.rawValue), \(row.department), \(note))
            """,
            logger: logger)
        // A return counts against the department that returned the case (already cleared from the row).
        let tallied = event == "case.returned" ? extraDepartments.first ?? row.department : row.department
        try await tally(event, of: row, department: tallied, at: at, on: connection, logger: logger)
        let payload = CaseEvent(
            caseId: row.id.uuidString.lowercased(), number: row.number, event: event, fromState: from, toState: row.state,
            category: row.category, orgPath: row.orgPath, department: row.department, actor: actor, note: note, at: at)
        var streams = [DispatchAPI.caseStream]
        var departments = extraDepartments + (row.department.map { [$0] } ?? []) + (row.whistle?.departments ?? [])
        departments = Array(Set(departments)).sorted()
        streams += departments.map(DispatchAPI.departmentStream)
        let events = try streams.map { stream in
            try NewEvent(stream: stream, type: event, key: payload.caseId, orgPath: row.orgPath, payload: payload)
        }
        try await EventLog.append(events, on: connection, logger: logger)
    }

    /// Writes every mutable column of `row` back.
    static func update(_ row: CaseRow, on connection: PostgresConnection, logger: Logger) async throws {
        let whistle = try row.whistle.map { try encodeJSON($0) }
        try await connection.query(
            """
            UPDATE dispatch.cases SET
                state = \(row.state.rawValue), category = \(row.category), catalogue_version = \(row.catalogueVersion),
                level = \(row.level.rawValue), department = \(row.department), assignee = \(row.assignee),
                accepted_at = \(row.acceptedAt), dispatched_at = \(row.dispatchedAt), resolved_at = \(row.resolvedAt),
                closed_at = \(row.closedAt), due_at = \(row.dueAt), warn_at = \(row.warnAt), warned = \(row.warned),
                overdue = \(row.overdue), was_overdue = \(row.wasOverdue), escalation_level = \(row.escalationLevel),
                whistle = \(whistle)::jsonb, reopen_count = \(row.reopenCount), return_count = \(row.returnCount),
                supervisor_review = \(row.supervisorReview), satisfaction = \(row.satisfaction?.rawValue),
                duplicate_reports = \(row.duplicateReports), version = \(row.version)
            WHERE id = \(row.id)
            """,
            logger: logger)
    }
}
