/// A role held at an org node; it reaches that node's whole subtree.
public struct RoleBinding: Hashable, Sendable, Codable {
    /// The role held.
    public var role: Role
    /// The node at which it is held.
    public var path: OrgPath
    /// For department-scoped roles, the department code; `nil` means the principal's own.
    public var department: String?

    /// Binds `role` at `path`, optionally naming the department it is scoped to.
    public init(_ role: Role, at path: OrgPath, department: String? = nil) {
        self.role = role
        self.path = path
        self.department = department
    }

    private enum CodingKeys: String, CodingKey {
        case role
        case path = "at"
        case department = "dept"
    }
}
