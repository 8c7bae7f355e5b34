import DistrictCertificates
import X509

/// Whether `leaf` chains to `root` under RFC 5280, optionally also matching a server name or IP.
func verifies(
    _ leaf: Certificate,
    against root: Certificate,
    hostname: String? = nil,
    ip: String? = nil
) async -> Bool {
    let result: CertificateValidationResult
    if hostname != nil || ip != nil {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
        }
        result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
    } else {
        var verifier = Verifier(rootCertificates: CertificateStore([root])) {
            RFC5280Policy()
        }
        result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
    }
    if case .validCertificate = result { return true }
    return false
}

/// The DNS names in a certificate's subject alternative names.
func dnsNames(of certificate: Certificate) throws -> [String] {
    try (certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()).compactMap {
        if case .dnsName(let name) = $0 { return name }
        return nil
    }
}

/// The IP addresses in a certificate's subject alternative names, as raw bytes.
func ipAddresses(of certificate: Certificate) throws -> [[UInt8]] {
    try (certificate.extensions.subjectAlternativeNames ?? SubjectAlternativeNames()).compactMap {
        if case .ipAddress(let octets) = $0 { return Array(octets.bytes) }
        return nil
    }
}

let ipv4Loopback: [UInt8] = [127, 0, 0, 1]
let ipv6Loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
