public import Foundation

/// One public key as a JSON Web Key (RFC 8037 OKP form), for example
/// `{"kty":"OKP","crv":"Ed25519","kid":"2026-11","x":"…"}`.
public struct JSONWebKey: Hashable, Sendable, Codable {
    /// The key type; `OKP` for Ed25519.
    public var kty: String
    /// The curve; `Ed25519`.
    public var crv: String
    /// The key id that tokens name in their header.
    public var kid: String
    /// The raw 32-byte public key, base64url without padding.
    public var x: String

    /// Creates a key from its fields as they appear in JSON.
    public init(kty: String, crv: String, kid: String, x: String) {
        self.kty = kty
        self.crv = crv
        self.kid = kid
        self.x = x
    }

    /// Creates an Ed25519 key from its raw 32-byte public representation.
    public init(kid: String, ed25519PublicKey rawRepresentation: Data) {
        self.init(kty: "OKP", crv: "Ed25519", kid: kid, x: Base64URL.encode(rawRepresentation))
    }

    /// True when this is an Ed25519 key (the only kind a `KeySet` holds).
    public var isEd25519: Bool { kty == "OKP" && crv == "Ed25519" }
}
