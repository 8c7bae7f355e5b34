import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import Foundation
import IdentityService
import Testing
import TestSupport

@Suite("Logging in, lockout and refresh tokens over TLS and a real database")
struct AuthLoginTests {
    @Test("a login gives a 15-minute token other services accept; wrong passwords and unknown names get the same answer")
    func loginAndVerify() async throws {
        try await AccountFixture.with { f in
            let adminID = try await f.bootstrap("sysadmin", .systemAdministrator)
            let grant = try await f.login("SysAdmin")
            #expect(grant.refreshToken != nil)

            let claims = try await f.claims(grant.accessToken)
            #expect(claims.subject == adminID)
            #expect(claims.kind == .staff)
            #expect(claims.expiresAt - claims.issuedAt == 15 * 60)
            let d01 = try OrgPath("d01")
            #expect(claims.roles == [RoleBinding(.systemAdministrator, at: d01)])

            // Another service verifies it from identity.token_keys alone.
            let other = try await f.otherServiceAuthenticator()
            let principal = try await other.claims(for: grant.accessToken).principal
            #expect(principal.subject == adminID)
            // And the identity service itself accepts it for an org method.
            let root = try await f.client.call(IdentityAPI.OrgGet.self, .init(path: "d01"), token: grant.accessToken)
            #expect(root.node.path == "d01")

            var wrong: DistrictError?
            do { _ = try await f.login("sysadmin", "Wrong-password-1") } catch let error as DistrictError { wrong = error }
            var unknown: DistrictError?
            do { _ = try await f.login("nobody", "Wrong-password-1") } catch let error as DistrictError { unknown = error }
            #expect(wrong?.code == .unauthenticated)
            #expect(wrong == unknown, "an unknown login name and a wrong password look the same")
            #expect(try await f.count("SELECT count(*)::int FROM identity.audit_log WHERE action = 'auth.login' AND outcome = 'failure'") == 2)
        }
    }

    @Test("user.create refuses passwords against the policy with a clear error and writes nothing")
    func passwordPolicy() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            let admin = try await f.login("sysadmin").accessToken
            let users = try await f.count("SELECT count(*)::int FROM identity.users")
            let audit = try await f.count("SELECT count(*)::int FROM identity.audit_log")
            for weak in ["Short-1", "alllowercase-letters", "ALLUPPER1234", "abcdefghiJKLMNOP"] {
                do {
                    _ = try await f.client.call(IdentityAPI.UserCreate.self, .init(loginName: "worker1", displayName: "王网格", password: weak), token: admin)
                    Issue.record("\(weak) was accepted")
                } catch let error as DistrictError {
                    #expect(error.code == .invalidParams)
                    #expect(error.details?["reason"] == "password_policy", "\(error)")
                    #expect(error.details?["field"] == "password")
                }
            }
            #expect(try await f.count("SELECT count(*)::int FROM identity.users") == users)
            #expect(try await f.count("SELECT count(*)::int FROM identity.audit_log") == audit)

            let created = try await f.client.call(
                IdentityAPI.UserCreate.self, .init(loginName: "worker1", displayName: "王网格", password: "abcdefghiJKLMNO1"), token: admin)
            #expect(created.loginName == "worker1" && created.roles.isEmpty && !created.disabled)
            await expectFailure(.alreadyExists) {
                _ = try await f.client.call(IdentityAPI.UserCreate.self, .init(loginName: "WORKER1", displayName: "x", password: AccountFixture.password), token: admin)
            }
            _ = try await f.login("worker1", "abcdefghiJKLMNO1")

            // Own password change needs the old one; the new one must satisfy the policy.
            let worker = try await f.login("worker1", "abcdefghiJKLMNO1").accessToken
            await expectFailure(.invalidParams) {
                _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(oldPassword: "abcdefghiJKLMNO1", newPassword: "weak"), token: worker)
            }
            await expectFailure(.unauthenticated) {
                _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(oldPassword: "not-it-Really1", newPassword: AccountFixture.otherPassword), token: worker)
            }
            _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(oldPassword: "abcdefghiJKLMNO1", newPassword: AccountFixture.otherPassword), token: worker)
            let beforeReset = try #require(try await f.login("worker1", AccountFixture.otherPassword).refreshToken)

            // An administrator resets it without the old one; the worker cannot reset someone else's.
            await expectFailure(.invalidParams, "one's own password only with the old one") {
                _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(id: created.id, newPassword: "Reset-by-worker-1"), token: worker)
            }
            let other = try await f.client.call(
                IdentityAPI.UserCreate.self, .init(loginName: "worker2", displayName: "李网格", password: AccountFixture.password), token: admin)
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(id: other.id, newPassword: "Reset-by-worker-1"), token: worker)
            }
            _ = try await f.client.call(IdentityAPI.UserSetPassword.self, .init(id: created.id, newPassword: "Reset-by-admin-1"), token: admin)
            await expectFailure(.unauthenticated) { _ = try await f.login("worker1", AccountFixture.otherPassword) }
            _ = try await f.login("worker1", "Reset-by-admin-1")
            await expectFailure(.unauthenticated, "a reset ends the account's refresh tokens") {
                _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: beforeReset))
            }
        }
    }

    @Test("5 failures within 15 minutes lock a login name for 15 minutes, even for the right password; unknown names lock alike")
    func lockout() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)

            // Failures spread over more than the window do not add up.
            for _ in 0..<4 { await expectFailure(.unauthenticated) { _ = try await f.login("sysadmin", "Wrong-password-1") } }
            f.clock.advance(by: 16 * 60)
            await expectFailure(.unauthenticated) { _ = try await f.login("sysadmin", "Wrong-password-1") }
            _ = try await f.login("sysadmin")

            for attempt in 1...5 {
                await expectFailure(.unauthenticated, "attempt \(attempt)") { _ = try await f.login("sysadmin", "Wrong-password-1") }
            }
            do {
                _ = try await f.login("sysadmin")
                Issue.record("a locked account logged in")
            } catch let error as DistrictError {
                #expect(error.code == .accountLocked)
                #expect((899...901).contains(Int(error.details?["retryAfterSeconds"] ?? "") ?? 0), "\(error)")
            }
            f.clock.advance(by: 14 * 60)
            await expectFailure(.accountLocked) { _ = try await f.login("sysadmin") }
            f.clock.advance(by: 2 * 60)
            _ = try await f.login("sysadmin")

            for _ in 1...5 { await expectFailure(.unauthenticated) { _ = try await f.login("ghost", "Wrong-password-1") } }
            await expectFailure(.accountLocked, "an unknown name locks the same way") { _ = try await f.login("ghost", "Wrong-password-1") }

            #expect(try await f.count("SELECT count(*)::int FROM identity.audit_log WHERE action = 'auth.lockout'") == 2)
            #expect(try await f.count("SELECT count(*)::int FROM identity.audit_log WHERE action = 'auth.login' AND outcome = 'denied'") == 3)
        }
    }

    @Test("refresh rotates; reusing a rotated refresh token revokes the family; logout and disabling end refreshes")
    func refreshRotation() async throws {
        try await AccountFixture.with { f in
            let adminID = try await f.bootstrap("sysadmin", .systemAdministrator)
            let first = try #require(try await f.login("sysadmin").refreshToken)
            let second = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: first))
            let secondToken = try #require(second.refreshToken)
            #expect(secondToken != first)
            #expect(try await f.claims(second.accessToken).subject == adminID)
            let third = try #require(try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: secondToken)).refreshToken)

            await expectFailure(.unauthenticated, "a rotated token shown again") {
                _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: first))
            }
            await expectFailure(.unauthenticated, "the newest token of the family is revoked too") {
                _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: third))
            }
            #expect(try await f.count("SELECT count(*)::int FROM identity.refresh_families WHERE revoked_reason = 'reuse'") == 1)

            // Another login is another family, unaffected.
            let other = try #require(try await f.login("sysadmin").refreshToken)
            let afterLogout = try #require(try await f.login("sysadmin").refreshToken)
            _ = try await f.client.call(IdentityAPI.AuthLogout.self, .init(refreshToken: afterLogout))
            await expectFailure(.unauthenticated) { _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: afterLogout)) }
            let stillGood = try #require(try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: other)).refreshToken)

            // A disabled account neither refreshes nor logs in.
            let admin = try await f.login("sysadmin").accessToken
            let worker = try await f.client.call(
                IdentityAPI.UserCreate.self, .init(loginName: "worker1", displayName: "王网格", password: AccountFixture.password), token: admin)
            let workerRefresh = try #require(try await f.login("worker1").refreshToken)
            let disabled = try await f.client.call(IdentityAPI.UserDisable.self, .init(id: worker.id), token: admin)
            #expect(disabled.disabled)
            await expectFailure(.unauthenticated) { _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: workerRefresh)) }
            await expectFailure(.unauthenticated) { _ = try await f.login("worker1") }
            _ = try await f.client.call(IdentityAPI.UserEnable.self, .init(id: worker.id), token: admin)
            _ = try await f.login("worker1")
            _ = stillGood

            // Refresh tokens expire.
            let expiring = try #require(try await f.login("worker1").refreshToken)
            f.clock.advance(by: 13 * 60 * 60)
            await expectFailure(.unauthenticated) { _ = try await f.client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: expiring)) }
        }
    }
}
