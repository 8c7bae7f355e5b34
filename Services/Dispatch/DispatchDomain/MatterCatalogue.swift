public import DistrictAuth
public import DistrictContracts
public import DistrictProtocol
import Foundation

/// A validated catalogue version, with routing by category and place (自动交办).
public struct MatterCatalogue: Sendable, Hashable {
    /// The most categories one version may hold.
    public static let maximumCategories = 1000
    /// The longest deadline, in minutes (one year).
    public static let maximumMinutes = 525_600

    /// The version.
    public let version: CatalogueVersion
    private let byCode: [String: MatterCategory]

    /// Wraps a stored version (already validated when it was published).
    public init(_ version: CatalogueVersion) {
        self.version = version
        self.byCode = Dictionary(version.categories.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The category with `code`, if the version has it.
    public func category(_ code: String) -> MatterCategory? { byCode[code] }

    /// Where a case of `category` reported at `path` goes.
    public func route(_ category: MatterCategory, at path: OrgPath) -> Routing {
        let street = path.depth >= 2 ? path.components[1] : nil
        let department = street.flatMap { category.departmentByStreet[$0] } ?? category.department
        switch category.level {
        case .grid:
            return .grid
        case .street:
            return department.map(Routing.department) ?? .street
        case .department, .multiDepartment:
            // Validation guarantees a department for these levels.
            return department.map(Routing.department) ?? .street
        }
    }

    /// Where a case goes.
    public enum Routing: Sendable, Hashable {
        /// Stays with the grid's workers (一般问题前端处置).
        case grid
        /// Stays with the street (community and grid staff under it claim it).
        case street
        /// Goes to a department.
        case department(String)

        /// The department, if any.
        public var department: String? {
            if case .department(let code) = self { return code }
            return nil
        }
    }

    /// Checks `categories` for publishing; names the offending field.
    public static func validate(_ categories: [MatterCategory]) throws(DistrictError) {
        guard !categories.isEmpty, categories.count <= maximumCategories else {
            throw .invalidParams("a catalogue needs 1 to \(maximumCategories) categories", field: "categories")
        }
        var seen: Set<String> = []
        for (index, category) in categories.enumerated() {
            let field = "categories[\(index)]"
            guard isCode(category.code) else {
                throw .invalidParams("a category code is 1–32 of a-z, 0-9 and _", field: "\(field).code")
            }
            guard seen.insert(category.code).inserted else {
                throw .invalidParams("category \(category.code) appears twice", field: "\(field).code")
            }
            let name = category.name.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 64 else {
                throw .invalidParams("a category name is 1–64 characters", field: "\(field).name")
            }
            guard (1...maximumMinutes).contains(category.acceptWithinMinutes) else {
                throw .invalidParams("acceptWithinMinutes must be 1 … \(maximumMinutes)", field: "\(field).acceptWithinMinutes")
            }
            guard (1...maximumMinutes).contains(category.resolveWithinMinutes) else {
                throw .invalidParams("resolveWithinMinutes must be 1 … \(maximumMinutes)", field: "\(field).resolveWithinMinutes")
            }
            let departments = [category.department].compactMap { $0 } + Array(category.departmentByStreet.values)
            guard departments.allSatisfy(isCode), category.departmentByStreet.keys.allSatisfy(isCode) else {
                throw .invalidParams("department and street codes are 1–32 of a-z, 0-9 and _", field: "\(field).department")
            }
            if category.level == .department || category.level == .multiDepartment, category.department == nil {
                throw .invalidParams("a \(category.level.rawValue) category needs a department", field: "\(field).department")
            }
        }
    }

    /// Whether `text` is a code: 1–32 of `a-z`, `0-9`, `_`.
    public static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32 && text.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }
}
