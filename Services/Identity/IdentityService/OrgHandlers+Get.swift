import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension OrgHandlers {
    /// `org.get`: needs `org.read` on the node. Its ancestors come with it even when they
    /// lie above the caller's reach: a node's place is part of the node.
    func get(_ params: IdentityAPI.OrgGet.Params, _ context: RequestContext) async throws -> IdentityAPI.OrgGet.Result {
        let path = try Self.parsePath(params.path, field: "path")
        try await authenticator.authorize(context, .orgRead, on: Resource(path: path))
        let logger = context.logger
        let chain = try await database.withConnection { connection in
            let text = path.description
            return try await Self.decodeNodes(connection.query(
                """
                SELECT id::text, path::text, code, kind, name FROM identity.org_nodes
                WHERE path @> \(text)::ltree ORDER BY nlevel(path)
                """,
                logger: logger
            ))
        }
        guard let node = chain.last, node.path == path.description else { throw Self.notFound(path) }
        return .init(node: node, ancestors: Array(chain.dropLast()))
    }
}
