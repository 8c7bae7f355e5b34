import DistrictContracts
import DistrictProtocol
import IdentityService
import Testing

@Suite("Org tree rules (pure)")
struct OrgRulesTests {
    @Test("the region tree nests district → street/township → community/village → grid → compound → building → unit")
    func regionChain() throws {
        let chain: [(OrgKind, OrgKind)] = [
            (.street, .district), (.township, .district), (.community, .street), (.village, .township),
            (.community, .township), (.grid, .community), (.grid, .village), (.compound, .grid),
            (.building, .compound), (.unit, .building),
        ]
        for (kind, parent) in chain {
            #expect(throws: Never.self) { try OrgRules.checkPlacement(of: kind, under: parent, field: "kind") }
        }
        let refused: [(OrgKind, OrgKind)] = [
            (.grid, .street), (.community, .district), (.unit, .compound), (.street, .street), (.district, .district),
            (.department, .street), (.building, .grid),
        ]
        for (kind, parent) in refused {
            #expect { try OrgRules.checkPlacement(of: kind, under: parent, field: "kind") } throws: {
                ($0 as? DistrictError)?.code == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "kind"
            }
        }
    }

    @Test("only a district is a root")
    func roots() throws {
        #expect(throws: Never.self) { try OrgRules.checkPlacement(of: .district, under: nil, field: "kind") }
        for kind in OrgKind.allCases where kind != .district {
            #expect(!OrgRules.allowedParents(of: kind).isEmpty)
            #expect { try OrgRules.checkPlacement(of: kind, under: nil, field: "kind") } throws: { ($0 as? DistrictError)?.code == .invalidParams }
        }
    }

    @Test("party nodes sit under the region node they serve; service bodies under district to community")
    func partyAndServiceBodies() throws {
        #expect(OrgRules.allowedParents(of: .streetPartyCommittee) == [.street, .township])
        #expect(OrgRules.allowedParents(of: .communityPartyCommittee) == [.community, .village])
        #expect(OrgRules.allowedParents(of: .gridPartyBranch) == [.grid, .compound])
        #expect(OrgRules.allowedParents(of: .buildingPartyGroup) == [.building])
        #expect(OrgRules.allowedParents(of: .department) == [.district])
        for kind in [OrgKind.mediationBody, .legalStation] {
            #expect(OrgRules.allowedParents(of: kind) == [.district, .street, .township, .community, .village])
        }
        #expect { try OrgRules.checkPlacement(of: .gridPartyBranch, under: .community, field: "kind") } throws: { _ in true }
        #expect { try OrgRules.checkPlacement(of: .legalStation, under: .grid, field: "kind") } throws: { _ in true }
    }

    @Test("names are trimmed, 1–64 characters, without control characters")
    func names() throws {
        #expect(try OrgRules.validatedName("  新华街道 \n") == "新华街道")
        #expect(try OrgRules.validatedName("\u{3000}第一网格\u{3000}") == "第一网格")
        #expect(try OrgRules.validatedName(String(repeating: "网", count: 64)).count == 64)
        for bad in ["", "   ", String(repeating: "网", count: 65), "新华\u{0007}街道", "a\nb", "tab\there"] {
            #expect { try OrgRules.validatedName(bad) } throws: {
                ($0 as? DistrictError)?.code == .invalidParams && ($0 as? DistrictError)?.details?["field"] == "name"
            }
        }
    }
}
