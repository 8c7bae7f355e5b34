public import DistrictProtocol

extension AuthorizationPolicy {
    /// Returns when `principal` may do `action` on `resource`; otherwise throws
    /// `.permissionDenied` with the reason.
    public func authorize(_ principal: Principal, _ action: Action, on resource: Resource) throws(DistrictError) {
        switch decide(principal, action, on: resource) {
        case .allow:
            return
        case .deny(let reason):
            throw DistrictError(
                .permissionDenied,
                "permission denied: \(reason)",
                details: ["action": action.rawValue, "path": resource.path.description]
            )
        }
    }
}
