public import Foundation

/// What ``DistrictPKI`` did to a certificate directory: which credentials it created and which it kept.
public struct PKIReport: Sendable {
    /// The part a credential plays in the district.
    public enum Role: Hashable, Sendable {
        /// The district CA.
        case authority
        /// A service (server and client certificate).
        case service
        /// A client only (operator CLI, a department's system).
        case client
    }

    /// Whether a credential was made now or already existed.
    public enum Outcome: Hashable, Sendable {
        /// Newly issued and written.
        case created
        /// Already present; left byte-for-byte untouched.
        case kept
    }

    /// One credential: a certificate file and its key file.
    public struct Entry: Hashable, Sendable {
        /// The file stem: `ca`, a service name or a client name.
        public var name: String
        /// The credential's role.
        public var role: Role
        /// Created or kept.
        public var outcome: Outcome
        /// The certificate file.
        public var certificateFile: URL
        /// The private key file.
        public var privateKeyFile: URL
    }

    /// The certificate directory.
    public var directory: URL
    /// One entry per credential, CA first.
    public var entries: [Entry]
    /// The district secret (``DistrictSecretKey``): created now or kept.
    public var secretKey: Outcome = .kept

    /// Names of credentials created in this run.
    public var created: [String] { entries.filter { $0.outcome == .created }.map(\.name) }
    /// Names of credentials that already existed.
    public var kept: [String] { entries.filter { $0.outcome == .kept }.map(\.name) }
}
