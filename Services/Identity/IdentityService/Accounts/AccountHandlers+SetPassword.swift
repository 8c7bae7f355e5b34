import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `user.setPassword`: one's own password with the old one, or an administrator's
    /// reset (`user.write` at the district root) without it. The new password must satisfy
    /// the policy; the account's refresh tokens are revoked.
    func setPassword(_ params: IdentityAPI.UserSetPassword.Params, _ context: RequestContext) async throws -> Empty {
        let caller = try await authenticator.principal(for: context)
        let id = try Self.uuid(params.id ?? caller.subject, field: "id")
        let isSelf = caller.kind == .staff && caller.subject == id
        if !isSelf {
            _ = try await authorizeDistrictWide(context, .userWrite)
        } else if params.oldPassword == nil {
            throw DistrictError.invalidParams("changing one's own password needs the old password", field: "oldPassword")
        }
        try PasswordPolicy.check(params.newPassword, field: "newPassword")
        let hash = try await hasher.hashOffPool(params.newPassword)
        let now = settings.now()
        let logger = context.logger
        try await database.withTransaction { connection in
            guard let user = try await Self.loadUser(id, lock: true, on: connection, logger: logger) else { throw Self.userNotFound(id) }
            if isSelf, let old = params.oldPassword {
                guard await hasher.verifyOffPool(old, against: user.passwordHash) else {
                    throw DistrictError(.unauthenticated, "the old password is wrong", details: ["field": "oldPassword"])
                }
            }
            try await connection.query(
                "UPDATE identity.users SET password_hash = \(hash), updated_at = now() WHERE id = \(id)::uuid", logger: logger)
            try await Self.revokeRefreshFamilies(of: id, reason: "password_changed", at: now, on: connection, logger: logger)
            try await AuditLog.append(
                AuditEntry(actor: caller, action: "user.setPassword", targetKind: "user", targetID: id,
                           details: ["mode": isSelf ? "self" : "reset"]),
                on: connection, logger: logger)
        }
        return Empty()
    }
}
