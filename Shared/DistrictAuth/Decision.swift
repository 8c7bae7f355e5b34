/// The answer of an authorization check.
public enum Decision: Hashable, Sendable {
    /// The action is allowed.
    case allow
    /// The action is refused, with a reason fit to show the caller.
    case deny(String)

    /// True for `.allow`.
    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}
