import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension AccountHandlers {
    /// `user.get`: one's own account, or any account with `user.read` at the district root.
    func getUser(_ params: IdentityAPI.UserGet.Params, _ context: RequestContext) async throws -> UserAccount {
        let id = try Self.uuid(params.id, field: "id")
        let caller = try await authenticator.principal(for: context)
        if caller.subject != id {
            _ = try await authorizeDistrictWide(context, .userRead)
        }
        let logger = context.logger
        guard let user = try await database.withConnection({ connection in
            try await Self.loadUser(id, on: connection, logger: logger)
        }) else { throw Self.userNotFound(id) }
        return user.account
    }

    /// `user.list` (`user.read` at the district root): accounts in order of lower-cased
    /// login name; the cursor is the last login name of the previous page.
    func listUsers(_ params: IdentityAPI.UserList.Params, _ context: RequestContext) async throws -> IdentityAPI.UserList.Result {
        _ = try await authorizeDistrictWide(context, .userRead)
        let limit = params.limit ?? IdentityAPI.UserList.defaultLimit
        guard (1...IdentityAPI.UserList.maxLimit).contains(limit) else {
            throw DistrictError.invalidParams("limit must be 1…\(IdentityAPI.UserList.maxLimit)", field: "limit")
        }
        let after = params.cursor?.lowercased() ?? ""
        let logger = context.logger
        return try await database.withConnection { connection in
            // Two queries per page: the accounts, then all their bindings.
            var users: [UserAccount] = []
            for try await (id, login, display, department, disabled) in try await connection.query(
                """
                SELECT id::text, login_name, display_name, department, disabled_at IS NOT NULL FROM identity.users
                WHERE lower(login_name) > \(after)
                ORDER BY lower(login_name) LIMIT \(limit + 1)
                """, logger: logger
            ).decode((String, String, String, String?, Bool).self) {
                users.append(UserAccount(id: id, loginName: login, displayName: display, department: department, disabled: disabled, roles: []))
            }
            let more = users.count > limit
            users = Array(users.prefix(limit))
            var roles: [String: [RoleBindingInfo]] = [:]
            let ids = users.map(\.id)
            for try await (userID, id, role, nodeID, path, department) in try await connection.query(
                """
                SELECT b.user_id::text, b.id::text, b.role, n.id::text, n.path::text, b.department
                FROM identity.role_bindings b JOIN identity.org_nodes n ON n.id = b.node_id
                WHERE b.user_id = ANY(\(ids)::uuid[])
                ORDER BY b.granted_at, b.id
                """, logger: logger
            ).decode((String, String, String, String, String, String).self) {
                roles[userID, default: []].append(
                    RoleBindingInfo(id: id, role: role, nodeID: nodeID, path: path, department: department.isEmpty ? nil : department))
            }
            for index in users.indices { users[index].roles = roles[users[index].id] ?? [] }
            return .init(users: users, nextCursor: more ? users.last?.loginName.lowercased() : nil)
        }
    }
}
