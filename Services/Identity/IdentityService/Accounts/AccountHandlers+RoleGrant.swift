import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `role.grant` (security administrator, over the node): binds a role at a node by
    /// the node's id.
    ///
    /// Refuses unknown roles, department roles without a department, granting to oneself,
    /// and a second administrator role (三员分立: an account holds at most one of system
    /// administrator, security administrator and auditor). The user row is locked so two
    /// concurrent grants cannot both pass that check.
    func grant(_ params: IdentityAPI.RoleGrant.Params, _ context: RequestContext) async throws -> UserAccount {
        let actor = try await authenticator.principal(for: context)
        let userID = try Self.uuid(params.userID, field: "userID")
        let nodeID = try Self.uuid(params.nodeID, field: "nodeID")
        let role = Role(rawValue: params.role)
        guard Role.all.contains(role) else {
            throw DistrictError.invalidParams("unknown role '\(params.role)'", field: "role")
        }
        let departmentRoles: Set<Role> = authenticator.policy.departmentScopedRoles
        var department = ""
        if let code = params.department {
            department = try Self.validatedDepartment(code)
        }
        guard actor.subject != userID else {
            let refusal = DistrictError(
                .permissionDenied, "permission denied: no one may grant a role to themselves", details: ["action": Action.roleGrant.rawValue])
            await auditDenial(actor, context, refusal)
            throw refusal
        }
        let logger = context.logger
        let policy = authenticator.policy
        do {
            return try await database.withTransaction { connection in
                var nodePath: OrgPath?
                for try await path in try await connection.query(
                    "SELECT path::text FROM identity.org_nodes WHERE id = \(nodeID)::uuid FOR SHARE", logger: logger
                ).decode(String.self) { nodePath = try OrgPath(path) }
                guard let nodePath else {
                    // Same answer whether the caller may grant anywhere or not.
                    if let refusal = districtWideRefusal(actor, .roleGrant) { throw refusal }
                    throw DistrictError(.notFound, "no org node \(nodeID)", details: ["nodeID": nodeID])
                }
                try policy.authorize(actor, .roleGrant, on: Resource(path: nodePath))
                guard let user = try await Self.loadUser(userID, lock: true, on: connection, logger: logger) else {
                    throw Self.userNotFound(userID)
                }
                if departmentRoles.contains(role) && department.isEmpty {
                    guard let own = user.account.department else {
                        throw DistrictError.invalidParams("\(role) needs a department (the account has none)", field: "department")
                    }
                    department = own
                }
                if Role.administrators.contains(role) {
                    let held = Set(user.account.roles.map { Role(rawValue: $0.role) }).intersection(Role.administrators).subtracting([role])
                    if let other = held.first {
                        throw DistrictError(
                            .failedPrecondition,
                            "an account may hold only one of the administrator roles (system_administrator, security_administrator, auditor); this account already holds \(other)",
                            details: ["reason": "separation_of_duties", "held": other.rawValue, "role": role.rawValue])
                    }
                }
                try await connection.query(
                    """
                    INSERT INTO identity.role_bindings (user_id, role, node_id, department, granted_by)
                    VALUES (\(userID)::uuid, \(role.rawValue), \(nodeID)::uuid, \(department), \(actor.subject))
                    """, logger: logger)
                try await AuditLog.append(
                    AuditEntry(actor: actor, action: "role.grant", targetKind: "user", targetID: userID, orgPath: nodePath,
                               details: ["role": role.rawValue, "nodeID": nodeID, "department": department]),
                    on: connection, logger: logger)
                guard let updated = try await Self.loadUser(userID, on: connection, logger: logger) else { throw Self.userNotFound(userID) }
                return updated.account
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "the account already holds \(role) at that node", details: ["field": "role"])
        } catch let error as DistrictError where error.code == .permissionDenied {
            await auditDenial(actor, context, error)
            throw error
        }
    }

    /// `role.revoke` (security administrator, over the binding's node).
    func revoke(_ params: IdentityAPI.RoleRevoke.Params, _ context: RequestContext) async throws -> UserAccount {
        let actor = try await authenticator.principal(for: context)
        let bindingID = try Self.uuid(params.bindingID, field: "bindingID")
        let logger = context.logger
        let policy = authenticator.policy
        do {
            return try await database.withTransaction { connection in
                var found: (userID: String, role: String, path: OrgPath, nodeID: String, department: String)?
                for try await (userID, role, path, nodeID, department) in try await connection.query(
                    """
                    SELECT b.user_id::text, b.role, n.path::text, n.id::text, b.department
                    FROM identity.role_bindings b JOIN identity.org_nodes n ON n.id = b.node_id
                    WHERE b.id = \(bindingID)::uuid FOR UPDATE OF b
                    """, logger: logger
                ).decode((String, String, String, String, String).self) {
                    found = (userID, role, try OrgPath(path), nodeID, department)
                }
                guard let found else {
                    if let refusal = districtWideRefusal(actor, .roleGrant) { throw refusal }
                    throw DistrictError(.notFound, "no role binding \(bindingID)", details: ["bindingID": bindingID])
                }
                try policy.authorize(actor, .roleGrant, on: Resource(path: found.path))
                try await connection.query("DELETE FROM identity.role_bindings WHERE id = \(bindingID)::uuid", logger: logger)
                try await AuditLog.append(
                    AuditEntry(actor: actor, action: "role.revoke", targetKind: "user", targetID: found.userID, orgPath: found.path,
                               details: ["role": found.role, "nodeID": found.nodeID, "department": found.department, "bindingID": bindingID]),
                    on: connection, logger: logger)
                guard let updated = try await Self.loadUser(found.userID, on: connection, logger: logger) else {
                    throw Self.userNotFound(found.userID)
                }
                return updated.account
            }
        } catch let error as DistrictError where error.code == .permissionDenied {
            await auditDenial(actor, context, error)
            throw error
        }
    }
}
