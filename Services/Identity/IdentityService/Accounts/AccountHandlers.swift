import DistrictAuth
import DistrictContracts
import DistrictProtocol
public import DistrictRuntime
public import DistrictServer
import DistrictStorage
import Foundation
import Logging
import PostgresNIO

/// The `user.*`, `role.*`, `serviceAccount.*`, `auth.*` and `audit.list` methods. Each
/// operation lives in its own file as an extension.
///
/// Account administration is district-wide: it needs the action (`user.write`,
/// `role.grant`, `audit.read`) from a role held at the district root. Granting and
/// revoking a role needs `role.grant` over the node the binding is at. Every change and
/// its audit entry commit in one transaction.
public struct AccountHandlers: Sendable {
    let database: Database
    let authenticator: Authenticator
    let secret: IdentitySecret
    let settings: AccountSettings
    let hasher: PasswordHasher
    let keys: SigningKeyStore
    let logger: Logger

    /// Creates the handlers over the service's context.
    public init(context: ServiceContext, secret: IdentitySecret, settings: AccountSettings) {
        self.database = context.database
        self.authenticator = context.authenticator
        self.secret = secret
        self.settings = settings
        self.hasher = PasswordHasher(iterations: settings.passwordIterations)
        self.keys = SigningKeyStore(database: context.database, secret: secret, recheck: settings.currentKeyRecheck)
        self.logger = context.logger
    }

    /// Registers every method on `router`.
    public func register(on router: inout MethodRouter) {
        router.register(IdentityAPI.UserCreate.self) { params, context in try await self.createUser(params, context) }
        router.register(IdentityAPI.UserGet.self) { params, context in try await self.getUser(params, context) }
        router.register(IdentityAPI.UserList.self) { params, context in try await self.listUsers(params, context) }
        router.register(IdentityAPI.UserDisable.self) { params, context in try await self.setDisabled(true, params, context) }
        router.register(IdentityAPI.UserEnable.self) { params, context in try await self.setDisabled(false, params, context) }
        router.register(IdentityAPI.UserSetPassword.self) { params, context in try await self.setPassword(params, context) }
        router.register(IdentityAPI.RoleGrant.self) { params, context in try await self.grant(params, context) }
        router.register(IdentityAPI.RoleRevoke.self) { params, context in try await self.revoke(params, context) }
        router.register(IdentityAPI.ServiceAccountCreate.self) { params, context in try await self.createServiceAccount(params, context) }
        router.register(IdentityAPI.ServiceAccountRevoke.self) { params, context in try await self.revokeServiceAccount(params, context) }
        router.register(IdentityAPI.ServiceAccountList.self) { params, context in try await self.listServiceAccounts(params, context) }
        router.register(IdentityAPI.AuthLogin.self) { params, context in try await self.login(params, context) }
        router.register(IdentityAPI.AuthRefresh.self) { params, context in try await self.refresh(params, context) }
        router.register(IdentityAPI.AuthLogout.self) { params, context in try await self.logout(params, context) }
        router.register(IdentityAPI.AuthAPIKey.self) { params, context in try await self.apiKeyLogin(params, context) }
        router.register(IdentityAPI.AuthKeys.self) { params, context in try await self.publishedKeys(params, context) }
        router.register(IdentityAPI.AuthRotateKey.self) { params, context in try await self.rotateKey(params, context) }
        router.register(IdentityAPI.AuditList.self) { params, context in try await self.listAudit(params, context) }
    }

    // MARK: Authorization

    /// The caller, if a role they hold at a district root allows `action`; a refusal is
    /// audited.
    func authorizeDistrictWide(_ context: RequestContext, _ action: Action) async throws(DistrictError) -> Principal {
        let principal = try await authenticator.principal(for: context)
        if let refusal = districtWideRefusal(principal, action) {
            await auditDenial(principal, context, refusal)
            throw refusal
        }
        return principal
    }

    /// Why `principal` may not do `action` district-wide; nil when they may.
    func districtWideRefusal(_ principal: Principal, _ action: Action) -> DistrictError? {
        let roots = principal.bindings.compactMap { try? OrgPath(components: [$0.path.components[0]]) }
        for root in Set(roots) {
            if case .allow = authenticator.policy.decide(principal, action, on: Resource(path: root)) { return nil }
        }
        let fallback = roots.first ?? (try? OrgPath("district"))!
        do {
            try authenticator.policy.authorize(principal, action, on: Resource(path: fallback))
        } catch {
            return error
        }
        if principal.kind == .service { return nil }
        return DistrictError(
            .permissionDenied, "permission denied: \(action) needs a role held at the district root",
            details: ["action": action.rawValue])
    }

    /// Records a refused attempt in a transaction of its own (the attempt's own rolls
    /// back). Failing to write it never hides the refusal.
    func auditDenial(_ principal: Principal, _ context: RequestContext, _ refusal: DistrictError) async {
        let logger = context.logger
        do {
            try await database.withTransaction { connection in
                try await AuditLog.append(
                    AuditEntry(actor: principal, action: context.method, outcome: .denied, details: ["reason": refusal.message]),
                    on: connection, logger: logger)
            }
        } catch {
            logger.warning("could not audit a refused attempt", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Shared reads

    /// The account with id `id` and its role bindings; `lock` adds `FOR UPDATE`.
    static func loadUser(_ id: String, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> StoredUser? {
        let query: PostgresQuery = lock
            ? "SELECT id::text, login_name, display_name, department, password_hash, disabled_at IS NOT NULL FROM identity.users WHERE id = \(id)::uuid FOR UPDATE"
            : "SELECT id::text, login_name, display_name, department, password_hash, disabled_at IS NOT NULL FROM identity.users WHERE id = \(id)::uuid"
        // Read every row before the next query: one connection runs one query at a time.
        var found: StoredUser?
        for try await (id, login, display, department, hash, disabled) in try await connection.query(query, logger: logger)
            .decode((String, String, String, String?, String, Bool).self)
        {
            found = StoredUser(
                account: UserAccount(id: id, loginName: login, displayName: display, department: department, disabled: disabled, roles: []),
                passwordHash: hash)
        }
        guard var found else { return nil }
        found.account.roles = try await loadBindings(of: found.account.id, on: connection, logger: logger)
        return found
    }

    /// The bindings of account `userID`, with each node's current path.
    static func loadBindings(of userID: String, on connection: PostgresConnection, logger: Logger) async throws -> [RoleBindingInfo] {
        var roles: [RoleBindingInfo] = []
        for try await (id, role, nodeID, path, department) in try await connection.query(
            """
            SELECT b.id::text, b.role, n.id::text, n.path::text, b.department
            FROM identity.role_bindings b JOIN identity.org_nodes n ON n.id = b.node_id
            WHERE b.user_id = \(userID)::uuid
            ORDER BY b.granted_at, b.id
            """, logger: logger
        ).decode((String, String, String, String, String).self) {
            roles.append(RoleBindingInfo(id: id, role: role, nodeID: nodeID, path: path, department: department.isEmpty ? nil : department))
        }
        return roles
    }

    /// The principal an access token for `account` names, with the nodes' current paths.
    static func principal(of account: UserAccount) throws -> Principal {
        let bindings = try account.roles.map { info in
            RoleBinding(Role(rawValue: info.role), at: try OrgPath(info.path), department: info.department)
        }
        return Principal(subject: account.id, name: account.displayName, kind: .staff, bindings: bindings, department: account.department)
    }

    /// The district root's path, if the tree has one.
    static func districtRoot(on connection: PostgresConnection, logger: Logger) async throws -> OrgPath? {
        var root: OrgPath?
        for try await path in try await connection.query(
            "SELECT path::text FROM identity.org_nodes WHERE nlevel(path) = 1 ORDER BY path LIMIT 1", logger: logger
        ).decode(String.self) {
            root = try OrgPath(path)
        }
        return root
    }

    /// Revokes every live refresh family of `userID`.
    static func revokeRefreshFamilies(of userID: String, reason: String, at now: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            UPDATE identity.refresh_families SET revoked_at = \(now), revoked_reason = \(reason)
            WHERE user_id = \(userID)::uuid AND revoked_at IS NULL
            """, logger: logger)
    }

    /// Signs an access token for `principal`, issued now.
    func issueAccessToken(for principal: Principal, logger: Logger) async throws -> (token: String, expiresAt: Int64) {
        let signer = try await keys.currentSigner(logger: logger)
        let claims = AccessTokenClaims(for: principal, issuedAt: settings.now(), lifetime: settings.accessTokenLifetime)
        return (try signer.sign(claims), claims.expiresAt)
    }

    // MARK: Validation

    /// Parses a UUID parameter.
    static func uuid(_ text: String, field: String) throws(DistrictError) -> String {
        guard let uuid = UUID(uuidString: text) else { throw .invalidParams("\(field) is not a UUID", field: field) }
        return uuid.uuidString.lowercased()
    }

    /// A login or service-account name: 3–64 of `A-Z a-z 0-9 . _ -`.
    static func validatedAccountName(_ name: String, field: String) throws(DistrictError) -> String {
        let allowed = name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) }
        guard (3...64).contains(name.count), allowed else {
            throw .invalidParams("\(field) must be 3–64 characters of A-Z, a-z, 0-9, '.', '_' or '-'", field: field)
        }
        return name
    }

    /// A department code: 1–32 of `a-z 0-9 _`.
    static func validatedDepartment(_ code: String, field: String = "department") throws(DistrictError) -> String {
        let allowed = code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard (1...32).contains(code.count), allowed else {
            throw .invalidParams("\(field) must be 1–32 characters of a-z, 0-9 or '_'", field: field)
        }
        return code
    }

    /// Whether `error` is PostgreSQL's unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }

    static func userNotFound(_ id: String) -> DistrictError {
        DistrictError(.notFound, "no user account \(id)", details: ["id": id])
    }
}

/// An account row with its password hash (which never leaves the service).
struct StoredUser: Sendable {
    var account: UserAccount
    var passwordHash: String
}
