import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension OrgHandlers {
    /// `org.subtree`: needs `org.read` on the subtree's root. Pages in `ltree` order
    /// (parents before children); the cursor is the path of the last node returned, so a
    /// page never repeats or skips a node that stayed in place between calls.
    func subtree(_ params: IdentityAPI.OrgSubtree.Params, _ context: RequestContext) async throws -> IdentityAPI.OrgSubtree.Result {
        let path = try Self.parsePath(params.path, field: "path")
        let limit = params.limit ?? IdentityAPI.OrgSubtree.defaultLimit
        guard (1...IdentityAPI.OrgSubtree.maxLimit).contains(limit) else {
            throw DistrictError.invalidParams("limit must be between 1 and \(IdentityAPI.OrgSubtree.maxLimit)", field: "limit")
        }
        var cursor: OrgPath?
        if let text = params.cursor {
            guard let parsed = try? OrgPath(text), path.contains(parsed) else {
                throw DistrictError.invalidParams("cursor is not a cursor of this subtree", field: "cursor")
            }
            cursor = parsed
        }
        try await authenticator.authorize(context, .orgRead, on: Resource(path: path))
        let logger = context.logger
        let root = path.description
        let fetch = limit + 1
        var nodes = try await database.withConnection { connection in
            guard try await Self.node(at: path, on: connection, logger: logger) != nil else { throw Self.notFound(path) }
            // `n.path`, not `path`: a bare `path` in ORDER BY names the output column
        // `path::text`, which sorts by the collation (not in ltree order, so pages could
        // skip or repeat nodes under a non-C locale) and cannot use the path index.
        let query: PostgresQuery = if let after = cursor?.description {
                """
                SELECT n.id::text, n.path::text, n.code, n.kind, n.name FROM identity.org_nodes n
                WHERE n.path <@ \(root)::ltree AND n.path > \(after)::ltree ORDER BY n.path LIMIT \(fetch)
                """
            } else {
                """
                SELECT n.id::text, n.path::text, n.code, n.kind, n.name FROM identity.org_nodes n
                WHERE n.path <@ \(root)::ltree ORDER BY n.path LIMIT \(fetch)
                """
            }
            return try await Self.decodeNodes(connection.query(query, logger: logger))
        }
        var nextCursor: String?
        if nodes.count > limit {
            nodes.removeLast()
            nextCursor = nodes.last?.path
        }
        return .init(nodes: nodes, nextCursor: nextCursor)
    }
}
