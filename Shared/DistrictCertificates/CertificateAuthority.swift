import Crypto
public import Foundation
import SwiftASN1
public import X509

/// A district's certificate authority: a self-signed ECDSA P-256 root that issues
/// the certificates services and clients present to each other in mutual TLS.
public struct CertificateAuthority: Sendable {
    /// The organisation named in every certificate this package makes.
    public static let organizationName = "District Governance"
    /// Default lifetime of a new CA: ten years.
    public static let defaultValidity: TimeInterval = 10 * 365 * 86_400
    /// Default lifetime of an issued leaf: 825 days, the longest browsers still accept.
    public static let defaultLeafValidity: TimeInterval = 825 * 86_400
    /// How far `notValidBefore` is set before `now`, so small clock skew between hosts does not reject fresh certificates.
    public static let backdating: TimeInterval = 5 * 60

    /// The CA certificate and its private key.
    public let credential: IssuedCredential

    /// The CA certificate.
    public var certificate: Certificate { credential.certificate }

    /// Wraps an existing CA credential.
    public init(credential: IssuedCredential) {
        self.credential = credential
    }

    /// Loads an existing CA from its certificate and private key in PEM form.
    /// - Throws: ``PKIError/Code/keyMismatch`` if the key does not belong to the certificate.
    public init(certificatePEM: String, privateKeyPEM: String) throws {
        self.init(credential: try IssuedCredential(certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM))
    }

    /// Creates a new self-signed CA with subject `CN=<districtName> District CA, O=District Governance`.
    ///
    /// - Parameters:
    ///   - districtName: The district's name, e.g. `"Riverside"`.
    ///   - validity: Lifetime from `now`; ten years by default.
    ///   - now: The issuing time (inject for tests).
    public static func create(
        districtName: String,
        validity: TimeInterval = defaultValidity,
        now: Date = Date()
    ) throws -> CertificateAuthority {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let name = try DistinguishedName {
            CommonName("\(districtName) District CA")
            OrganizationName(organizationName)
        }
        let keyID = SubjectKeyIdentifier(hash: key.publicKey)
        let extensions = try Certificate.Extensions {
            // Path length 0: the CA signs leaves directly, never intermediates.
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            keyID
            AuthorityKeyIdentifier(keyIdentifier: keyID.keyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - backdating,
            notValidAfter: now + validity,
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: key
        )
        return CertificateAuthority(credential: try IssuedCredential(certificate: certificate, privateKey: key))
    }

    /// Issues a leaf certificate with a fresh P-256 key, signed by this CA.
    ///
    /// - Parameters:
    ///   - commonName: The subject's common name, e.g. `"dispatch"` or `"operator"`.
    ///   - dnsNames: DNS subject alternative names.
    ///   - ipAddresses: IPv4/IPv6 subject alternative names, e.g. `["127.0.0.1", "::1"]`.
    ///   - usage: Which extended key usages to assert.
    ///   - validity: Lifetime from `now`; 825 days by default (capped at the CA's own expiry).
    ///   - now: The issuing time (inject for tests).
    /// - Throws: ``PKIError/Code/invalidIPAddress`` for an unparsable address.
    public func issue(
        commonName: String,
        dnsNames: [String] = [],
        ipAddresses: [String] = [],
        usage: CertificateUsage = .serverAndClient,
        validity: TimeInterval = defaultLeafValidity,
        now: Date = Date()
    ) throws -> IssuedCredential {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            CommonName(commonName)
            OrganizationName(Self.organizationName)
        }
        let alternativeNames =
            dnsNames.map { GeneralName.dnsName($0) }
            + (try ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: try IPAddressBytes.parse($0)[...])) })
        let extendedUsages: [ExtendedKeyUsage.Usage] =
            switch usage {
            case .serverAndClient: [.serverAuth, .clientAuth]
            case .client: [.clientAuth]
            }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage(extendedUsages)
            if !alternativeNames.isEmpty {
                SubjectAlternativeNames(alternativeNames)
            }
            SubjectKeyIdentifier(hash: key.publicKey)
            AuthorityKeyIdentifier(keyIdentifier: authorityKeyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(),
            publicKey: key.publicKey,
            notValidBefore: now - Self.backdating,
            // A leaf outliving its issuer would only fail validation later.
            notValidAfter: min(now + validity, self.certificate.notValidAfter),
            issuer: self.certificate.subject,
            subject: subject,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: credential.privateKey
        )
        return try IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// The CA's own key identifier; recomputed from its key if a loaded CA lacks the extension.
    private var authorityKeyIdentifier: ArraySlice<UInt8> {
        if let existing = try? certificate.extensions.subjectKeyIdentifier {
            return existing.keyIdentifier
        }
        return SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }
}
