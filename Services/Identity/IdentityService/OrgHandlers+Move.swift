import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

/// The payload of an `org.moved` event.
struct OrgMovedPayload: Encodable {
    /// The moved node at its new path.
    var node: OrgNode
    /// Where it was.
    var previousPath: String
    /// How many nodes changed path (the node and its descendants).
    var nodesMoved: Int
}

extension OrgHandlers {
    /// `org.move`: moves a node and its subtree under a new parent.
    ///
    /// Needs `org.write` on the node and on the new parent. Refuses moving the root,
    /// moving a node under itself or its own descendants, a parent of the wrong kind,
    /// and a move that would make any path deeper than 16 levels. All paths of the
    /// subtree change in one `UPDATE` in the same transaction as the event.
    func move(_ params: IdentityAPI.OrgMove.Params, _ context: RequestContext) async throws -> OrgNode {
        let path = try Self.parsePath(params.path, field: "path")
        let newParent = try Self.parsePath(params.newParentPath, field: "newParentPath")
        try await authenticator.authorize(context, .orgWrite, on: Resource(path: path))
        try await authenticator.authorize(context, .orgWrite, on: Resource(path: newParent))
        guard path.parent != nil else {
            throw DistrictError.invalidParams("the district root cannot be moved", field: "path")
        }
        guard !path.contains(newParent) else {
            throw DistrictError.invalidParams("cannot move \(path) under itself or its own descendant \(newParent)", field: "newParentPath")
        }
        if path.parent == newParent {
            // Already there: nothing to write.
            return try await database.withConnection { connection in
                guard let node = try await Self.node(at: path, on: connection, logger: context.logger) else { throw Self.notFound(path) }
                return node
            }
        }
        let newPath: OrgPath
        do throws(DistrictError) {
            newPath = try newParent.appending(path.leaf)
        } catch {
            throw DistrictError.invalidParams(error.message, field: "newParentPath")
        }
        let logger = context.logger

        do {
            return try await database.withTransaction { connection in
                let oldText = path.description
                guard let node = try await Self.node(at: path, lock: "update", on: connection, logger: logger) else {
                    throw Self.notFound(path)
                }
                guard let parent = try await Self.node(at: newParent, lock: "share", on: connection, logger: logger) else {
                    throw Self.notFound(newParent, "parent node")
                }
                try OrgRules.checkPlacement(of: node.kind, under: parent.kind, field: "newParentPath")

                // Lock the whole subtree, so no child is created under it while it moves,
                // and find its deepest level.
                var deepest = path.depth
                for try await level in try await connection.query(
                    "SELECT nlevel(path) FROM identity.org_nodes WHERE path <@ \(oldText)::ltree FOR UPDATE", logger: logger
                ).decode(Int.self) {
                    deepest = max(deepest, level)
                }
                guard deepest - path.depth + newPath.depth <= OrgPath.maxDepth else {
                    throw DistrictError.invalidParams(
                        "the move would make paths \(deepest - path.depth + newPath.depth) levels deep; at most \(OrgPath.maxDepth) are allowed",
                        field: "newParentPath")
                }

                let newParentText = newParent.description
                let offset = path.depth - 1
                let moved = try await connection.query(
                    """
                    UPDATE identity.org_nodes
                    SET path = \(newParentText)::ltree || subpath(path, \(offset)::int), updated_at = now()
                    WHERE path <@ \(oldText)::ltree
                    RETURNING id
                    """,
                    logger: logger
                )
                var count = 0
                for try await _ in moved { count += 1 }

                guard let movedNode = try await Self.node(at: newPath, on: connection, logger: logger) else {
                    throw DistrictError(.internal, "the moved org node was not found at its new path")
                }
                try await Self.appendEvent(
                    "org.moved", node: movedNode,
                    payload: OrgMovedPayload(node: movedNode, previousPath: oldText, nodesMoved: count),
                    on: connection, logger: logger)
                return movedNode
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "an org node already exists at \(newPath)", details: ["field": "newParentPath", "path": newPath.description])
        }
    }
}
