import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension AccountHandlers {
    private enum RefreshOutcome: Sendable {
        case issued(UserAccount, refresh: String, expiresAt: Date)
        case refused(String)
    }

    private static let invalidRefresh = DistrictError(.unauthenticated, "the refresh token is not valid")

    /// `auth.refresh`: rotates the refresh token. A token already exchanged once, shown
    /// again, is taken as stolen: its whole family is revoked (and that revocation commits,
    /// though the call fails). A disabled account's family is revoked too.
    func refresh(_ params: IdentityAPI.AuthRefresh.Params, _ context: RequestContext) async throws -> TokenGrant {
        let logger = context.logger
        let now = settings.now()
        let hash = secret.lookupHash(params.refreshToken, for: .refreshToken)
        let fresh = OpaqueToken.make(prefix: "drt_")
        let freshHash = secret.lookupHash(fresh, for: .refreshToken)
        let freshExpiry = now.addingTimeInterval(settings.refreshTokenLifetime)
        let outcome = try await database.withTransaction { connection -> RefreshOutcome in
            var row: (family: String, userID: String, expiresAt: Date, used: Bool, revoked: Bool)?
            for try await (family, userID, expiresAt, used, revoked) in try await connection.query(
                """
                SELECT f.id::text, f.user_id::text, t.expires_at, t.used_at IS NOT NULL, f.revoked_at IS NOT NULL
                FROM identity.refresh_tokens t JOIN identity.refresh_families f ON f.id = t.family_id
                WHERE t.token_hash = \(hash)
                FOR UPDATE OF t, f
                """, logger: logger
            ).decode((String, String, Date, Bool, Bool).self) {
                row = (family, userID, expiresAt, used, revoked)
            }
            guard let row, !row.revoked else { return .refused("unknown or revoked") }
            if row.used {
                try await Self.revokeFamily(row.family, reason: "reuse", at: now, on: connection, logger: logger)
                try await AuditLog.append(
                    AuditEntry(actorSubject: row.userID, actorName: row.userID, action: "auth.refresh", outcome: .denied,
                               targetKind: "user", targetID: row.userID, details: ["reason": "reuse", "family": row.family]),
                    on: connection, logger: logger)
                return .refused("reuse")
            }
            guard row.expiresAt > now else { return .refused("expired") }
            guard let user = try await Self.loadUser(row.userID, on: connection, logger: logger) else { return .refused("no user") }
            if user.account.disabled {
                try await Self.revokeFamily(row.family, reason: "disabled", at: now, on: connection, logger: logger)
                return .refused("disabled")
            }
            try await connection.query("UPDATE identity.refresh_tokens SET used_at = \(now) WHERE token_hash = \(hash)", logger: logger)
            try await connection.query(
                """
                INSERT INTO identity.refresh_tokens (token_hash, family_id, issued_at, expires_at)
                VALUES (\(freshHash), \(row.family)::uuid, \(now), \(freshExpiry))
                """, logger: logger)
            return .issued(user.account, refresh: fresh, expiresAt: freshExpiry)
        }
        switch outcome {
        case .refused(let reason):
            logger.debug("refresh refused", metadata: ["reason": "\(reason)"])
            throw Self.invalidRefresh
        case .issued(let account, let refresh, let expiresAt):
            let access = try await issueAccessToken(for: try Self.principal(of: account), logger: logger)
            return TokenGrant(
                accessToken: access.token, expiresAt: access.expiresAt,
                refreshToken: refresh, refreshExpiresAt: Int64(expiresAt.timeIntervalSince1970.rounded(.down)))
        }
    }

    /// `auth.logout`: revokes the family of the refresh token (again is fine).
    func logout(_ params: IdentityAPI.AuthLogout.Params, _ context: RequestContext) async throws -> Empty {
        let logger = context.logger
        let now = settings.now()
        let hash = secret.lookupHash(params.refreshToken, for: .refreshToken)
        let known = try await database.withTransaction { connection -> Bool in
            var found: (family: String, userID: String)?
            for try await (family, userID) in try await connection.query(
                """
                SELECT f.id::text, f.user_id::text FROM identity.refresh_tokens t
                JOIN identity.refresh_families f ON f.id = t.family_id
                WHERE t.token_hash = \(hash) FOR UPDATE OF f
                """, logger: logger
            ).decode((String, String).self) { found = (family, userID) }
            guard let found else { return false }
            try await Self.revokeFamily(found.family, reason: "logout", at: now, on: connection, logger: logger)
            try await AuditLog.append(
                AuditEntry(actorSubject: found.userID, actorName: found.userID, action: "auth.logout",
                           targetKind: "user", targetID: found.userID, details: ["family": found.family]),
                on: connection, logger: logger)
            return true
        }
        guard known else { throw Self.invalidRefresh }
        return Empty()
    }

    static func revokeFamily(_ family: String, reason: String, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE identity.refresh_families SET revoked_at = \(now), revoked_reason = \(reason)
            WHERE id = \(family)::uuid AND revoked_at IS NULL
            """, logger: logger)
    }
}
