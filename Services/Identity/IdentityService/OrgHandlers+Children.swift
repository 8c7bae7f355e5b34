import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension OrgHandlers {
    /// `org.children`: needs `org.read` on the node; `not_found` if it does not exist.
    func children(_ params: IdentityAPI.OrgChildren.Params, _ context: RequestContext) async throws -> IdentityAPI.OrgChildren.Result {
        let path = try Self.parsePath(params.path, field: "path")
        try await authenticator.authorize(context, .orgRead, on: Resource(path: path))
        let logger = context.logger
        return try await database.withConnection { connection -> IdentityAPI.OrgChildren.Result in
            guard try await Self.node(at: path, on: connection, logger: logger) != nil else { throw Self.notFound(path) }
            let text = path.description
            let depth = path.depth + 1
            let nodes = try await Self.decodeNodes(connection.query(
                """
                SELECT id::text, path::text, code, kind, name FROM identity.org_nodes
                WHERE path <@ \(text)::ltree AND nlevel(path) = \(depth) ORDER BY path
                """,
                logger: logger
            ))
            return .init(nodes: nodes)
        }
    }
}
