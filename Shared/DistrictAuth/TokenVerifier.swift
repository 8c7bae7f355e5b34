public import DistrictProtocol
internal import Crypto
public import Foundation

/// Verifies access tokens locally against the identity service's published keys.
///
/// Every refusal is `.unauthenticated` with a message naming the fault. Only EdDSA is
/// accepted (never `none`); the signature is checked before the claims are read.
public struct TokenVerifier: Sendable {
    /// The largest token accepted, in bytes.
    public static let maxTokenSize = 8 * 1024

    /// The keys tokens may be signed with.
    public var keys: KeySet
    /// Allowed clock difference between issuer and verifier, in seconds.
    public var leeway: TimeInterval
    /// The issuer tokens must name.
    public var issuer: String
    private let now: @Sendable () -> Date

    /// A verifier for `keys`; `now` is the clock (inject a fixed one in tests).
    public init(
        keys: KeySet, leeway: TimeInterval = 30, issuer: String = AccessTokenClaims.identityIssuer,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.keys = keys
        self.leeway = leeway
        self.issuer = issuer
        self.now = now
    }

    /// Verifies `token` and returns the principal it names.
    public func verify(_ token: String) throws(DistrictError) -> Principal {
        try verifiedClaims(token).principal
    }

    /// Verifies `token` and returns its claims (for example to check `jti` against a
    /// revocation list).
    public func verifiedClaims(_ token: String) throws(DistrictError) -> AccessTokenClaims {
        guard token.utf8.count <= Self.maxTokenSize else {
            throw refuse("token is larger than \(Self.maxTokenSize) bytes")
        }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw refuse("malformed token: expected header.payload.signature") }
        guard let headerData = Base64URL.decode(parts[0]),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: headerData)
        else { throw refuse("malformed token header") }
        guard header.alg == JOSEHeader.edDSA else {
            throw refuse("token algorithm '\(header.alg)' is not accepted; only EdDSA is")
        }
        guard header.crit == nil else { throw refuse("token header has critical extensions") }
        guard let kid = header.kid, let key = keys.publicKey(kid: kid) else {
            throw refuse("token is signed with an unknown key id '\(header.kid ?? "")'")
        }
        guard let signature = Base64URL.decode(parts[2]),
            key.isValidSignature(signature, for: Data(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)))
        else { throw refuse("token signature does not verify") }
        guard let payload = Base64URL.decode(parts[1]),
            let claims = try? JSONDecoder().decode(AccessTokenClaims.self, from: payload)
        else { throw refuse("malformed token claims") }
        try check(claims)
        return claims
    }

    /// The key id a token's header names, without verifying anything; nil when the
    /// header is unreadable. Lets a caller fetch a key it does not hold yet.
    public static func keyID(of token: String) -> String? {
        guard token.utf8.count <= maxTokenSize, let dot = token.utf8.firstIndex(of: UInt8(ascii: ".")),
            let headerData = Base64URL.decode(token[..<dot]),
            let header = try? JSONDecoder().decode(JOSEHeader.self, from: headerData)
        else { return nil }
        return header.kid
    }

    /// Whether claims verified earlier are still within their lifetime now.
    public func isCurrent(_ claims: AccessTokenClaims) -> Bool {
        let current = now().timeIntervalSince1970
        return current < TimeInterval(claims.expiresAt) + leeway && TimeInterval(claims.issuedAt) <= current + leeway
    }

    private func check(_ claims: AccessTokenClaims) throws(DistrictError) {
        guard claims.issuer == issuer else { throw refuse("token issuer '\(claims.issuer)' is not '\(issuer)'") }
        guard !claims.subject.isEmpty else { throw refuse("token has no subject") }
        let current = now().timeIntervalSince1970
        guard current < TimeInterval(claims.expiresAt) + leeway else { throw refuse("token has expired") }
        guard TimeInterval(claims.issuedAt) <= current + leeway else { throw refuse("token is not yet valid") }
    }

    private func refuse(_ message: String) -> DistrictError {
        DistrictError(.unauthenticated, message)
    }
}
