import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Foundation
import IdentityService
import Logging
import PostgresNIO
import Synchronization
import Testing
import TestSupport

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Date())
    var now: Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// The identity service with accounts, on a fresh database, with a small org tree
/// (d01 → s01 → c01 → g001; d01 → s02) and a manual clock.
struct AccountFixture {
    /// Passwords that satisfy the policy.
    static let password = "Correct-horse-9"
    static let otherPassword = "Battery-staple-7"

    let service: RunningService
    let clock: ManualClock
    /// A test-signed system administrator token at d01 (not a stored account).
    let rootAdmin: String

    var client: DistrictClient { service.client }
    var database: Database { service.database }

    static func with(_ body: (AccountFixture) async throws -> Void) async throws {
        let clock = ManualClock()
        let settings = AccountSettings(passwordIterations: 1_000, now: { clock.now })
        try await RunningService.with(IdentityService.makeDefinition(accounts: settings)) { service in
            let fixture = AccountFixture(service: service, clock: clock, rootAdmin: try service.token("root-admin", .systemAdministrator, at: "d01"))
            let tree: [(String?, String, OrgKind)] = [
                (nil, "d01", .district), ("d01", "s01", .street), ("d01", "s02", .street),
                ("d01.s01", "c01", .community), ("d01.s01.c01", "g001", .grid),
            ]
            for (parent, code, kind) in tree {
                _ = try await service.client.call(
                    IdentityAPI.OrgCreate.self, .init(parentPath: parent, code: code, kind: kind, name: "节点\(code)"), token: fixture.rootAdmin)
            }
            try await body(fixture)
        }
    }

    /// Creates an administrator directly (as `districtctl accounts create-admin` does).
    func bootstrap(_ login: String, _ role: Role) async throws -> String {
        try await AccountBootstrap.createAdministrator(
            loginName: login, displayName: login, password: Self.password, role: role, districtCode: nil, districtName: nil,
            passwordIterations: 1_000, database: database, logger: Logger(label: "test.bootstrap")).userID
    }

    /// Logs in and returns the grant.
    func login(_ login: String, _ password: String = AccountFixture.password) async throws -> TokenGrant {
        try await client.call(IdentityAPI.AuthLogin.self, .init(loginName: login, password: password))
    }

    /// The verified claims of `token`, against the keys `auth.keys` publishes.
    func claims(_ token: String) async throws -> AccessTokenClaims {
        let published = try await client.call(IdentityAPI.AuthKeys.self, Empty())
        let keys = try KeySet(published.keys.map { JSONWebKey(kty: $0.kty, crv: $0.crv, kid: $0.kid, x: $0.x) })
        return try TokenVerifier(keys: keys, leeway: 3600).verifiedClaims(token)
    }

    /// An authenticator as every other service builds one: a key ring over `identity.token_keys`.
    func otherServiceAuthenticator() async throws -> Authenticator {
        let ring = KeyRing(database: database, logger: Logger(label: "test.keyring"))
        try await ring.refresh()
        return Authenticator(keyRing: ring)
    }

    /// The node id at `path`.
    func nodeID(_ path: String) async throws -> String {
        try await client.call(IdentityAPI.OrgGet.self, .init(path: path), token: rootAdmin).node.id
    }

    func count(_ sql: String) async throws -> Int {
        try await database.withConnection { connection in
            var value = 0
            for try await count in try await connection.query(.init(unsafeSQL: sql), logger: Logger(label: "test")).decode(Int.self) {
                value = count
            }
            return value
        }
    }
}

/// The error code of `error`, if it is a `DistrictError`.
func errorCode(_ error: any Error) -> ErrorCode? { (error as? DistrictError)?.code }

/// Expects `body` to fail with `code`.
func expectFailure(_ code: ErrorCode, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code), but the call succeeded. \(comment.map { "\($0)" } ?? "")", sourceLocation: sourceLocation)
    } catch {
        #expect(errorCode(error) == code, "\(error)", sourceLocation: sourceLocation)
    }
}
