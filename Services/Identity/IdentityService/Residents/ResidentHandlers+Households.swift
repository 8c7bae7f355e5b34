import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

extension ResidentHandlers {
    /// `household.create`: needs `resident.write` at the node, which must be a building
    /// or a unit.
    func createHousehold(_ params: IdentityAPI.HouseholdCreate.Params, _ context: RequestContext) async throws -> Household {
        let nodeID = try Self.parseID(params.nodeID, field: "nodeID")
        let door = try ResidentRules.validatedDoor(params.door)
        let logger = context.logger
        guard let (path, kind) = try await database.withConnection({ connection in
            try await Self.node(nodeID, lock: false, on: connection, logger: logger)
        }) else {
            throw DistrictError(.notFound, "no org node with id \(params.nodeID)", details: ["field": "nodeID"])
        }
        let principal = try await authenticator.authorize(context, .residentWrite, on: Resource(path: try Self.orgPath(path)))
        guard kind == OrgKind.building.rawValue || kind == OrgKind.unit.rawValue else {
            throw DistrictError.invalidParams("a household belongs to a building or a unit, not a \(kind)", field: "nodeID")
        }
        do {
            return try await database.withTransaction { connection in
                // FOR SHARE: a concurrent move waits for us; the path returned is current.
                guard let (path, _) = try await Self.node(nodeID, lock: true, on: connection, logger: logger) else {
                    throw DistrictError(.notFound, "no org node with id \(params.nodeID)", details: ["field": "nodeID"])
                }
                // Moved since the check: the caller must reach the node where it is now.
                try authenticator.policy.authorize(principal, .residentWrite, on: Resource(path: try Self.orgPath(path)))
                var id = ""
                for try await value in try await connection.query(
                    "INSERT INTO identity.households (org_node_id, door) VALUES (\(nodeID), \(door)) RETURNING id::text",
                    logger: logger
                ).decode(String.self) { id = value }
                let household = Household(id: id, nodeID: nodeID.uuidString.lowercased(), nodePath: path, door: door, residentCount: 0)
                try await Self.appendEvent("household.created", key: id, path: path, payload: household, on: connection, logger: logger)
                return household
            }
        } catch where Self.isUniqueViolation(error) {
            throw DistrictError(
                .alreadyExists, "a household with door \(door) already exists at \(path)", details: ["field": "door", "path": path])
        }
    }

    /// `household.list`: needs `resident.read` at `path`. Pages by (node path, door); the
    /// cursor is `<node path>/<door>` of the last household returned.
    func listHouseholds(_ params: IdentityAPI.HouseholdList.Params, _ context: RequestContext) async throws -> IdentityAPI.HouseholdList.Result {
        let root = try Self.orgPath(params.path, field: "path")
        let limit = params.limit ?? IdentityAPI.HouseholdList.defaultLimit
        guard (1...IdentityAPI.HouseholdList.maxLimit).contains(limit) else {
            throw DistrictError.invalidParams("limit must be between 1 and \(IdentityAPI.HouseholdList.maxLimit)", field: "limit")
        }
        var after: (path: String, door: String)?
        if let cursor = params.cursor {
            let parts = cursor.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let path = try? OrgPath(String(parts[0])), root.contains(path),
                (try? ResidentRules.validatedDoor(String(parts[1]))) != nil
            else { throw DistrictError.invalidParams("cursor is not a cursor of this list", field: "cursor") }
            after = (path.description, String(parts[1]))
        }
        try await authenticator.authorize(context, .residentRead, on: Resource(path: root))
        let logger = context.logger
        let fetch = limit + 1
        let rootText = root.description
        var households = try await database.withConnection { connection in
            var query: PostgresQuery = """
                SELECT h.id::text, n.id::text, n.path::text, h.door,
                       (SELECT count(*) FROM identity.residents r WHERE r.household_id = h.id)::int
                FROM identity.households h JOIN identity.org_nodes n ON n.id = h.org_node_id
                WHERE n.path <@ \(rootText)::ltree ORDER BY n.path, h.door LIMIT \(fetch)
                """
            if let after {
                query = """
                    SELECT h.id::text, n.id::text, n.path::text, h.door,
                           (SELECT count(*) FROM identity.residents r WHERE r.household_id = h.id)::int
                    FROM identity.households h JOIN identity.org_nodes n ON n.id = h.org_node_id
                    WHERE n.path <@ \(rootText)::ltree AND (n.path, h.door) > (\(after.path)::ltree, \(after.door)::text)
                    ORDER BY n.path, h.door LIMIT \(fetch)
                    """
            }
            var households: [Household] = []
            for try await (id, nodeID, path, door, count) in try await connection.query(query, logger: logger).decode(
                (String, String, String, String, Int).self)
            {
                households.append(Household(id: id, nodeID: nodeID, nodePath: path, door: door, residentCount: count))
            }
            return households
        }
        var nextCursor: String?
        if households.count > limit {
            households.removeLast()
            nextCursor = households.last.map { "\($0.nodePath)/\($0.door)" }
        }
        return .init(households: households, nextCursor: nextCursor)
    }

    /// The path and kind of the node `id`, locked `FOR SHARE` when asked.
    static func node(_ id: UUID, lock: Bool, on connection: PostgresConnection, logger: Logger) async throws -> (String, String)? {
        let query: PostgresQuery = lock
            ? "SELECT path::text, kind FROM identity.org_nodes WHERE id = \(id) FOR SHARE"
            : "SELECT path::text, kind FROM identity.org_nodes WHERE id = \(id)"
        for try await row in try await connection.query(query, logger: logger).decode((String, String).self) { return row }
        return nil
    }

    /// `text` as an org path; a stored path that does not parse is an internal error.
    static func orgPath(_ text: String, field: String? = nil) throws(DistrictError) -> OrgPath {
        do throws(DistrictError) {
            return try OrgPath(text)
        } catch {
            if let field { throw .invalidParams(error.message, field: field) }
            throw DistrictError(.internal, "an org node has an unreadable path")
        }
    }
}
