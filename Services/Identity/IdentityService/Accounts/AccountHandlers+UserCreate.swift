import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `user.create` (system administrator): validates everything, including the
    /// password policy, before writing anything; the account and its audit entry commit
    /// together.
    func createUser(_ params: IdentityAPI.UserCreate.Params, _ context: RequestContext) async throws -> UserAccount {
        let actor = try await authorizeDistrictWide(context, .userWrite)
        let login = try Self.validatedAccountName(params.loginName, field: "loginName")
        let displayName = try OrgRules.validatedName(params.displayName)
        let department = try params.department.map { code throws(DistrictError) in try Self.validatedDepartment(code) }
        try PasswordPolicy.check(params.password)
        let hash = try await hasher.hashOffPool(params.password)
        let logger = context.logger
        do {
            return try await database.withTransaction { connection in
                var id = ""
                for try await value in try await connection.query(
                    """
                    INSERT INTO identity.users (login_name, display_name, department, password_hash)
                    VALUES (\(login), \(displayName), \(department), \(hash))
                    RETURNING id::text
                    """, logger: logger
                ).decode(String.self) { id = value }
                try await AuditLog.append(
                    AuditEntry(actor: actor, action: "user.create", targetKind: "user", targetID: id,
                               details: ["loginName": login, "department": department ?? ""]),
                    on: connection, logger: logger)
                return UserAccount(id: id, loginName: login, displayName: displayName, department: department, disabled: false, roles: [])
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "a user account with login name '\(login)' already exists", details: ["field": "loginName"])
        }
    }
}
