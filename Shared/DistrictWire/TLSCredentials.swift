import NIOSSL

/// Where a party's TLS certificate, key and trusted district CA live (PEM files).
public struct TLSCredentials: Sendable, Hashable {
    /// PEM file with this party's certificate chain (leaf first).
    public var certificateChainPath: String
    /// PEM file with this party's private key.
    public var privateKeyPath: String
    /// PEM file with the CA certificates this party trusts (the district CA).
    public var trustRootsPath: String

    /// Creates credentials from file paths.
    public init(certificateChainPath: String, privateKeyPath: String, trustRootsPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRootsPath = trustRootsPath
    }

    /// The conventional layout written by `districtctl certs init`: `<dir>/<name>.pem`,
    /// `<dir>/<name>-key.pem` and `<dir>/ca.pem`.
    public init(directory: String, name: String) {
        self.init(
            certificateChainPath: "\(directory)/\(name).pem",
            privateKeyPath: "\(directory)/\(name)-key.pem",
            trustRootsPath: "\(directory)/ca.pem")
    }

    func loadChain() throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMFile(certificateChainPath)
    }

    func loadKey() throws -> NIOSSLPrivateKey {
        try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
    }

    func loadTrustRoots() throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMFile(trustRootsPath)
    }
}
