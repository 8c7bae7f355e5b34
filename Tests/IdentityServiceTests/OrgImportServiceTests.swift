import DistrictAuth
import DistrictClient
import DistrictContracts
import DistrictProtocol
import DistrictStorage
import Foundation
import IdentityService
import Testing
import TestSupport

/// `org.import` over TLS: JSON and CSV, whole district and subtree, and every refusal
/// leaving the database untouched.
@Suite("org.import over TLS and a real database")
struct OrgImportServiceTests {
    typealias Node = IdentityAPI.OrgImport.Node

    /// A small district: d01, two streets with party committees, three communities, five grids.
    static let district: [Node] = [
        Node(code: "d01", kind: "district", name: "示范区", parentCode: nil),
        Node(code: "s01", kind: "street", name: "新华街道", parentCode: "d01"),
        Node(code: "s02", kind: "street", name: "和平街道", parentCode: "d01"),
        Node(code: "s01p", kind: "street_party_committee", name: "新华街道党工委", parentCode: "s01"),
        Node(code: "c01", kind: "community", name: "东风社区", parentCode: "s01"),
        Node(code: "c02", kind: "community", name: "红旗社区", parentCode: "s01"),
        Node(code: "c03", kind: "community", name: "光明社区", parentCode: "s02"),
        Node(code: "g001", kind: "grid", name: "第一网格", parentCode: "c01"),
        Node(code: "g002", kind: "grid", name: "第二网格", parentCode: "c01"),
        Node(code: "g003", kind: "grid", name: "第三网格", parentCode: "c02"),
        Node(code: "g004", kind: "grid", name: "第四网格", parentCode: "c03"),
        Node(code: "g004p", kind: "grid_party_branch", name: "第四网格党支部", parentCode: "g004"),
        Node(code: "urban_mgmt", kind: "department", name: "区城市管理局", parentCode: "d01"),
    ]

    private func code(_ error: any Error) -> ErrorCode? { (error as? DistrictError)?.code }

    private func withService(_ body: (DistrictClient, Database, _ admin: String, RunningService) async throws -> Void) async throws {
        try await RunningService.with(IdentityService.definition) { service in
            try await body(service.client, service.database, try service.token("admin", .systemAdministrator, at: "d01"), service)
        }
    }

    @Test("a whole district as JSON: one transaction, paths from parent codes, one org.imported event")
    func importJSON() async throws {
        let nodes = Self.district
        try await withService { client, database, admin, _ in
            let result = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: nil, nodes: nodes), token: admin)
            #expect(result.imported == nodes.count && result.rootPaths == ["d01"])
            let got = try await client.call(IdentityAPI.OrgGet.self, .init(path: "d01.s02.c03.g004.g004p"), token: admin)
            #expect(got.node.kind == .gridPartyBranch && got.ancestors.map(\.code) == ["d01", "s02", "c03", "g004"])
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes", database) == nodes.count)
            #expect(try await sqlCount("SELECT count(DISTINCT created_at)::int FROM identity.org_nodes", database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log WHERE type = 'org.imported' AND org_path = 'd01'", database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log", database) == 1)
            #expect(try await sqlCount(
                "SELECT count(*)::int FROM identity.audit_log WHERE action = 'org.import' AND actor_subject = 'admin' AND org_path = 'd01' AND details->>'imported' = '\(nodes.count)'",
                database) == 1)
        }
    }

    @Test("a subtree as CSV under an existing node, with quoted names, CRLF and blank lines")
    func importCSV() async throws {
        try await withService { client, database, admin, _ in
            _ = try await client.call(IdentityAPI.OrgCreate.self, .init(parentPath: nil, code: "d01", kind: .district, name: "示范区"), token: admin)
            _ = try await client.call(IdentityAPI.OrgCreate.self, .init(parentPath: "d01", code: "s01", kind: .street, name: "新华街道"), token: admin)
            let csv = "code,kind,name,parent_code\r\nc01,community,东风社区,\r\n\r\ng001,grid,\"第一网格, 东区\",c01\r\ng002,grid,\"老\"\"王\"\"网格\",c01\r\nc01m,mediation_body,东风社区人民调解委员会,c01\r\n"
            let result = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: "d01.s01", csv: csv), token: admin)
            #expect(result.imported == 4 && result.rootPaths == ["d01.s01.c01"])
            let children = try await client.call(IdentityAPI.OrgChildren.self, .init(path: "d01.s01.c01"), token: admin)
            #expect(children.nodes.map(\.name) == ["东风社区人民调解委员会", "第一网格, 东区", "老\"王\"网格"])
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes", database) == 6)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log WHERE type = 'org.imported' AND org_path = 'd01.s01'", database) == 1)
        }
    }

    @Test("only org.write at the parent may import")
    func importNeedsOrgWrite() async throws {
        try await withService { client, database, admin, service in
            _ = try await client.call(IdentityAPI.OrgCreate.self, .init(parentPath: nil, code: "d01", kind: .district, name: "示范区"), token: admin)
            let streetOperator = try service.token("street-op", .streetCommandCentre, at: "d01")
            await #expect {
                _ = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: "d01", csv: "code,kind,name,parent_code\ns09,street,x,\n"), token: streetOperator)
            } throws: { code($0) == .permissionDenied }
            let otherAdmin = try service.token("admin2", .systemAdministrator, at: "d02")
            await #expect {
                _ = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: nil, nodes: [Node(code: "d01x", kind: "district", name: "x", parentCode: nil)]), token: otherAdmin)
            } throws: { code($0) == .permissionDenied }
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes", database) == 1)
        }
    }

    /// Each refusal: the error code, the row, the field and words of the message.
    struct BadImport: Sendable, CustomTestStringConvertible {
        var label: String
        var parentPath: String?
        var nodes: [Node]?
        var csv: String?
        var code: ErrorCode
        var row: String?
        var field: String?
        var words: String
        var testDescription: String { label }
    }

    static let badImports: [BadImport] = [
        BadImport(
            label: "unknown parent code", parentPath: "d01",
            nodes: [Node(code: "s09", kind: "street", name: "九街道", parentCode: nil), Node(code: "c91", kind: "community", name: "x", parentCode: "s99")],
            code: .invalidParams, row: "2", field: "parentCode", words: "unknown parent code 's99'"),
        BadImport(
            label: "duplicate code in the file", parentPath: "d01",
            csv: "code,kind,name,parent_code\ns09,street,九街道,\nc91,community,甲社区,s09\nc91,community,乙社区,s09\n",
            code: .invalidParams, row: "4", field: "code", words: "appears twice in the import (first in row 3)"),
        BadImport(
            label: "duplicate against the database", parentPath: "d01",
            nodes: [Node(code: "s09", kind: "street", name: "九街道", parentCode: nil), Node(code: "s01", kind: "street", name: "重复", parentCode: nil)],
            code: .alreadyExists, row: "2", field: "code", words: "already exists at d01.s01"),
        BadImport(
            label: "a cycle of parent codes", parentPath: "d01",
            nodes: [
                Node(code: "s09", kind: "street", name: "九街道", parentCode: nil),
                Node(code: "c91", kind: "community", name: "甲", parentCode: "c92"),
                Node(code: "c92", kind: "community", name: "乙", parentCode: "c91"),
            ],
            code: .invalidParams, row: "2", field: "parentCode", words: "cycle"),
        BadImport(
            label: "unknown kind", parentPath: "d01",
            csv: "code,kind,name,parent_code\ns09,street,九街道,\nh1,hamlet,小村,s09\n",
            code: .invalidParams, row: "3", field: "kind", words: "unknown kind 'hamlet'"),
        BadImport(
            label: "kind not allowed under its parent", parentPath: "d01",
            csv: "code,kind,name,parent_code\ns09,street,九街道,\ng91,grid,网格,s09\n",
            code: .invalidParams, row: "3", field: "kind", words: "a grid cannot sit under a street"),
        BadImport(
            label: "a root of the wrong kind for its existing parent", parentPath: "d01.s01",
            nodes: [Node(code: "s10", kind: "street", name: "街道", parentCode: nil)],
            code: .invalidParams, row: "1", field: "kind", words: "cannot sit under a street"),
        BadImport(
            label: "oversized name", parentPath: "d01",
            nodes: [Node(code: "s09", kind: "street", name: String(repeating: "长", count: 65), parentCode: nil)],
            code: .invalidParams, row: "1", field: "name", words: "at most 64"),
        BadImport(
            label: "malformed code", parentPath: "d01",
            nodes: [Node(code: "S-09", kind: "street", name: "九街道", parentCode: nil)],
            code: .invalidParams, row: "1", field: "code", words: "code 'S-09'"),
        BadImport(
            label: "CSV row with too few fields", parentPath: "d01",
            csv: "code,kind,name,parent_code\ns09,street,九街道,\nc91,community,甲社区,s09\nc92,community,乙社区\n",
            code: .invalidParams, row: "4", field: "csv", words: "expected 4 fields"),
        BadImport(
            label: "CSV row with an unclosed quote", parentPath: "d01",
            csv: "code,kind,name,parent_code\ns09,street,九街道,\nc91,community,\"甲社区,s09\n",
            code: .invalidParams, row: "3", field: "csv", words: "not closed"),
        BadImport(
            label: "CSV with a wrong header", parentPath: "d01",
            csv: "code,type,name,parent\ns09,street,九街道,\n",
            code: .invalidParams, row: "1", field: "csv", words: "header"),
        BadImport(
            label: "a whole district with two roots", parentPath: nil,
            nodes: [Node(code: "d01", kind: "district", name: "甲区", parentCode: nil), Node(code: "d02", kind: "district", name: "乙区", parentCode: nil)],
            code: .invalidParams, row: nil, field: "parentCode", words: "exactly one root"),
        BadImport(
            label: "a whole district that already exists", parentPath: nil,
            nodes: [Node(code: "d01", kind: "district", name: "示范区", parentCode: nil)],
            code: .alreadyExists, row: "1", field: "code", words: "already exists at d01"),
        BadImport(
            label: "no nodes", parentPath: "d01", nodes: [],
            code: .invalidParams, row: nil, field: "nodes", words: "no nodes"),
        BadImport(
            label: "both JSON and CSV", parentPath: "d01", nodes: [Node(code: "s09", kind: "street", name: "九", parentCode: nil)], csv: "code,kind,name,parent_code\n",
            code: .invalidParams, row: nil, field: "nodes", words: "exactly one"),
    ]

    @Test("every bad import is refused with its row and writes nothing", arguments: badImports)
    func refused(_ bad: BadImport) async throws {
        try await withService { client, database, admin, _ in
            let tree: [Node] = [
                Node(code: "d01", kind: "district", name: "示范区", parentCode: nil),
                Node(code: "s01", kind: "street", name: "新华街道", parentCode: "d01"),
            ]
            _ = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: nil, nodes: tree), token: admin)
            let error = await #expect(throws: DistrictError.self) {
                _ = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: bad.parentPath, nodes: bad.nodes, csv: bad.csv), token: admin)
            }
            #expect(error?.code == bad.code, "\(String(describing: error))")
            #expect(error?.details?["row"] == bad.row, "\(String(describing: error))")
            #expect(error?.details?["field"] == bad.field, "\(String(describing: error))")
            #expect(error?.message.contains(bad.words) == true, "\(String(describing: error))")
            if let row = bad.row { #expect(error?.message.hasPrefix("row \(row): ") == true) }
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes", database) == 2)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log WHERE type = 'org.imported'", database) == 1)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.audit_log WHERE action = 'org.import'", database) == 1)
        }
    }

    @Test("ten thousand nodes in one CSV call")
    func largeImport() async throws {
        var lines = ["code,kind,name,parent_code", "d01,district,大区,"]
        for street in 1...20 {
            lines.append("s\(street),street,街道\(street),d01")
            for community in 1...20 {
                lines.append("s\(street)c\(community),community,社区\(community),s\(street)")
                for grid in 1...24 {
                    lines.append("s\(street)c\(community)g\(grid),grid,网格\(grid),s\(street)c\(community)")
                }
            }
        }
        let expected = lines.count - 1
        #expect(expected == 10_021)
        try await withService { client, database, admin, _ in
            let started = ContinuousClock.now
            let result = try await client.call(IdentityAPI.OrgImport.self, .init(parentPath: nil, csv: lines.joined(separator: "\n")), token: admin)
            print("org.import of \(expected) nodes as CSV over TLS: \(ContinuousClock.now - started)")
            #expect(result.imported == expected)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes WHERE path <@ 'd01'", database) == expected)
            #expect(try await sqlCount("SELECT count(*)::int FROM identity.org_nodes WHERE kind = 'grid' AND nlevel(path) = 4", database) == 9_600)
            #expect(try await sqlCount("SELECT count(*)::int FROM events.log", database) == 1)
        }
    }
}
