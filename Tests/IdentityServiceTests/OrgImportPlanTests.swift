import DistrictAuth
import DistrictContracts
import DistrictProtocol
import IdentityService
import Testing

/// Parsing and planning an import without a database.
@Suite("Org import plan (pure)")
struct OrgImportPlanTests {
    @Test("CSV: quotes, doubled quotes, CRLF, a BOM and blank lines; rows are line numbers")
    func csv() throws {
        let rows = try OrgImportRow.rows(fromCSV: "\u{FEFF}code,kind,name,parent_code\r\nd01,district,\"区, 示范\",\r\n\r\ns01,street,\"新\"\"华\"\"\",d01\r\n")
        #expect(rows.map(\.row) == [2, 4])
        #expect(rows.map(\.name) == ["区, 示范", "新\"华\""])
        #expect(rows[0].parentCode == nil && rows[1].parentCode == "d01")
        for (text, row) in [
            ("code,kind,name,parent_code\nd01,district,a,\nx\"y,street,b,d01\n", "3"),
            ("code,kind,name,parent_code\nd01,district,\"a\"b,\n", "2"),
            ("code,kind,name,parent_code\nd01,district,a,,\n", "2"),
            ("code,kind,name\n", "1"),
            ("", "1"),
        ] {
            let error = #expect(throws: DistrictError.self) { try OrgImportRow.rows(fromCSV: text) }
            #expect(error?.details?["row"] == row, "\(text)")
        }
    }

    @Test("paths come from parent codes, parents before children, whatever the row order")
    func plan() throws {
        let rows = [
            OrgImportRow(row: 1, code: "g1", kind: "grid", name: "网格", parentCode: "c1"),
            OrgImportRow(row: 2, code: "c1", kind: "community", name: "社区", parentCode: ""),
            OrgImportRow(row: 3, code: "c1p", kind: "community_party_committee", name: "党委", parentCode: "c1"),
        ]
        let plan = try OrgImportPlan(rows: rows, under: (try OrgPath("d01.s01"), .street))
        #expect(plan.rootPaths.map(\.description) == ["d01.s01.c1"])
        #expect(plan.entries.map(\.path.description) == ["d01.s01.c1", "d01.s01.c1.g1", "d01.s01.c1.c1p"])
        #expect(plan.countsByKind == [.community: 1, .grid: 1, .communityPartyCommittee: 1])
        // A second root with the same code is a duplicate, reported at its own row.
        let twice = [
            OrgImportRow(row: 1, code: "s9", kind: "street", name: "x", parentCode: nil),
            OrgImportRow(row: 2, code: "s9", kind: "street", name: "y", parentCode: nil),
        ]
        let error = #expect(throws: DistrictError.self) { try OrgImportPlan(rows: twice, under: (try OrgPath("d01"), .district)) }
        #expect(error?.details?["row"] == "2" && error?.details?["field"] == "code")
    }
}
