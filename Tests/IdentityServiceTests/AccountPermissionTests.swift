import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import Foundation
import IdentityService
import Logging
import PostgresNIO
import Testing
import TestSupport

@Suite("Separated administrators, role bindings by node id, and the audit log reader")
struct AccountPermissionTests {
    @Test("system admin creates users only; security admin grants only; auditor reads the audit log only; no account holds two admin roles")
    func permissionMatrix() async throws {
        try await AccountFixture.with { f in
            let sysID = try await f.bootstrap("sysadmin", .systemAdministrator)
            let secID = try await f.bootstrap("secadmin", .securityAdministrator)
            let auditorID = try await f.bootstrap("auditor", .auditor)
            let sys = try await f.login("sysadmin").accessToken
            let sec = try await f.login("secadmin").accessToken
            let aud = try await f.login("auditor").accessToken
            let grid = try await f.nodeID("d01.s01.c01.g001")
            let root = try await f.nodeID("d01")

            // System administrator: users yes; grants and audit no.
            let worker = try await f.client.call(
                IdentityAPI.UserCreate.self, .init(loginName: "worker1", displayName: "王网格", password: AccountFixture.password), token: sys)
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "grid_worker", nodeID: grid), token: sys)
            }
            await expectFailure(.permissionDenied) { _ = try await f.client.call(IdentityAPI.AuditList.self, .init(), token: sys) }

            // Security administrator: grants yes; users and audit no; never to themselves.
            let granted = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "grid_worker", nodeID: grid), token: sec)
            #expect(granted.roles.map(\.path) == ["d01.s01.c01.g001"])
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.UserCreate.self, .init(loginName: "worker2", displayName: "x", password: AccountFixture.password), token: sec)
            }
            await expectFailure(.permissionDenied) { _ = try await f.client.call(IdentityAPI.AuditList.self, .init(), token: sec) }
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: secID, role: "grid_worker", nodeID: grid), token: sec)
            }

            // Auditor: reads the audit log; neither creates users nor grants.
            let page = try await f.client.call(IdentityAPI.AuditList.self, .init(), token: aud)
            let actions = Set(page.entries.map(\.action))
            #expect(actions.isSuperset(of: ["user.create", "role.grant", "auth.login"]))
            let grantEntry = try #require(page.entries.first { $0.action == "role.grant" && $0.targetID == worker.id })
            #expect(grantEntry.actorSubject == secID && grantEntry.orgPath == "d01.s01.c01.g001" && grantEntry.details["role"] == "grid_worker")
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.UserCreate.self, .init(loginName: "worker3", displayName: "x", password: AccountFixture.password), token: aud)
            }
            await expectFailure(.permissionDenied) {
                _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "grid_chief", nodeID: grid), token: aud)
            }

            // No account holds two of the three administrator roles.
            let bindings = try await f.count("SELECT count(*)::int FROM identity.role_bindings")
            for (user, role) in [(sysID, "auditor"), (auditorID, "security_administrator"), (sysID, "security_administrator")] {
                do {
                    _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: user, role: role, nodeID: root), token: sec)
                    Issue.record("\(role) was granted to an administrator")
                } catch let error as DistrictError {
                    #expect(error.code == .failedPrecondition)
                    #expect(error.details?["reason"] == "separation_of_duties", "\(error)")
                }
            }
            _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "auditor", nodeID: root), token: sec)
            await expectFailure(.failedPrecondition) {
                _ = try await f.client.call(IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "system_administrator", nodeID: root), token: sec)
            }
            #expect(try await f.count("SELECT count(*)::int FROM identity.role_bindings") == bindings + 1)
            // The database refuses it too, for writes that bypass the service.
            let bypass = "INSERT INTO identity.role_bindings (user_id, role, node_id, granted_by) VALUES ('\(auditorID)', 'system_administrator', '\(root)', 'test')"
            await #expect(throws: (any Error).self) {
                try await f.database.withConnection { connection in
                    _ = try await connection.query(PostgresQuery(unsafeSQL: bypass), logger: Logger(label: "test"))
                }
            }
            #expect(try await f.count("SELECT count(*)::int FROM identity.role_bindings") == bindings + 1)

            // Refusals are in the audit log too.
            let denied = try await f.client.call(IdentityAPI.AuditList.self, .init(actor: sysID, action: "role.grant"), token: aud)
            #expect(denied.entries.contains { $0.outcome == "denied" }, "the system administrator's refused grant is audited")
            let selfGrant = try await f.client.call(IdentityAPI.AuditList.self, .init(actor: secID, action: "role.grant"), token: aud)
            #expect(selfGrant.entries.contains { $0.outcome == "denied" }, "the security administrator's grant to themselves is audited")

            // Filters and pages.
            let grants = try await f.client.call(IdentityAPI.AuditList.self, .init(action: "role.grant", limit: 1), token: aud)
            #expect(grants.entries.count == 1 && grants.nextCursor != nil)
            let next = try await f.client.call(IdentityAPI.AuditList.self, .init(action: "role.grant", cursor: grants.nextCursor, limit: 10), token: aud)
            #expect(next.entries.allSatisfy { $0.action == "role.grant" && $0.id < grants.entries[0].id })
            let future = Date().addingTimeInterval(3600).formatted(.iso8601)
            let past = Date().addingTimeInterval(-3600).formatted(.iso8601)
            #expect(try await f.client.call(IdentityAPI.AuditList.self, .init(from: future), token: aud).entries.isEmpty)
            #expect(try await f.client.call(IdentityAPI.AuditList.self, .init(to: past), token: aud).entries.isEmpty)
            #expect(try await !f.client.call(IdentityAPI.AuditList.self, .init(from: past, to: future), token: aud).entries.isEmpty)
            await expectFailure(.invalidParams) { _ = try await f.client.call(IdentityAPI.AuditList.self, .init(from: "yesterday"), token: aud) }
            await expectFailure(.invalidParams) { _ = try await f.client.call(IdentityAPI.AuditList.self, .init(cursor: "abc"), token: aud) }
            await expectFailure(.failedPrecondition) { _ = try await f.client.call(IdentityAPI.UserDisable.self, .init(id: sysID), token: sys) }
            let bySys = try await f.client.call(IdentityAPI.AuditList.self, .init(actor: sysID), token: aud)
            #expect(!bySys.entries.isEmpty && bySys.entries.allSatisfy { $0.actorSubject == sysID })

            // Revoking takes the role away from the next login.
            let bindingID = try #require(granted.roles.first?.id)
            let revoked = try await f.client.call(IdentityAPI.RoleRevoke.self, .init(bindingID: bindingID), token: sec)
            #expect(!revoked.roles.contains { $0.role == "grid_worker" })
            await expectFailure(.permissionDenied) { _ = try await f.client.call(IdentityAPI.RoleRevoke.self, .init(bindingID: bindingID), token: sys) }
        }
    }

    @Test("a binding follows its node: after org.move a fresh login's token carries the grid's new path")
    func bindingFollowsMove() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            _ = try await f.bootstrap("secadmin", .securityAdministrator)
            let sys = try await f.login("sysadmin").accessToken
            let sec = try await f.login("secadmin").accessToken
            let worker = try await f.client.call(
                IdentityAPI.UserCreate.self, .init(loginName: "worker1", displayName: "王网格", password: AccountFixture.password), token: sys)
            _ = try await f.client.call(
                IdentityAPI.RoleGrant.self, .init(userID: worker.id, role: "grid_worker", nodeID: try await f.nodeID("d01.s01.c01.g001")), token: sec)

            let before = try await f.claims(try await f.login("worker1").accessToken)
            #expect(before.roles.map(\.path.description) == ["d01.s01.c01.g001"])

            _ = try await f.client.call(IdentityAPI.OrgMove.self, .init(path: "d01.s01.c01", newParentPath: "d01.s02"), token: f.rootAdmin)

            let after = try await f.claims(try await f.login("worker1").accessToken)
            #expect(after.roles.map(\.path.description) == ["d01.s02.c01.g001"])
            let account = try await f.client.call(IdentityAPI.UserGet.self, .init(id: worker.id), token: sys)
            #expect(account.roles.map(\.path) == ["d01.s02.c01.g001"])

            let list = try await f.client.call(IdentityAPI.UserList.self, .init(limit: 2), token: sys)
            #expect(list.users.map(\.loginName) == ["secadmin", "sysadmin"] && list.nextCursor != nil)
            let rest = try await f.client.call(IdentityAPI.UserList.self, .init(cursor: list.nextCursor, limit: 2), token: sys)
            #expect(rest.users.map(\.loginName) == ["worker1"] && rest.nextCursor == nil)
            #expect(rest.users.first?.roles.map(\.path) == ["d01.s02.c01.g001"])
            #expect(list.users.map { $0.roles.map(\.role) } == [["security_administrator"], ["system_administrator"]])
        }
    }
}
