public import DistrictAuth
import DistrictContracts
public import DistrictProtocol
public import DistrictServer
public import Foundation
import Synchronization

/// Turns a request's credentials into a `Principal`: a bearer token verified locally with
/// the identity service's published keys (a ``KeyRing``), or else the district certificate
/// the peer presented. Every service uses this one piece; the identity service issues the
/// tokens and asks nothing of anyone on the hot path.
///
/// A verified token is remembered (up to ``cacheCapacity`` tokens) until it expires, so a
/// client that sends one token with many requests pays for one signature check.
public struct Authenticator: Sendable {
    /// How many verified tokens are remembered.
    public static let cacheCapacity = 8192

    /// The keys tokens may be signed with.
    public let keyRing: KeyRing
    /// Decides what a principal may do.
    public var policy: AuthorizationPolicy
    private let now: @Sendable () -> Date
    private let verified: VerifiedTokenCache

    /// An authenticator over `keyRing`; `now` is the clock (inject a fixed one in tests).
    public init(keyRing: KeyRing, policy: AuthorizationPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.keyRing = keyRing
        self.policy = policy
        self.now = now
        self.verified = VerifiedTokenCache(capacity: Self.cacheCapacity)
    }

    /// An authenticator with fixed keys (tests, tools); nil keys refuse every token.
    public init(keys: KeySet?, policy: AuthorizationPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() }) {
        self.init(keyRing: KeyRing(keys: keys ?? KeySet()), policy: policy, now: now)
    }

    /// Who the caller is.
    ///
    /// - A token, when present, decides (and must verify).
    /// - Without a token, a district certificate naming a district service identifies that
    ///   service; other certificates (departments' systems) identify a service account of
    ///   no role until their tokens carry one.
    /// - Neither: `unauthenticated`.
    public func principal(for context: RequestContext) async throws(DistrictError) -> Principal {
        if let token = context.token {
            return try await claims(for: token).principal
        }
        if let name = context.peer.certificateCommonName {
            if DistrictService(rawValue: name) != nil { return .service(name) }
            return Principal(subject: "certificate:\(name)", name: name, kind: .serviceAccount, bindings: [], department: nil)
        }
        throw DistrictError(.unauthenticated, "this method needs a token or a district client certificate")
    }

    /// The verified claims of `token`; `unauthenticated` when it does not verify.
    public func claims(for token: String) async throws(DistrictError) -> AccessTokenClaims {
        let verifier = TokenVerifier(keys: keyRing.keys, now: now)
        // A remembered token still needs its key trusted (a withdrawn key ends it at once).
        if let entry = verified.entry(for: token), verifier.keys.kids.contains(entry.kid), verifier.isCurrent(entry.claims) {
            return entry.claims
        }
        do {
            let claims = try verifier.verifiedClaims(token)
            verified.remember(claims, kid: TokenVerifier.keyID(of: token) ?? "", for: token)
            return claims
        } catch {
            // A key published after our last refresh: fetch it once and try again.
            guard let kid = TokenVerifier.keyID(of: token), !verifier.keys.kids.contains(kid),
                await keyRing.refresh(forUnknownKeyID: kid)
            else { throw error }
            let claims = try TokenVerifier(keys: keyRing.keys, now: now).verifiedClaims(token)
            verified.remember(claims, kid: kid, for: token)
            return claims
        }
    }

    /// The caller, if they may do `action` on `resource`; throws `unauthenticated` or
    /// `permission_denied` otherwise.
    @discardableResult
    public func authorize(_ context: RequestContext, _ action: Action, on resource: Resource) async throws(DistrictError) -> Principal {
        let principal = try await principal(for: context)
        try policy.authorize(principal, action, on: resource)
        return principal
    }
}

/// Tokens whose signature was checked, with their claims. Full means forget everything:
/// simple, bounded, and a burst of distinct tokens costs one re-verification each.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var kid: String
        var claims: AccessTokenClaims
    }

    private let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    func entry(for token: String) -> Entry? {
        entries.withLock { $0[token] }
    }

    func remember(_ claims: AccessTokenClaims, kid: String, for token: String) {
        entries.withLock {
            if $0.count >= capacity { $0.removeAll(keepingCapacity: true) }
            $0[token] = Entry(kid: kid, claims: claims)
        }
    }
}
