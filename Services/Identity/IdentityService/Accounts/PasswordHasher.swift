import Crypto
import DistrictProtocol
import Foundation
import _CryptoExtras

/// Hashes passwords with PBKDF2-HMAC-SHA256 and a random 16-byte salt, stored as
/// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`, so that the iteration count
/// can rise later while old hashes still verify.
public struct PasswordHasher: Sendable {
    /// The production iteration count (OWASP's figure for PBKDF2-HMAC-SHA256).
    public static let productionIterations = 210_000
    /// The least count accepted from configuration; below `productionIterations` only for tests.
    public static let minimumIterations = 1_000

    /// The iterations new hashes use.
    public let iterations: Int

    /// A hasher using `iterations` for new hashes.
    public init(iterations: Int = PasswordHasher.productionIterations) {
        self.iterations = max(iterations, Self.minimumIterations)
    }

    /// A new hash of `password` with a fresh salt.
    public func hash(_ password: String) throws -> String {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let derived = try Self.derive(password, salt: salt, iterations: iterations)
        return "pbkdf2-sha256$\(iterations)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// Whether `password` matches `stored`, compared in constant time; false for a
    /// malformed stored hash.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds >= Self.minimumIterations,
            let salt = Data(base64Encoded: String(parts[2])), let expected = Data(base64Encoded: String(parts[3])),
            let derived = try? Self.derive(password, salt: salt, iterations: rounds)
        else { return false }
        return Self.constantTimeEquals(derived, expected)
    }

    /// A hash of a random password, to spend the same time on unknown login names.
    public func decoyHash() -> String {
        (try? hash(UUID().uuidString)) ?? "pbkdf2-sha256$\(iterations)$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"
    }

    /// Compares two byte strings without an early exit.
    static func constantTimeEquals(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }

    private static func derive(_ password: String, salt: Data, iterations: Int) throws -> Data {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Data(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Data($0) }
    }
}
