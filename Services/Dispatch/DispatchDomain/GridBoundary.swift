public import DistrictContracts
public import DistrictProtocol

/// An axis-aligned box in degrees.
public struct BoundingBox: Sendable, Hashable {
    /// West edge.
    public var minLongitude: Double
    /// South edge.
    public var minLatitude: Double
    /// East edge.
    public var maxLongitude: Double
    /// North edge.
    public var maxLatitude: Double

    /// Creates a box.
    public init(minLongitude: Double, minLatitude: Double, maxLongitude: Double, maxLatitude: Double) {
        self.minLongitude = minLongitude
        self.minLatitude = minLatitude
        self.maxLongitude = maxLongitude
        self.maxLatitude = maxLatitude
    }

    /// Whether `point` lies inside or on the box.
    public func contains(_ point: GeoPoint) -> Bool {
        point.longitude >= minLongitude && point.longitude <= maxLongitude
            && point.latitude >= minLatitude && point.latitude <= maxLatitude
    }
}

/// A grid's validated boundary: an outer ring and holes, tested with the even–odd rule.
///
/// A point exactly on an edge shared by two neighbouring grids belongs to exactly one of
/// them (the crossing test counts edges half-open), so placement never finds two grids.
public struct GridBoundary: Sendable, Hashable {
    /// The most positions in all rings together.
    public static let maximumPositions = 10_000

    /// Rings of points, outer first, each without the repeated closing point.
    public let rings: [[GeoPoint]]
    /// The outer ring's box.
    public let boundingBox: BoundingBox

    /// Validates a GeoJSON polygon; errors name `field`.
    public init(_ polygon: GeoPolygon, field: String = "boundary") throws(DistrictError) {
        guard polygon.type == "Polygon" else {
            throw .invalidParams("the boundary must be a GeoJSON Polygon", field: "\(field).type")
        }
        guard !polygon.coordinates.isEmpty, polygon.coordinates.count <= 100 else {
            throw .invalidParams("a polygon has 1 to 100 rings", field: "\(field).coordinates")
        }
        var rings: [[GeoPoint]] = []
        var total = 0
        for ring in polygon.coordinates {
            var points: [GeoPoint] = []
            for position in ring {
                guard position.count == 2 || position.count == 3,
                    position[0].isFinite, position[1].isFinite,
                    (-180...180).contains(position[0]), (-90...90).contains(position[1])
                else {
                    throw .invalidParams("a position is [longitude, latitude] within range", field: "\(field).coordinates")
                }
                points.append(GeoPoint(longitude: position[0], latitude: position[1]))
            }
            if points.count > 1, points.first == points.last { points.removeLast() }
            guard Set(points.map { [$0.longitude, $0.latitude] }).count >= 3 else {
                throw .invalidParams("a ring needs at least 3 distinct positions", field: "\(field).coordinates")
            }
            total += points.count
            rings.append(points)
        }
        guard total <= Self.maximumPositions else {
            throw .invalidParams("a boundary has at most \(Self.maximumPositions) positions", field: "\(field).coordinates")
        }
        self.rings = rings
        let outer = rings[0]
        self.boundingBox = BoundingBox(
            minLongitude: outer.map(\.longitude).min()!, minLatitude: outer.map(\.latitude).min()!,
            maxLongitude: outer.map(\.longitude).max()!, maxLatitude: outer.map(\.latitude).max()!)
    }

    /// Whether `point` lies inside the outer ring and outside every hole.
    public func contains(_ point: GeoPoint) -> Bool {
        guard boundingBox.contains(point) else { return false }
        var inside = false
        for ring in rings where Self.crossings(ring, point) {
            inside.toggle()
        }
        return inside
    }

    /// Ray casting towards +longitude; edges count half-open in latitude.
    private static func crossings(_ ring: [GeoPoint], _ point: GeoPoint) -> Bool {
        var inside = false
        var previous = ring[ring.count - 1]
        for current in ring {
            if (current.latitude > point.latitude) != (previous.latitude > point.latitude) {
                let crossing = current.longitude
                    + (point.latitude - current.latitude) * (previous.longitude - current.longitude) / (previous.latitude - current.latitude)
                if point.longitude < crossing { inside.toggle() }
            }
            previous = current
        }
        return inside
    }
}
