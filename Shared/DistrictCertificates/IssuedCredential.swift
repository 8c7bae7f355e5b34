public import X509

/// A certificate together with its private key, in parsed and in PEM form.
public struct IssuedCredential: Sendable {
    /// The parsed certificate.
    public let certificate: Certificate
    /// The certificate's private key.
    public let privateKey: Certificate.PrivateKey
    /// The certificate as a `CERTIFICATE` PEM block.
    public let certificatePEM: String
    /// The private key as a PKCS#8 `PRIVATE KEY` PEM block.
    public let privateKeyPEM: String

    /// Parses a certificate and its private key from PEM.
    ///
    /// The key may be PKCS#8 (`PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`); ``privateKeyPEM`` keeps the text as given.
    /// - Throws: ``PKIError/Code/keyMismatch`` if the key does not belong to the certificate.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        let certificate = try Certificate(pemEncoded: certificatePEM)
        let privateKey = try Certificate.PrivateKey(pemEncoded: privateKeyPEM)
        guard privateKey.publicKey == certificate.publicKey else {
            throw PKIError(
                code: .keyMismatch,
                message: "private key does not match certificate '\(certificate.subject)'"
            )
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }

    /// Wraps a freshly made certificate and key, rendering both as PEM.
    init(certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = try PEMFile.pem(for: certificate)
        self.privateKeyPEM = try PEMFile.pem(for: privateKey)
    }
}
