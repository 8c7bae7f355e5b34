public import DistrictContracts

/// An in-memory index of grid boundaries: a uniform raster of cells (0.01° ≈ 1 km) each
/// listing the grids whose box touches it, so a lookup tests only a handful of polygons.
public struct GridIndex<Key: Hashable & Sendable>: Sendable {
    /// The cell edge in degrees.
    public let cellSize: Double
    private var grids: [(key: Key, boundary: GridBoundary)] = []
    private var cells: [Cell: [Int]] = [:]

    private struct Cell: Hashable, Sendable {
        var x: Int
        var y: Int
    }

    /// An empty index.
    public init(cellSize: Double = 0.01) {
        self.cellSize = cellSize
    }

    /// The number of grids.
    public var count: Int { grids.count }

    /// Adds a grid.
    public mutating func insert(_ key: Key, _ boundary: GridBoundary) {
        let index = grids.count
        grids.append((key, boundary))
        let box = boundary.boundingBox
        let low = cell(GeoPoint(longitude: box.minLongitude, latitude: box.minLatitude))
        let high = cell(GeoPoint(longitude: box.maxLongitude, latitude: box.maxLatitude))
        for x in low.x...high.x {
            for y in low.y...high.y {
                cells[Cell(x: x, y: y), default: []].append(index)
            }
        }
    }

    /// The grid containing `point`, if any (the first inserted, should boundaries overlap).
    public func locate(_ point: GeoPoint) -> Key? {
        guard let candidates = cells[cell(point)] else { return nil }
        for index in candidates where grids[index].boundary.contains(point) {
            return grids[index].key
        }
        return nil
    }

    private func cell(_ point: GeoPoint) -> Cell {
        Cell(x: Int((point.longitude / cellSize).rounded(.down)), y: Int((point.latitude / cellSize).rounded(.down)))
    }
}
