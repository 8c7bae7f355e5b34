import DispatchDomain
import DistrictContracts
import DistrictProtocol
import Foundation
import Testing

@Suite("Grid placement: point in polygon, grid index, distances")
struct GeometryTests {
    /// Two neighbouring grids in Beijing-like coordinates that share the edge at
    /// longitude 116.3950; the west one is concave (an L whose notch is north-east of
    /// its centre), the east one has a hole (a park that belongs to no grid).
    static let west = GeoPolygon(coordinates: [[
        [116.3850, 39.9100], [116.3950, 39.9100], [116.3950, 39.9150], [116.3900, 39.9150],
        [116.3900, 39.9200], [116.3850, 39.9200], [116.3850, 39.9100],
    ]])
    static let east = GeoPolygon(coordinates: [
        [[116.3950, 39.9100], [116.4050, 39.9100], [116.4050, 39.9200], [116.3950, 39.9200], [116.3950, 39.9100]],
        [[116.3990, 39.9140], [116.4010, 39.9140], [116.4010, 39.9160], [116.3990, 39.9160], [116.3990, 39.9140]],
    ])

    static func point(_ longitude: Double, _ latitude: Double) -> GeoPoint {
        GeoPoint(longitude: longitude, latitude: latitude)
    }

    @Test("concave polygon: inside, in the notch, outside")
    func concave() throws {
        let west = try GridBoundary(Self.west)
        #expect(west.contains(Self.point(116.3870, 39.9180)))
        #expect(west.contains(Self.point(116.3930, 39.9120)))
        #expect(!west.contains(Self.point(116.3930, 39.9180)))  // the notch: inside the box, outside the grid
        #expect(!west.contains(Self.point(116.3800, 39.9150)))
    }

    @Test("a hole belongs to no grid")
    func hole() throws {
        let east = try GridBoundary(Self.east)
        #expect(east.contains(Self.point(116.3970, 39.9120)))
        #expect(!east.contains(Self.point(116.4000, 39.9150)))
    }

    @Test("a point on the shared edge belongs to exactly one grid")
    func sharedEdge() throws {
        let west = try GridBoundary(Self.west)
        let east = try GridBoundary(Self.east)
        for latitude in stride(from: 39.9101, to: 39.9149, by: 0.0007) {
            let point = Self.point(116.3950, latitude)
            #expect((west.contains(point) ? 1 : 0) + (east.contains(point) ? 1 : 0) == 1)
        }
    }

    @Test("the index finds the same grid as a scan over every polygon")
    func index() throws {
        var index = GridIndex<String>()
        let boundaries = [("d01.s01.c01.g001", try GridBoundary(Self.west)), ("d01.s01.c01.g002", try GridBoundary(Self.east))]
        for (key, boundary) in boundaries { index.insert(key, boundary) }
        #expect(index.count == 2)
        var found = 0
        for x in 0..<60 {
            for y in 0..<40 {
                let point = Self.point(116.3830 + Double(x) * 0.0004, 39.9090 + Double(y) * 0.0003)
                let scanned = boundaries.first { $0.1.contains(point) }?.0
                #expect(index.locate(point) == scanned)
                if scanned != nil { found += 1 }
            }
        }
        #expect(found > 500)
    }

    @Test("bad polygons are refused with the field named")
    func validation() {
        func field(_ polygon: GeoPolygon) -> String? {
            do {
                _ = try GridBoundary(polygon)
                return nil
            } catch {
                return error.details?["field"]
            }
        }
        var wrongType = Self.west
        wrongType.type = "Point"
        #expect(field(wrongType) == "boundary.type")
        #expect(field(GeoPolygon(coordinates: [[[116.0, 39.0], [116.1, 39.0], [116.0, 39.0]]])) == "boundary.coordinates")
        #expect(field(GeoPolygon(coordinates: [[[200.0, 39.0], [116.1, 39.0], [116.1, 39.1]]])) == "boundary.coordinates")
        #expect(field(GeoPolygon(coordinates: [])) == "boundary.coordinates")
        #expect(field(Self.west) == nil)
    }

    @Test("distances and the 50 m duplicate rule")
    func distances() {
        let a = Self.point(116.3970, 39.9120)
        // 0.0004° of latitude is about 44.5 m; 0.0005° about 55.6 m.
        let near = Self.point(116.3970, 39.9124)
        let far = Self.point(116.3970, 39.9125)
        #expect(abs(GeoDistance.meters(a, near) - 44.48) < 0.5)
        #expect(GeoDistance.meters(a, far) > 50)
        let box = GeoDistance.box(around: a, radius: 50)
        #expect(box.contains(near) && !box.contains(far))
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        #expect(DuplicateRule.isDuplicate(category: "litter", location: near, at: now, of: ("litter", a, now.addingTimeInterval(-3600))))
        #expect(!DuplicateRule.isDuplicate(category: "litter", location: far, at: now, of: ("litter", a, now)))
        #expect(!DuplicateRule.isDuplicate(category: "road_damage", location: near, at: now, of: ("litter", a, now)))
        #expect(!DuplicateRule.isDuplicate(category: "litter", location: near, at: now, of: ("litter", a, now.addingTimeInterval(-25 * 3600))))
    }
}
