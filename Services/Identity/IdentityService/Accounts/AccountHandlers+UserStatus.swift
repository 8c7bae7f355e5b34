import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `user.disable` / `user.enable` (system administrator). Disabling revokes the
    /// account's refresh tokens in the same transaction.
    func setDisabled(_ disabled: Bool, _ params: IdentityAPI.UserRef, _ context: RequestContext) async throws -> UserAccount {
        let actor = try await authorizeDistrictWide(context, .userWrite)
        let id = try Self.uuid(params.id, field: "id")
        if disabled && actor.subject == id {
            // The last administrator could lock everyone out of account administration.
            throw DistrictError(.failedPrecondition, "an administrator cannot disable their own account", details: ["reason": "self"])
        }
        let now = settings.now()
        let logger = context.logger
        return try await database.withTransaction { connection in
            guard try await Self.loadUser(id, lock: true, on: connection, logger: logger) != nil else { throw Self.userNotFound(id) }
            if disabled {
                try await connection.query(
                    "UPDATE identity.users SET disabled_at = coalesce(disabled_at, \(now)), updated_at = now() WHERE id = \(id)::uuid",
                    logger: logger)
                try await Self.revokeRefreshFamilies(of: id, reason: "disabled", at: now, on: connection, logger: logger)
            } else {
                try await connection.query(
                    "UPDATE identity.users SET disabled_at = NULL, updated_at = now() WHERE id = \(id)::uuid", logger: logger)
            }
            try await AuditLog.append(
                AuditEntry(actor: actor, action: disabled ? "user.disable" : "user.enable", targetKind: "user", targetID: id),
                on: connection, logger: logger)
            guard let user = try await Self.loadUser(id, on: connection, logger: logger) else { throw Self.userNotFound(id) }
            return user.account
        }
    }
}
