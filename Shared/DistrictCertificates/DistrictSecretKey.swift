internal import Crypto
public import Foundation

/// The district's 32-byte secret: one line of base64 in `district-secret.key` beside the
/// certificates, mode 0600. The identity service derives from it the keys that seal its
/// token-signing keys and residents' phone and ID numbers.
///
/// It is created once and never replaced (not even when the certificates are re-issued):
/// data sealed with it would become unreadable. Back it up with the database.
public enum DistrictSecretKey {
    /// The file name inside the certificate directory.
    public static let fileName = "district-secret.key"

    /// The secret's length in bytes.
    public static let byteCount = 32

    /// The secret's file in `layout`'s directory.
    public static func file(in layout: PKILayout) -> URL {
        layout.directory.appendingPathComponent(fileName, isDirectory: false)
    }

    /// Creates the secret file with fresh random bytes unless it exists.
    @discardableResult
    public static func ensure(at url: URL) throws -> PKIReport.Outcome {
        if FileManager.default.fileExists(atPath: url.path) {
            _ = try read(at: url)
            return .kept
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        do {
            try PEMFile.write(bytes.base64EncodedString() + "\n", to: url, mode: PEMFile.privateKeyMode)
        } catch let error as PKIError where error.code == .fileExists {
            // Another process created it first; use theirs.
            _ = try read(at: url)
            return .kept
        }
        return .created
    }

    /// Reads the secret; throws ``PKIError`` when the file is missing or not 32 bytes of base64.
    public static func read(at url: URL) throws -> Data {
        let text = try PEMFile.read(url).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: text), bytes.count == byteCount else {
            throw PKIError(code: .malformed, message: "expected \(byteCount) bytes of base64", path: url.path)
        }
        return bytes
    }
}
