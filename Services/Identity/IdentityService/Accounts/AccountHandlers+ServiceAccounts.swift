import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `serviceAccount.create` (system administrator): the API key is returned once and
    /// stored only as a keyed hash.
    func createServiceAccount(_ params: IdentityAPI.ServiceAccountCreate.Params, _ context: RequestContext) async throws -> IdentityAPI.ServiceAccountCreate.Result {
        let actor = try await authorizeDistrictWide(context, .userWrite)
        let name = try Self.validatedAccountName(params.name, field: "name")
        let department = try Self.validatedDepartment(params.department)
        let key = OpaqueToken.make(prefix: "dsa_")
        let hash = secret.lookupHash(key, for: .apiKey)
        let prefix = String(key.prefix(12))
        let logger = context.logger
        do {
            return try await database.withTransaction { connection in
                var id = ""
                for try await value in try await connection.query(
                    """
                    INSERT INTO identity.service_accounts (name, department, key_hash, key_prefix, created_by)
                    VALUES (\(name), \(department), \(hash), \(prefix), \(actor.subject)) RETURNING id::text
                    """, logger: logger
                ).decode(String.self) { id = value }
                try await AuditLog.append(
                    AuditEntry(actor: actor, action: "serviceAccount.create", targetKind: "service_account", targetID: id,
                               details: ["name": name, "department": department, "keyPrefix": prefix]),
                    on: connection, logger: logger)
                return .init(
                    serviceAccount: ServiceAccountInfo(id: id, name: name, department: department, keyPrefix: prefix, revoked: false),
                    apiKey: key)
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "a service account named '\(name)' already exists", details: ["field": "name"])
        }
    }

    /// `serviceAccount.revoke` (system administrator): the key stops working at once.
    func revokeServiceAccount(_ params: IdentityAPI.UserRef, _ context: RequestContext) async throws -> ServiceAccountInfo {
        let actor = try await authorizeDistrictWide(context, .userWrite)
        let id = try Self.uuid(params.id, field: "id")
        let logger = context.logger
        return try await database.withTransaction { connection in
            var info: ServiceAccountInfo?
            for try await (id, name, department, prefix) in try await connection.query(
                """
                UPDATE identity.service_accounts SET revoked_at = coalesce(revoked_at, now())
                WHERE id = \(id)::uuid RETURNING id::text, name, department, key_prefix
                """, logger: logger
            ).decode((String, String, String, String).self) {
                info = ServiceAccountInfo(id: id, name: name, department: department, keyPrefix: prefix, revoked: true)
            }
            guard let info else { throw DistrictError(.notFound, "no service account \(id)", details: ["id": id]) }
            try await AuditLog.append(
                AuditEntry(actor: actor, action: "serviceAccount.revoke", targetKind: "service_account", targetID: id,
                           details: ["name": info.name]),
                on: connection, logger: logger)
            return info
        }
    }

    /// `serviceAccount.list` (`user.read` at the district root).
    func listServiceAccounts(_ params: Empty, _ context: RequestContext) async throws -> IdentityAPI.ServiceAccountList.Result {
        _ = try await authorizeDistrictWide(context, .userRead)
        let logger = context.logger
        return try await database.withConnection { connection in
            var accounts: [ServiceAccountInfo] = []
            for try await (id, name, department, prefix, revoked) in try await connection.query(
                "SELECT id::text, name, department, key_prefix, revoked_at IS NOT NULL FROM identity.service_accounts ORDER BY name",
                logger: logger
            ).decode((String, String, String, String, Bool).self) {
                accounts.append(ServiceAccountInfo(id: id, name: name, department: department, keyPrefix: prefix, revoked: revoked))
            }
            return .init(serviceAccounts: accounts)
        }
    }
}
