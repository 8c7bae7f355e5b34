public import DistrictProtocol
public import Foundation

/// One category of the matter catalogue (事项清单 / 权责清单).
public struct MatterCategory: Codable, Sendable, Hashable {
    /// The category code, `[a-z0-9_]{1,32}`, e.g. `road_damage`.
    public var code: String
    /// The display name, e.g. `道路破损`.
    public var name: String
    /// Who handles it.
    public var level: HandlingLevel
    /// The responsible department when no street-specific one is listed (nil for grid and street level).
    public var department: String?
    /// Street code → responsible department, where it differs per street.
    public var departmentByStreet: [String: String]
    /// Minutes within which a report must be accepted.
    public var acceptWithinMinutes: Int
    /// Minutes within which a dispatched case must be resolved (e.g. 120 emergency, 1440 utilities,
    /// 10080 general, 21600 complex).
    public var resolveWithinMinutes: Int

    /// Creates a category.
    public init(
        code: String, name: String, level: HandlingLevel, department: String?, departmentByStreet: [String: String] = [:],
        acceptWithinMinutes: Int, resolveWithinMinutes: Int
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.department = department
        self.departmentByStreet = departmentByStreet
        self.acceptWithinMinutes = acceptWithinMinutes
        self.resolveWithinMinutes = resolveWithinMinutes
    }
}

/// One published version of a district's catalogue. Versions never change; cases keep
/// the version they were routed under.
public struct CatalogueVersion: Codable, Sendable, Hashable {
    /// The district's path, e.g. `d01`.
    public var district: String
    /// 1, 2, 3, …
    public var version: Int
    /// When it was published.
    public var publishedAt: Date
    /// The categories.
    public var categories: [MatterCategory]

    /// Creates a version.
    public init(district: String, version: Int, publishedAt: Date, categories: [MatterCategory]) {
        self.district = district
        self.version = version
        self.publishedAt = publishedAt
        self.categories = categories
    }
}

extension DispatchAPI {
    /// `catalogue.publish`: publishes a complete new version of a district's catalogue.
    /// Needs `case.arbitrate` at the district root (the district command centre).
    public enum CataloguePublish: MethodDescriptor {
        public static let name = "catalogue.publish"

        /// The new catalogue.
        public struct Params: Codable, Sendable, Hashable {
            /// The district's path, e.g. `d01`.
            public var district: String
            /// Every category (1 … 1000, codes unique).
            public var categories: [MatterCategory]
            /// Creates the parameters.
            public init(district: String, categories: [MatterCategory]) {
                self.district = district
                self.categories = categories
            }
        }

        public typealias Result = CatalogueVersion
    }

    /// `catalogue.get`: a version of a district's catalogue (the newest when `version` is nil).
    /// Needs `case.report` in the district.
    public enum CatalogueGet: MethodDescriptor {
        public static let name = "catalogue.get"

        /// Which version.
        public struct Params: Codable, Sendable, Hashable {
            /// The district's path.
            public var district: String
            /// The version; nil for the newest.
            public var version: Int?
            /// Creates the parameters.
            public init(district: String, version: Int? = nil) {
                self.district = district
                self.version = version
            }
        }

        public typealias Result = CatalogueVersion
    }
}
