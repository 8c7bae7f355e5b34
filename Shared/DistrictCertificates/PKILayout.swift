public import Foundation

/// Where a district's certificate files live inside its certificate directory.
///
/// `ca.pem`, `ca-key.pem`, and `<name>.pem`, `<name>-key.pem` per service or client.
public struct PKILayout: Hashable, Sendable {
    /// The certificate directory.
    public let directory: URL

    /// A layout rooted at `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// A layout rooted at the directory at `path`.
    public init(directory path: String) {
        self.init(directory: URL(fileURLWithPath: path, isDirectory: true))
    }

    /// The file stem reserved for the CA.
    public static let authorityName = "ca"

    /// `ca.pem`.
    public var caCertificate: URL { certificate(for: Self.authorityName) }
    /// `ca-key.pem`.
    public var caPrivateKey: URL { privateKey(for: Self.authorityName) }

    /// `<name>.pem`.
    public func certificate(for name: String) -> URL {
        directory.appendingPathComponent("\(name).pem", isDirectory: false)
    }

    /// `<name>-key.pem`.
    public func privateKey(for name: String) -> URL {
        directory.appendingPathComponent("\(name)-key.pem", isDirectory: false)
    }

    /// Checks that `name` is usable as a service or client name: letters, digits, `-`, `_`, `.`,
    /// not starting with `.` or `-`, not `ca`, and not ending in `-key` (which would collide with a key file).
    public static func validate(name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(allowed.contains),
            !name.hasPrefix("."), !name.hasPrefix("-")
        else {
            throw PKIError(code: .invalidName, message: "'\(name)' must be 1-64 of [A-Za-z0-9._-], not starting with '.' or '-'")
        }
        guard name.lowercased() != authorityName, !name.lowercased().hasSuffix("-key") else {
            throw PKIError(code: .invalidName, message: "'\(name)' is reserved or collides with a key file name")
        }
    }
}
