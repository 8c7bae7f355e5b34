import DispatchDomain
import DistrictAuth
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing

@Suite("Matter catalogue: validation and routing")
struct MatterCatalogueTests {
    static let categories = [
        MatterCategory(code: "road_damage", name: "道路破损", level: .department, department: "cg",
                       departmentByStreet: ["s02": "jt"], acceptWithinMinutes: 60, resolveWithinMinutes: 10080),
        MatterCategory(code: "litter", name: "垃圾乱堆", level: .grid, department: nil, acceptWithinMinutes: 60, resolveWithinMinutes: 1440),
        MatterCategory(code: "neighbour_noise", name: "邻里噪音", level: .street, department: nil, acceptWithinMinutes: 60, resolveWithinMinutes: 10080),
    ]

    @Test("routing by category and street")
    func routing() throws {
        try MatterCatalogue.validate(Self.categories)
        let catalogue = MatterCatalogue(CatalogueVersion(district: "d01", version: 1, publishedAt: Date(), categories: Self.categories))
        let road = try #require(catalogue.category("road_damage"))
        #expect(catalogue.route(road, at: try OrgPath("d01.s01.c01.g001")) == .department("cg"))
        #expect(catalogue.route(road, at: try OrgPath("d01.s02.c03.g005")) == .department("jt"))
        #expect(catalogue.route(try #require(catalogue.category("litter")), at: try OrgPath("d01.s01.c01.g001")) == .grid)
        #expect(catalogue.route(try #require(catalogue.category("neighbour_noise")), at: try OrgPath("d01.s01")) == .street)
        #expect(catalogue.category("nope") == nil)
    }

    @Test("bad catalogues name the field")
    func validation() {
        func field(_ categories: [MatterCategory]) -> String? {
            do {
                try MatterCatalogue.validate(categories)
                return nil
            } catch {
                #expect(error.code == .invalidParams)
                return error.details?["field"]
            }
        }
        var duplicate = Self.categories
        duplicate.append(Self.categories[0])
        #expect(field(duplicate) == "categories[3].code")
        var badCode = Self.categories
        badCode[1].code = "Bad Code"
        #expect(field(badCode) == "categories[1].code")
        var noDepartment = Self.categories
        noDepartment[0].department = nil
        #expect(field(noDepartment) == "categories[0].department")
        var zero = Self.categories
        zero[2].resolveWithinMinutes = 0
        #expect(field(zero) == "categories[2].resolveWithinMinutes")
        #expect(field([]) == "categories")
        #expect(field(Self.categories) == nil)
    }
}
