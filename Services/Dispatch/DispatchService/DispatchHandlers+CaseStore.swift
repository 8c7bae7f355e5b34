import DispatchDomain
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension DispatchHandlers {
    /// The case `id`, locked `FOR UPDATE` when `lock` (then with a statement prepared once per
    /// connection: every change of a case starts with it).
    static func loadCase(_ id: UUID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> CaseRow? {
        if lock {
            var found: String?
            for try await json in try await connection.execute(LockedCaseStatement(id: id), logger: logger) { found = json }
            return try found.map { try rowDecoder().decode(CaseRow.self, from: Data($0.utf8)) }
        }
        return try await decodeCases(connection.query("SELECT to_jsonb(c)::text FROM dispatch.cases c WHERE id = \(id)", logger: logger)).first
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

    /// Saves one change of `row` (already at its new version) in one statement (see
    /// ``CaseChangeStatement``): every mutable column, the timeline entry, the roll-ups and
    /// the event on `dispatch.case` and the stream of every department it concerns.
    /// `alsoNotifying` names departments the change concerns besides the row's (the one
    /// that had the case before it).
    static func save(
        _ row: CaseRow, _ event: String, from: CaseState?, actor: String, note: String?, at: Date,
        alsoNotifying extraDepartments: [String] = [], on connection: PostgresConnection, logger: Logger
    ) async throws {
        // A return counts against the department that returned the case (already cleared from the row).
        let tallied = event == "case.returned" ? extraDepartments.first ?? row.department : row.department
        let tally = CaseTally.of(event: event, satisfaction: row.satisfaction, wasOverdue: row.wasOverdue, reportedAt: row.reportedAt, at: at)
        let payload = CaseEvent(
            caseId: row.id.uuidString.lowercased(), number: row.number, event: event, fromState: from, toState: row.state,
            category: row.category, orgPath: row.orgPath, department: row.department, actor: actor, note: note, at: at)
        var departments = extraDepartments + (row.department.map { [$0] } ?? []) + (row.whistle?.departments ?? [])
        departments = Array(Set(departments)).sorted()
        let change = CaseChangeStatement(
            row: row, event: event, from: from, actor: actor, note: note, at: at, talliedDepartment: tallied, tally: tally,
            streams: [DispatchAPI.caseStream] + departments.map(DispatchAPI.departmentStream),
            payloadJSON: payload.payloadJSON)
        // Read to the end (it returns no rows): PostgresNIO's command-tag form of `execute`
        // traps on a prepared statement whose rows were not consumed.
        for try await _ in try await connection.execute(change, logger: logger) {}
    }
}
