public import DistrictAuth
import DistrictContracts
public import DistrictProtocol
public import DistrictServer
import Foundation

/// Turns a request's credentials into a `Principal`: a bearer token verified locally with
/// the identity service's public keys, or else the district certificate the peer
/// presented. Every service uses this one piece; the identity service issues the tokens.
public struct Authenticator: Sendable {
    /// Verifies tokens; nil when this process has no keys (then tokens are refused).
    public var verifier: TokenVerifier?
    /// Decides what a principal may do.
    public var policy: AuthorizationPolicy

    /// Creates an authenticator.
    public init(verifier: TokenVerifier?, policy: AuthorizationPolicy = .standard) {
        self.verifier = verifier
        self.policy = policy
    }

    /// Reads the key set (JWKS JSON) at `path`; a missing file means no keys.
    public static func loadingKeys(at path: String?) throws -> Authenticator {
        guard let path, FileManager.default.fileExists(atPath: path) else {
            return Authenticator(verifier: nil)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let keys = try JSONDecoder().decode(KeySet.self, from: data)
        return Authenticator(verifier: TokenVerifier(keys: keys))
    }

    /// Who the caller is.
    ///
    /// - A token, when present, decides (and must verify).
    /// - Without a token, a district certificate naming a district service identifies that
    ///   service; other certificates (departments' systems) identify a service account of
    ///   no role until their tokens carry one.
    /// - Neither: `unauthenticated`.
    public func principal(for context: RequestContext) throws(DistrictError) -> Principal {
        if let token = context.token {
            guard let verifier else {
                throw DistrictError(.unauthenticated, "this service has no token keys configured; present a district certificate")
            }
            return try verifier.verify(token)
        }
        if let name = context.peer.certificateCommonName {
            if DistrictService(rawValue: name) != nil { return .service(name) }
            return Principal(subject: "certificate:\(name)", name: name, kind: .serviceAccount, bindings: [], department: nil)
        }
        throw DistrictError(.unauthenticated, "this method needs a token or a district client certificate")
    }

    /// The caller, if they may do `action` on `resource`; throws `unauthenticated` or
    /// `permission_denied` otherwise.
    @discardableResult
    public func authorize(_ context: RequestContext, _ action: Action, on resource: Resource) throws(DistrictError) -> Principal {
        let principal = try principal(for: context)
        try policy.authorize(principal, action, on: resource)
        return principal
    }
}
