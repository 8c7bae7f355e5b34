public import Foundation

/// The claims of an access token: who the caller is and when the token is valid.
///
/// Times are whole seconds since 1970 (JWT NumericDate). The JSON keys are the
/// registered JWT names plus `kind`, `name`, `roles` and `dept`.
public struct AccessTokenClaims: Hashable, Sendable, Codable {
    /// The issuer every access token must name.
    public static let identityIssuer = "district-identity"

    /// Issuer (`iss`).
    public var issuer: String
    /// Subject id (`sub`).
    public var subject: String
    /// Kind of caller.
    public var kind: Principal.Kind
    /// Display name.
    public var name: String
    /// Role bindings.
    public var roles: [RoleBinding]
    /// Department code (`dept`), for department staff and service accounts.
    public var department: String?
    /// Issued at (`iat`), seconds since 1970.
    public var issuedAt: Int64
    /// Expires at (`exp`), seconds since 1970.
    public var expiresAt: Int64
    /// Unique token id (`jti`), for revocation lists and audit.
    public var id: String

    /// Creates claims from their fields.
    public init(
        issuer: String = AccessTokenClaims.identityIssuer, subject: String, kind: Principal.Kind, name: String,
        roles: [RoleBinding], department: String? = nil, issuedAt: Int64, expiresAt: Int64, id: String
    ) {
        self.issuer = issuer
        self.subject = subject
        self.kind = kind
        self.name = name
        self.roles = roles
        self.department = department
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.id = id
    }

    /// Claims for `principal`, issued at `now` and valid for `lifetime` seconds
    /// (15 minutes by default).
    public init(for principal: Principal, issuedAt now: Date, lifetime: TimeInterval = 15 * 60, id: String = UUID().uuidString) {
        let issued = Int64(now.timeIntervalSince1970.rounded(.down))
        self.init(
            subject: principal.subject, kind: principal.kind, name: principal.name, roles: principal.bindings,
            department: principal.department, issuedAt: issued, expiresAt: issued + Int64(lifetime), id: id
        )
    }

    /// The principal these claims describe.
    public var principal: Principal {
        Principal(subject: subject, name: name, kind: kind, bindings: roles, department: department)
    }

    private enum CodingKeys: String, CodingKey {
        case issuer = "iss"
        case subject = "sub"
        case kind, name, roles
        case department = "dept"
        case issuedAt = "iat"
        case expiresAt = "exp"
        case id = "jti"
    }
}
