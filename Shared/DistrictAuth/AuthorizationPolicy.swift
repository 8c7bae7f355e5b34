/// Decides whether a principal may perform an action on a resource.
///
/// A role binding allows an action only when the binding's role allows it (the
/// `grants` table) and the binding's node contains the resource's node. Bindings of
/// department-scoped roles, and every binding of a department service account,
/// also require the resource to be dispatched to that same department. Service peers
/// (mTLS) hold no bindings; they get `servicePeerActions` anywhere.
public struct AuthorizationPolicy: Sendable {
    /// The actions each role allows within its subtree.
    public var grants: [Role: Set<Action>]
    /// Roles whose bindings reach only resources dispatched to their department.
    public var departmentScopedRoles: Set<Role>
    /// What a platform service authenticated by mTLS may do, at any path.
    public var servicePeerActions: Set<Action>

    /// Creates a policy from explicit tables.
    public init(grants: [Role: Set<Action>], departmentScopedRoles: Set<Role>, servicePeerActions: Set<Action>) {
        self.grants = grants
        self.departmentScopedRoles = departmentScopedRoles
        self.servicePeerActions = servicePeerActions
    }

    /// The actions `role` allows; empty for unknown roles.
    public func actions(for role: Role) -> Set<Action> {
        grants[role] ?? []
    }

    /// Decides whether `principal` may do `action` on `resource`.
    public func decide(_ principal: Principal, _ action: Action, on resource: Resource) -> Decision {
        if principal.kind == .service {
            return servicePeerActions.contains(action)
                ? .allow
                : .deny("service '\(principal.name)' may not \(action)")
        }
        var roleAllows = false
        var reachesPath = false
        for binding in principal.bindings where actions(for: binding.role).contains(action) {
            roleAllows = true
            guard binding.path.contains(resource.path) else { continue }
            reachesPath = true
            if needsDepartmentMatch(binding, of: principal) {
                let own = binding.department ?? principal.department
                guard let own, resource.department == own else { continue }
            }
            return .allow
        }
        if !roleAllows {
            return .deny("none of the caller's roles allows \(action)")
        }
        if !reachesPath {
            return .deny("\(action) at \(resource.path) is outside the caller's reach")
        }
        let target = resource.department.map { "department '\($0)'" } ?? "no department"
        return .deny("\(action) at \(resource.path) is dispatched to \(target), not the caller's department")
    }

    private func needsDepartmentMatch(_ binding: RoleBinding, of principal: Principal) -> Bool {
        principal.kind == .serviceAccount || departmentScopedRoles.contains(binding.role)
    }
}
