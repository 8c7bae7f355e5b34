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
    /// The states a case may be linked from: nobody works it yet.
    static let linkableStates: Set<CaseState> = [.reported, .accepted, .dispatched]

    func registerLinks(on router: inout MethodRouter) {
        router.register(DispatchAPI.Link.self) { params, context in try await self.link(params, context) }
        router.register(DispatchAPI.Unlink.self) { params, context in try await self.unlink(params, context) }
    }

    /// Locks two cases in id order (so two links of the same pair cannot deadlock).
    private static func lockPair(_ a: UUID, _ b: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (CaseRow, CaseRow) {
        let ordered = a.uuidString < b.uuidString ? [a, b] : [b, a]
        var rows: [UUID: CaseRow] = [:]
        for id in ordered {
            guard let row = try await loadCase(id, lock: true, on: connection, logger: logger) else { throw notFound(id) }
            rows[id] = row
        }
        return (rows[a]!, rows[b]!)
    }

    private func authorizeDispatch(_ principal: Principal, on row: CaseRow) throws {
        try authenticator.policy.authorize(principal, .caseDispatch, on: Resource(path: try OrgPath(row.orgPath), department: row.department))
    }

    private static func refuse(_ row: CaseRow, _ command: String, _ message: String) -> DistrictError {
        DistrictError(.invalidTransition, message, details: ["state": row.state.rawValue, "command": command, "caseId": row.id.uuidString.lowercased()])
    }

    /// `case.link`.
    func link(_ params: DispatchAPI.Link.Params, _ context: RequestContext) async throws -> DispatchAPI.LinkResult {
        let duplicateID = try Self.parseCaseID(params.caseId)
        guard let targetID = UUID(uuidString: params.intoCaseId) else {
            throw DistrictError.invalidParams("intoCaseId is not a UUID", field: "intoCaseId")
        }
        guard duplicateID != targetID else { throw DistrictError.invalidParams("a case cannot duplicate itself", field: "intoCaseId") }
        try Self.checkText(params.note, field: "note", limit: 2000)
        let principal = try await authenticator.principal(for: context)
        let logger = context.logger
        let now = clock.now()
        let (duplicate, target) = try await database.withTransaction { connection in
            var (duplicate, target) = try await Self.lockPair(duplicateID, targetID, on: connection, logger: logger)
            try authorizeDispatch(principal, on: duplicate)
            try authorizeDispatch(principal, on: target)
            guard Self.linkableStates.contains(duplicate.state) else {
                throw Self.refuse(duplicate, "link", "a case in state \(duplicate.state.rawValue) cannot be linked as a duplicate")
            }
            guard target.state.isOpen, try await Self.linkedTarget(of: target.id, on: connection, logger: logger) == nil else {
                throw Self.refuse(target, "link", "case \(target.number) is not an open case to link into")
            }
            // The duplicate's reporters join the target, each once.
            var joined = 0
            for try await _ in try await connection.query(
                """
                INSERT INTO dispatch.case_reporters (case_id, reporter, reported_at, duplicate, linked_from)
                SELECT \(target.id), reporter, reported_at, true, \(duplicate.id) FROM dispatch.case_reporters WHERE case_id = \(duplicate.id)
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger
            ) { joined += 1 }
            try await connection.query(
                "UPDATE dispatch.cases SET merged_into = \(target.id), state_before_link = \(duplicate.state.rawValue) WHERE id = \(duplicate.id)",
                logger: logger)
            let from = duplicate.state
            duplicate.state = .rejected
            duplicate.assignee = nil
            duplicate.version += 1
            try await Self.save(duplicate, "case.linked", from: from, actor: principal.subject, note: Self.linkNote("duplicate of \(target.number)", params.note),
                at: now, on: connection, logger: logger)
            target.duplicateReports += joined
            target.version += 1
            try await Self.save(target, "case.duplicate_linked", from: target.state, actor: principal.subject,
                note: Self.linkNote("\(duplicate.number) linked as a duplicate", params.note), at: now, on: connection, logger: logger)
            return (duplicate, target)
        }
        logger.info("case linked", metadata: ["case.id": "\(duplicateID)", "case.target": "\(targetID)"])
        return .init(duplicate: duplicate.record(), target: target.record())
    }

    /// `case.unlink`.
    func unlink(_ params: DispatchAPI.Unlink.Params, _ context: RequestContext) async throws -> DispatchAPI.LinkResult {
        let duplicateID = try Self.parseCaseID(params.caseId)
        try Self.checkText(params.note, field: "note", limit: 2000)
        let principal = try await authenticator.principal(for: context)
        let logger = context.logger
        let now = clock.now()
        let (duplicate, target) = try await database.withTransaction { connection in
            guard let link = try await Self.linkedTarget(of: duplicateID, on: connection, logger: logger) else {
                guard let row = try await Self.loadCase(duplicateID, on: connection, logger: logger) else { throw Self.notFound(duplicateID) }
                throw Self.refuse(row, "unlink", "case \(row.number) is not linked to another case")
            }
            var (duplicate, target) = try await Self.lockPair(duplicateID, link.target, on: connection, logger: logger)
            try authorizeDispatch(principal, on: duplicate)
            try authorizeDispatch(principal, on: target)
            var left = 0
            for try await _ in try await connection.query(
                "DELETE FROM dispatch.case_reporters WHERE case_id = \(target.id) AND linked_from = \(duplicate.id) RETURNING 1", logger: logger
            ) { left += 1 }
            try await connection.query(
                "UPDATE dispatch.cases SET merged_into = NULL, state_before_link = NULL WHERE id = \(duplicate.id)", logger: logger)
            duplicate.state = link.previousState
            duplicate.version += 1
            try await Self.save(duplicate, "case.unlinked", from: .rejected, actor: principal.subject,
                note: Self.linkNote("no longer a duplicate of \(target.number)", params.note), at: now, on: connection, logger: logger)
            target.duplicateReports = max(0, target.duplicateReports - left)
            target.version += 1
            try await Self.save(target, "case.duplicate_unlinked", from: target.state, actor: principal.subject,
                note: Self.linkNote("\(duplicate.number) unlinked", params.note), at: now, on: connection, logger: logger)
            return (duplicate, target)
        }
        return .init(duplicate: duplicate.record(), target: target.record())
    }

    /// The case `id` was linked into, and the state it had, if it is linked.
    private static func linkedTarget(of id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> (target: UUID, previousState: CaseState)? {
        let rows = try await connection.query(
            "SELECT merged_into, state_before_link FROM dispatch.cases WHERE id = \(id) AND merged_into IS NOT NULL", logger: logger)
        for try await (target, state) in rows.decode((UUID, String).self) {
            return (target, CaseState(rawValue: state) ?? .reported)
        }
        return nil
    }

    private static func linkNote(_ what: String, _ note: String?) -> String {
        note.map { "\(what): \($0)" } ?? what
    }
}
