import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import Foundation
import IdentityService
import Testing
import TestSupport

@Suite("Accounts under concurrent requests")
struct AccountConcurrencyTests {
    @Test("two administrator roles granted at once to one account: exactly one wins")
    func concurrentAdminGrants() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            _ = try await f.bootstrap("secadmin", .securityAdministrator)
            let sys = try await f.login("sysadmin").accessToken
            let sec = try await f.login("secadmin").accessToken
            let root = try await f.nodeID("d01")
            let client = f.client
            for round in 0..<5 {
                let user = try await client.call(
                    IdentityAPI.UserCreate.self, .init(loginName: "staff\(round)", displayName: "员工\(round)", password: AccountFixture.password), token: sys)
                async let first: Bool = Self.succeeds {
                    _ = try await client.call(IdentityAPI.RoleGrant.self, .init(userID: user.id, role: "auditor", nodeID: root), token: sec)
                }
                async let second: Bool = Self.succeeds {
                    _ = try await client.call(IdentityAPI.RoleGrant.self, .init(userID: user.id, role: "system_administrator", nodeID: root), token: sec)
                }
                let outcomes = await [first, second]
                #expect(outcomes.filter { $0 }.count == 1, "round \(round): \(outcomes)")
                let account = try await client.call(IdentityAPI.UserGet.self, .init(id: user.id), token: sys)
                #expect(account.roles.count == 1)
            }
        }
    }

    @Test("one refresh token exchanged twice at once: at most one exchange succeeds, and then the family is revoked")
    func concurrentRefresh() async throws {
        try await AccountFixture.with { f in
            _ = try await f.bootstrap("sysadmin", .systemAdministrator)
            let token = try #require(try await f.login("sysadmin").refreshToken)
            let client = f.client
            async let first = Self.refreshed(client, token)
            async let second = Self.refreshed(client, token)
            let results = await [first, second]
            let issued = results.compactMap { $0 }
            #expect(issued.count == 1, "\(results)")
            for fresh in issued {
                await expectFailure(.unauthenticated, "the second exchange counted as reuse and revoked the family") {
                    _ = try await client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: fresh))
                }
            }
        }
    }

    private static func succeeds(_ body: () async throws -> Void) async -> Bool {
        do {
            try await body()
            return true
        } catch {
            return false
        }
    }

    private static func refreshed(_ client: DistrictClient, _ token: String) async -> String? {
        try? await client.call(IdentityAPI.AuthRefresh.self, .init(refreshToken: token)).refreshToken
    }
}
