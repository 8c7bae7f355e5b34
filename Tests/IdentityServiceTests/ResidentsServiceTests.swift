import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import IdentityService
import Testing
import TestSupport

/// Households and residents over TLS and a real database: masking, unmasked reads with
/// their audit entries, search by phone through the keyed hash, and validation.
@Suite("Households and residents over TLS and a real database")
struct ResidentsServiceTests {
    /// Two textbook ID-card numbers with valid check characters (GB 11643's examples).
    static let idNumber = "11010519491231002X"
    static let otherIDNumber = "440524188001010014"

    private struct Harness {
        var client: DistrictClient
        var database: Database
        var gridWorker: String
        var otherGridWorker: String
        var streetOperator: String
        var admin: String
        var unit: String
    }

    /// d01 → s01 → c01 → g001 → x01 → b01 → u1, and s02 → c02 → g002 beside it.
    private func withService(_ body: (Harness) async throws -> Void) async throws {
        try await RunningService.with(IdentityService.definition) { service in
            let admin = try service.token("admin", .systemAdministrator, at: "d01")
            let tree: [(String?, String, OrgKind)] = [
                (nil, "d01", .district), ("d01", "s01", .street), ("d01.s01", "c01", .community), ("d01.s01.c01", "g001", .grid),
                ("d01.s01.c01.g001", "x01", .compound), ("d01.s01.c01.g001.x01", "b01", .building),
                ("d01.s01.c01.g001.x01.b01", "u1", .unit),
                ("d01", "s02", .street), ("d01.s02", "c02", .community), ("d01.s02.c02", "g002", .grid),
            ]
            for (parent, code, kind) in tree {
                _ = try await service.client.call(IdentityAPI.OrgCreate.self, .init(parentPath: parent, code: code, kind: kind, name: code), token: admin)
            }
            try await body(Harness(
                client: service.client, database: service.database,
                gridWorker: try service.token("grid-worker", .gridWorker, at: "d01.s01.c01.g001"),
                otherGridWorker: try service.token("other-grid-worker", .gridWorker, at: "d01.s02.c02.g002"),
                streetOperator: try service.token("street-op", .streetCommandCentre, at: "d01.s01"),
                admin: admin,
                unit: try await nodeID("d01.s01.c01.g001.x01.b01.u1", service.database)))
        }
    }

    private func code(_ error: any Error) -> ErrorCode? { (error as? DistrictError)?.code }

    private func register(_ h: Harness, door: String = "0301") async throws -> (Household, Resident) {
        let household = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: h.unit, door: door), token: h.gridWorker)
        let resident = try await h.client.call(
            IdentityAPI.ResidentCreate.self,
            .init(householdID: household.id, name: " 张三 ", phone: "138 1234-5678", idNumber: Self.idNumber.lowercased()), token: h.gridWorker)
        return (household, resident)
    }

    @Test("personal data is masked by default and sealed at rest")
    func maskedByDefault() async throws {
        try await withService { h in
            let (household, created) = try await register(h)
            #expect(household.nodePath == "d01.s01.c01.g001.x01.b01.u1" && household.door == "0301")
            #expect(created.name == "张三" && created.masked)
            #expect(created.phone == "138****5678")
            #expect(created.idNumber == "110***********002X")

            for token in [h.gridWorker, h.streetOperator] {
                let read = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id), token: token)
                #expect(read == created)
            }
            // Neither the number nor the ID appears in the clear anywhere in the row.
            #expect(try await sqlCount(
                """
                SELECT count(*)::int FROM identity.residents
                WHERE phone_sealed IS NOT NULL AND id_number_sealed IS NOT NULL
                  AND position('13812345678'::bytea in phone_sealed) = 0 AND phone_hash <> '13812345678'
                  AND position('11010519491231002X'::bytea in id_number_sealed) = 0
                """, h.database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log", h.database) == 0)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log WHERE stream = 'identity.residents'", h.database) == 2)
        }
    }

    @Test("an unmasked read by an allowed role returns the numbers and writes exactly one audit entry")
    func unmaskedIsAudited() async throws {
        try await withService { h in
            let (_, created) = try await register(h)
            let read = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id, unmasked: true), token: h.gridWorker)
            #expect(!read.masked && read.phone == "13812345678" && read.idNumber == Self.idNumber)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log", h.database) == 1)
            #expect(try await sqlCount(
                """
                SELECT count(*)::int FROM identity.audit_log
                WHERE actor_subject = 'grid-worker' AND action = 'resident.read_unmasked' AND outcome = 'success'
                  AND target_kind = 'resident' AND target_id = '\(created.id)' AND org_path = 'd01.s01.c01.g001.x01.b01.u1'
                  AND details->>'method' = 'resident.get'
                """, h.database) == 1)
            // A masked read adds nothing to the audit log.
            _ = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id, unmasked: false), token: h.gridWorker)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log", h.database) == 1)
        }
    }

    @Test("a role without personal_data.read_unmasked is refused an unmasked read (audited as denied); outside its reach, any read")
    func refusedRoles() async throws {
        try await withService { h in
            let (_, created) = try await register(h)
            await #expect { _ = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id, unmasked: true), token: h.streetOperator) } throws: {
                code($0) == .permissionDenied
            }
            #expect(try await sqlCount(
                "SELECT count(*)::int FROM identity.audit_log WHERE actor_subject = 'street-op' AND outcome = 'denied' AND target_id = '\(created.id)'",
                h.database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log WHERE outcome = 'success'", h.database) == 0)
            // The street operator still reads it masked.
            #expect(try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id), token: h.streetOperator).phone == "138****5678")
            // A grid worker of another grid reaches neither the resident nor the unit.
            for unmasked in [false, true] {
                await #expect { _ = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id, unmasked: unmasked), token: h.otherGridWorker) } throws: {
                    code($0) == .permissionDenied
                }
            }
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: h.unit, door: "0101"), token: h.otherGridWorker) } throws: {
                code($0) == .permissionDenied
            }
            // The system administrator writes the org tree, not residents.
            await #expect { _ = try await h.client.call(IdentityAPI.ResidentGet.self, .init(id: created.id), token: h.admin) } throws: {
                code($0) == .permissionDenied
            }
        }
    }

    @Test("findByPhone finds through the keyed hash, in any spelling of the number, within the caller's subtree only")
    func findByPhone() async throws {
        try await withService { h in
            let (household, created) = try await register(h)
            // A second resident of the same household shares the phone; a third has another.
            _ = try await h.client.call(
                IdentityAPI.ResidentCreate.self, .init(householdID: household.id, name: "李四", phone: "13812345678", idNumber: Self.otherIDNumber), token: h.gridWorker)
            _ = try await h.client.call(IdentityAPI.ResidentCreate.self, .init(householdID: household.id, name: "张小小", phone: "13900001111"), token: h.gridWorker)

            for spelling in ["13812345678", "+86 138 1234 5678", "8613812345678", "138-1234-5678"] {
                let found = try await h.client.call(IdentityAPI.ResidentFindByPhone.self, .init(phone: spelling, path: "d01.s01"), token: h.streetOperator)
                #expect(found.residents.map(\.name).sorted() == ["张三", "李四"])
                #expect(found.residents.allSatisfy { $0.masked && $0.phone == "138****5678" })
            }
            #expect(try await h.client.call(IdentityAPI.ResidentFindByPhone.self, .init(phone: "13700000000", path: "d01.s01"), token: h.streetOperator).residents.isEmpty)
            // Another grid's worker searching their own grid finds nothing of ours.
            #expect(try await h.client.call(IdentityAPI.ResidentFindByPhone.self, .init(phone: "13812345678", path: "d01.s02.c02.g002"), token: h.otherGridWorker).residents.isEmpty)
            await #expect { _ = try await h.client.call(IdentityAPI.ResidentFindByPhone.self, .init(phone: "13812345678", path: "d01.s01"), token: h.otherGridWorker) } throws: {
                code($0) == .permissionDenied
            }

            let unmasked = try await h.client.call(
                IdentityAPI.ResidentFindByPhone.self, .init(phone: "13812345678", path: "d01.s01.c01.g001", unmasked: true), token: h.gridWorker)
            #expect(unmasked.residents.count == 2 && unmasked.residents.allSatisfy { !$0.masked && $0.phone == "13812345678" })
            #expect(Set(unmasked.residents.compactMap(\.idNumber)) == [Self.idNumber, Self.otherIDNumber])
            #expect(try await sqlCount(
                "SELECT count(*)::int FROM identity.audit_log WHERE action = 'resident.read_unmasked' AND outcome = 'success' AND details->>'method' = 'resident.findByPhone'",
                h.database) == 2)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log WHERE target_id = '\(created.id)'", h.database) == 1)
            await #expect { _ = try await h.client.call(IdentityAPI.ResidentFindByPhone.self, .init(phone: "13812345678", path: "d01.s01", unmasked: true), token: h.streetOperator) } throws: {
                code($0) == .permissionDenied
            }
        }
    }

    @Test("invalid phone, ID number, name, door or node is refused with the field named, and nothing is written")
    func validation() async throws {
        try await withService { h in
            let (household, _) = try await register(h)
            let residentsBefore = try await sqlCount("SELECT count(*)::int FROM identity.residents", h.database)
            let eventsBefore = try await sqlCount("SELECT count(*)::int FROM events.log", h.database)
            let bad: [(IdentityAPI.ResidentCreate.Params, String, String)] = [
                (.init(householdID: household.id, name: "王五", phone: "1381234567"), "phone", "11-digit"),
                (.init(householdID: household.id, name: "王五", phone: "12812345678"), "phone", "13–19"),
                (.init(householdID: household.id, name: "王五", phone: "1381234567a"), "phone", "11-digit"),
                (.init(householdID: household.id, name: "王五", idNumber: "110105194912310021"), "idNumber", "check digit"),
                (.init(householdID: household.id, name: "王五", idNumber: "11010519491231002"), "idNumber", "18 characters"),
                (.init(householdID: household.id, name: "王五", idNumber: "110105194913310028"), "idNumber", "birth date"),
                (.init(householdID: household.id, name: "   "), "name", "empty"),
                (.init(householdID: household.id, name: String(repeating: "名", count: 33)), "name", "at most 32"),
                (.init(householdID: "not-a-uuid", name: "王五"), "householdID", "UUID"),
            ]
            for (params, field, words) in bad {
                await #expect { _ = try await h.client.call(IdentityAPI.ResidentCreate.self, params, token: h.gridWorker) } throws: {
                    code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == field
                        && ($0 as? DistrictError)?.message.contains(words) == true
                }
            }
            // One ID-card number registers one resident.
            await #expect { _ = try await h.client.call(IdentityAPI.ResidentCreate.self, .init(householdID: household.id, name: "冒名", idNumber: Self.idNumber), token: h.gridWorker) } throws: {
                code($0) == .alreadyExists
            }
            // Households: a building or unit only, a well-formed door, one per door.
            let grid = try await nodeID("d01.s01.c01.g001", h.database)
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: grid, door: "0101"), token: h.gridWorker) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "nodeID"
            }
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: h.unit, door: "3 01"), token: h.gridWorker) } throws: {
                code($0) == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "door"
            }
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: h.unit, door: "0301"), token: h.gridWorker) } throws: {
                code($0) == .alreadyExists
            }
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: UUID().uuidString, door: "0101"), token: h.gridWorker) } throws: {
                code($0) == .notFound
            }
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.residents", h.database) == residentsBefore)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.households", h.database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log", h.database) == eventsBefore)
        }
    }

    @Test("household.list pages through a subtree by node path and door")
    func listHouseholds() async throws {
        try await withService { h in
            for door in ["0102", "0101", "0201", "0202", "0301"] {
                _ = try await h.client.call(IdentityAPI.HouseholdCreate.self, .init(nodeID: h.unit, door: door), token: h.gridWorker)
            }
            var doors: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let page = try await h.client.call(IdentityAPI.HouseholdList.self, .init(path: "d01.s01", cursor: cursor, limit: 2), token: h.streetOperator)
                doors += page.households.map(\.door)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil && pages < 10
            #expect(doors == ["0101", "0102", "0201", "0202", "0301"])
            #expect(pages == 3)
            #expect(try await h.client.call(IdentityAPI.HouseholdList.self, .init(path: "d01.s02.c02.g002"), token: h.otherGridWorker).households.isEmpty)
            await #expect { _ = try await h.client.call(IdentityAPI.HouseholdList.self, .init(path: "d01.s01"), token: h.otherGridWorker) } throws: {
                code($0) == .permissionDenied
            }
        }
    }
}
