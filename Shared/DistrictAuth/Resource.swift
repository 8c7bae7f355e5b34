/// Where the thing acted on lives, and which department it is dispatched to, if any.
public struct Resource: Hashable, Sendable {
    /// The org node the resource belongs to (a case's grid, a notice's community, …).
    public var path: OrgPath
    /// The department the resource is dispatched to, if any.
    public var department: String?

    /// Describes a resource at `path`, optionally dispatched to `department`.
    public init(path: OrgPath, department: String? = nil) {
        self.path = path
        self.department = department
    }
}
