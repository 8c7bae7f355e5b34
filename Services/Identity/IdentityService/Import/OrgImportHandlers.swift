import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictRuntime
public import DistrictServer
import DistrictStorage
import Logging
import PostgresNIO

/// `org.import`: a district or a subtree in one call, validated whole, written in one
/// transaction with one set-based INSERT, one `org.imported` event and one audit entry.
public struct OrgImportHandlers: Sendable {
    let database: Database
    let authenticator: Authenticator
    let logger: Logger

    /// Creates the handler over the service's context.
    public init(context: ServiceContext) {
        self.database = context.database
        self.authenticator = context.authenticator
        self.logger = context.logger
    }

    /// Registers `org.import` on `router`.
    public func register(on router: inout MethodRouter) {
        router.register(IdentityAPI.OrgImport.self) { params, context in try await self.importNodes(params, context) }
    }

    /// The payload of `org.imported`.
    struct ImportedEvent: Encodable {
        var parentPath: String?
        var rootPaths: [String]
        var imported: Int
        var kinds: [String: Int]
    }

    /// `org.import`. Needs `org.write` at `parentPath`, or for a whole district at the
    /// new root's path. Parsing and validation finish before the first write; the
    /// parent is locked `FOR SHARE` so that it cannot move while its subtree is written.
    func importNodes(_ params: IdentityAPI.OrgImport.Params, _ context: RequestContext) async throws -> IdentityAPI.OrgImport.Result {
        let parentPath = try params.parentPath.map { text throws(DistrictError) in try OrgHandlers.parsePath(text, field: "parentPath") }
        // Unauthenticated callers learn nothing, not even whether their file parses.
        let principal = try await authenticator.principal(for: context)
        if let parentPath {
            try authenticator.policy.authorize(principal, .orgWrite, on: Resource(path: parentPath))
        }
        let rows: [OrgImportRow]
        switch (params.nodes, params.csv) {
        case (let nodes?, nil): rows = OrgImportRow.rows(from: nodes)
        case (nil, let csv?): rows = try OrgImportRow.rows(fromCSV: csv)
        default: throw DistrictError.invalidParams("give the nodes either as `nodes` (JSON) or as `csv`, exactly one of them", field: "nodes")
        }

        let logger = context.logger
        let plan: OrgImportPlan
        if let parentPath {
            guard let parent = try await database.withConnection({ connection in
                try await OrgHandlers.node(at: parentPath, on: connection, logger: logger)
            }) else { throw OrgHandlers.notFound(parentPath, "parent node") }
            plan = try OrgImportPlan(rows: rows, under: (parentPath, parent.kind))
        } else {
            plan = try OrgImportPlan(rows: rows, under: nil)
            for root in plan.rootPaths {
                try authenticator.policy.authorize(principal, .orgWrite, on: Resource(path: root))
            }
        }

        do {
            return try await database.withTransaction { connection in
                // The parent stays where it is until we commit (its kind, checked above, never changes).
                if let parentPath, try await OrgHandlers.node(at: parentPath, lock: "share", on: connection, logger: logger) == nil {
                    throw OrgHandlers.notFound(parentPath, "parent node")
                }
                let imported = try await OrgImportWriter.insertAll(plan, on: connection, logger: logger)
                let rootPaths = plan.rootPaths.map(\.description)
                let payload = ImportedEvent(
                    parentPath: parentPath?.description, rootPaths: rootPaths, imported: imported,
                    kinds: Dictionary(uniqueKeysWithValues: plan.countsByKind.map { ($0.key.rawValue, $0.value) }))
                let event = try NewEvent(
                    stream: OrgHandlers.eventStream, type: "org.imported", key: parentPath?.description ?? rootPaths.first,
                    orgPath: parentPath?.description ?? rootPaths.first, payload: payload)
                try await EventLog.append([event], on: connection, logger: logger)
                // An administrator's bulk change is audited with it.
                try await AuditLog.append(
                    AuditEntry(
                        actor: principal, action: IdentityAPI.OrgImport.name, targetKind: "org_node", targetID: rootPaths.first,
                        orgPath: parentPath ?? plan.rootPaths.first,
                        details: ["imported": String(imported), "rootPaths": rootPaths.joined(separator: ",")]),
                    on: connection, logger: logger)
                return .init(imported: imported, rootPaths: rootPaths)
            }
        } catch where OrgHandlers.isUniqueViolation(error) {
            throw DistrictError(.alreadyExists, "another writer created one of the imported paths meanwhile; nothing was imported")
        }
    }
}
