/// Whether a server demands a client certificate from the district CA.
public enum ClientCertificatePolicy: String, Sendable, Hashable, Codable {
    /// Mutual TLS: every client must present a certificate issued by the district CA.
    /// Service-to-service links use this.
    case required
    /// A client may present a district certificate (then it is verified and must be valid)
    /// or none, and authenticate with a token instead. Department-facing ports use this.
    case optional
}
