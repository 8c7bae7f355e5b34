import DistrictAuth
import Foundation

/// Shared fixtures for token tests: a fixed clock and helpers to take tokens apart.
enum TokenFixtures {
    static let issuedAt = Date(timeIntervalSince1970: 1_800_000_000)

    static let principal = Principal(
        subject: "user-42", name: "张伟", kind: .staff,
        bindings: [
            RoleBinding(.gridWorker, at: try! OrgPath("d01.s03.c12.g0457")),
            RoleBinding(.departmentHandler, at: try! OrgPath("d01"), department: "urban_mgmt"),
        ],
        department: "urban_mgmt"
    )

    static func claims(lifetime: TimeInterval = 900, issuer: String = AccessTokenClaims.identityIssuer) -> AccessTokenClaims {
        var claims = AccessTokenClaims(for: principal, issuedAt: issuedAt, lifetime: lifetime, id: "jti-1")
        claims.issuer = issuer
        return claims
    }

    static func verifier(_ keys: KeySet, at date: Date = issuedAt) -> TokenVerifier {
        TokenVerifier(keys: keys, now: { date })
    }

    static func keySet(_ signers: TokenSigner...) throws -> KeySet {
        try KeySet(signers.map(\.publicKey))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func base64URL(_ text: String) -> String { base64URL(Data(text.utf8)) }

    static func decodeSegment(_ segment: Substring) -> String {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return String(decoding: Data(base64Encoded: text)!, as: UTF8.self)
    }

    /// Replaces segment `index` of `token` with `transform` applied to its decoded JSON.
    static func tamper(_ token: String, segment index: Int, _ transform: (String) -> String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = base64URL(transform(decodeSegment(Substring(parts[index]))))
        return parts.joined(separator: ".")
    }
}
