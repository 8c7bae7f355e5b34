public import DistrictProtocol
internal import Crypto
public import Foundation

/// Signs access tokens as compact JWS with EdDSA (Ed25519); used by the identity service.
public struct TokenSigner: Sendable {
    /// The key id written into each token's header and published in the key set.
    public let kid: String
    /// Raw key bytes rather than `Curve25519.Signing.PrivateKey`, which is not
    /// `Sendable` on every platform.
    private let rawKey: Data

    /// A signer for a stored 32-byte Ed25519 private key.
    public init(kid: String, privateKey rawRepresentation: Data) throws(DistrictError) {
        guard let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation) else {
            throw DistrictError.invalidParams("not a 32-byte Ed25519 private key", field: "privateKey")
        }
        self.kid = kid
        self.rawKey = key.rawRepresentation
    }

    /// A signer with a freshly generated key.
    public static func generate(kid: String) -> TokenSigner {
        // A fresh key's raw form is always valid.
        try! TokenSigner(kid: kid, privateKey: Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    /// The raw private key, for storing it (encrypted) and loading it again.
    public var privateKeyRepresentation: Data { rawKey }

    /// The public key to publish in the key set.
    public var publicKey: JSONWebKey {
        JSONWebKey(kid: kid, ed25519PublicKey: privateKey.publicKey.rawRepresentation)
    }

    private var privateKey: Curve25519.Signing.PrivateKey {
        // Validated in the initialiser.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
    }

    /// Signs `claims` and returns the compact token `header.payload.signature`.
    public func sign(_ claims: AccessTokenClaims) throws(DistrictError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let header = try encoder.encode(JOSEHeader(alg: JOSEHeader.edDSA, typ: "JWT", kid: kid))
            let payload = try encoder.encode(claims)
            let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(payload)
            let signature = try privateKey.signature(for: Data(signingInput.utf8))
            return signingInput + "." + Base64URL.encode(signature)
        } catch {
            throw DistrictError(.internal, "could not sign the access token")
        }
    }
}
