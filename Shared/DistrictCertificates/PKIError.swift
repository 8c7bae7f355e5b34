/// An error raised while creating, loading or laying out district certificates.
///
/// Callers match on ``code``; new codes can be added without breaking them.
public struct PKIError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case fileExists
            case incompleteKeyPair
            case missingAuthority
            case invalidName
            case invalidIPAddress
            case keyMismatch
            case notIssuedByAuthority
            case fileSystem
            case malformed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A file that would be written already exists; it was left untouched.
        public static let fileExists = Code(.fileExists)
        /// Only one of a certificate and its private key is present.
        public static let incompleteKeyPair = Code(.incompleteKeyPair)
        /// Leaf certificates must be issued but the CA certificate or its key is missing.
        public static let missingAuthority = Code(.missingAuthority)
        /// A service, client or DNS name is not usable (empty, reserved or unsafe as a file name).
        public static let invalidName = Code(.invalidName)
        /// A string is neither an IPv4 nor an IPv6 address.
        public static let invalidIPAddress = Code(.invalidIPAddress)
        /// A private key does not belong to the certificate it was paired with.
        public static let keyMismatch = Code(.keyMismatch)
        /// An existing leaf certificate was not signed by the directory's CA.
        public static let notIssuedByAuthority = Code(.notIssuedByAuthority)
        /// Reading or writing a file failed.
        public static let fileSystem = Code(.fileSystem)
        /// A file exists but its content is not what it should be.
        public static let malformed = Code(.malformed)

        /// The code's name, e.g. `fileExists`.
        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The file the failure concerns, when there is one.
    public var path: String?

    /// Creates an error.
    public init(code: Code, message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// `code: message (path)`.
    public var description: String {
        if let path { return "\(code): \(message) (\(path))" }
        return "\(code): \(message)"
    }
}
