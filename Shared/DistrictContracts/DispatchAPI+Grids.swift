public import DistrictProtocol

/// A grid's boundary as a GeoJSON `Polygon`: `coordinates` is a list of rings of
/// `[longitude, latitude]` pairs, the first ring the outer boundary, any others holes.
/// Rings are closed (first point = last point) or are closed implicitly.
public struct GeoPolygon: Codable, Sendable, Hashable {
    /// Always `"Polygon"`.
    public var type: String
    /// Rings of `[longitude, latitude]` positions.
    public var coordinates: [[[Double]]]

    /// Creates a polygon from rings.
    public init(coordinates: [[[Double]]]) {
        self.type = "Polygon"
        self.coordinates = coordinates
    }
}

/// A department's own grid that now maps onto a comprehensive grid (多网合一).
public struct LegacyGrid: Codable, Sendable, Hashable {
    /// The department (or system) that drew it, e.g. `police`.
    public var department: String
    /// Its code in that department's system.
    public var code: String

    /// Creates a mapping entry.
    public init(department: String, code: String) {
        self.department = department
        self.code = code
    }
}

/// A comprehensive grid (全科网格) with its boundary.
public struct GridRecord: Codable, Sendable, Hashable {
    /// The grid's org path (an org node of kind `grid`).
    public var path: String
    /// The boundary.
    public var boundary: GeoPolygon
    /// The departments' legacy grids merged into it.
    public var legacyGrids: [LegacyGrid]

    /// Creates a record.
    public init(path: String, boundary: GeoPolygon, legacyGrids: [LegacyGrid]) {
        self.path = path
        self.boundary = boundary
        self.legacyGrids = legacyGrids
    }
}

extension DispatchAPI {
    /// `grid.define`: sets (or replaces) the boundary and legacy-grid mapping of a grid.
    /// Needs `org.write` at the grid's path; the org node must exist and be of kind `grid`.
    public enum GridDefine: MethodDescriptor {
        public static let name = "grid.define"
        /// The grid and its boundary.
        public typealias Params = GridRecord
        /// The stored grid.
        public typealias Result = GridRecord
    }

    /// `grid.locate`: the grid containing a point, if any. Needs `case.report` anywhere.
    public enum GridLocate: MethodDescriptor {
        public static let name = "grid.locate"

        /// The point.
        public struct Params: Codable, Sendable, Hashable {
            /// The point to place.
            public var location: GeoPoint
            /// Creates the parameters.
            public init(location: GeoPoint) { self.location = location }
        }

        /// The grid found.
        public struct Result: Codable, Sendable, Hashable {
            /// The grid's path; nil when the point lies in no grid.
            public var path: String?
            /// Creates the result.
            public init(path: String?) { self.path = path }
        }
    }
}
