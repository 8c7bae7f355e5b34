/// Who a caller is: the identity behind a verified token or an mTLS service peer.
public struct Principal: Hashable, Sendable {
    /// The stable subject id (user id, service-account id, or `service:<name>`).
    public var subject: String
    /// A display name, for logs and audit entries.
    public var name: String
    /// What kind of caller this is.
    public var kind: Kind
    /// The roles held, each at an org node.
    public var bindings: [RoleBinding]
    /// The department code, for department handlers, leads and department service accounts.
    public var department: String?

    /// Creates a principal.
    public init(subject: String, name: String, kind: Kind, bindings: [RoleBinding], department: String? = nil) {
        self.subject = subject
        self.name = name
        self.kind = kind
        self.bindings = bindings
        self.department = department
    }

    /// A platform service authenticated by its mTLS client certificate; it holds no role
    /// bindings and is allowed what the policy grants to service peers.
    public static func service(_ name: String) -> Principal {
        Principal(subject: "service:\(name)", name: name, kind: .service, bindings: [])
    }
}
