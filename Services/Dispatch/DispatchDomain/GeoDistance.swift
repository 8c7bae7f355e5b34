public import DistrictContracts
public import Foundation

/// Distances on the earth, for finding duplicate reports.
public enum GeoDistance {
    /// The mean earth radius in metres.
    public static let earthRadius = 6_371_008.8

    /// The great-circle distance between `a` and `b` in metres (haversine).
    public static func meters(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let lat1 = a.latitude * .pi / 180
        let lat2 = b.latitude * .pi / 180
        let dLat = lat2 - lat1
        let dLon = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, sqrt(h)))
    }

    /// A box that holds every point within `radius` metres of `center` (a prefilter for an index).
    public static func box(around center: GeoPoint, radius: Double) -> BoundingBox {
        let dLat = radius / earthRadius * 180 / .pi
        let cosine = max(cos(center.latitude * .pi / 180), 0.01)
        let dLon = dLat / cosine
        return BoundingBox(
            minLongitude: center.longitude - dLon, minLatitude: center.latitude - dLat,
            maxLongitude: center.longitude + dLon, maxLatitude: center.latitude + dLat)
    }
}

/// When a new report is a duplicate of an open case.
public enum DuplicateRule {
    /// The largest distance, in metres.
    public static let radius = 50.0
    /// The longest time since the open case was reported, in seconds.
    public static let window: TimeInterval = 24 * 3600

    /// Whether a report of `category` at `location` at `time` duplicates an open case.
    public static func isDuplicate(
        category: String, location: GeoPoint, at time: Date,
        of open: (category: String, location: GeoPoint, reportedAt: Date)
    ) -> Bool {
        category == open.category && time.timeIntervalSince(open.reportedAt) <= window
            && time >= open.reportedAt.addingTimeInterval(-window)
            && GeoDistance.meters(location, open.location) <= radius
    }
}
