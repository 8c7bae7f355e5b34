import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import Foundation
import IdentityService
import Testing
import TestSupport

@Suite("Department service accounts and signing-key rotation")
struct ServiceAccountAndKeyTests {
    @Test("an API key logs in to a department-scoped token; a revoked key is refused")
    func serviceAccount() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            let sys = try await f.login("sysadmin").accessToken
            let created = try await f.client.call(
                IdentityAPI.ServiceAccountCreate.self, .init(name: "urban-gateway", department: "urban_mgmt"), token: sys)
            #expect(created.apiKey.hasPrefix(created.serviceAccount.keyPrefix))
            #expect(try await f.count("SELECT count(*)::int FROM identity.service_accounts WHERE key_hash LIKE '%' || '\(created.apiKey)' || '%'") == 0)

            let grant = try await f.client.call(IdentityAPI.AuthAPIKey.self, .init(apiKey: created.apiKey))
            #expect(grant.refreshToken == nil)
            let principal = try await f.otherServiceAuthenticator().claims(for: grant.accessToken).principal
            #expect(principal.kind == .serviceAccount)
            #expect(principal.subject == "sa:\(created.serviceAccount.id)")
            #expect(principal.department == "urban_mgmt")
            let d01 = try OrgPath("d01"), s01 = try OrgPath("d01.s01")
            #expect(principal.bindings == [RoleBinding(.departmentHandler, at: d01, department: "urban_mgmt")])
            let policy = AuthorizationPolicy.standard
            #expect(policy.decide(principal, .caseRead, on: Resource(path: s01, department: "urban_mgmt")) == .allow)
            #expect(policy.decide(principal, .caseRead, on: Resource(path: s01, department: "police")) != .allow)

            await expectFailure(.unauthenticated) { _ = try await f.client.call(IdentityAPI.AuthAPIKey.self, .init(apiKey: created.apiKey + "x")) }
            await expectFailure(.permissionDenied, "only the system administrator revokes") {
                _ = try await f.client.call(IdentityAPI.ServiceAccountRevoke.self, .init(id: created.serviceAccount.id), token: grant.accessToken)
            }
            let revoked = try await f.client.call(IdentityAPI.ServiceAccountRevoke.self, .init(id: created.serviceAccount.id), token: sys)
            #expect(revoked.revoked)
            let listed = try await f.client.call(IdentityAPI.ServiceAccountList.self, Empty(), token: sys)
            #expect(listed.serviceAccounts == [revoked])
            await expectFailure(.unauthenticated) { _ = try await f.client.call(IdentityAPI.AuthAPIKey.self, .init(apiKey: created.apiKey)) }
            #expect(try await f.count("SELECT count(*)::int FROM identity.audit_log WHERE action = 'auth.apiKey' AND outcome = 'failure'") == 2)
        }
    }

    @Test("after auth.rotateKey a token signed before still verifies and new tokens name the new key")
    func keyRotation() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            _ = try await f.bootstrap("secadmin", .securityAdministrator)
            let before = try await f.login("sysadmin").accessToken
            let keysBefore = try await f.client.call(IdentityAPI.AuthKeys.self, Empty())
            let oldKid = try #require(keysBefore.current)
            #expect(TokenVerifier.keyID(of: before) == oldKid)
            #expect(keysBefore.keys.map(\.kid).contains(oldKid))

            await expectFailure(.permissionDenied) { _ = try await f.client.call(IdentityAPI.AuthRotateKey.self, Empty(), token: before) }
            let sec = try await f.login("secadmin").accessToken
            let rotated = try await f.client.call(IdentityAPI.AuthRotateKey.self, Empty(), token: sec)
            #expect(rotated.retired == oldKid && rotated.current != oldKid)

            let after = try await f.login("sysadmin").accessToken
            #expect(TokenVerifier.keyID(of: after) == rotated.current)
            let keysAfter = try await f.client.call(IdentityAPI.AuthKeys.self, Empty())
            #expect(keysAfter.current == rotated.current)
            #expect(Set(keysAfter.keys.map(\.kid)).isSuperset(of: [oldKid, rotated.current]))

            // Both verify for another service and for the identity service itself.
            let other = try await f.otherServiceAuthenticator()
            _ = try await other.claims(for: before)
            _ = try await other.claims(for: after)
            _ = try await f.client.call(IdentityAPI.OrgGet.self, .init(path: "d01"), token: before)
            _ = try await f.client.call(IdentityAPI.OrgGet.self, .init(path: "d01"), token: after)
            #expect(try await f.count("SELECT count(*)::int FROM identity.signing_keys WHERE retired_at IS NULL") == 1)
        }
    }
}
