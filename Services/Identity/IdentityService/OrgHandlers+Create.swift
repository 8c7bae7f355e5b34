import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import PostgresNIO

extension OrgHandlers {
    /// `org.create`.
    ///
    /// The caller needs `org.write` on the *parent* (a role held at the parent or above).
    /// A district root has no parent: creating it needs `org.write` at the root's own
    /// path, i.e. a system administrator bound at that path (`Resource(path: root)`).
    func create(_ params: IdentityAPI.OrgCreate.Params, _ context: RequestContext) async throws -> OrgNode {
        var parentPath: OrgPath?
        if let text = params.parentPath {
            parentPath = try Self.parsePath(text, field: "parentPath")
        }
        let path: OrgPath
        do throws(DistrictError) {
            if let parentPath {
                path = try parentPath.appending(params.code)
            } else {
                path = try OrgPath(components: [params.code])
            }
        } catch {
            throw DistrictError.invalidParams(error.message.replacingOccurrences(of: "org path label", with: "code"), field: "code")
        }
        try await authenticator.authorize(context, .orgWrite, on: Resource(path: parentPath ?? path))
        let name = try OrgRules.validatedName(params.name)
        if parentPath == nil {
            try OrgRules.checkPlacement(of: params.kind, under: nil, field: "kind")
        }

        let logger = context.logger
        do {
            return try await database.withTransaction { connection in
                if let parentPath {
                    // FOR SHARE: a concurrent move of the parent waits for us, or we see it moved.
                    guard let parent = try await Self.node(at: parentPath, lock: "share", on: connection, logger: logger) else {
                        throw Self.notFound(parentPath, "parent node")
                    }
                    try OrgRules.checkPlacement(of: params.kind, under: parent.kind, field: "kind")
                }
                let text = path.description
                let rows = try await connection.query(
                    """
                    INSERT INTO identity.org_nodes (path, code, kind, name)
                    VALUES (\(text)::ltree, \(params.code), \(params.kind.rawValue), \(name))
                    RETURNING id::text, path::text, code, kind, name
                    """,
                    logger: logger
                )
                guard let node = try await Self.decodeNodes(rows).first else {
                    throw DistrictError(.internal, "the new org node was not returned")
                }
                try await Self.appendEvent("org.created", node: node, payload: node, on: connection, logger: logger)
                return node
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "an org node already exists at \(path)", details: ["field": "code", "path": path.description])
        }
    }
}
