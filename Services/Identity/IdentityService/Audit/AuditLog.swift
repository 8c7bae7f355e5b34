import DistrictProtocol
import Foundation
public import Logging
public import PostgresNIO

/// Writes the audit log (`identity.audit_log`), which the database keeps append-only:
/// a trigger refuses every UPDATE, DELETE and TRUNCATE, whoever asks.
///
/// Write an entry in the same transaction as the change it records, so the two commit or
/// vanish together. Record refusals and failures (wrong passwords) in a transaction of
/// their own, since the attempt's own transaction rolls back.
public enum AuditLog {
    /// Appends `entries` on `connection` (inside the caller's transaction, if any).
    public static func append(_ entries: [AuditEntry], on connection: PostgresConnection, logger: Logger) async throws {
        for entry in entries {
            let details = String(decoding: try JSONSerialization.data(withJSONObject: entry.details, options: [.sortedKeys]), as: UTF8.self)
            let orgPath = entry.orgPath?.description
            try await connection.query(
                """
                INSERT INTO identity.audit_log (actor_subject, actor_name, action, outcome, target_kind, target_id, org_path, details)
                VALUES (\(entry.actorSubject), \(entry.actorName), \(entry.action), \(entry.outcome.rawValue),
                        \(entry.targetKind), \(entry.targetID), \(orgPath)::ltree, \(details)::jsonb)
                """,
                logger: logger)
        }
    }

    /// Appends one entry.
    public static func append(_ entry: AuditEntry, on connection: PostgresConnection, logger: Logger) async throws {
        try await append([entry], on: connection, logger: logger)
    }
}
