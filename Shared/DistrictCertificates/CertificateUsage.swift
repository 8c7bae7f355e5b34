/// What a leaf certificate may be used for in TLS.
public enum CertificateUsage: Hashable, Sendable {
    /// A service: accepts connections (serverAuth) and calls other services (clientAuth).
    case serverAndClient
    /// A caller only, such as the operator CLI or a department's system (clientAuth).
    case client
}
