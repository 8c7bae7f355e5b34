import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension OrgHandlers {
    /// `org.rename`: needs `org.write` on the node.
    func rename(_ params: IdentityAPI.OrgRename.Params, _ context: RequestContext) async throws -> OrgNode {
        let path = try Self.parsePath(params.path, field: "path")
        try await authenticator.authorize(context, .orgWrite, on: Resource(path: path))
        let name = try OrgRules.validatedName(params.name)
        let logger = context.logger
        return try await database.withTransaction { connection in
            let text = path.description
            let rows = try await connection.query(
                """
                UPDATE identity.org_nodes SET name = \(name), updated_at = now()
                WHERE path = \(text)::ltree
                RETURNING id::text, path::text, code, kind, name
                """,
                logger: logger
            )
            guard let node = try await Self.decodeNodes(rows).first else { throw Self.notFound(path) }
            try await Self.appendEvent("org.renamed", node: node, payload: node, on: connection, logger: logger)
            return node
        }
    }
}
