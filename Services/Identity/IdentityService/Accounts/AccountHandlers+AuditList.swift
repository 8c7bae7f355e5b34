import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import PostgresNIO

extension AccountHandlers {
    /// `audit.list` (`audit.read` at the district root: the auditor). Newest first; the
    /// cursor is the id of the last entry of the previous page. The read itself is
    /// audited in the same transaction.
    func listAudit(_ params: IdentityAPI.AuditList.Params, _ context: RequestContext) async throws -> IdentityAPI.AuditList.Result {
        let actor = try await authorizeDistrictWide(context, .auditRead)
        let limit = params.limit ?? IdentityAPI.AuditList.defaultLimit
        guard (1...IdentityAPI.AuditList.maxLimit).contains(limit) else {
            throw DistrictError.invalidParams("limit must be 1…\(IdentityAPI.AuditList.maxLimit)", field: "limit")
        }
        let before: Int64 = try params.cursor.map { text throws(DistrictError) in
            guard let id = Int64(text), id > 0 else { throw .invalidParams("cursor is not one this method returned", field: "cursor") }
            return id
        } ?? Int64.max
        let from = try params.from.map { text throws(DistrictError) in try Self.parseTime(text, field: "from") }
        let to = try params.to.map { text throws(DistrictError) in try Self.parseTime(text, field: "to") }
        let logger = context.logger
        return try await database.withTransaction { connection in
            var entries: [AuditRecord] = []
            for try await (id, at, subject, name, action, outcome, kind, target, path, details) in try await connection.query(
                """
                SELECT id, occurred_at, actor_subject, actor_name, action, outcome, target_kind, target_id, org_path::text, details::text
                FROM identity.audit_log
                WHERE id < \(before)
                  AND (\(params.actor)::text IS NULL OR actor_subject = \(params.actor))
                  AND (\(params.action)::text IS NULL OR action = \(params.action))
                  AND (\(from)::timestamptz IS NULL OR occurred_at >= \(from))
                  AND (\(to)::timestamptz IS NULL OR occurred_at < \(to))
                ORDER BY id DESC LIMIT \(limit + 1)
                """, logger: logger
            ).decode((Int64, Date, String, String, String, String, String?, String?, String?, String).self) {
                let object = (try? JSONSerialization.jsonObject(with: Data(details.utf8))) as? [String: Any] ?? [:]
                entries.append(AuditRecord(
                    id: id, occurredAt: at.formatted(.iso8601), actorSubject: subject, actorName: name, action: action,
                    outcome: outcome, targetKind: kind, targetID: target, orgPath: path,
                    details: object.mapValues { "\($0)" }))
            }
            let more = entries.count > limit
            entries = Array(entries.prefix(limit))
            try await AuditLog.append(
                AuditEntry(actor: actor, action: "audit.list",
                           details: ["actor": params.actor ?? "", "action": params.action ?? "", "returned": "\(entries.count)"]),
                on: connection, logger: logger)
            return .init(entries: entries, nextCursor: more ? entries.last.map { "\($0.id)" } : nil)
        }
    }

    static func parseTime(_ text: String, field: String) throws(DistrictError) -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw .invalidParams("\(field) is not an ISO 8601 time such as 2026-12-01T08:00:00Z", field: field)
        }
        return date
    }
}
