import DispatchDomain
import DistrictContracts
import DistrictLoad
import Testing

@Suite("The load district's report places")
struct LoadPlacesTests {
    @Test("no two of the first 20,000 reports are duplicates by the 50 m rule, and each lies in its grid")
    func noDuplicates() {
        var byCategory: [String: [(Int, GeoPoint)]] = [:]
        for sequence in 0..<20_000 {
            byCategory[LoadDistrict.category(for: sequence), default: []].append((sequence, LoadDistrict.place(for: sequence)))
        }
        var closest = Double.infinity
        for (_, places) in byCategory {
            // Neighbours in the same grid are the closest candidates; compare within a grid.
            let byGrid = Dictionary(grouping: places) { LoadDistrict.grid(for: $0.0) }
            for (_, points) in byGrid {
                for i in points.indices {
                    for j in points.indices where j > i {
                        closest = min(closest, GeoDistance.meters(points[i].1, points[j].1))
                    }
                }
            }
        }
        #expect(closest > DuplicateRule.radius, "closest same-category pair \(closest) m")
    }
}
