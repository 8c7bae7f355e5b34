import DistrictAuth
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import IdentityService
import Logging
import Testing
import TestSupport

/// The demo district: its shape against the seeds' figures, its determinism, and a seed
/// that a second run leaves unchanged.
@Suite("Demo district")
struct DemoDistrictTests {
    static let district = DemoDistrict()

    @Test("shaped like the seeds: 16 streets and townships, ~150 communities, ~570 grids, the party tree, 12 departments")
    func shape() throws {
        let kinds = Self.district.countsByKind
        let streets = kinds[.street, default: 0] + kinds[.township, default: 0]
        let communities = kinds[.community, default: 0] + kinds[.village, default: 0]
        let grids = kinds[.grid, default: 0]
        #expect(kinds[.district] == 1)
        #expect((12...16).contains(streets), "\(streets) streets and townships")
        #expect((140...160).contains(communities), "\(communities) communities and villages")
        #expect((550...600).contains(grids), "\(grids) grids")
        #expect(kinds[.department] == 12)
        #expect(kinds[.streetPartyCommittee] == streets)
        #expect(kinds[.communityPartyCommittee] == communities)
        #expect(kinds[.gridPartyBranch] == grids)
        #expect(kinds[.mediationBody, default: 0] >= 1 + streets + communities)
        #expect(kinds[.legalStation, default: 0] >= 1 + streets + communities)
        #expect(kinds[.buildingPartyGroup] == kinds[.building])

        let households = Self.district.households
        #expect((2_000...6_000).contains(households.count), "\(households.count) households")
        #expect(households.allSatisfy { (1...5).contains($0.residents.count) })
        #expect(Set(households.map { "\($0.unitPath)/\($0.door)" }).count == households.count)
        let residents = households.flatMap(\.residents)
        #expect(Set(residents.map(\.idNumber)).count == residents.count, "ID-card numbers are unique")
        for resident in residents {
            #expect(try ResidentRules.normalizedIDNumber(resident.idNumber) == resident.idNumber)
            if let phone = resident.phone { #expect(try ResidentRules.normalizedPhone(phone) == phone) }
            #expect(try ResidentRules.validatedName(resident.name) == resident.name)
        }
        #expect(residents.filter { $0.phone != nil }.count > residents.count / 2)

        // It is a valid import: every kind under an allowed parent, codes unique.
        let plan = try OrgImportPlan(rows: Self.district.nodes, under: nil)
        #expect(plan.rootPaths.map(\.description) == [DemoDistrict.rootCode])
        let unitPaths = Set(plan.entries.filter { $0.kind == .unit }.map(\.path.description))
        #expect(households.allSatisfy { unitPaths.contains($0.unitPath) })
        #expect(!Self.district.accounts.isEmpty && Self.district.accounts.allSatisfy { account in
            plan.entries.contains { $0.path.description == account.path }
        })
    }

    @Test("the same seed gives the same district; another seed another")
    func deterministic() {
        let again = DemoDistrict()
        #expect(again.nodes == Self.district.nodes)
        #expect(again.households == Self.district.households)
        let other = DemoDistrict(seed: 7)
        #expect(other.nodes.count == Self.district.nodes.count)
        #expect(other.households != Self.district.households)
    }

    @Test("seeding twice leaves the same rows; the seeded residents are found by phone through the service")
    func seedTwice() async throws {
        try await RunningService.with(IdentityService.definition) { service in
            // The secret the service itself uses, so that it can open what the seed sealed.
            let secret = try IdentitySecret.load(path: "\(TestPKI.shared.directory)/district-secret.key")
            let logger = Logger(label: "test.seed")
            let district = Self.district
            let first = try await DemoSeeder.seed(district, secret: secret, database: service.database, logger: logger)
            #expect(first.nodesAdded == district.nodes.count)
            #expect(first.householdsAdded == district.households.count)
            #expect(first.residentsAdded == district.residentCount)
            #expect(!first.changedNothing)

            func counts() async throws -> [Int] {
                [
                    try await sqlCount("SELECT count(*)::int FROM identity.org_nodes", service.database),
                    try await sqlCount("SELECT count(*)::int FROM identity.households", service.database),
                    try await sqlCount("SELECT count(*)::int FROM identity.residents", service.database),
                    try await sqlCount("SELECT count(*)::int FROM events.log", service.database),
                ]
            }
            let before = try await counts()
            #expect(before == [district.nodes.count, district.households.count, district.residentCount, 2])

            let second = try await DemoSeeder.seed(district, secret: secret, database: service.database, logger: logger)
            #expect(second.changedNothing)
            #expect(second.nodesTotal == first.nodesTotal && second.householdsTotal == first.householdsTotal && second.residentsTotal == first.residentsTotal)
            #expect(try await counts() == before)

            // A grid worker of the demo grid finds a seeded resident by phone, unmasked.
            let household = try #require(district.households.first { $0.residents.first?.phone != nil })
            let resident = household.residents[0]
            let gridPath = household.unitPath.split(separator: ".").prefix(4).joined(separator: ".")
            let worker = try service.token("demo-worker", .gridWorker, at: gridPath)
            let found = try await service.client.call(
                IdentityAPI.ResidentFindByPhone.self, .init(phone: resident.phone!, path: gridPath, unmasked: true), token: worker)
            #expect(found.residents.contains { $0.name == resident.name && $0.idNumber == resident.idNumber && $0.door == household.door })
        }
    }

    @Test("two seeds at once (two replicas of the command): everything is written once")
    func concurrentSeeds() async throws {
        try await RunningService.with(IdentityService.definition) { service in
            let secret = IdentitySecret.random()
            let logger = Logger(label: "test.seed")
            let district = Self.district
            async let first = DemoSeeder.seed(district, secret: secret, database: service.database, logger: logger)
            async let second = DemoSeeder.seed(district, secret: secret, database: service.database, logger: logger)
            let reports = try await [first, second]
            #expect(reports.map(\.nodesAdded).sorted() == [0, district.nodes.count])
            #expect(reports.map(\.residentsAdded).sorted() == [0, district.residentCount])
            #expect(reports.filter(\.changedNothing).count == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.residents", service.database) == district.residentCount)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log WHERE type = 'org.imported'", service.database) == 1)
        }
    }

    @Test("demo staff accounts: one per listed account, every role, each able to log in; a second seed adds none")
    func demoUsers() async throws {
        let settings = AccountSettings(passwordIterations: 1_000)
        try await RunningService.with(IdentityService.makeDefinition(accounts: settings)) { service in
            let district = Self.district
            #expect(Set(district.accounts.map(\.role)) == Set(Role.all))
            let password = "Demo-district-2026"
            let users = try DemoUsersStep(password: password, iterations: 1_000)
            let logger = Logger(label: "test.seed")
            let secret = IdentitySecret.random()
            let first = try await DemoSeeder.seed(district, secret: secret, database: service.database, steps: [users], logger: logger)
            #expect(first.stepsAdded["users"] == district.accounts.count)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.role_bindings", service.database) == district.accounts.count)
            let second = try await DemoSeeder.seed(district, secret: secret, database: service.database, steps: [users], logger: logger)
            #expect(second.stepsAdded["users"] == 0 && second.changedNothing)

            // A street centre logs in and its token reaches its street.
            let centre = try #require(district.accounts.first { $0.role == .streetCommandCentre })
            let grant = try await service.client.call(IdentityAPI.AuthLogin.self, .init(loginName: centre.username, password: password))
            let node = try await service.client.call(IdentityAPI.OrgGet.self, .init(path: centre.path), token: grant.accessToken)
            #expect(node.node.path == centre.path)
            // A weak demo password is refused before anything is written.
            #expect(throws: DistrictError.self) { _ = try DemoUsersStep(password: "short") }
        }
    }
}
