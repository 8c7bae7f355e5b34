public import DistrictProtocol
internal import Crypto
internal import Foundation

/// The identity service's published token-verification keys by key id, in the JWKS
/// shape `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":…,"x":…}]}`.
///
/// Several keys may be present at once so that keys can rotate: publish the new key,
/// start signing with it, and drop the old one once its tokens have expired.
public struct KeySet: Sendable, Codable {
    // Raw key bytes rather than `Curve25519.Signing.PublicKey`, which is not `Sendable`
    // on every platform; rebuilding the key from 32 bytes is a copy.
    private struct Entry: Sendable {
        var jwk: JSONWebKey
        var raw: Data
    }

    private var entries: [String: Entry] = [:]

    /// An empty key set, which verifies nothing.
    public init() {}

    /// A key set holding `keys`; throws `.invalidParams` for a malformed key, a key
    /// that is not Ed25519, or a repeated key id.
    public init(_ keys: [JSONWebKey]) throws(DistrictError) {
        for key in keys {
            guard entries[key.kid] == nil else {
                throw DistrictError.invalidParams("key id '\(key.kid)' appears twice", field: "kid")
            }
            try insert(key)
        }
    }

    /// The keys, ordered by key id.
    public var keys: [JSONWebKey] {
        entries.values.map(\.jwk).sorted { $0.kid < $1.kid }
    }

    /// The key ids present, sorted.
    public var kids: [String] { entries.keys.sorted() }

    /// Adds `key`, replacing any key with the same id.
    public mutating func insert(_ key: JSONWebKey) throws(DistrictError) {
        guard key.isEd25519 else {
            throw DistrictError.invalidParams("key '\(key.kid)' is \(key.kty)/\(key.crv), not OKP/Ed25519", field: "kty")
        }
        guard !key.kid.isEmpty else { throw DistrictError.invalidParams("key id is empty", field: "kid") }
        guard let raw = Base64URL.decode(key.x), (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil
        else {
            throw DistrictError.invalidParams("key '\(key.kid)' has a malformed x", field: "x")
        }
        entries[key.kid] = Entry(jwk: key, raw: raw)
    }

    /// Removes the key with id `kid`, if present; tokens signed with it stop verifying.
    public mutating func remove(kid: String) {
        entries[kid] = nil
    }

    func publicKey(kid: String) -> Curve25519.Signing.PublicKey? {
        entries[kid].flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0.raw) }
    }

    private enum CodingKeys: String, CodingKey {
        case keys
    }

    /// Decodes a JWKS document. Keys of other types (RSA, EC) are skipped; a
    /// malformed Ed25519 key or a repeated key id fails decoding.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let all = try container.decode([JSONWebKey].self, forKey: .keys)
        do {
            try self.init(all.filter(\.isEd25519))
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .keys, in: container, debugDescription: error.message)
        }
    }

    /// Encodes the keys as a JWKS document.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keys, forKey: .keys)
    }
}
