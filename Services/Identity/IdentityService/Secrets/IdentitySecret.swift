import Crypto
import DistrictCertificates
public import DistrictProtocol
public import Foundation

/// Keys derived from the district secret (``DistrictSecretKey``) with HKDF-SHA256, one per
/// purpose, so that no two uses share a key:
///
/// - `seal`/`open`: AES-256-GCM for values that must be read back (residents' phone and
///   ID-card numbers, token-signing private keys); each sealed value carries its own
///   random nonce and the purpose as authenticated data, so a value sealed for one column
///   cannot be opened as another.
/// - `lookupHash`: HMAC-SHA256 of a normalised value, so that "find the resident with this
///   phone number" is an index lookup without storing the number in the clear.
public struct IdentitySecret: Sendable {
    /// What a sealed value is for; bound into its authentication tag.
    public struct Purpose: RawRepresentable, Hashable, Sendable {
        /// The purpose's name.
        public let rawValue: String
        /// Creates a purpose.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A resident's phone number.
        public static let phone = Purpose(rawValue: "resident.phone")
        /// A resident's ID-card number.
        public static let idNumber = Purpose(rawValue: "resident.id_number")
        /// A token-signing private key.
        public static let signingKey = Purpose(rawValue: "auth.signing_key")
    }

    private let sealingKey: Data
    private let lookupKey: Data

    /// Derives the keys from a 32-byte district secret.
    public init(districtSecret: Data) throws(DistrictError) {
        guard districtSecret.count == DistrictSecretKey.byteCount else {
            throw DistrictError(.internal, "the district secret must be \(DistrictSecretKey.byteCount) bytes")
        }
        let master = SymmetricKey(data: districtSecret)
        func derive(_ info: String) -> Data {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: master, salt: Data("district-identity".utf8), info: Data(info.utf8), outputByteCount: 32)
                .withUnsafeBytes { Data($0) }
        }
        self.sealingKey = derive("seal.v1")
        self.lookupKey = derive("lookup.v1")
    }

    /// Reads the district secret file at `path` and derives the keys.
    public static func load(path: String) throws -> IdentitySecret {
        let bytes = try DistrictSecretKey.read(at: URL(fileURLWithPath: path))
        return try IdentitySecret(districtSecret: bytes)
    }

    /// A fresh random secret (tests, tools).
    public static func random() -> IdentitySecret {
        // 32 random bytes are always a valid secret.
        try! IdentitySecret(districtSecret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }

    /// Seals `plaintext` for `purpose`: nonce, ciphertext and tag in one value.
    public func seal(_ plaintext: Data, for purpose: Purpose) throws(DistrictError) -> Data {
        do {
            let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: sealingKey), authenticating: Data(purpose.rawValue.utf8))
            guard let combined = box.combined else { throw DistrictError(.internal, "sealing produced no output") }
            return combined
        } catch let error as DistrictError {
            throw error
        } catch {
            throw DistrictError(.internal, "sealing failed")
        }
    }

    /// Opens a value sealed for `purpose`; `internal` when it was sealed with another
    /// secret or purpose, or was altered.
    public func open(_ sealed: Data, for purpose: Purpose) throws(DistrictError) -> Data {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return try AES.GCM.open(box, using: SymmetricKey(data: sealingKey), authenticating: Data(purpose.rawValue.utf8))
        } catch {
            throw DistrictError(.internal, "a sealed \(purpose.rawValue) value cannot be opened with this district secret")
        }
    }

    /// Seals a UTF-8 string.
    public func seal(_ text: String, for purpose: Purpose) throws(DistrictError) -> Data {
        try seal(Data(text.utf8), for: purpose)
    }

    /// Opens a sealed UTF-8 string.
    public func openString(_ sealed: Data, for purpose: Purpose) throws(DistrictError) -> String {
        guard let text = String(data: try open(sealed, for: purpose), encoding: .utf8) else {
            throw DistrictError(.internal, "a sealed \(purpose.rawValue) value is not UTF-8")
        }
        return text
    }

    /// The keyed hash of an already normalised value for `purpose`, as 64 hex digits.
    public func lookupHash(_ normalized: String, for purpose: Purpose) -> String {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: lookupKey))
        hmac.update(data: Data(purpose.rawValue.utf8))
        hmac.update(data: [0])
        hmac.update(data: Data(normalized.utf8))
        return hmac.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
