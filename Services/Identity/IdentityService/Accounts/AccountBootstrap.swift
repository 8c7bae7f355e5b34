public import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictStorage
import Foundation
public import Logging
import PostgresNIO

/// Creates the first administrators of a fresh install directly in the database (for
/// `districtctl accounts create-admin`), before anyone can log in to create them.
public enum AccountBootstrap {
    /// What happened to one administrator.
    public struct Outcome: Sendable, Hashable {
        /// The account's id.
        public var userID: String
        /// The login name.
        public var loginName: String
        /// The role bound at the district root.
        public var role: Role
        /// False when the account already existed holding that role (nothing changed).
        public var created: Bool
    }

    /// Creates `loginName` holding `role` (one of the three administrator roles) at the
    /// district root, creating the root `districtCode` named `districtName` when the tree
    /// is empty. Running it again for an account that already holds the role changes
    /// nothing; an existing account without it is an error (`already_exists`).
    public static func createAdministrator(
        loginName: String, displayName: String, password: String, role: Role,
        districtCode: String?, districtName: String?,
        passwordIterations: Int = PasswordHasher.productionIterations,
        database: Database, logger: Logger
    ) async throws -> Outcome {
        guard Role.administrators.contains(role) else {
            throw DistrictError.invalidParams("\(role) is not an administrator role", field: "role")
        }
        let login = try AccountHandlers.validatedAccountName(loginName, field: "login")
        let display = try OrgRules.validatedName(displayName)
        try PasswordPolicy.check(password)
        let hash = try PasswordHasher(iterations: passwordIterations).hash(password)
        return try await database.withTransaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('identity.bootstrap'))", logger: logger)
            var root = try await rootNode(on: connection, logger: logger)
            if root == nil {
                guard let districtCode, let districtName else {
                    throw DistrictError(.failedPrecondition, "the org tree is empty: give the district root's code and name to create it")
                }
                root = try await createRoot(code: districtCode, name: districtName, on: connection, logger: logger)
            }
            guard let root else { throw DistrictError(.internal, "no district root") }

            var existing: String?
            for try await id in try await connection.query(
                "SELECT id::text FROM identity.users WHERE lower(login_name) = lower(\(login))", logger: logger
            ).decode(String.self) { existing = id }
            if let existing {
                let roles = try await AccountHandlers.loadBindings(of: existing, on: connection, logger: logger)
                if roles.contains(where: { $0.role == role.rawValue && $0.nodeID == root.id }) {
                    return Outcome(userID: existing, loginName: login, role: role, created: false)
                }
                throw DistrictError(
                    .alreadyExists, "an account '\(login)' already exists without \(role) at the district root; nothing changed",
                    details: ["field": "login"])
            }
            var id = ""
            for try await value in try await connection.query(
                """
                INSERT INTO identity.users (login_name, display_name, password_hash)
                VALUES (\(login), \(display), \(hash)) RETURNING id::text
                """, logger: logger
            ).decode(String.self) { id = value }
            try await connection.query(
                """
                INSERT INTO identity.role_bindings (user_id, role, node_id, granted_by)
                VALUES (\(id)::uuid, \(role.rawValue), \(root.id)::uuid, 'districtctl')
                """, logger: logger)
            let path = try OrgPath(root.path)
            try await AuditLog.append([
                AuditEntry(actorSubject: "districtctl", actorName: "districtctl accounts create-admin", action: "user.create",
                           targetKind: "user", targetID: id, details: ["loginName": login, "bootstrap": "true"]),
                AuditEntry(actorSubject: "districtctl", actorName: "districtctl accounts create-admin", action: "role.grant",
                           targetKind: "user", targetID: id, orgPath: path,
                           details: ["role": role.rawValue, "nodeID": root.id, "bootstrap": "true"]),
            ], on: connection, logger: logger)
            return Outcome(userID: id, loginName: login, role: role, created: true)
        }
    }

    private static func rootNode(on connection: PostgresConnection, logger: Logger) async throws -> OrgNode? {
        let rows = try await connection.query(
            "SELECT id::text, path::text, code, kind, name FROM identity.org_nodes WHERE nlevel(path) = 1 ORDER BY path LIMIT 1",
            logger: logger)
        return try await OrgHandlers.decodeNodes(rows).first
    }

    private static func createRoot(code: String, name: String, on connection: PostgresConnection, logger: Logger) async throws -> OrgNode {
        let path: OrgPath
        do throws(DistrictError) {
            path = try OrgPath(components: [code])
        } catch {
            throw DistrictError.invalidParams(error.message, field: "district-code")
        }
        let display = try OrgRules.validatedName(name)
        let text = path.description
        let rows = try await connection.query(
            """
            INSERT INTO identity.org_nodes (path, code, kind, name)
            VALUES (\(text)::ltree, \(code), \(OrgKind.district.rawValue), \(display))
            RETURNING id::text, path::text, code, kind, name
            """, logger: logger)
        guard let node = try await OrgHandlers.decodeNodes(rows).first else { throw DistrictError(.internal, "the root was not returned") }
        try await OrgHandlers.appendEvent("org.created", node: node, payload: node, on: connection, logger: logger)
        return node
    }
}
