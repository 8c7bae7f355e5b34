public import NIOSSL

/// Builds swift-nio-ssl contexts for the district protocol: TLS 1.2 minimum, 1.3
/// preferred, trust limited to the district CA.
public enum TLSContexts {
    /// The ALPN name of the protocol.
    public static let applicationProtocol = "district/1"

    /// A server context presenting `credentials` and verifying client certificates
    /// against the district CA according to `clientCertificates`.
    public static func server(credentials: TLSCredentials, clientCertificates: ClientCertificatePolicy) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try credentials.loadChain().map { .certificate($0) },
            privateKey: .privateKey(try credentials.loadKey()))
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(try credentials.loadTrustRoots())
        switch clientCertificates {
        case .required: configuration.certificateVerification = .noHostnameVerification
        case .optional: configuration.certificateVerification = .optionalVerification
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// A client context trusting the district CA and, when `credentials` has a
    /// certificate, presenting it (mutual TLS).
    public static func client(trustRootsPath: String, clientCredentials: TLSCredentials?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustRootsPath))
        configuration.certificateVerification = .fullVerification
        if let clientCredentials {
            configuration.certificateChain = try clientCredentials.loadChain().map { .certificate($0) }
            configuration.privateKey = .privateKey(try clientCredentials.loadKey())
        }
        return try NIOSSLContext(configuration: configuration)
    }
}
