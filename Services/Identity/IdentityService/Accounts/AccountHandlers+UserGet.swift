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
            var ids: [String] = []
            for try await id in try await connection.query(
                """
                SELECT id::text FROM identity.users WHERE lower(login_name) > \(after)
                ORDER BY lower(login_name) LIMIT \(limit + 1)
                """, logger: logger
            ).decode(String.self) { ids.append(id) }
            let more = ids.count > limit
            var users: [UserAccount] = []
            for id in ids.prefix(limit) {
                if let user = try await Self.loadUser(id, on: connection, logger: logger) { users.append(user.account) }
            }
            return .init(users: users, nextCursor: more ? users.last?.loginName.lowercased() : nil)
        }
    }
}
