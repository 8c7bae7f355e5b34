import DistrictAuth
import DistrictProtocol
import DistrictStorage
import Foundation
public import Logging
public import PostgresNIO

/// The demo's staff accounts (``DemoDistrict/accounts``): one account per entry with its
/// role binding, all with one demo password, created when missing. Set-based: the users in
/// one `unnest` INSERT, their bindings in another, one audit entry for the lot.
public struct DemoUsersStep: DemoSeedStep {
    /// The step's name in the seed report.
    public var name: String { "users" }

    private let passwordHash: String

    /// A step giving every demo account `password` (checked against the password policy).
    /// The password is hashed once; the demo accounts share the hash.
    public init(password: String, iterations: Int = PasswordHasher.productionIterations) throws {
        try PasswordPolicy.check(password)
        self.passwordHash = try PasswordHasher(iterations: iterations).hash(password)
    }

    /// Creates the missing accounts and their bindings; returns how many accounts it created.
    public func seed(_ district: DemoDistrict, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let accounts = district.accounts
        let logins = accounts.map(\.username)
        let names = accounts.map(\.displayName)
        let departments = accounts.map { $0.department ?? "" }
        var created: [String] = []
        for try await login in try await connection.query(
            """
            INSERT INTO identity.users (login_name, display_name, department, password_hash)
            SELECT login, name, nullif(department, ''), \(passwordHash)
            FROM unnest(\(logins)::text[], \(names)::text[], \(departments)::text[]) AS a(login, name, department)
            ON CONFLICT DO NOTHING
            RETURNING login_name
            """,
            logger: logger
        ).decode(String.self) {
            created.append(login)
        }
        guard !created.isEmpty else { return 0 }
        // Bindings only for the accounts made now: an existing account keeps what it has.
        let fresh = Set(created)
        let chosen = accounts.filter { fresh.contains($0.username) }
        try await connection.query(
            """
            INSERT INTO identity.role_bindings (user_id, role, node_id, department, granted_by)
            SELECT u.id, a.role, n.id, a.department, 'districtctl seed demo'
            FROM unnest(\(chosen.map(\.username))::text[], \(chosen.map(\.role.rawValue))::text[], \(chosen.map(\.path))::text[],
                        \(chosen.map { $0.department ?? "" })::text[]) AS a(login, role, path, department)
            JOIN identity.users u ON u.login_name = a.login
            JOIN identity.org_nodes n ON n.path = a.path::ltree
            """,
            logger: logger)
        try await AuditLog.append([
            AuditEntry(
                actorSubject: "districtctl", actorName: "districtctl seed demo", action: "user.create", targetKind: "user",
                details: ["demoAccounts": "\(created.count)"]),
        ], on: connection, logger: logger)
        return created.count
    }
}
