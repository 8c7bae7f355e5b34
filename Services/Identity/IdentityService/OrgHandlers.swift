import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictRuntime
public import DistrictServer
import DistrictStorage
import Logging
import PostgresNIO

/// The `org.*` methods. Each operation lives in its own file as an extension.
///
/// Authorization comes first, against the path named in the request, so a caller learns
/// nothing about nodes outside their reach: such requests are `permission_denied`
/// whether the node exists or not.
public struct OrgHandlers: Sendable {
    /// The event stream of org-tree changes.
    public static let eventStream = "identity.org"

    let database: Database
    let authenticator: Authenticator
    let logger: Logger

    /// Creates the handlers over the service's context.
    public init(context: ServiceContext) {
        self.database = context.database
        self.authenticator = context.authenticator
        self.logger = context.logger
    }

    /// Registers every `org.*` method on `router`.
    public func register(on router: inout MethodRouter) {
        router.register(IdentityAPI.OrgCreate.self) { params, context in try await self.create(params, context) }
        router.register(IdentityAPI.OrgRename.self) { params, context in try await self.rename(params, context) }
        router.register(IdentityAPI.OrgMove.self) { params, context in try await self.move(params, context) }
        router.register(IdentityAPI.OrgGet.self) { params, context in try await self.get(params, context) }
        router.register(IdentityAPI.OrgChildren.self) { params, context in try await self.children(params, context) }
        router.register(IdentityAPI.OrgSubtree.self) { params, context in try await self.subtree(params, context) }
    }

    // MARK: Shared pieces

    /// Parses `text` as an org path, naming `field` when it is malformed.
    static func parsePath(_ text: String, field: String) throws(DistrictError) -> OrgPath {
        do throws(DistrictError) {
            return try OrgPath(text)
        } catch {
            throw .invalidParams(error.message, field: field)
        }
    }

    /// Reads node rows selected as `id::text, path::text, code, kind, name`.
    static func decodeNodes(_ rows: PostgresRowSequence) async throws -> [OrgNode] {
        var nodes: [OrgNode] = []
        for try await (id, path, code, kind, name) in rows.decode((String, String, String, String, String).self) {
            guard let kind = OrgKind(rawValue: kind), let orgPath = try? OrgPath(path) else {
                throw DistrictError(.internal, "an org node has an unreadable kind or path")
            }
            nodes.append(OrgNode(id: id, path: path, code: code, kind: kind, name: name, parentPath: orgPath.parent?.description))
        }
        return nodes
    }

    /// The node at `path` on `connection`, locked `FOR UPDATE` or `FOR SHARE` when asked.
    static func node(at path: OrgPath, lock: String = "", on connection: PostgresConnection, logger: Logger) async throws -> OrgNode? {
        let text = path.description
        let query: PostgresQuery = switch lock {
        case "update": "SELECT id::text, path::text, code, kind, name FROM identity.org_nodes WHERE path = \(text)::ltree FOR UPDATE"
        case "share": "SELECT id::text, path::text, code, kind, name FROM identity.org_nodes WHERE path = \(text)::ltree FOR SHARE"
        default: "SELECT id::text, path::text, code, kind, name FROM identity.org_nodes WHERE path = \(text)::ltree"
        }
        return try await decodeNodes(connection.query(query, logger: logger)).first
    }

    /// Appends one `identity.org` event for `node` in the caller's transaction.
    static func appendEvent(_ type: String, node: OrgNode, payload: some Encodable, on connection: PostgresConnection, logger: Logger) async throws {
        let event = try NewEvent(stream: eventStream, type: type, key: node.id, orgPath: node.path, payload: payload)
        try await EventLog.append([event], on: connection, logger: logger)
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    static func notFound(_ path: OrgPath, _ what: String = "org node") -> DistrictError {
        DistrictError(.notFound, "no \(what) at \(path)", details: ["path": path.description])
    }
}
