import DistrictAuth
import DistrictProtocol
import Foundation
import Testing

@Suite("OrgPath")
struct OrgPathTests {
    @Test(arguments: ["d01", "d01.s03.c12.g0457", "a_b.0.z9", String(repeating: "a", count: 32)])
    func parsesValidPaths(_ text: String) throws {
        let path = try OrgPath(text)
        #expect(path.description == text)
    }

    @Test(arguments: [
        "", ".", "d01.", ".d01", "d01..s03", "D01", "d01.s-3", "d01 s03", "d01.s03 ", "区01",
        String(repeating: "a", count: 33),
        Array(repeating: "x", count: 17).joined(separator: "."),
    ])
    func refusesInvalidPaths(_ text: String) {
        let error = #expect(throws: DistrictError.self) { try OrgPath(text) }
        #expect(error?.code == .invalidParams)
    }

    @Test func allowsSixteenLevels() throws {
        let path = try OrgPath(Array(repeating: "x", count: 16).joined(separator: "."))
        #expect(path.depth == 16)
        #expect(throws: DistrictError.self) { try path.appending("y") }
    }

    @Test func containmentFollowsLabelBoundaries() throws {
        let street = try OrgPath("d01.s03")
        #expect(street.contains(street))
        #expect(street.contains(try OrgPath("d01.s03.c12.g0457")))
        #expect(!street.contains(try OrgPath("d01.s030")))
        #expect(!street.contains(try OrgPath("d01.s030.c12")))
        #expect(!street.contains(try OrgPath("d01")))
        #expect(!street.contains(try OrgPath("d02.s03")))
        #expect(!street.contains(try OrgPath("s03")))
    }

    @Test func ancestryIsStrict() throws {
        let street = try OrgPath("d01.s03")
        #expect(street.isAncestor(of: try OrgPath("d01.s03.c12")))
        #expect(!street.isAncestor(of: street))
        #expect(!street.isAncestor(of: try OrgPath("d01.s030")))
    }

    @Test func parentAndAppending() throws {
        let grid = try OrgPath("d01.s03.c12.g0457")
        #expect(grid.parent == (try OrgPath("d01.s03.c12")))
        #expect(grid.leaf == "g0457")
        #expect(try OrgPath("d01").parent == nil)
        #expect(try grid.parent?.appending("g0457") == grid)
        #expect(grid.components == ["d01", "s03", "c12", "g0457"])
        #expect(throws: DistrictError.self) { try grid.appending("Bad") }
        #expect(throws: DistrictError.self) { try grid.appending("a.b") }
    }

    @Test func ordersParentsBeforeChildren() throws {
        let paths = try ["d01.s04", "d01.s03.c12", "d01", "d01.s03"].map { try OrgPath($0) }
        #expect(paths.sorted().map(\.description) == ["d01", "d01.s03", "d01.s03.c12", "d01.s04"])
    }

    @Test func codesAsAString() throws {
        let path = try OrgPath("d01.s03")
        let json = try JSONEncoder().encode([path])
        #expect(String(decoding: json, as: UTF8.self) == #"["d01.s03"]"#)
        #expect(try JSONDecoder().decode([OrgPath].self, from: json) == [path])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([OrgPath].self, from: Data(#"["d01..s03"]"#.utf8))
        }
    }
}
