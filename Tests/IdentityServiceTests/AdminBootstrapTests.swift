import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictRuntime
import DistrictStorage
import Foundation
import IdentityService
import Logging
import Testing
import TestSupport

@Suite("Bootstrapping the first administrators")
struct AdminBootstrapTests {
    @Test("create-admin on a fresh database: root and three administrators; again changes nothing; a taken login is refused")
    func districtctlCreateAdmin() async throws {
        let configuration = try await TestDatabase.createFreshDatabase()
        let url = "postgres://\(configuration.username)@\(configuration.host):\(configuration.port)/\(configuration.database)?sslmode=disable"
        var environment = ProcessInfo.processInfo.environment
        environment["DISTRICT_PASSWORD_ITERATIONS"] = "1000"
        environment["DISTRICT_ADMIN_PASSWORD"] = "Sys-admin-pass-1"
        environment["DISTRICT_SECURITY_ADMIN_PASSWORD"] = "Sec-admin-pass-2"
        environment["DISTRICT_AUDITOR_PASSWORD"] = "Auditor-pass-3"
        let executable = "\(ChildProcess.productsDirectory)/districtctl"
        let arguments = [
            "accounts", "create-admin", "--database-url", url, "--district-code", "d01", "--district-name", "示范区",
            "--login", "sysadmin", "--security-admin", "secadmin", "--auditor", "auditor",
        ]

        let first = try await runProcess(executable, arguments, environment: environment)
        #expect(first.status == 0, "\(first.text)")
        #expect(first.text.contains("created sysadmin (system_administrator)"))
        #expect(first.text.contains("created secadmin (security_administrator)"))
        #expect(first.text.contains("created auditor (auditor)"))
        let again = try await runProcess(executable, arguments, environment: environment)
        #expect(again.status == 0, "\(again.text)")
        #expect(again.text.contains("sysadmin already holds system_administrator; nothing changed"))

        // A login taken by an account without the role, and a weak password, are refused.
        let taken = try await runProcess(
            executable, ["accounts", "create-admin", "--database-url", url, "--login", "secadmin"], environment: environment)
        #expect(taken.status != 0)
        #expect(taken.text.contains("already exists"), "\(taken.text)")
        var weak = environment
        weak["DISTRICT_ADMIN_PASSWORD"] = "weak"
        let refused = try await runProcess(executable, ["accounts", "create-admin", "--database-url", url, "--login", "other"], environment: weak)
        #expect(refused.status != 0)
        #expect(refused.text.contains("at least 10 characters"), "\(refused.text)")

        // The service on that database lets each of them log in with their role at the root.
        let settings = AccountSettings(passwordIterations: 1_000)
        try await RunningService.with(IdentityService.makeDefinition(accounts: settings), databaseURL: url) { service in
            for (login, password, role) in [
                ("sysadmin", "Sys-admin-pass-1", Role.systemAdministrator), ("secadmin", "Sec-admin-pass-2", .securityAdministrator),
                ("auditor", "Auditor-pass-3", .auditor),
            ] {
                let grant = try await service.client.call(IdentityAPI.AuthLogin.self, .init(loginName: login, password: password))
                let other = Authenticator(keyRing: KeyRing(database: service.database, logger: Logger(label: "test")))
                try await other.keyRing.refresh()
                let principal = try await other.claims(for: grant.accessToken).principal
                #expect(principal.bindings.map(\.role) == [role])
                #expect(principal.bindings.map(\.path.description) == ["d01"])
            }
            let root = try await service.client.call(IdentityAPI.OrgGet.self, .init(path: "d01"), token: try service.token("t", .auditor, at: "d01"))
            #expect(root.node.kind == .district && root.node.name == "示范区")
        }
        try? await TestDatabase.dropDatabase(configuration)
    }
}
