import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import PostgresNIO

extension AccountHandlers {
    /// `auth.apiKey`: a service account's key for a token of kind `service_account`
    /// holding `department_handler` at the district root, scoped to its department.
    func apiKeyLogin(_ params: IdentityAPI.AuthAPIKey.Params, _ context: RequestContext) async throws -> TokenGrant {
        let logger = context.logger
        let hash = secret.lookupHash(params.apiKey, for: .apiKey)
        let found = try await database.withTransaction { connection -> (Principal, OrgPath)? in
            var row: (id: String, name: String, department: String, revoked: Bool)?
            for try await (id, name, department, revoked) in try await connection.query(
                "SELECT id::text, name, department, revoked_at IS NOT NULL FROM identity.service_accounts WHERE key_hash = \(hash)",
                logger: logger
            ).decode((String, String, String, Bool).self) { row = (id, name, department, revoked) }
            guard let row, !row.revoked else {
                try await AuditLog.append(
                    AuditEntry(actorSubject: row.map { "sa:\($0.id)" } ?? "anonymous", actorName: row?.name ?? "unknown API key",
                               action: "auth.apiKey", outcome: .failure, targetKind: row == nil ? nil : "service_account",
                               targetID: row?.id, details: ["reason": row == nil ? "unknown_key" : "revoked"]),
                    on: connection, logger: logger)
                return nil
            }
            guard let root = try await Self.districtRoot(on: connection, logger: logger) else {
                throw DistrictError(.failedPrecondition, "the org tree has no district root yet")
            }
            let principal = Principal(
                subject: "sa:\(row.id)", name: row.name, kind: .serviceAccount,
                bindings: [RoleBinding(.departmentHandler, at: root, department: row.department)], department: row.department)
            try await AuditLog.append(
                AuditEntry(actor: principal, action: "auth.apiKey", targetKind: "service_account", targetID: row.id, orgPath: root,
                           details: ["department": row.department]),
                on: connection, logger: logger)
            return (principal, root)
        }
        guard let found else {
            throw DistrictError(.unauthenticated, "the API key is not valid")
        }
        let access = try await issueAccessToken(for: found.0, logger: logger)
        return TokenGrant(accessToken: access.token, expiresAt: access.expiresAt)
    }
}
